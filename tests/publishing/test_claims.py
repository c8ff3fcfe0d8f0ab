"""Claims: one atomic statement on the due_at index, leases that a crashed scheduler's successor
takes over (never doubles), and real scheduler processes racing on one file."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from collections import Counter
from datetime import UTC, datetime, timedelta

import pytest

import store
from store.db import database
from store.db.models import AuditEvent, Variant
from store.domain import DeliveryState as D
from store.publishing import deliveries
from store.publishing.deliveries import Outcome

from .posts import deliveries_of, due_post, scheduled


def test_the_claim_walks_the_due_at_index(team):
    plan = database.execute_sql(
        "EXPLAIN QUERY PLAN " + deliveries.claim_query(), ("2026-11-23 10:00:00", 1)
    ).fetchall()
    words = " ".join(row[-1] for row in plan)
    assert "USING INDEX variant_due_at" in words, words
    assert "SCAN variant" not in words.replace("USING INDEX", ""), words


def test_a_lease_that_ran_out_is_taken_over_and_the_late_answer_is_ignored(
    team, clock, credentials
):
    pid = due_post(team, clock, [team.instagram])
    root = team.actor("root")
    (first,) = deliveries.claim(root, "a", clock(), lease=timedelta(seconds=30))
    assert deliveries.claim(root, "b", clock()) == []  # held
    clock.jump(seconds=31)
    (second,) = deliveries.claim(root, "b", clock())
    assert (second.id, second.attempt) == (first.id, 2)
    # The first scheduler comes back with a retry: it no longer holds the lease, so it is ignored.
    assert deliveries.finish(root, first, "a", Outcome(D.RETRYING, "late"), clock()) is D.SENDING
    assert deliveries.finish(root, second, "b", Outcome(D.MANUAL), clock()) is D.MANUAL
    assert deliveries_of(team, pid)[0].state is D.MANUAL


def test_a_success_is_kept_even_from_a_scheduler_that_lost_its_lease(team, clock, credentials):
    due_post(team, clock, [team.instagram])
    root = team.actor("root")
    (first,) = deliveries.claim(root, "a", clock(), lease=timedelta(seconds=5))
    clock.jump(seconds=6)
    deliveries.claim(root, "b", clock())
    sent = Outcome(D.SENT, remote_id="1", remote_url="https://x.example/1")
    assert deliveries.finish(root, first, "a", sent, clock()) is D.SENT


def test_moves_outside_the_state_table_are_refused():
    with pytest.raises(store.InvalidTransition, match="from sent to sending"):
        deliveries.check_move(D.SENT, D.SENDING)
    with pytest.raises(store.InvalidTransition):
        deliveries.check_move(D.PENDING, D.SENT)


def test_every_state_change_is_an_audit_event_by_the_scheduler_account(team, clock, credentials):
    pid = due_post(team, clock, [team.instagram])
    store.publish_due(team.actor("mgr"), clock=clock)
    (delivery,) = deliveries_of(team, pid)
    events = list(
        AuditEvent.select()
        .where((AuditEvent.entity == "delivery") & (AuditEvent.entity_id == delivery.delivery_id))
        .order_by(AuditEvent.id)
    )
    assert [(e.actor, e.action) for e in events] == [
        ("mgr", "delivery.sending"),
        ("mgr", "delivery.manual"),
    ]


def test_a_reviewer_cannot_run_the_scheduler(team):
    with pytest.raises(store.PermissionDenied, match="may not publish posts"):
        store.publish_due(team.actor("rev"))


def real_due_posts(team, channel_id: int, count: int) -> list[int]:
    """`count` posts due now by the real clock (the CLI's), each with its own caption."""
    now = datetime.now(UTC).replace(microsecond=0)
    at = now - timedelta(minutes=2)
    ed, rev = team.actor("ed"), team.actor("rev")
    return [
        scheduled(
            ed,
            rev,
            team.brand,
            f"Post {n}",
            f"Post number {n} of the run",
            [channel_id],
            at,
            now - timedelta(seconds=30),
        )
        for n in range(count)
    ]


def postroom(*args: str) -> list[str]:
    return [sys.executable, "-m", "tui.cli", *args]


def test_four_schedulers_at_once_send_200_posts_exactly_once(team, toots, mastodon):
    real_due_posts(team, toots.id, 200)
    store.close_database()
    runs = [
        subprocess.Popen(
            postroom("publish", "--due", "--db", team.path, "--timeout", "10"),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(4)
    ]
    results = [r.communicate(timeout=300) for r in runs]
    assert [r.returncode for r in runs] == [0, 0, 0, 0], results
    store.open_database(team.path)
    statuses = mastodon.statuses()
    assert len(statuses) == 200
    assert len({s["content"] for s in statuses}) == 200
    rows = list(Variant.select().where(Variant.channel == toots.id))
    assert Counter(r.state for r in rows) == {"sent": 200}
    assert {r.attempts for r in rows} == {1}  # no delivery claimed twice
    claims = Counter(
        e.entity_id for e in AuditEvent.select().where(AuditEvent.action == "delivery.sending")
    )
    assert set(claims.values()) == {1} and len(claims) == 200
    # The work was shared out.
    assert sum(1 for out, _ in results if not out.startswith("nothing")) >= 2


def test_kill_9_twenty_times_during_a_run_leaves_no_duplicate(team, toots, mastodon):
    real_due_posts(team, toots.id, 100)
    store.close_database()
    rng = random.Random(7)
    command = postroom(
        "scheduler", "--db", team.path, "--lease", "2", "--timeout", "2", "--interval", "0.2"
    )
    for _ in range(20):
        process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(rng.uniform(0.6, 1.4))
        os.kill(process.pid, signal.SIGKILL)
        process.wait()
    time.sleep(2.5)  # every lease runs out
    final = subprocess.run(
        postroom("publish", "--due", "--db", team.path, "--lease", "60"),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert final.returncode in (0, 1) and final.stderr.count("\n") <= 1, final.stderr
    store.open_database(team.path)
    statuses = mastodon.statuses()
    contents = Counter(s["content"] for s in statuses)
    assert all(n == 1 for n in contents.values()), [c for c, n in contents.items() if n > 1]
    rows = list(Variant.select().where(Variant.channel == toots.id))
    states = Counter(r.state for r in rows)
    assert set(states) <= {"sent", "unconfirmed"}, states
    assert all(r.last_error for r in rows if r.state == "unconfirmed")
    on_server = {s["id"] for s in statuses}
    assert {r.remote_id for r in rows if r.state == "sent"} <= on_server
    assert len(statuses) <= 100 and states["sent"] >= 90


def test_sigterm_stops_the_scheduler_with_exit_0(team, credentials):
    store.close_database()
    process = subprocess.Popen(
        postroom("scheduler", "--db", team.path, "--interval", "0.5"),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    time.sleep(2)
    process.send_signal(signal.SIGTERM)
    out, err = process.communicate(timeout=15)
    assert process.returncode == 0, err
    assert out.splitlines()[-1] == "Scheduler stopped"
