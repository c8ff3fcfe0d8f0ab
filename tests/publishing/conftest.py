"""Fixtures for publishing: the Mastodon server, a clock that moves with real time from the
team's frozen now, and a credentials file of this test's own."""

from __future__ import annotations

import secrets
import time
from datetime import timedelta

import pytest

import store

from .servers import TOKEN, start_mastodon, start_pds, stop


@pytest.fixture(scope="session")
def mastodon_server(tmp_path_factory):
    server = start_mastodon(tmp_path_factory.mktemp("mastodon"))
    yield server
    stop(server.process)


@pytest.fixture
def mastodon(mastodon_server):
    """The Mastodon server, emptied and without faults for this test."""
    mastodon_server.reset()
    yield mastodon_server
    mastodon_server.clear_faults()


class Clock:
    """The team's now, moving on with real time (and jumps a test asks for)."""

    def __init__(self, start):
        self.start, self.began, self.jumped = start, time.monotonic(), timedelta()

    def __call__(self):
        return (
            self.start + timedelta(seconds=time.monotonic() - self.began) + self.jumped
        ).replace(microsecond=0)

    def jump(self, **amount) -> None:
        self.jumped += timedelta(**amount)


@pytest.fixture
def clock(team):
    return Clock(team.now)


@pytest.fixture
def credentials(tmp_path, monkeypatch):
    path = tmp_path / "config" / "credentials.toml"
    monkeypatch.setenv("POSTROOM_CREDENTIALS", str(path))
    return path


@pytest.fixture
def toots(team, mastodon, credentials):
    """The team's Mastodon channel, connected to the server with a good token."""
    root = team.actor("root")
    channel = store.add_channel(root, team.brand, "mastodon", "@acme@mastodon.test", team.now)
    store.connect_channel(
        root, channel.id, "mastodon", {"server": mastodon.url, "token": TOKEN}, team.now
    )
    return channel


@pytest.fixture(scope="session")
def pds(tmp_path_factory):
    server = start_pds(tmp_path_factory.mktemp("pds"))
    yield server
    stop(server.process)


@pytest.fixture
def skeets(team, pds, credentials, request):
    """The team's Bluesky channel, on a fresh account of the PDS."""
    import re

    name = "t" + re.sub(r"[^a-z0-9]", "", request.node.name.lower())[-12:] + secrets.token_hex(2)
    account = pds.account(name)
    root = team.actor("root")
    store.connect_channel(
        root,
        team.bluesky,
        "bluesky",
        {"server": pds.url, "handle": account["handle"], "app_password": account["app_password"]},
        team.now,
    )
    return account
