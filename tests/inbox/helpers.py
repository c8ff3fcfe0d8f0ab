"""Messages for the inbox tests."""

from __future__ import annotations

from datetime import timedelta

import store
from store.inbox import Incoming


def msg(
    n,
    *,
    kind="comment",
    author="@fan",
    body="Love it",
    ago=timedelta(minutes=5),
    now=None,
    **fields,
) -> Incoming:
    from tests.conftest import NOW

    return Incoming(
        remote_id=str(n),
        kind=kind,
        author_handle=author,
        body=body,
        received_at=(now or NOW) - ago,
        **fields,
    )


def put(team, channel_id, *items):
    return store.inbox.ingest("root", channel_id, list(items), team.now)


def ids(page) -> list[int]:
    return [r.id for r in page.rows]
