"""The demo's inbox: messages go in through the store's own ingest (threads, links to the posts
they answer, labels from the brand's rules, SLA due times), then a history is written over them —
assignments, replies already sent, closed ones — so the queue looks worked. The large size adds
its million in bulk with the same fields computed by the same functions (through ingest one at
a time it would take minutes)."""

from __future__ import annotations

import random
import uuid
from datetime import datetime, timedelta

from ..db import database, writing
from ..db.fields import UTCDateTimeField
from ..domain import InboxKind
from ..inbox.ingest import ingest
from ..inbox.labels import labels_for, rules_for
from ..inbox.model import Incoming
from ..inbox.sla import due_by
from ..publishing.tid import new_tid
from .content import AUDIENCE, INBOX_BODIES, SAVED_REPLIES

_stamp = UTCDateTimeField().db_value
#: How many messages go through ingest; the rest (large size) in bulk.
CURATED = 2_400
KINDS = (InboxKind.COMMENT,) * 6 + (InboxKind.MENTION,) * 2 + (InboxKind.DM,) * 2
NAMES = {"anna": "Anna", "ben": "Ben", "chloe": "Chloé", "dev": "Dev", "emma": "Emma"}


def _status(rng: random.Random, days: float) -> str:
    roll = rng.random()
    if days < 2:
        return "new" if roll < 0.7 else "pending"
    if days < 7:
        return "closed" if roll < 0.5 else "pending" if roll < 0.8 else "new"
    return "closed" if roll < 0.995 else "new"


def inbox(cast, rng: random.Random, now: datetime, count: int) -> None:
    users = dict(database.execute_sql('SELECT login, id FROM "user"').fetchall())
    handlers = [users[name] for name in [cast.admin, *cast.editors, *cast.managers]]
    channels = database.execute_sql(
        "SELECT c.id, c.brand_id, c.handle, b.name FROM channel c JOIN brand b ON b.id = c.brand_id"
    ).fetchall()
    with writing():
        # Our delivered posts get the ids their platforms gave them, so comments can answer them.
        database.execute_sql(
            "UPDATE variant SET remote_id = 'p' || id WHERE state = 'sent' AND remote_id IS NULL"
        )
        sent: dict[int, list[str]] = {}
        for remote_id, channel_id in database.execute_sql(
            "SELECT remote_id, channel_id FROM variant WHERE state = 'sent'"
        ):
            sent.setdefault(channel_id, []).append(remote_id)
        database.execute_sql(
            "INSERT INTO saved_reply (brand_id, title, body) VALUES "
            + ", ".join("(NULL, ?, ?)" for _ in SAVED_REPLIES),
            [part for pair in SAVED_REPLIES for part in pair],
        )
    curated = min(count, CURATED)
    by_channel: dict[int, list[Incoming]] = {}
    fans: list[tuple[int, str, str | None, InboxKind]] = []
    for n in range(curated):
        channel_id, _brand, handle, brand_name = rng.choice(channels)
        age = timedelta(days=60 * rng.random() ** 2, seconds=rng.randint(0, 3600))
        if fans and rng.random() < 0.08:  # the same person writes again in their thread
            channel_id, author, parent, kind = rng.choice(fans)
            body = rng.choice(["Any news?", "Hello? Still waiting on this.", "Thanks!", "?"])
            age = timedelta(hours=rng.uniform(0, 20))
        else:
            kind = rng.choice(KINDS)
            author = f"@{rng.choice(AUDIENCE)}{rng.randint(1, 999)}"
            parent = (
                rng.choice(sent[channel_id]) if kind == "comment" and sent.get(channel_id) else None
            )
            body = rng.choice(INBOX_BODIES[kind]).format(
                brand=brand_name, handle=handle.lstrip("@"), n=100_000 + n
            )
            fans.append((channel_id, author, parent, kind))
        by_channel.setdefault(channel_id, []).append(
            Incoming(
                remote_id=f"m{n}",
                kind=kind,
                author_handle=author,
                author_name=NAMES.get(author.lstrip("@").rstrip("0123456789").split(".")[0], ""),
                body=body,
                received_at=now - age,
                in_reply_to=parent,
                thread=f"dm:{author}" if kind == InboxKind.DM else None,
            )
        )
    with writing():
        for channel_id, items in by_channel.items():
            ingest(cast.admin, channel_id, items, now, source="demo")
        _history(rng, now, handlers)
    if count > curated:
        _bulk(rng, now, handlers, channels, sent, count - curated)


def _history(rng: random.Random, now: datetime, handlers: list[int]) -> None:
    """Assignments, sent replies and closings over what ingest filed, as a team would have left
    them (direct updates: this is the past, not people acting now)."""
    heads = database.execute_sql(
        "SELECT id, received_at, author_handle FROM inbox_message WHERE head_id IS NULL"
    ).fetchall()
    replies = []
    for message_id, received, author in heads:
        days = (now - UTCDateTimeField().python_value(received)).total_seconds() / 86400
        status = _status(rng, days)
        assignee = rng.choice(handlers) if status != "new" or rng.random() < 0.3 else None
        if status == "new":
            database.execute_sql(
                "UPDATE inbox_message SET assignee_id = ? WHERE id = ?", (assignee, message_id)
            )
            continue
        database.execute_sql(
            "UPDATE inbox_message SET status = ?, assignee_id = ?, sla_due_at = NULL WHERE id = ?",
            (status, assignee, message_id),
        )
        if status == "pending" or rng.random() < 0.6:
            _title, body = rng.choice(SAVED_REPLIES)
            at = UTCDateTimeField().python_value(received) + timedelta(minutes=rng.randint(5, 300))
            at = min(at, now)
            replies.append(
                (
                    message_id,
                    assignee or rng.choice(handlers),
                    body.replace("{name}", author.lstrip("@")),
                    _stamp(at),
                    _stamp(at),
                    "sent",
                    uuid.uuid4().hex,
                    new_tid(),
                )
            )
    database.connection().executemany(
        "INSERT INTO reply (message_id, author_id, body, created_at, sent_at, state, private, "
        "idempotency_key, record_key, attempts) VALUES (?, ?, ?, ?, ?, ?, 0, ?, ?, 0)",
        replies,
    )


def _bulk(rng, now, handlers, channels, sent, count: int) -> None:
    """The large size's volume: the fields ingest would give, computed by its own functions."""
    brands = dict(database.execute_sql("SELECT id, sla_hours FROM brand").fetchall())
    zones = dict(database.execute_sql("SELECT id, timezone FROM brand").fetchall())
    rules = {brand_id: rules_for(brand_id) for brand_id in brands}
    start = (database.execute_sql("SELECT max(id) FROM inbox_message").fetchone()[0] or 0) + 1
    labels_rows: list[tuple] = []

    def rows():
        for n in range(count):
            channel_id, brand_id, handle, brand_name = rng.choice(channels)
            kind = rng.choice(KINDS)
            age = timedelta(days=60 * rng.random() ** 2, seconds=rng.randint(0, 3600))
            received = (now - age).replace(microsecond=0)
            status = _status(rng, age.total_seconds() / 86400)
            body = rng.choice(INBOX_BODIES[kind]).format(
                brand=brand_name, handle=handle.lstrip("@"), n=200_000 + n
            )
            labels = labels_for(body, rules[brand_id])
            for label in labels:
                labels_rows.append((start + n, label))
            parent = (
                rng.choice(sent[channel_id]) if kind == "comment" and sent.get(channel_id) else None
            )
            author = f"@{rng.choice(AUDIENCE)}{rng.randint(1, 999)}"
            remote_id = f"b{n}"
            yield (
                brand_id,
                channel_id,
                kind,
                author,
                body,
                _stamp(received),
                _stamp(received),
                status,
                rng.choice(handlers) if status != "new" or rng.random() < 0.3 else None,
                remote_id,
                f"dm:{author}" if kind == "dm" else parent or remote_id,
                parent,
                _stamp(due_by(received, brands[brand_id], zones[brand_id] or "UTC"))
                if status == "new"
                else None,
                ", ".join(labels),
            )

    from .bulk import _insert

    with writing():
        _insert(
            "inbox_message",
            (
                "brand_id",
                "channel_id",
                "kind",
                "author_handle",
                "body",
                "received_at",
                "last_at",
                "status",
                "assignee_id",
                "remote_id",
                "thread_key",
                "in_reply_to",
                "sla_due_at",
                "labels",
            ),
            rows(),
        )
        database.execute_sql(
            "UPDATE inbox_message SET variant_id = (SELECT v.id FROM variant v WHERE "
            "v.channel_id = inbox_message.channel_id AND v.remote_id = inbox_message.in_reply_to) "
            "WHERE id >= ? AND in_reply_to IS NOT NULL",
            (start,),
        )
        _insert(
            "inbox_label",
            ("message_id", "label", "automatic"),
            ((m, lbl, 1) for m, lbl in labels_rows),
        )
