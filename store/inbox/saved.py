"""Saved replies: answers the team reuses, inserted by name; `{name}` is filled from the author.
A brand's own come before the team's (brand NULL)."""

from __future__ import annotations

from datetime import datetime

from .. import audit
from ..db import reading, writing
from ..db.models import SavedReply
from ..domain import Actor
from ..errors import ValidationError
from ..permissions import Action, require
from ..text import clean
from .model import SavedReplyInfo


def add_saved_reply(
    actor: Actor, title: str, body: str, now: datetime, *, brand_id: int | None = None
) -> SavedReplyInfo:
    """Add (or replace, by name) a saved reply; managers and admins."""
    require(actor, Action.INBOX_ASSIGN, brand_id)
    name = clean(title).strip()
    text = clean(body, lines=True).strip()
    if not name:
        raise ValidationError("title", "give the saved reply a name")
    if len(name) > 60:
        raise ValidationError("title", f"{len(name)} characters; the most is 60")
    if not text:
        raise ValidationError("body", "write the reply")
    with writing():
        row = SavedReply.get_or_none(
            (SavedReply.title**name)
            & (SavedReply.brand.is_null() if brand_id is None else SavedReply.brand == brand_id)
        )
        if row is None:
            row = SavedReply.create(brand=brand_id, title=name, body=text)
        else:
            row.body = text
            row.save()
        audit.record(actor.login, "inbox.saved_reply", "inbox", None, {"title": name}, now)
    return SavedReplyInfo(row.id, row.title, row.body, row.brand_id)


def list_saved_replies(actor: Actor, brand_id: int | None = None) -> list[SavedReplyInfo]:
    """The saved replies usable on a brand (its own, then the team's), by name."""
    require(actor, Action.INBOX_VIEW)
    with reading():
        query = SavedReply.select()
        if brand_id is not None:
            query = query.where(SavedReply.brand.is_null() | (SavedReply.brand == brand_id))
        rows = sorted(query, key=lambda r: (r.brand_id is None, r.title.casefold()))
        return [SavedReplyInfo(r.id, r.title, r.body, r.brand_id) for r in rows]
