"""Messages that cross screens, as small dataclasses in one place."""

from __future__ import annotations

from dataclasses import dataclass

from textual.message import Message

from store import ChangeBatch, NeedsMe, News


@dataclass
class Changed(Message):
    """Something changed in the database (here or in another process): what, from the feed."""

    batch: ChangeBatch


@dataclass
class NewsChecked(Message):
    """The header's counts, and what happened to my posts since the last check."""

    needs: NeedsMe
    news: list[News]
    inbox_new: int = 0  # new inbox messages assigned to me


@dataclass
class Refused(Message):
    """The store said no to something a screen asked; the screen says why where it belongs."""

    error: Exception
