"""The Metrics screen's cache: kept for a while, computed once when two ask at the same time,
never kept when a change came while it was computed, and a failure reaches every asker."""

import threading

import pytest

from tui.screens.figures_cache import FiguresCache


def test_kept_then_stale():
    cache = FiguresCache(fresh=60)
    assert cache.compute("k", cache.epoch, lambda: 1) == 1
    assert cache.get("k") == 1 and cache.compute("k", cache.epoch, lambda: 2) == 1
    cache.fresh = 0
    assert cache.get("k") is None


def test_a_second_asker_waits_for_the_first():
    cache, started, release, calls, got = (
        FiguresCache(),
        threading.Event(),
        threading.Event(),
        [],
        [],
    )

    def slow():
        calls.append(1)
        started.set()
        release.wait(5)
        return "figures"

    first = threading.Thread(target=lambda: got.append(cache.compute("k", 0, slow)))
    first.start()
    started.wait(5)
    second = threading.Thread(target=lambda: got.append(cache.compute("k", 0, slow)))
    second.start()
    release.set()
    first.join(5), second.join(5)
    assert got == ["figures", "figures"] and calls == [1]


def test_what_a_change_outdated_is_not_kept_and_failures_reach_the_asker():
    cache = FiguresCache()
    epoch = cache.epoch

    def outdated():
        cache.forget()  # a change comes while it is computed
        return "old"

    assert cache.compute("k", epoch, outdated) == "old"
    assert cache.get("k") is None and cache.epoch == epoch + 1

    def broken():
        raise RuntimeError("database gone")

    with pytest.raises(RuntimeError, match="database gone"):
        cache.compute("k", cache.epoch, broken)
    assert cache.compute("k", cache.epoch, lambda: "new") == "new"  # not stuck "running"
