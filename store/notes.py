"""Calendar notes: milestones and events over a range of days."""

from __future__ import annotations

from datetime import date, datetime

from . import access, audit
from .db import reading, writing
from .db.models import CalendarNote
from .domain import Actor, CalendarNoteInfo
from .errors import ValidationError
from .permissions import Action, require
from .text import clean

KINDS = ("milestone", "holiday", "launch", "campaign", "event")
MAX_TITLE = 200


def add_note(
    actor: Actor,
    title: str,
    starts_on: date,
    now: datetime,
    *,
    ends_on: date | None = None,
    brand_id: int | None = None,
    kind: str = "milestone",
) -> CalendarNoteInfo:
    """Put a milestone (launch, holiday, campaign start) on the calendar."""
    require(actor, Action.NOTE_CREATE, brand_id)
    title = clean(title).strip()
    if not title:
        raise ValidationError("title", "a note needs a title")
    if len(title) > MAX_TITLE:
        raise ValidationError("title", f"{len(title)} characters; keep it under {MAX_TITLE}")
    if kind not in KINDS:
        raise ValidationError("kind", f"{kind!r} is not one of {', '.join(KINDS)}")
    ends_on = ends_on or starts_on
    if ends_on < starts_on:
        raise ValidationError("ends_on", "a note cannot end before it starts")
    with writing():
        note = CalendarNote.create(
            brand=brand_id,
            title=title,
            starts_on=starts_on,
            ends_on=ends_on,
            kind=kind,
            created_by=actor.user.id,
            created_at=now,
        )
        audit.record(
            actor.login,
            "note.add",
            "note",
            note.id,
            {"title": title, "from": starts_on.isoformat(), "to": ends_on.isoformat()},
            now,
        )
    return _info(note)


def notes_between(
    actor: Actor, start: date, end: date, brand_id: int | None = None
) -> list[CalendarNoteInfo]:
    """Notes overlapping the days [start, end) of the brands the actor sees (of one brand, with
    `brand_id`), team-wide notes included."""
    visible = access.visible_brands(actor)
    if brand_id is not None:
        access.require_brand(actor, brand_id)
    with reading():
        query = CalendarNote.select().where(
            (CalendarNote.starts_on < end) & (CalendarNote.ends_on >= start)
        )
        if brand_id is not None:
            query = query.where((CalendarNote.brand == brand_id) | CalendarNote.brand.is_null())
        elif visible is not None:
            query = query.where(
                CalendarNote.brand.in_(list(visible) or [0]) | CalendarNote.brand.is_null()
            )
        return [_info(n) for n in query.order_by(CalendarNote.starts_on, CalendarNote.id)]


def _info(note: CalendarNote) -> CalendarNoteInfo:
    return CalendarNoteInfo(
        note.id, note.brand_id, note.title, note.starts_on, note.ends_on, clean(note.kind)
    )
