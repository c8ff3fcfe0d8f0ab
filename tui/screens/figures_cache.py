"""What the Metrics screen has computed, kept a while so the keys that come back to it paint at
once, shared between the worker threads that compute it."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Hashable
from concurrent.futures import Future

#: How long computed figures are shown again without computing them anew (a change drops them
#: at once; this bounds what the clock alone moves: "up to now" periods, the SLA's due times).
FRESH = 60.0


class FiguresCache:
    """Values by key for `FRESH` seconds; one computation per key at a time (a second asker
    waits for the first instead of computing beside it). `forget` drops everything and moves
    the epoch, so a computation that a change outdated while it ran is never kept."""

    def __init__(self, fresh: float = FRESH):
        self.fresh = fresh
        self.epoch = 0
        self._kept: dict[Hashable, tuple[object, float]] = {}
        self._running: dict[tuple, Future] = {}
        self._lock = threading.Lock()

    def get(self, key: Hashable):
        """The value kept for `key`, or None."""
        hit = self._kept.get(key)
        if hit is None or time.monotonic() - hit[1] > self.fresh:
            return None
        return hit[0]

    def forget(self) -> None:
        with self._lock:  # a computation finishing now is not kept under the old epoch
            self.epoch += 1
            self._kept.clear()

    def compute(self, key: Hashable, epoch: int, make: Callable[[], object]):
        """The value for `key`: kept, being computed (waited for), or computed now by `make`."""
        with self._lock:
            kept = self.get(key)
            if kept is not None:
                return kept
            running = self._running.get((key, epoch))
            if running is None:
                mine = self._running[(key, epoch)] = Future()
        if running is not None:
            return running.result()
        try:
            value = make()
        except BaseException as error:
            with self._lock:
                self._running.pop((key, epoch), None)
            mine.set_exception(error)
            raise
        with self._lock:  # kept before it stops being "running": an asker finds one or the other
            if epoch == self.epoch:
                self._kept[key] = (value, time.monotonic())
            self._running.pop((key, epoch), None)
        mine.set_result(value)
        return value
