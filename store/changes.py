"""What changed since a point: every write notes (kind, id, fields) in a feed inside its own
transaction, so each open screen, in this process or another, reloads only when something it
shows changed, and a process does not reload twice for its own write."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from peewee import PostgresqlDatabase

from .db import database, reading
from .db.models import ChangeLog

#: The feed keeps this many rows; a reader further behind than that reloads everything.
KEEP = 20_000
#: A batch holds at most this many changes; more mean "reload everything".
BATCH = 500


class Kind(StrEnum):
    """The kinds of things a screen can show."""

    POST = "post"
    REVIEW = "review"
    COMMENT = "comment"
    NOTE = "note"
    USER = "user"
    BRAND = "brand"
    CHANNEL = "channel"
    CAMPAIGN = "campaign"
    PILLAR = "pillar"
    ASSET = "asset"
    DELIVERY = "delivery"
    INBOX = "inbox"


#: Everything about the thing changed (it is new, or gone).
ALL_FIELDS = "*"


@dataclass(frozen=True)
class Change:
    """One thing that changed, and which of its fields."""

    seq: int
    kind: Kind
    entity_id: int | None
    fields: frozenset[str]

    def touches(self, *fields: str) -> bool:
        """Whether any of `fields` (or everything) changed."""
        return ALL_FIELDS in self.fields or any(f in self.fields for f in fields)


@dataclass(frozen=True)
class ChangeBatch:
    """The changes after a position; `complete` is False when the reader fell too far behind
    (or too much changed at once) to be told one by one: then everything counts as changed."""

    changes: tuple[Change, ...]
    position: int
    complete: bool = True

    def of(self, *kinds: Kind) -> list[Change]:
        """The changes of these kinds."""
        return [c for c in self.changes if c.kind in kinds]


def record(kind: Kind, entity_id: int | None, fields=(ALL_FIELDS,)) -> None:
    """Note a change; call inside the write transaction that makes it."""
    seq = ChangeLog.insert(
        kind=Kind(kind).value, entity_id=entity_id, fields=",".join(sorted(fields))
    ).execute()
    if seq and seq % 1000 == 0:
        ChangeLog.delete().where(ChangeLog.id <= seq - KEEP).execute()


#: Which kind an audited action changes, where it is not the audited entity itself.
_ACTION_KINDS = {
    "post.approve": Kind.REVIEW,
    "post.unapprove": Kind.REVIEW,
    "post.request_changes": Kind.REVIEW,
    "post.comment": Kind.COMMENT,
}
_ACTION_FIELDS = {"post.stage": ("stage",), "post.reschedule": ("publish_at",)}


def record_audited(action: str, entity: str, entity_id: int | None, detail: dict) -> None:
    """Note the change an audit event describes (every audited write is a change)."""
    kind = _ACTION_KINDS.get(action) or Kind(entity)
    if action == "post.edit":
        fields = tuple(detail.get("fields", ())) or (ALL_FIELDS,)
    else:
        fields = _ACTION_FIELDS.get(action, (ALL_FIELDS,))
    record(kind, entity_id, fields)


def position() -> int:
    """The newest change's number (0 before the first)."""
    with reading():
        return ChangeLog.select(ChangeLog.id).order_by(ChangeLog.id.desc()).scalar() or 0


def changes_since(seq: int) -> ChangeBatch:
    """What changed after change number `seq`."""
    with reading():
        rows = list(
            ChangeLog.select()
            .where(ChangeLog.id > seq)
            .order_by(ChangeLog.id)
            .limit(BATCH + 1)
            .tuples()
        )
        oldest = ChangeLog.select(ChangeLog.id).order_by(ChangeLog.id).scalar() or 0
    if not rows:
        return ChangeBatch((), seq)
    if len(rows) > BATCH or oldest > seq + 1:
        return ChangeBatch((), position(), complete=False)
    changes = tuple(
        Change(row_id, Kind(kind), entity_id, frozenset(fields.split(",")))
        for row_id, kind, entity_id, fields in rows
    )
    return ChangeBatch(changes, changes[-1].seq)


def data_version() -> int:
    """A number that moves when another connection commits: cheap to poll, then the feed says
    what. (SQLite's data_version; on PostgreSQL, the feed's newest number.)"""
    if isinstance(database.obj, PostgresqlDatabase):
        return position()
    return database.execute_sql("PRAGMA data_version").fetchone()[0]
