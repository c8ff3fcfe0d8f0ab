"""Benchmark: the inbox on the large demo (a million messages) — the store's reads the screen
makes (first page, next keyset page, a filter switch, a search, the counts, one thread), then the
app: pressing 4 to the first frame holding the rows, and moving the cursor to the thread shown.
Prints medians; run by hand, not by pytest."""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
from datetime import UTC, datetime

from bench_app import ensure_database, location

CHILD = r"""
import asyncio, json, sys, time
from textual import events
from tui.app import build_app

changes, frames = [], []

def stamped(method):
    def wrapper(*args, **kwargs):
        result = method(*args, **kwargs)
        changes.append(time.perf_counter())
        return result
    return wrapper

from tui.screens.inbox import InboxScreen
InboxScreen.on_page_loaded = stamped(InboxScreen.on_page_loaded)
InboxScreen.on_detail_loaded = stamped(InboxScreen.on_detail_loaded)

async def main():
    app = build_app(sys.argv[1], sys.argv[2], watch=False, prepare=False)
    async with app.run_test(size=(120, 40)) as pilot:
        display = app._display

        def timed_display(screen, renderable):
            display(screen, renderable)
            if renderable is not None and not app._batch_count:
                if hasattr(renderable, "render_segments"):
                    renderable.render_segments(app.console)
                frames.append(time.perf_counter())

        app._display = timed_display
        await asyncio.sleep(2.0)  # the calendar is up and the header counted

        async def measure(key, character, stamps=1):
            seen = len(changes)
            start = time.perf_counter()
            app.post_message(events.Key(key, character))
            while len(changes) < seen + stamps:
                await asyncio.sleep(0.0005)
            changed = changes[seen + stamps - 1]
            while not frames or frames[-1] < changed:
                await asyncio.sleep(0.0005)
            return next(t for t in frames if t >= changed) - start

        timings = {"open_inbox": await measure("4", "4", stamps=1)}
        await asyncio.sleep(0.5)
        timings["move_to_thread"] = []
        for _ in range(6):
            timings["move_to_thread"].append(await measure("j", "j"))
            await asyncio.sleep(0.2)
        timings["status_switch"] = []
        for _ in range(4):
            timings["status_switch"].append(await measure("s", "s"))
            await asyncio.sleep(0.3)
    print(json.dumps(timings))

asyncio.run(main())
"""


def median_ms(call, runs: int) -> tuple[float, float, float]:
    values = []
    for _ in range(runs):
        started = time.perf_counter()
        call()
        values.append((time.perf_counter() - started) * 1000)
    return statistics.median(values), min(values), max(values)


def store_figures(path, login: str, runs: int) -> list[tuple[str, tuple[float, float, float]]]:
    import store

    store.open_database(path)
    actor = store.actor_for(login)
    now = datetime.now(UTC)
    inbox = store.inbox
    F = inbox.InboxFilter
    first = inbox.inbox_page(actor, now, F())
    deep = inbox.inbox_page(actor, now, F(status="all"))
    for _ in range(20):  # twenty pages down
        deep = inbox.inbox_page(actor, now, F(status="all"), after=deep.after)
    head = first.rows[0].id
    brand = first.rows[0].brand_id
    channel = store.list_channels(actor, brand)[0].id
    figures = [
        ("first page, new (50 rows)", lambda: inbox.inbox_page(actor, now, F())),
        ("first page, all (50 rows)", lambda: inbox.inbox_page(actor, now, F(status="all"))),
        ("first page, closed", lambda: inbox.inbox_page(actor, now, F(status="closed"))),
        ("first page, mine", lambda: inbox.inbox_page(actor, now, F(who="mine"))),
        ("first page, DMs", lambda: inbox.inbox_page(actor, now, F(kind="dm"))),
        ("first page, one brand", lambda: inbox.inbox_page(actor, now, F(brand_id=brand))),
        ("first page, one channel", lambda: inbox.inbox_page(actor, now, F(channel_id=channel))),
        (
            "next page (after 20), all",
            lambda: inbox.inbox_page(actor, now, F(status="all"), after=deep.after),
        ),
        ("search 'canada', all", lambda: inbox.inbox_page(actor, now, F("all", search="canada"))),
        ("search 'order', new", lambda: inbox.inbox_page(actor, now, F(search="order"))),
        ("counts by status", lambda: inbox.inbox_counts(actor)),
        ("one thread (pane)", lambda: inbox.message_detail(actor, head, now)),
    ]
    out = [(label, median_ms(call, runs)) for label, call in figures]
    total = store.db.database.execute_sql("SELECT count(*) FROM inbox_message").fetchone()[0]
    store.close_database()
    print(f"inbox messages: {total:,}")
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    path = location()
    login = ensure_database(path)
    for label, (median, low, high) in store_figures(path, login, args.runs):
        print(f"{label:<30}median {median:7.2f} ms (min {low:.2f}, max {high:.2f})")
    opens, moves, switches = [], [], []
    for _ in range(3):
        out = subprocess.run(
            [sys.executable, "-c", CHILD, str(path), login],
            check=True,
            capture_output=True,
            text=True,
        )
        timings = json.loads(out.stdout.strip().splitlines()[-1])
        opens.append(timings["open_inbox"])
        moves.extend(timings["move_to_thread"])
        switches.extend(timings["status_switch"])
    for label, values in (
        ("app: 4 to the rows drawn", opens),
        ("app: j to its thread drawn", moves),
        ("app: s to the rows drawn", switches),
    ):
        values = [v * 1000 for v in values]
        print(
            f"{label:<30}median {statistics.median(values):7.1f} ms "
            f"(min {min(values):.1f}, max {max(values):.1f}, {len(values)} runs)"
        )


if __name__ == "__main__":
    main()
