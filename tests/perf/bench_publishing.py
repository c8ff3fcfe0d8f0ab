"""Publishing figures on the large demo: one pass sending 500 due deliveries to a local Mastodon
server (mastodon-mock on 127.0.0.1), deliveries per second; and the scheduler's own overhead per
pass with nothing due, with the claim's query plan.

Run by hand: .venv/bin/python tests/perf/bench_publishing.py
"""

from __future__ import annotations

import shutil
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tests.perf.bench_app import _reference_seconds, ensure_database, location
from tests.publishing.servers import TOKEN, start_mastodon, stop


def main() -> None:
    import os

    import store
    from store.db import database
    from store.publishing import deliveries

    admin = ensure_database(location())
    work = Path(tempfile.mkdtemp(prefix="postroom-bench-publish-"))
    try:
        copy = work / "large.db"
        shutil.copyfile(location(), copy)
        os.environ["POSTROOM_CREDENTIALS"] = str(work / "credentials.toml")
        server = start_mastodon(work / "mastodon")
        try:
            store.open_database(copy)
            root = store.actor_for(admin)
            now = datetime.now(UTC).replace(microsecond=0)
            brand = store.list_brands(root)[0]
            channel = store.add_channel(root, brand.id, "mastodon", "@bench@toot.test", now)
            store.connect_channel(
                root, channel.id, "mastodon", {"server": server.url, "token": TOKEN}, now
            )
            reviewer = next(
                u.login for u in store.list_users(root) if u.role is store.Role.REVIEWER
            )
            at = now - timedelta(minutes=2)
            made = time.perf_counter()
            for n in range(500):
                post = store.create_post(
                    root,
                    brand.id,
                    f"Bench {n}",
                    at,
                    caption=f"Bench post {n}",
                    channel_ids=[channel.id],
                    publish_at=now - timedelta(seconds=30),
                )
                store.move(root, post.id, "in_review", at)
                store.approve(store.actor_for(reviewer), post.id, at)
                store.move(root, post.id, "scheduled", at)
            print(f"500 due posts made in {time.perf_counter() - made:.1f} s")
            plan = database.execute_sql(
                "EXPLAIN QUERY PLAN " + deliveries.claim_query(), (deliveries._stamp(now), 1)
            ).fetchall()
            print("claim plan:", " ".join(row[-1] for row in plan))
            report = store.publish_due(root, timeout=30)
            print(
                f"pass: {report.words()} in {report.seconds:.2f} s = "
                f"{report.handled / report.seconds:.0f} deliveries/s"
            )
            idle = []
            for _ in range(30):
                started = time.perf_counter()
                store.publish_due(root)
                idle.append((time.perf_counter() - started) * 1000)
            print(
                f"pass with nothing due: median {statistics.median(idle):.1f} ms, "
                f"max {max(idle):.1f} ms (target < 20 ms)"
            )
            warn = []
            for _ in range(30):
                started = time.perf_counter()
                store.scheduler_warning(datetime.now(UTC))
                warn.append((time.perf_counter() - started) * 1000)
            print(f"header's scheduler check: median {statistics.median(warn):.2f} ms")
            print(f"yardstick {_reference_seconds():.2f} s")
        finally:
            store.close_database()
            stop(server.process)
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
