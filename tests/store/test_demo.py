"""The demo team: deterministic for a seed, relative to today, and alive in every corner."""

from collections import Counter
from datetime import timedelta

import pytest

import store
from store.db import database
from store.demo import build_demo

from ..conftest import NOW


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    path = tmp_path_factory.mktemp("demo") / "demo.db"
    result = build_demo(path, size="small", seed=7, now=NOW, login="ines")
    store.open_database(path)
    yield result
    store.close_database()


def rows(sql):
    return database.execute_sql(sql).fetchall()


def test_the_summary_counts_what_was_built(demo):
    assert demo.counts["posts"] == 270
    assert demo.summary().startswith(f"built the small demo in {demo.path}")


def test_two_brands_and_at_least_eight_channels_on_six_platforms(demo):
    assert len(rows("SELECT id FROM brand")) == 2
    channels = rows("SELECT platform FROM channel")
    assert len(channels) >= 8
    assert len({platform for (platform,) in channels}) >= 6


def test_ten_users_or_more_in_every_role_with_the_runner_as_admin(demo):
    users = store.list_users(store.actor_for("ines"))
    assert len(users) >= 10
    assert {u.role for u in users} == set(store.Role)
    assert store.actor_for("ines").role is store.Role.ADMIN


def test_posts_span_three_months_around_today_in_every_stage(demo):
    ((first, last),) = rows("SELECT min(publish_at), max(publish_at) FROM post")
    assert first[:10] <= (NOW - timedelta(days=55)).strftime("%Y-%m-%d")
    assert last[:10] >= (NOW + timedelta(days=25)).strftime("%Y-%m-%d")
    stages = Counter(stage for (stage,) in rows("SELECT stage FROM post"))
    assert set(stages) == {s.value for s in store.Stage}
    assert stages["published"] > 100


def test_review_histories_are_believable(demo):
    sent_back_then_approved = rows(
        "SELECT DISTINCT a.post_id FROM review a JOIN review b ON a.post_id = b.post_id "
        "WHERE a.decision = 'changes_requested' AND b.decision = 'approved' AND b.revision > a.revision"
    )
    assert len(sent_back_then_approved) >= 10
    overdue = rows(
        f"SELECT id FROM post WHERE stage = 'in_review' AND review_due < '{NOW:%Y-%m-%d %H:%M:%S}'"
    )
    assert len(overdue) >= 2
    high_stakes_approved = rows(
        "SELECT p.id FROM post p WHERE p.tier = 'high_stakes' AND p.stage = 'published'"
    )
    for (post_id,) in high_stakes_approved:
        detail = store.post_detail(store.actor_for("ines"), post_id)
        assert detail.approval.satisfied
        assert detail.approval.has_senior


def test_a_failed_delivery_says_why(demo):
    failed = rows("SELECT last_error FROM variant WHERE state = 'failed'")
    assert failed and all(error for (error,) in failed)
    assert rows("SELECT id FROM post WHERE stage = 'failed'")


def test_inbox_and_metrics(demo):
    assert demo.counts["inbox messages"] >= 2000
    statuses = Counter(s for (s,) in rows("SELECT status FROM inbox_message WHERE head_id IS NULL"))
    assert set(statuses) == {"new", "pending", "closed"}
    # Through ingest: threads with follow-ups, comments linked to the posts they answer, the
    # rules' labels, overdue ones, DMs, and replies already sent.
    assert rows("SELECT id FROM inbox_message WHERE head_id IS NOT NULL")
    assert rows("SELECT id FROM inbox_message WHERE variant_id IS NOT NULL AND kind = 'comment'")
    labels = {label for (label,) in rows("SELECT DISTINCT label FROM inbox_label")}
    assert {"question", "order", "complaint"} <= labels
    overdue = rows(
        "SELECT id FROM inbox_message WHERE status = 'new' AND sla_due_at < "
        f"'{NOW:%Y-%m-%d %H:%M:%S}'"
    )
    assert overdue
    assert rows("SELECT id FROM inbox_message WHERE kind = 'dm' AND status = 'new'")
    assert rows("SELECT id FROM reply WHERE state = 'sent'")
    tally = dict(rows("SELECT status, sum(n) FROM inbox_tally GROUP BY status"))
    assert tally == dict(statuses)
    unmeasured = rows(
        "SELECT v.id FROM variant v LEFT JOIN metric_snapshot m ON m.variant_id = v.id "
        "WHERE v.state = 'sent' AND m.id IS NULL AND v.sent_at < "
        f"'{NOW - timedelta(hours=1):%Y-%m-%d %H:%M:%S}'"
    )
    assert unmeasured == []


def test_the_demo_obeys_the_platform_rules_it_was_submitted_under(demo):
    actor = store.actor_for("ines")
    submitted = rows("SELECT id FROM post WHERE stage IN ('approved', 'scheduled', 'published')")
    for (post_id,) in submitted[:60]:
        detail = store.post_detail(actor, post_id)
        for variant in detail.variants:
            report = store.check_caption(
                variant.platform, variant.caption_override or detail.caption, detail.media
            )
            assert not report.errors, (post_id, report)


def test_the_audit_chain_of_the_demo_holds(demo):
    assert store.verify_database().ok


def test_notes_are_on_the_calendar(demo):
    notes = store.notes_between(
        store.actor_for("ines"), NOW.date() - timedelta(days=30), NOW.date() + timedelta(days=30)
    )
    assert len(notes) >= 5
    assert "Winter Blend launch" in [n.title for n in notes]


def test_same_seed_same_team(tmp_path, demo):
    def fingerprint(path):
        store.close_database()
        store.open_database(path)
        return rows(
            "SELECT title, stage, tier, publish_at, caption, owner_id FROM post ORDER BY id"
        ) + rows(
            "SELECT kind, author_handle, body, received_at, status FROM inbox_message ORDER BY id"
        )

    again = build_demo(tmp_path / "again.db", seed=7, now=NOW, login="ines")
    other = build_demo(tmp_path / "other.db", seed=8, now=NOW, login="ines")
    assert fingerprint(demo.path) == fingerprint(again.path)
    assert fingerprint(demo.path) != fingerprint(other.path)
    store.close_database()
    store.open_database(demo.path)


def test_an_existing_file_is_never_overwritten(tmp_path):
    target = tmp_path / "mine.db"
    target.write_text("precious")
    with pytest.raises(store.ValidationError, match="exists"):
        build_demo(target, now=NOW, login="ines")
    assert target.read_text() == "precious"
