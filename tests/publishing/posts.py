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


def due_post(
    team,
    clock,
    channel_ids,
    caption="Our winter blend is here. #coffee",
    *,
    media=(),
    title="Winter blend",
):
    """A post approved and scheduled a minute ahead, and the clock moved on to its time."""
    at = clock()
    post = store.create_post(
        team.actor("ed"),
        team.brand,
        title,
        at,
        caption=caption,
        channel_ids=list(channel_ids),
        publish_at=at + timedelta(minutes=1),
        media_ids=[m.id for m in media],
    )
    store.move(team.actor("ed"), post.id, "in_review", at)
    store.approve(team.actor("rev"), post.id, at)
    store.move(team.actor("ed"), post.id, "scheduled", at)
    clock.jump(minutes=1)
    return post.id


def deliveries_of(team, post_id):
    return [v for v in team.detail(post_id).variants]
