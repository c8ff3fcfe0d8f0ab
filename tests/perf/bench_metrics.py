"""Benchmark: the metrics on the large demo (100k posts, 2M snapshots) — the store's workflow and
content figures (the heatmap among them) for 7, 30 and 90 days, `postroom report --period 90d`
end to end, and the app: pressing 5 to the first frame holding the figures, `p` to the next
period's, `c` to the Content tab drawn and `p` there. Prints medians; run by hand."""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta

from bench_app import ensure_database, location

CHILD = r"""
import asyncio, json, sys, time
from textual import events
from tui.app import build_app
from tui.screens.metrics import MetricsScreen

changes, frames = [], []
real = MetricsScreen._paint_title

def stamped(self, loading=False):
    # The title is painted without "…" once the figures are there: loaded, from the cache
    # computed ahead, or (switching tabs) kept from before.
    real(self, loading)
    if not loading:
        before = self.previous if self.tab == "workflow" else self.content_before
        changes.append((time.perf_counter(), before is not None))

MetricsScreen._paint_title = stamped

async def main():
    prepared = sys.argv[4] == "prepare"  # the app builds Metrics in a pause in typing, as it does
    app = build_app(sys.argv[1], sys.argv[2], watch=False, prepare=prepared)
    PAUSE = float(sys.argv[3])  # between keys: 0.3 s, a hurried user; 3 s, the look-ahead done
    async with app.run_test(size=(120, 40)):
        display = app._display

        def timed_display(screen, renderable):
            display(screen, renderable)
            if renderable is not None and not app._batch_count:
                if hasattr(renderable, "render_segments"):
                    renderable.render_segments(app.console)
                frames.append(time.perf_counter())

        app._display = timed_display
        await asyncio.sleep(2.0)

        async def drawn(after):
            while not frames or frames[-1] < after:
                await asyncio.sleep(0.0005)
            return next(t for t in frames if t >= after)

        async def measure(key, character):
            # (the figures drawn, the period before drawn beside them), from the key
            seen = len(changes)
            start = time.perf_counter()
            app.post_message(events.Key(key, character))
            while len(changes) <= seen:
                await asyncio.sleep(0.0005)
            first = await drawn(changes[seen][0])
            while not any(complete for _, complete in changes[seen:]):
                await asyncio.sleep(0.0005)
            done = next(t for t, complete in changes[seen:] if complete)
            return first - start, await drawn(done) - start

        if prepared:
            from tui import textual_internals

            def ready():
                stack = textual_internals.mode_stack(app, "metrics")
                return stack and stack[0].previous is not None

            while not ready():
                await asyncio.sleep(0.05)
            await asyncio.sleep(1.0)
            seen = len(frames)
            start = time.perf_counter()
            app.post_message(events.Key("5", "5"))
            while not isinstance(app.screen, MetricsScreen) or len(frames) <= seen:
                await asyncio.sleep(0.0005)
            shown = frames[-1] - start
            print(json.dumps({"open": [shown, shown]}))
            return
        timings = {"open": await measure("5", "5"), "period": [], "content": [], "cperiod": []}
        for _ in range(3):
            await asyncio.sleep(PAUSE)
            timings["period"].append(await measure("p", "p"))
        for _ in range(3):
            await asyncio.sleep(PAUSE)
            timings["content"].append(await measure("c", "c"))
            for _ in range(2):
                await asyncio.sleep(PAUSE)
                timings["cperiod"].append(await measure("p", "p"))
            await asyncio.sleep(PAUSE)
            await measure("w", "w")
    print(json.dumps(timings))

asyncio.run(main())
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--app-only", action="store_true", help="only the app's timings")
    parser.add_argument("--pause", type=float, default=0.3, help="seconds between keys")
    args = parser.parse_args()
    path = location()
    login = ensure_database(path)
    if not args.app_only:
        store_figures(path, login, args.runs)
    app_figures(path, login, args.pause)


def store_figures(path, login: str, runs: int) -> None:
    import store

    store.open_database(path)
    actor = store.actor_for(login)
    now = datetime.now(UTC)
    for days in (7, 30, 90):
        values = []
        for _ in range(runs):
            started = time.perf_counter()
            store.metrics.workflow_figures(actor, now - timedelta(days=days), now)
            values.append((time.perf_counter() - started) * 1000)
        print(f"workflow figures, {days:>2} days:    median {statistics.median(values):7.1f} ms")
    for days in (7, 30, 90):
        values = []
        for _ in range(runs):
            started = time.perf_counter()
            store.metrics.content_figures(actor, now - timedelta(days=days), now)
            values.append((time.perf_counter() - started) * 1000)
        print(f"content figures, {days:>2} days:     median {statistics.median(values):7.1f} ms")
    store.close_database()
    values = []
    for _ in range(3):
        started = time.perf_counter()
        subprocess.run(
            [sys.executable, "-m", "tui.cli", "report", "--period", "90d", "--db", str(path)],
            check=True,
            capture_output=True,
        )
        values.append(time.perf_counter() - started)
    print(f"postroom report --period 90d:   median {statistics.median(values) * 1000:7.0f} ms")


def app_figures(path, login: str, pause: float) -> None:
    series = {name: ([], []) for name in ("open", "period", "content", "cperiod")}
    for _ in range(3):
        out = subprocess.run(
            [sys.executable, "-c", CHILD, str(path), login, str(pause), "demand"],
            check=True,
            capture_output=True,
            text=True,
        )
        timings = json.loads(out.stdout.strip().splitlines()[-1])
        timings["open"] = [timings["open"]]
        for name, (figures, complete) in series.items():
            figures.extend(t[0] * 1000 for t in timings[name])
            complete.extend(t[1] * 1000 for t in timings[name])
    prepared = []
    for _ in range(3):
        out = subprocess.run(
            [sys.executable, "-c", CHILD, str(path), login, str(pause), "prepare"],
            check=True,
            capture_output=True,
            text=True,
        )
        prepared.append(json.loads(out.stdout.strip().splitlines()[-1])["open"][0] * 1000)
    print(
        f"app: 5 once the app has built Metrics in a pause: median "
        f"{statistics.median(prepared):7.1f} ms"
    )
    names = {
        "open": "5 to the figures drawn",
        "period": "p to the next period",
        "content": "c to the Content tab",
        "cperiod": "p on the Content tab",
    }
    for name, (figures, complete) in series.items():
        print(
            f"app: {names[name] + ':':<26} median {statistics.median(figures):7.1f} ms"
            f"   (the period before beside it: {statistics.median(complete):7.1f} ms)"
        )


if __name__ == "__main__":
    main()
