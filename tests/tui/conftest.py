"""App fixtures: a copy of a seeded demo team per test, a frozen clock, and waiting for workers."""

from __future__ import annotations

import shutil

import pytest

import store
from store.demo import build_demo
from tui.app import PostroomApp, build_app

from ..conftest import NOW

LOGIN = "ines"  # the demo's admin
TIMEZONE = "Europe/London"


@pytest.fixture(scope="session")
def seeded(tmp_path_factory):
    """The small demo team, built once for the whole run."""
    path = tmp_path_factory.mktemp("seed") / "demo.db"
    build_demo(path, seed=7, now=NOW, login=LOGIN, timezone=TIMEZONE)
    return path


@pytest.fixture
def team_db(seeded, tmp_path):
    """A private copy of the demo team for one test."""
    path = tmp_path / "team.db"
    shutil.copy(seeded, path)
    yield str(path)
    store.close_database()


@pytest.fixture
def make_app(team_db):
    """An app on the test's copy, as `login`, with the clock frozen at NOW."""

    def make(
        login: str = LOGIN, *, watch: bool = False, db: str | None = None, prepare: bool = False
    ) -> PostroomApp:
        return build_app(db or team_db, login, clock=lambda: NOW, watch=watch, prepare=prepare)

    return make


async def settle(pilot, rounds: int = 2) -> None:
    """Let every worker finish (but the change watcher, which never does) and the screen catch up."""
    for _ in range(rounds):
        await pilot.pause()
        busy = [w for w in pilot.app.workers if w.group != "watch" and not w.is_finished]
        for worker in busy:
            await worker.wait()
    await pilot.pause()


async def wait_for(pilot, condition, timeout: float = 5.0) -> None:
    """Let the app run until `condition()` holds (debounced workers have no fixed finish time)."""
    import time

    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "the screen never reached the expected state"
        await pilot.pause(0.05)
    await settle(pilot)


def open_store(path: str):
    """Open the same file from the test, to check what the app wrote."""
    store.open_database(path)
    return store.actor_for(LOGIN)
