"""Content figures from known counters, each checked exactly: engagements and the rate (÷
impressions, ÷ reach where there are none, none at all on Mastodon), lifetime semantics (the
latest snapshot of what was sent in the period), groups, top and bottom, the heatmap in the
brand's local time with its counts, best slots, and the link to the workflow. The rollup kept
at write time equals the one rebuilt from every snapshot."""

from datetime import timedelta

import pytest

import store
from store.db import writing
from store.db.models import MetricSnapshot, Performance, Variant
from store.metrics import WorkflowFilter, content_figures, content_posts, rollup

H = timedelta(hours=1)


def sent(team, title, at, *, channel, revise=False, tier="routine"):
    """A post reviewed and approved (2 h, or 10 h with changes asked), sent at `at`."""
    ed, rev = team.actor("ed"), team.actor("rev")
    t0 = at - timedelta(days=2)
    post = store.create_post(ed, team.brand, title, t0, caption=title, channel_ids=[channel],
                             publish_at=at, tier=tier)  # fmt: skip
    store.move(ed, post.id, "in_review", t0)
    if revise:
        store.request_changes(rev, post.id, "Again", t0 + 4 * H)
        store.move(ed, post.id, "in_review", t0 + 5 * H)
        store.approve(rev, post.id, t0 + 10 * H)
        if tier == "high_stakes":
            store.approve(team.actor("root"), post.id, t0 + 10 * H)
    else:
        store.approve(rev, post.id, t0 + 2 * H)
        if tier == "high_stakes":
            store.approve(team.actor("root"), post.id, t0 + 2 * H)
    with writing():
        Variant.update(state="sent", sent_at=at, remote_id=title).where(
            Variant.post == post.id
        ).execute()
    return post.id, Variant.get(Variant.post == post.id).id


def counters(variant_id, at, **values):
    with writing():
        MetricSnapshot.create(variant=variant_id, taken_at=at, **values)
        rollup.note(variant_id, at, values)


@pytest.fixture
def posts(team):
    # Monday 23 Nov 2026, midnight; the brand's zone is UTC unless a test sets it.
    t0 = team.now - 10 * H
    a = sent(team, "A", t0 + 9 * H, channel=team.instagram)
    b = sent(team, "B", t0 + 9 * H + timedelta(days=7), channel=team.instagram, revise=True)
    c = sent(team, "C", t0 + 15 * H, channel=team.x)
    counters(a[1], t0 + 10 * H, impressions=1000, reach=800, likes=40, comments=5, shares=3,
             saves=2)  # fmt: skip
    counters(a[1], t0 + 30 * H, impressions=2000, reach=1500, likes=80, comments=10, shares=6,
             saves=4)  # the latest: 100 engagements of 2000 = 5 %  # fmt: skip
    counters(b[1], t0 + 200 * H, reach=400, likes=10, comments=2)  # no impressions: 12 of 400 reach
    counters(c[1], t0 + 20 * H, likes=7)  # neither: no rate
    return t0, a, b, c


def test_engagements_rates_and_latest_counters(team, posts):
    t0, a, b, c = posts
    kept = {p.variant_id: p for p in Performance.select()}
    assert (kept[a[1]].engagements, kept[a[1]].rate, kept[a[1]].rate_base) == (
        100, 0.05, "impressions"
    )  # fmt: skip
    assert (kept[b[1]].engagements, kept[b[1]].rate, kept[b[1]].rate_base) == (12, 0.03, "reach")
    assert (kept[c[1]].engagements, kept[c[1]].rate) == (7, None)
    # An older snapshot written late changes nothing.
    counters(a[1], t0 + 20 * H, impressions=1, likes=1)
    assert Performance.get(Performance.variant == a[1]).engagements == 100


def test_the_rollup_kept_at_write_time_equals_a_rebuild(team, posts):
    columns = list(Performance._meta.sorted_field_names)
    before = sorted(Performance.select().dicts(), key=lambda r: r["variant"])
    with writing():
        assert rollup.rebuild() == 3
    after = sorted(Performance.select().dicts(), key=lambda r: r["variant"])
    assert [[r[k] for k in columns] for r in before] == [[r[k] for k in columns] for r in after]


def test_totals_groups_top_and_bottom(team, posts):
    t0, a, b, _ = posts
    root = team.actor("root")
    f = content_figures(root, t0, t0 + timedelta(days=14), top=1)
    assert (f.total.posts, f.total.engagements, f.total.rated, f.total.by_reach) == (3, 119, 2, 1)
    assert f.total.rate == pytest.approx(112 / 2400)  # rated only: 100 + 12 over 2000 + 400
    assert f.total.median_rate == pytest.approx(0.04)
    assert f.ranked_by == "rate"
    assert [p.post_id for p in f.top] == [a[0]] and [p.post_id for p in f.bottom] == [b[0]]
    channels = {g.name: (g.posts, g.engagements, g.rated) for g in f.groups["channel"]}
    assert channels == {"instagram @acme": (2, 112, 2), "x @acmecoffee": (1, 7, 0)}
    assert {g.name: g.posts for g in f.groups["tier"]} == {"routine": 3}
    assert {g.name: g.posts for g in f.groups["tag"]} == {"(no tag)": 3}
    assert [(w.name, w.posts) for w in f.weeks] == [("2026-11-23", 2), ("2026-11-30", 1)]
    # Lifetime: only what was sent in the period counts.
    g = content_figures(root, t0, t0 + timedelta(days=7))
    assert g.total.posts == 2 and g.total.engagements == 107


def test_heatmap_in_local_time_with_counts_and_best_slots(team, posts):
    t0, *_ = posts
    f = content_figures(team.actor("root"), t0, t0 + timedelta(days=14))
    # A and B both went out Monday 09:00 UTC; C has no rate and is in no cell.
    assert set(f.heatmap) == {(0, 9)}
    cell = f.heatmap[(0, 9)]
    assert (cell.posts, cell.median, cell.few) == (2, pytest.approx(0.04), True)
    assert f.best["instagram @acme"] == ()  # 2 posts: too few to suggest
    # In New York the same moments are Monday 04:00; rebuilt rows follow the brand's zone.
    from store.db.models import Brand

    with writing():
        Brand.update(timezone="America/New_York").where(Brand.id == team.brand).execute()
        rollup.rebuild()
    f = content_figures(team.actor("root"), t0, t0 + timedelta(days=14))
    assert set(f.heatmap) == {(0, 4)}


def test_best_slots_need_enough_posts(team):
    t0 = team.now - 10 * H  # Monday, midnight
    for i, hour in enumerate((9, 9, 9, 14, 14, 14, 20)):
        _, v = sent(team, f"P{i}", t0 + timedelta(weeks=i, hours=hour), channel=team.x)
        counters(v, t0 + timedelta(days=60), impressions=100, likes=10 if hour == 14 else 5)
    f = content_figures(team.actor("root"), t0, t0 + timedelta(days=60))
    best = f.best["x @acmecoffee"]
    assert [(c.weekday, c.hour, c.posts) for c in best] == [(0, 14, 3), (0, 9, 3)]
    assert best[0].median == pytest.approx(0.10)
    assert f.heatmap[(0, 20)].few


def test_the_link_between_workflow_and_result(team, posts):
    t0, *_ = posts
    f = content_figures(team.actor("root"), t0, t0 + timedelta(days=14))
    revisions = {g.name: (g.posts, g.median_rate) for g in f.link["revisions"]}
    assert revisions == {"approved first time": (2, 0.05), "changes requested": (1, 0.03)}
    cycle = [(g.name, g.posts) for g in f.link["approval cycle"]]
    # Cycle times 2 h, 2 h, 10 h: quartile edges 2, 2, 10.
    assert cycle == [
        ("fastest quarter (≤ 2.0 h)", 2),
        ("second quarter (≤ 2.0 h)", 0),
        ("third quarter (≤ 10.0 h)", 1),
        ("slowest quarter (> 10.0 h)", 0),
    ]
    assert {g.name: g.posts for g in f.link["tier"]} == {"routine": 3, "high stakes": 0}


def test_drill_down_pages_a_group(team, posts):
    t0, a, b, c = posts
    root = team.actor("root")
    end = t0 + timedelta(days=14)
    first = content_posts(root, t0, end, "channel", "instagram @acme", limit=1)
    assert [p.post_id for p in first] == [a[0]]
    last = first[-1]
    rest = content_posts(root, t0, end, "channel", "instagram @acme",
                         after=(last.engagements, last.variant_id))  # fmt: skip
    assert [p.post_id for p in rest] == [b[0]]
    assert [p.post_id for p in content_posts(root, t0, end)] == [a[0], b[0], c[0]]


def test_filters_and_brand_scope(team, posts):
    t0, *_ = posts
    end = t0 + timedelta(days=14)
    assert (
        content_figures(team.actor("root"), t0, end, WorkflowFilter(owner="ed2")).total.posts == 0
    )
    assert content_figures(team.actor("root"), t0, end,
                           WorkflowFilter(brand_id=team.other_brand)).total.posts == 0  # fmt: skip


def test_every_groups_posts_page_by_keyset_and_add_up(team, posts):
    """For each grouping and each of its groups, the posts behind it, a page of one at a time:
    as many as the group counts, their engagements adding up, none twice, most first."""
    t0, *_ = posts
    root = team.actor("root")
    end = t0 + timedelta(days=14)
    figures = content_figures(root, t0, end)
    for order in store.metrics.POST_ORDERS:
        for dimension, groups in figures.groups.items():
            for group in groups:
                lines, after = [], None
                while True:
                    page = content_posts(root, t0, end, dimension, group.name, after=after,
                                         limit=1, order=order)  # fmt: skip
                    if not page:
                        break
                    lines += page
                    after = store.metrics.post_key(page[-1], order)
                assert len(lines) == group.posts, (order, dimension, group.name)
                assert sum(line.engagements for line in lines) == group.engagements
                assert len({line.variant_id for line in lines}) == len(lines)
                keys = [store.metrics.post_key(line, order) for line in lines]
                assert keys == sorted(keys, reverse=True), order
    every = content_posts(root, t0, end, order="rate")
    assert [line.rate for line in every] == [0.05, 0.03, None]  # the unrated last
    newest = content_posts(root, t0, end, order="newest")
    assert [line.sent_at for line in newest] == sorted((x.sent_at for x in every), reverse=True)
    assert content_posts(root, t0, end, "campaign", "no such campaign") == []
