"""Posts ready to go out, for the publishing tests: approved, scheduled, and then due."""

from __future__ import annotations

import struct
import zlib
from datetime import timedelta
from pathlib import Path

import store


def png(path: Path, width: int = 4, height: int = 3) -> Path:
    """A real (tiny) PNG image."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    rows = b"".join(b"\x00" + b"\xff\x80\x00" * width for _ in range(height))
    data = (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )
    path.write_bytes(data)
    return path


def scheduled(author, reviewer, brand_id, title, caption, channel_ids, at, publish_at, media=()):
    """A post written at `at` by `author`, approved by `reviewer` and scheduled for
    `publish_at`; its id."""
    post = store.create_post(
        author, brand_id, title, at, caption=caption, channel_ids=list(channel_ids),
        publish_at=publish_at, media_ids=[m.id for m in media],
    )  # fmt: skip
    store.move(author, post.id, "in_review", at)
    store.approve(reviewer, post.id, at)
    store.move(author, post.id, "scheduled", at)
    return post.id


def due_post(team, clock, channel_ids, caption="Our winter blend is here. #coffee", *, media=(), title="Winter blend"):  # fmt: skip
    """A post approved and scheduled a minute ahead, and the clock moved on to its time."""
    at = clock()
    ed, rev = team.actor("ed"), team.actor("rev")
    pid = scheduled(
        ed, rev, team.brand, title, caption, channel_ids, at, at + timedelta(minutes=1), media
    )
    clock.jump(minutes=1)
    return pid


def deliveries_of(team, post_id):
    return [v for v in team.detail(post_id).variants]
