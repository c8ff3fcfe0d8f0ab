"""Benchmark: the app on the large demo database — cold start to first calendar paint, month switch,
moving the selected day, opening the editor and the other screens. Prints medians; run by hand,
not by pytest."""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

CHILD = r"""
import asyncio, json, sys, time
spawned = float(sys.argv[2])
from textual import events
from tui.app import build_app
from tui.screens.calendar import CalendarScreen
from tui.widgets.month_grid import MonthGrid

# Time to a frame, not to Pilot's idea of idle: Pilot waits until the whole process (worker
# threads too) looks idle by CPU time, which inflates every figure. Here each key is posted
# directly; the app stamps the moment the new data is in place, and the clock stops at the first
# frame displayed after that stamp.
changes, frames = [], []

def stamped(method):
    def wrapper(*args, **kwargs):
        result = method(*args, **kwargs)
        changes.append(time.perf_counter())
        return result
    return wrapper

CalendarScreen._apply = stamped(CalendarScreen._apply)
MonthGrid.select = stamped(MonthGrid.select)

# Opened again, a screen shows what it holds at once (it was kept current while hidden): the
# data is in place when the screen resumes.
def shown_with_data(self):
    if getattr(self, "counts", None) or getattr(self, "entries", None):
        changes.append(time.perf_counter())

def stamp_other_screens():
    # Imported after the first paint, as the app does (it imports each when it builds it).
    from tui.screens.board import BoardScreen
    from tui.screens.approvals import ApprovalsScreen
    from tui.screens.editor import PostEditor

    PostEditor.fill = stamped(PostEditor.fill)  # the editor holds the post's fields and options
    BoardScreen.on_board_loaded = stamped(BoardScreen.on_board_loaded)
    ApprovalsScreen.on_queue_loaded = stamped(ApprovalsScreen.on_queue_loaded)
    BoardScreen.on_screen_resume = shown_with_data
    ApprovalsScreen.on_screen_resume = shown_with_data

async def main():
    prepare = sys.argv[4] == "prepare"
    app = build_app(sys.argv[1], sys.argv[3], watch=False, prepare=prepare)
    async with app.run_test(size=(120, 40)) as pilot:
        display = app._display

        def timed_display(screen, renderable):
            display(screen, renderable)
            if renderable is not None and not app._batch_count:
                # Headless skips the terminal; produce the bytes anyway so their cost counts.
                if hasattr(renderable, "render_segments"):
                    renderable.render_segments(app.console)
                frames.append(time.perf_counter())

        app._display = timed_display

        async def frame_after(seen):
            while len(changes) <= seen:
                await asyncio.sleep(0.0005)
            changed = changes[seen]
            while not frames or frames[-1] < changed:
                await asyncio.sleep(0.0005)
            return next(t for t in frames if t >= changed)

        painted = await frame_after(0)
        timings = {"first_paint": time.time() - (time.perf_counter() - painted) - spawned}
        stamp_other_screens()
        await asyncio.sleep(0.3)  # let the neighbouring months load, as a person reading would

        async def measure(key, character):
            seen = len(changes)
            start = time.perf_counter()
            app.post_message(events.Key(key, character))
            return await frame_after(seen) - start

        timings["month_switch"] = []
        for _ in range(6):
            timings["month_switch"].append(await measure("right_square_bracket", "]"))
            await asyncio.sleep(0.3)
        timings["move_selection"] = []
        for _ in range(6):
            timings["move_selection"].append(await measure("l", "l"))
            await asyncio.sleep(0.1)
        if prepare:
            await asyncio.sleep(2.5)  # a pause in typing: the app builds the editor, the screens
        timings["open_editor"] = []
        for _ in range(3):
            timings["open_editor"].append(await measure("n", "n"))
            await pilot.press("escape")
            await asyncio.sleep(0.2)
        timings["open_board"], timings["open_queue"] = [], []
        for _ in range(3):  # opened again, a screen shows what it holds (kept live)
            timings["open_board"].append(await measure("2", "2"))
            await asyncio.sleep(0.3)
            timings["open_queue"].append(await measure("3", "3"))
            await asyncio.sleep(0.3)
            app.post_message(events.Key("1", "1"))
            await asyncio.sleep(0.3)
    print(json.dumps(timings))

asyncio.run(main())
"""


def location() -> Path:
    return Path(os.environ.get("POSTROOM_BENCH_DB", Path.home() / ".cache/postroom-bench/large.db"))


def ensure_database(path: Path) -> str:
    """Build the large demo once (again when the schema moved on) and remember who its admin is."""
    if path.exists() and _schema_of(path) != _latest_schema():
        print(f"{path} has an older schema; rebuilding it", flush=True)
        path.unlink()
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        print(f"building the large demo at {path} (a minute or two) …", flush=True)
        started = time.perf_counter()
        subprocess.run(
            [sys.executable, "-m", "tui.cli", "demo", "--size", "large", "--db", str(path)],
            check=True,
        )
        print(f"built in {time.perf_counter() - started:.1f} s", flush=True)
    import store

    store.open_database(path)
    admin = store.admin_logins()[0]
    store.close_database()
    return admin


def _reference_seconds() -> float:
    """A fixed CPU-bound loop, best of three: shared machines vary, and figures need a yardstick."""
    best = float("inf")
    for _ in range(3):
        started = time.perf_counter()
        sum(i * i for i in range(10_000_000))
        best = min(best, time.perf_counter() - started)
    return best


def _schema_of(path: Path) -> int:
    import apsw

    connection = apsw.Connection(str(path), flags=apsw.SQLITE_OPEN_READONLY)
    try:
        return connection.execute("PRAGMA user_version").fetchone()[0]
    finally:
        connection.close()


def _latest_schema() -> int:
    from store.db.migrations import latest_version

    return latest_version()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    path = location()
    login = ensure_database(path)
    size_mb = path.stat().st_size / 1e6
    first, switches, moves, editors, boards, queues = ([] for _ in range(6))
    cold_editors, cold_boards, cold_queues = [], [], []
    # An installed app starts from compiled bytecode (pip compiles site-packages; Python caches
    # the rest on first import), so let the children write it and throw the first run away.
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}

    def child(mode: str) -> dict:
        out = subprocess.run(
            [sys.executable, "-c", CHILD, str(path), repr(time.time()), login, mode],
            check=True,
            capture_output=True,
            text=True,
            env=env,
        )
        return json.loads(out.stdout.strip().splitlines()[-1])

    child("prepare")
    for _ in range(args.runs):
        timings = child("prepare")
        first.append(timings["first_paint"])
        switches.extend(timings["month_switch"])
        moves.extend(timings["move_selection"])
        editors.extend(timings["open_editor"])
        boards.extend(timings["open_board"])
        queues.extend(timings["open_queue"])
        # Pressed before the app had a pause to build them, the screens are built on demand.
        timings = child("on-demand")
        cold_editors.append(timings["open_editor"][0])
        cold_boards.append(timings["open_board"][0])
        cold_queues.append(timings["open_queue"][0])
    print(f"database: {path} ({size_mb:.0f} MB)")
    print(
        f"machine reference (10M squares summed in pure Python; lower is faster): "
        f"{_reference_seconds():.2f} s"
    )
    print(
        f"cold start to first calendar paint: median {statistics.median(first) * 1000:.0f} ms "
        f"(min {min(first) * 1000:.0f}, max {max(first) * 1000:.0f}, {len(first)} runs)"
    )
    print(
        f"month switch:                       median {statistics.median(switches) * 1000:.1f} ms "
        f"(min {min(switches) * 1000:.1f}, max {max(switches) * 1000:.1f}, {len(switches)} runs)"
    )
    for label, values in (
        ("move the selection (l):", moves),
        ("open the editor:", editors),
        ("open the board (2):", boards),
        ("open the approval queue (3):", queues),
        ("  editor built on demand (first n):", cold_editors),
        ("  board built on demand (first 2):", cold_boards),
        ("  queue built on demand:", cold_queues),
    ):
        print(
            f"{label:<36}median {statistics.median(values) * 1000:.1f} ms "
            f"(min {min(values) * 1000:.1f}, max {max(values) * 1000:.1f}, {len(values)} runs)"
        )


if __name__ == "__main__":
    main()
