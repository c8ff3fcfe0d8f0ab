"""The claim and lease on PostgreSQL (FOR UPDATE SKIP LOCKED), on the real server the suite starts."""

from __future__ import annotations

import subprocess
import sys
from collections import Counter
from datetime import UTC, datetime, timedelta

import pytest

import store
from store.db.models import Variant
from store.publishing import deliveries

from ..store.test_postgres import postgres_url  # noqa: F401  (the fixture)
from .posts import scheduled


def _team(now):
    store.init_database("root", now, "UTC")
    root = store.actor_for("root")
    brand = store.create_brand(root, "Acme", now)
    channel = store.add_channel(root, brand.id, "instagram", "@acme", now)
    store.add_user(root, "rev", "reviewer", now, force=True)
    return root, brand, channel


def _due(root, brand, channel, count, now):
    rev = store.actor_for("rev")
    for n in range(count):
        scheduled(root, rev, brand.id, f"P{n}", "Hi", [channel.id], now - timedelta(minutes=2), now - timedelta(seconds=30))  # fmt: skip


@pytest.mark.postgres
def test_claims_and_leases_on_postgres(postgres_url):  # noqa: F811
    store.open_database(postgres_url)
    now = datetime.now(UTC).replace(microsecond=0)
    root, brand, channel = _team(now)
    _due(root, brand, channel, 3, now)
    a = deliveries.claim(root, "a", now, limit=2, lease=timedelta(seconds=30))
    b = deliveries.claim(root, "b", now, limit=2)
    assert len(a) == 2 and len(b) == 1 and not {c.id for c in a} & {c.id for c in b}
    assert deliveries.claim(root, "c", now) == []
    later = deliveries.claim(root, "c", now + timedelta(seconds=31), limit=5)
    assert sorted(c.id for c in later) == sorted(c.id for c in a)
    assert {c.attempt for c in later} == {2}


@pytest.mark.postgres
def test_three_schedulers_on_postgres_claim_each_delivery_once(postgres_url):  # noqa: F811
    store.open_database(postgres_url)
    now = datetime.now(UTC).replace(microsecond=0)
    root, brand, channel = _team(now)
    _due(root, brand, channel, 60, now)
    store.close_database()
    runs = [
        subprocess.Popen(
            [sys.executable, "-m", "tui.cli", "publish", "--due", "--db", postgres_url],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(3)
    ]
    results = [r.communicate(timeout=120) for r in runs]
    assert [r.returncode for r in runs] == [0, 0, 0], results
    store.open_database(postgres_url)
    rows = list(Variant.select())
    assert Counter(r.state for r in rows) == {"manual": 60}
    assert {r.attempts for r in rows} == {1}
