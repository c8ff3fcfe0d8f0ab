"""Counters back from Mastodon (mastodon-mock on 127.0.0.1): a fan favourites and boosts a
published post; a refresh keeps a snapshot with those counts, shown on the post and in the
channel's total; Mastodon's missing impressions are not zeros; the schedule decays."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import httpx

import store
from store.db.models import MetricSnapshot

from .posts import deliveries_of, due_post
from .servers import OTHER_TOKEN

metrics = store.metrics


def fan(mastodon, status_id: str, what: str) -> None:
    httpx.post(
        f"{mastodon.url}/api/v1/statuses/{status_id}/{what}",
        headers={"Authorization": f"Bearer {OTHER_TOKEN}"},
        timeout=10,
    ).raise_for_status()


def test_favourites_and_boosts_come_back_on_the_post_and_the_channel(team, clock, toots, mastodon):
    pid = due_post(team, clock, [toots.id])
    root = team.actor("root")
    report = store.publish_due(root, clock=clock, timeout=5)
    assert report.states == {"sent": 1}
    assert report.counters.read == 1  # read once as it went out: all zero
    (delivery,) = deliveries_of(team, pid)
    status_id = delivery.remote_url.rsplit("/", 1)[-1]
    fan(mastodon, status_id, "favourite")
    fan(mastodon, status_id, "reblog")
    # Within the hour the scheduler does not read again …
    assert store.publish_due(root, clock=clock, timeout=5).counters.read == 0
    # … a refresh of the post does.
    assert metrics.refresh(root, clock(), post_id=pid).read == 1
    (counts,) = metrics.latest_counters(root, pid)
    assert (counts.values["likes"], counts.values["shares"], counts.values["comments"]) == (1, 1, 0)
    assert counts.values["impressions"] is None and counts.values["reach"] is None
    assert counts.engagements == 2
    totals = metrics.channel_totals(root)
    assert dict(totals[f"mastodon {toots.handle}"]) == {
        "likes": 1,
        "shares": 1,
        "comments": 0,
        "posts": 1,
    }
    assert MetricSnapshot.select().count() == 2
    # An hour on, the scheduler reads it again by itself.
    clock.jump(hours=1, minutes=1)
    assert store.publish_due(root, clock=clock, timeout=5).counters.read == 1


def test_a_server_that_fails_is_named_and_nothing_is_kept(team, clock, toots, mastodon):
    pid = due_post(team, clock, [toots.id])
    root = team.actor("root")
    store.publish_due(root, clock=clock, timeout=5, counters=False)
    mastodon.fault(
        {"type": "status", "status": 503}, count=None, path="/api/v1/statuses/*", methods=("GET",)
    )
    report = metrics.refresh(root, clock(), post_id=pid, timeout=2)
    assert report.read == 0 and "503" in report.failed[f"mastodon {toots.handle}"]
    assert MetricSnapshot.select().count() == 0


def test_the_schedule_is_hourly_for_two_days_daily_to_thirty_then_never():
    sent = datetime(2026, 11, 1, 9, 0, tzinfo=UTC)
    h, d = timedelta(hours=1), timedelta(days=1)
    assert metrics.next_read(sent, None, sent + h) == sent
    assert metrics.next_read(sent, sent + 5 * h, sent + 6 * h) == sent + 6 * h
    assert metrics.next_read(sent, sent + 3 * d, sent + 3 * d + h) == sent + 4 * d
    assert metrics.next_read(sent, sent + 29 * d, sent + 31 * d) is None


def test_each_channel_keeps_its_own_schedule(team, clock, toots, mastodon):
    import pytest

    from store.db.models import AuditEvent

    root = team.actor("root")
    assert metrics.counter_schedule(toots.id) == (2, 30)  # the default
    assert metrics.set_counter_schedule(root, toots.id, 0, 0, clock()) == (0, 0)
    pid = due_post(team, clock, [toots.id])
    report = store.publish_due(root, clock=clock, timeout=5)
    assert report.states == {"sent": 1} and report.counters.read == 0  # 0 and 0: never read
    assert MetricSnapshot.select().count() == 0
    metrics.set_counter_schedule(root, toots.id, 0, 3, clock())  # daily only, to day 3
    clock.jump(minutes=1)
    assert store.publish_due(root, clock=clock, timeout=5).counters.read == 1
    clock.jump(hours=2)
    assert store.publish_due(root, clock=clock, timeout=5).counters.read == 0  # a day apart
    clock.jump(days=1)
    assert store.publish_due(root, clock=clock, timeout=5).counters.read == 1
    clock.jump(days=3)
    assert store.publish_due(root, clock=clock, timeout=5).counters.read == 0  # past day 3
    assert metrics.refresh(root, clock(), post_id=pid).read == 0
    changes = [
        e.detail for e in AuditEvent.select().where(AuditEvent.action == "channel.counters_every")
    ]
    assert [json.loads(c)["to"] for c in changes] == [[0, 0], [0, 3]]
    with pytest.raises(store.PermissionDenied):
        metrics.set_counter_schedule(team.actor("ed"), toots.id, 1, 5, clock())
    with pytest.raises(store.ValidationError, match="end after the hourly ones"):
        metrics.set_counter_schedule(root, toots.id, 5, 3, clock())
    assert metrics.counter_schedule(toots.id) == (0, 3)


def test_a_schedule_is_hourly_then_daily_as_long_as_asked():
    sent = datetime(2026, 11, 1, 9, 0, tzinfo=UTC)
    h, d = timedelta(hours=1), timedelta(days=1)
    steps = metrics.counters.schedule(1, 7)
    assert steps == ((d, h), (7 * d, d))
    assert metrics.next_read(sent, sent + 20 * h, sent + 21 * h, steps) == sent + 21 * h
    assert metrics.next_read(sent, sent + 2 * d, sent + 2 * d + h, steps) == sent + 3 * d
    assert metrics.next_read(sent, sent + 6 * d, sent + 8 * d, steps) is None
    assert metrics.counters.schedule(3, 0) == ((3 * d, h),)  # hourly, then no more
    assert metrics.counters.schedule(0, 0) == ()
