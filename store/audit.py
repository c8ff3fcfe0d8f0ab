"""The append-only audit trail: each row hashes its own content and the previous row's hash."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime

from peewee import PostgresqlDatabase

from . import access, changes
from .db import database, reading
from .db.fields import UTCDateTimeField
from .db.models import AuditEvent, Post
from .domain import Actor
from .errors import NotFound
from .permissions import Action, require
from .text import clean

GENESIS = "0" * 64
_stamp = UTCDateTimeField().db_value


def canonical_detail(detail: dict) -> str:
    """The detail as stored: JSON with sorted keys, so the same facts always hash the same."""
    return json.dumps(detail, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def row_hash(
    event_id: int,
    at: str,
    actor: str,
    action: str,
    entity: str,
    entity_id: int | None,
    detail: str,
    prev_hash: str,
) -> str:
    """The hash a row must carry, over every column but the hash itself."""
    content = json.dumps(
        [event_id, at, actor, action, entity, entity_id, detail, prev_hash],
        separators=(",", ":"),
        ensure_ascii=False,
    )
    return hashlib.sha256(content.encode("utf-8")).hexdigest()


def chain(
    events: Iterable[tuple[datetime, str, str, str, int | None, dict]],
    last_id: int,
    last_hash: str,
) -> Iterator[tuple]:
    """Rows ready to insert (id, at, actor, action, entity, entity_id, detail, prev_hash, hash)."""
    prev = last_hash
    for offset, (at, actor, action, entity, entity_id, detail) in enumerate(events, start=1):
        event_id = last_id + offset
        at_text = _stamp(at)
        detail_text = canonical_detail(detail)
        digest = row_hash(event_id, at_text, actor, action, entity, entity_id, detail_text, prev)
        yield (event_id, at_text, actor, action, entity, entity_id, detail_text, prev, digest)
        prev = digest


#: The key of the PostgreSQL advisory lock that orders appends to the chain.
_CHAIN_LOCK = 0x706F7374726F6F6D  # "postroom"


def chain_head() -> tuple[int, str]:
    """The last row's id and hash (0 and the genesis hash for an empty trail). On PostgreSQL the
    transaction first takes the chain's lock (SQLite's BEGIN IMMEDIATE already serialises
    writers), so two writers never both append after the same row."""
    if isinstance(database.obj, PostgresqlDatabase):
        database.execute_sql("SELECT pg_advisory_xact_lock(%s)", (_CHAIN_LOCK,))
    row = database.execute_sql(
        "SELECT id, hash FROM audit_event ORDER BY id DESC LIMIT 1"
    ).fetchone()
    return (row[0], row[1]) if row else (0, GENESIS)


COLUMNS = ("id", "at", "actor", "action", "entity", "entity_id", "detail", "prev_hash", "hash")


def record(
    actor: str,
    action: str,
    entity: str,
    entity_id: int | None,
    detail: dict,
    now: datetime,
) -> None:
    """Append one event, and note the change in the feed; call inside the write transaction of
    the change it describes."""
    last_id, last_hash = chain_head()
    (row,) = chain([(now, actor, action, entity, entity_id, detail)], last_id, last_hash)
    AuditEvent.insert(dict(zip(COLUMNS, row, strict=True))).execute()
    changes.record_audited(action, entity, entity_id, detail)


@dataclass(frozen=True)
class ChainBreak:
    """The first audit row whose hash does not hold, and why."""

    event_id: int
    reason: str


def verify_chain() -> ChainBreak | None:
    """Walk the whole trail in order; None when every row's hash holds."""
    prev = GENESIS
    expected_id = None
    cursor = database.execute_sql(f"SELECT {', '.join(COLUMNS)} FROM audit_event ORDER BY id")
    for event_id, at, actor, action, entity, entity_id, detail, prev_hash, digest in cursor:
        if expected_id is not None and event_id != expected_id:
            return ChainBreak(expected_id, f"row {expected_id} is missing")
        if prev_hash != prev:
            return ChainBreak(event_id, "its previous-hash does not match the row before it")
        if row_hash(event_id, at, actor, action, entity, entity_id, detail, prev_hash) != digest:
            return ChainBreak(
                event_id, "its content does not match its hash (edited after writing)"
            )
        prev = digest
        expected_id = event_id + 1
    return None


@dataclass(frozen=True)
class AuditEntry:
    """One audit row as people read it."""

    id: int
    at: datetime
    actor: str
    action: str
    detail: dict


def trail(actor: Actor, entity: str, entity_id: int) -> list[AuditEntry]:
    """The audit events about one thing, oldest first (for those who may read the audit trail;
    a post's only for those who may see its brand)."""
    access.member(actor)  # an actor made before the account was removed reads nothing
    require(actor, Action.AUDIT_VIEW)
    with reading():
        if entity == "post":
            brand_id = Post.select(Post.brand).where(Post.id == entity_id).scalar()
            if brand_id is None or not access.may_see(actor, brand_id):
                raise NotFound(f"no post #{entity_id}")
        query = (
            AuditEvent.select()
            .where((AuditEvent.entity == entity) & (AuditEvent.entity_id == entity_id))
            .order_by(AuditEvent.id)
        )
        return [
            AuditEntry(e.id, e.at, clean(e.actor), clean(e.action), _cleaned(json.loads(e.detail)))
            for e in query
        ]


def _cleaned(value):
    """Stored detail as shown: every string through the text gate (the chain keeps it raw)."""
    if isinstance(value, str):
        return clean(value, lines=True)
    if isinstance(value, list):
        return [_cleaned(v) for v in value]
    if isinstance(value, dict):
        return {clean(str(k)): _cleaned(v) for k, v in value.items()}
    return value
