"""Workflow figures from a tiny team's known history, each checked exactly: creation time,
approval cycle, review rounds, time in stage and the bottleneck, review on time, revision rate,
rounds per post, publish on time, failed deliveries, first response and SLA, cadence."""

from datetime import timedelta

import pytest

import store
from store.db import database
from store.db.fields import UTCDateTimeField
from store.inbox import Incoming
from store.metrics import Share, Spread, WorkflowFilter, workflow_figures

H = timedelta(hours=1)


def stamp(moment):
    return UTCDateTimeField().db_value(moment)


@pytest.fixture
def history(team):
    """Two posts by ed, reviewed by rev, with known times (t0 is Monday 23 Nov 10:00 UTC):

    post A: draft t0 → submitted +2h → changes requested +6h → resubmitted +7h → approved +9h
    post B: draft t0 → submitted +4h → approved +54h (50 h in review: past the 48 h window)
    """
    t0 = team.now
    ed, rev = team.actor("ed"), team.actor("rev")
    a = store.create_post(ed, team.brand, "A", t0, caption="A", channel_ids=[team.instagram])
    store.move(ed, a.id, "in_review", t0 + 2 * H)
    store.request_changes(rev, a.id, "Shorter, please", t0 + 6 * H)
    store.move(ed, a.id, "in_review", t0 + 7 * H)
    store.approve(rev, a.id, t0 + 9 * H)
    b = store.create_post(ed, team.brand, "B", t0, caption="B", channel_ids=[team.instagram])
    store.move(ed, b.id, "in_review", t0 + 4 * H)
    store.approve(rev, b.id, t0 + 54 * H)
    return t0, a.id, b.id


def figures(team, t0, **where):
    return workflow_figures(
        team.actor("root"), t0 - timedelta(days=1), t0 + timedelta(days=7), WorkflowFilter(**where)
    )


def test_creation_cycle_rounds_and_the_bottleneck(team, history):
    t0, _, _ = history
    f = figures(team, t0)
    assert f.creation == Spread(2, 3.0, 4.0)  # 2 h and 4 h
    assert f.approval_cycle == Spread(2, 28.5, 50.0)  # 7 h and 50 h
    assert f.review_round == Spread(3, 4.0, 50.0)  # 4 h, 2 h, 50 h
    assert f.stage_time["draft"] == Spread(2, 3.0, 4.0)
    assert f.stage_time["in_review"] == Spread(3, 4.0, 50.0)
    assert f.stage_time["changes_requested"] == Spread(1, 1.0, 1.0)
    assert f.stage_time["approved"] == Spread(0, None, None)  # nothing left approved yet
    assert f.bottleneck == "in_review"
    assert f.review_on_time == Share(2, 3)  # B's 50 h round was past its 48 h window
    assert f.revision_rate == Share(1, 2)
    assert f.rounds_per_post == Spread(2, 1.5, 2.0)


def test_a_period_counts_only_what_ended_in_it(team, history):
    t0, _, _ = history
    # Ending before B's approval (t0 + 54 h): A's approval is in, B's is not.
    f = workflow_figures(team.actor("root"), t0 - timedelta(days=1), t0 + 30 * H)
    assert f.approval_cycle == Spread(1, 7.0, 7.0)
    assert f.revision_rate == Share(1, 1)
    assert f.review_round == Spread(2, 3.0, 4.0)
    # The next period holds B's approval and nothing of A's.
    g = workflow_figures(team.actor("root"), t0 + 30 * H, t0 + timedelta(days=7))
    assert g.approval_cycle == Spread(1, 50.0, 50.0) and g.creation == Spread(0, None, None)


def test_filters_by_owner_tier_and_brand(team, history):
    t0, _, _ = history
    assert figures(team, t0, owner="ed2").approval_cycle.count == 0
    assert figures(team, t0, owner="ed").approval_cycle.count == 2
    assert figures(team, t0, tier="high_stakes").approval_cycle.count == 0
    assert figures(team, t0, brand_id=team.other_brand).approval_cycle.count == 0


def test_publish_on_time_failures_and_cadence(team, history):
    t0, a, b = history
    planned = t0 + timedelta(days=3)
    database.execute_sql(
        "UPDATE post SET publish_at = ? WHERE id IN (?, ?)", (stamp(planned), a, b)
    )
    database.execute_sql(
        "UPDATE variant SET state = 'sent', sent_at = ? WHERE post_id = ?",
        (stamp(planned + timedelta(minutes=2)), a),
    )
    database.execute_sql(
        "UPDATE variant SET state = 'sent', sent_at = ? WHERE post_id = ?",
        (stamp(planned + timedelta(minutes=10)), b),
    )
    f = figures(team, t0)
    assert f.publish_on_time == Share(1, 2)
    assert (f.failed, f.unconfirmed) == (0, 0)
    (instagram,) = [c for c in f.cadence if c.channel == "instagram @acme"]
    # Planned 3 a week; the 8-day period holds one full week, with 2 published in it.
    assert (instagram.planned_per_week, instagram.published, instagram.weeks) == (3, 2, 1)
    assert instagram.weeks_missed == 1
    database.execute_sql("UPDATE variant SET state = 'failed' WHERE post_id = ?", (b,))
    f = figures(team, t0)
    assert f.failed == 1 and f.publish_on_time == Share(1, 1)


def test_first_response_and_the_share_inside_the_sla(team):
    t0 = team.now  # Monday 10:00 UTC; the brand answers within 4 business hours
    store.inbox.ingest(
        "root",
        team.instagram,
        [
            Incoming("m1", "comment", "@a", "Hi?", t0),
            Incoming("m2", "comment", "@b", "Hello?", t0 + timedelta(minutes=30)),
            Incoming("m3", "comment", "@c", "Anyone?", t0 + 2 * H),  # never answered
        ],
        t0,
    )
    ids = dict(database.execute_sql("SELECT remote_id, id FROM inbox_message").fetchall())
    store.inbox.queue_reply(team.actor("ed"), ids["m1"], "Hi!", t0 + H)  # 1 h: inside
    store.inbox.queue_reply(team.actor("ed"), ids["m2"], "Hello!", t0 + 6 * H)  # 5.5 h: late
    store.inbox.queue_reply(team.actor("ed2"), ids["m1"], "And again", t0 + 7 * H)  # not first
    f = figures(team, t0)
    assert f.first_response == Spread(2, 3.25, 5.5)
    assert f.inside_sla == Share(1, 2)
    # One person's: the messages they answered first (ed2's later answer to m1 is not one).
    root, start, end = team.actor("root"), t0 - timedelta(days=1), t0 + timedelta(days=1)
    ed = workflow_figures(root, start, end, WorkflowFilter(owner="ed"))
    assert (ed.first_response, ed.inside_sla) == (Spread(2, 3.25, 5.5), Share(1, 2))
    ed2 = workflow_figures(root, start, end, WorkflowFilter(owner="ed2"))
    assert (ed2.first_response, ed2.inside_sla) == (Spread(0, None, None), Share(0, 0))
    # Messages have no tier: a tier's figures count none of them, not the team's.
    tier = workflow_figures(root, start, end, WorkflowFilter(tier="high_stakes"))
    assert (tier.first_response.count, tier.inside_sla.total) == (0, 0)


def test_clients_do_not_see_metrics(team):
    with pytest.raises(store.PermissionDenied):
        workflow_figures(team.actor("cli"), team.now - timedelta(days=1), team.now)


def test_a_review_date_earlier_than_the_round_does_not_make_it_late(team, history):
    t0, _, b = history
    # B's latest round began at t0 + 4 h; a review date before that cannot have bound it.
    database.execute_sql("UPDATE post SET review_due = ? WHERE id = ?", (stamp(t0), b))
    assert figures(team, t0).review_on_time == Share(2, 3)  # still late by the 48 h window
    database.execute_sql("UPDATE post SET review_due = ? WHERE id = ?", (stamp(t0 + 60 * H), b))
    assert figures(team, t0).review_on_time == Share(3, 3)  # a later date set for it: on time


def test_cadence_counts_whole_weeks_across_a_clock_change_and_is_a_channels(team):
    """Four weeks of local days that lose an hour to summer time are still four weeks; a
    person's or a tier's figures have no cadence (a channel's plan is the team's)."""
    root = team.actor("root")
    period = store.metrics.parse_period("2026-03-02..2026-03-29", team.now, "Europe/Berlin")
    assert period.end - period.start == timedelta(days=28) - timedelta(hours=1)
    (instagram,) = [
        c
        for c in workflow_figures(root, period.start, period.end).cadence
        if c.channel == "instagram @acme"
    ]
    assert (instagram.weeks, instagram.weeks_missed) == (4, 4)
    owner = workflow_figures(root, period.start, period.end, WorkflowFilter(owner="ed"))
    assert owner.cadence == ()
