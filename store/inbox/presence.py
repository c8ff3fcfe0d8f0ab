"""Who has a reply open on a message right now: a row per (message, person) with a heartbeat.
Others see "‹teammate› is replying"; the row goes when that person leaves, and counts as gone
once its heartbeat is older than STALE (their app died)."""

from __future__ import annotations

from datetime import datetime, timedelta

from ..access import member
from ..db import reading, writing
from ..db.models import InboxMessage, Presence, User
from ..domain import Actor
from ..errors import NotFound
from ..permissions import Action, require

#: A heartbeat older than this is someone who left without saying so.
STALE = timedelta(seconds=30)
#: How often an open reply box beats.
BEAT = timedelta(seconds=10)


def start_replying(actor: Actor, message_id: int, now: datetime) -> None:
    """Say that `actor` is writing a reply to the message (and keep saying it: call again to
    beat)."""
    with writing():
        row = InboxMessage.get_or_none(InboxMessage.id == message_id)
        if row is None:
            raise NotFound(f"no inbox message #{message_id}")
        target = row.head_id or row.id
        require(actor, Action.INBOX_REPLY, row.brand_id)
        me = member(actor)
        changed = (
            Presence.update(beat_at=now)
            .where((Presence.message == target) & (Presence.user == me.id))
            .execute()
        )
        if not changed:
            Presence.create(message=target, user=me.id, opened_at=now, beat_at=now)
            from .. import changes
            from ..changes import Kind

            changes.record(Kind.INBOX, target, ("presence",))
        Presence.delete().where(Presence.beat_at < now - STALE * 10).execute()


def stop_replying(actor: Actor, message_id: int) -> None:
    """`actor` closed the reply box (sent or gave up)."""
    from .. import changes
    from ..changes import Kind

    with writing():
        me = member(actor)
        row = InboxMessage.get_or_none(InboxMessage.id == message_id)
        target = (row.head_id or row.id) if row else message_id
        gone = (
            Presence.delete()
            .where((Presence.message == target) & (Presence.user == me.id))
            .execute()
        )
        if gone:
            changes.record(Kind.INBOX, target, ("presence",))


def replying(message_id: int, login: str, now: datetime) -> tuple[str, ...]:
    """Who, other than `login`, is writing a reply to the message now."""
    with reading():
        rows = (
            Presence.select(User.login)
            .join(User)
            .where(
                (Presence.message == message_id)
                & (User.login != login)
                & (Presence.beat_at >= now - STALE)
            )
            .order_by(Presence.opened_at)
            .tuples()
        )
        return tuple(login for (login,) in rows)
