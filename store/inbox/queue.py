"""Working the queue: close, reopen, assign (to a teammate or to me), label, note, priority, and
the same on a selection. Never an automatic reply: only a person sends an answer (outbox.py).

Statuses: new → pending (the team answered) → closed; closing needs no answer; a person writing
again puts the thread back to new (ingest.py)."""

from __future__ import annotations

from datetime import datetime

from .. import audit, changes
from ..access import member
from ..changes import Kind
from ..db import reading, writing
from ..db.models import InboxLabel, InboxMessage, InboxNote, User
from ..domain import Actor, InboxStatus, Role
from ..errors import InvalidTransition, NotFound, ValidationError
from ..permissions import Action, allowed, require
from ..text import clean
from .labels import check_label
from .sla import due_by

S = InboxStatus
#: Priority runs from 0 (normal) to 3 (urgent).
PRIORITIES = ("normal", "high", "higher", "urgent")


def _load(actor: Actor, message_id: int, action: Action) -> InboxMessage:
    row = InboxMessage.get_or_none(InboxMessage.id == message_id)
    if row is None:
        raise NotFound(f"no inbox message #{message_id}")
    require(actor, action, row.brand_id)
    if row.head_id is not None:  # a follow-up is worked through its thread's head
        return _load(actor, row.head_id, action)
    return row


def _update(row: InboxMessage, values: dict) -> None:
    values[InboxMessage.version] = InboxMessage.version + 1
    InboxMessage.update(values).where(InboxMessage.id == row.id).execute()
    changes.record(Kind.INBOX, row.id)


def close(actor: Actor, message_ids: list[int], now: datetime) -> int:
    """Close messages (no answer needed); returns how many changed."""
    done = 0
    with writing():
        for message_id in message_ids:
            row = _load(actor, message_id, Action.INBOX_REPLY)
            if row.status == S.CLOSED:
                continue
            _update(row, {InboxMessage.status: S.CLOSED.value, InboxMessage.sla_due_at: None})
            audit.record(actor.login, "inbox.close", "inbox", row.id, {"from": row.status}, now)
            done += 1
    return done


def reopen(actor: Actor, message_ids: list[int], now: datetime) -> int:
    """Put closed (or pending) messages back to new, due again from now."""
    done = 0
    with writing():
        for message_id in message_ids:
            row = _load(actor, message_id, Action.INBOX_REPLY)
            if row.status == S.NEW:
                continue
            brand = row.brand
            _update(
                row,
                {
                    InboxMessage.status: S.NEW.value,
                    InboxMessage.sla_due_at: due_by(now, brand.sla_hours, brand.timezone),
                },
            )
            audit.record(actor.login, "inbox.reopen", "inbox", row.id, {"from": row.status}, now)
            done += 1
    return done


def assign(actor: Actor, message_ids: list[int], login: str | None, now: datetime) -> int:
    """Give messages to a teammate (`login`), or to nobody (None). Anyone who may answer may take
    a message for themselves; giving it to someone else is for managers and admins."""
    with writing():
        target = None
        if login is not None:
            target = User.get_or_none((User.login == clean(login)) & (User.active == 1))
            if target is None:
                raise ValidationError("assignee", f"no active teammate called {login!r}")
            if not allowed(Role(target.role), Action.INBOX_REPLY):
                raise ValidationError(
                    "assignee", f"{target.login} is a {target.role} and may not answer messages"
                )
        me = member(actor)
        action = (
            Action.INBOX_REPLY if target is not None and target.id == me.id else Action.INBOX_ASSIGN
        )
        done = 0
        for message_id in message_ids:
            row = _load(actor, message_id, action)
            if target is not None and target.role == Role.CLIENT.value:
                raise ValidationError("assignee", f"{target.login} is a client")
            new = target.id if target is not None else None
            if row.assignee_id == new:
                continue
            _update(row, {InboxMessage.assignee: new})
            audit.record(
                actor.login,
                "inbox.assign",
                "inbox",
                row.id,
                {"to": target.login if target else None},
                now,
            )
            done += 1
    return done


def label(actor: Actor, message_ids: list[int], text: str, now: datetime, *, remove=False) -> int:
    """Add (or remove) a label on messages."""
    name = clean(text).strip().casefold()
    problem = check_label(name)
    if problem:
        raise ValidationError("label", problem)
    done = 0
    with writing():
        for message_id in message_ids:
            row = _load(actor, message_id, Action.INBOX_REPLY)
            have = [lbl for lbl in row.labels.split(", ") if lbl]
            if remove == (name not in have):
                continue
            if remove:
                InboxLabel.delete().where(
                    (InboxLabel.message == row.id) & (InboxLabel.label == name)
                ).execute()
                have.remove(name)
            else:
                InboxLabel.create(message=row.id, label=name, automatic=False)
                have.append(name)
            _update(row, {InboxMessage.labels: ", ".join(have)[:255]})
            audit.record(
                actor.login,
                "inbox.unlabel" if remove else "inbox.label",
                "inbox",
                row.id,
                {"label": name},
                now,
            )
            done += 1
    return done


def set_priority(actor: Actor, message_ids: list[int], priority: int, now: datetime) -> int:
    """Set how urgent messages are (0 normal … 3 urgent)."""
    if not 0 <= priority < len(PRIORITIES):
        raise ValidationError("priority", f"0 to {len(PRIORITIES) - 1} ({', '.join(PRIORITIES)})")
    done = 0
    with writing():
        for message_id in message_ids:
            row = _load(actor, message_id, Action.INBOX_REPLY)
            if row.priority == priority:
                continue
            _update(row, {InboxMessage.priority: priority})
            audit.record(actor.login, "inbox.priority", "inbox", row.id, {"to": priority}, now)
            done += 1
    return done


def add_note(actor: Actor, message_id: int, body: str, now: datetime) -> None:
    """An internal note on a message: the team sees it, it is never sent."""
    text = clean(body, lines=True).strip()
    if not text:
        raise ValidationError("note", "write something first")
    if len(text) > 2000:
        raise ValidationError("note", f"{len(text)} characters; the most is 2000")
    with writing():
        row = _load(actor, message_id, Action.INBOX_VIEW)
        me = member(actor)
        InboxNote.create(message=row.id, author=me.id, body=text, created_at=now)
        _update(row, {})
        audit.record(actor.login, "inbox.note", "inbox", row.id, {"length": len(text)}, now)


def mark_answered(row: InboxMessage) -> None:
    """A reply went into the outbox: the message is pending, its first response no longer due
    (inside the caller's transaction)."""
    if row.status == S.CLOSED:
        raise InvalidTransition("this message is closed; reopen it (u) to answer")
    _update(row, {InboxMessage.status: S.PENDING.value, InboxMessage.sla_due_at: None})


def assignees(actor: Actor) -> list[str]:
    """The teammates a message can be given to (active, and allowed to answer), by login; the
    actor first when they are one of them."""
    require(actor, Action.INBOX_VIEW)
    with reading():
        me = member(actor)
        logins = [
            login
            for login, role in User.select(User.login, User.role)
            .where(User.active == 1)
            .order_by(User.login)
            .tuples()
            if allowed(Role(role), Action.INBOX_REPLY)
        ]
    return sorted(logins, key=lambda login: login != me.login)
