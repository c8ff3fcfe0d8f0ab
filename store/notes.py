"""Calendar notes: milestones and events over a range of days."""

from __future__ import annotations

from datetime import date, datetime

from . import audit
from .db import reading, writing
from .domain import Actor, CalendarNoteInfo
from .errors import ValidationError
from .models import CalendarNote
from .permissions import Action, require


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
    title = title.strip()
    if not title:
        raise ValidationError("title", "a note needs a title")
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


def notes_between(start: date, end: date, brand_id: int | None = None) -> list[CalendarNoteInfo]:
    """Notes overlapping the days [start, end), brand-wide ones included."""
    with reading():
        query = CalendarNote.select().where(
            (CalendarNote.starts_on < end) & (CalendarNote.ends_on >= start)
        )
        if brand_id is not None:
            query = query.where((CalendarNote.brand == brand_id) | CalendarNote.brand.is_null())
        return [_info(n) for n in query.order_by(CalendarNote.starts_on, CalendarNote.id)]


def _info(note: CalendarNote) -> CalendarNoteInfo:
    return CalendarNoteInfo(
        note.id, note.brand_id, note.title, note.starts_on, note.ends_on, note.kind
    )
