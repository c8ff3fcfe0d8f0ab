"""Messages that cross screens, as small dataclasses in one place."""

from __future__ import annotations

from dataclasses import dataclass

from textual.message import Message

from store import NeedsMe, News


@dataclass
class DataChanged(Message):
    """Someone (here or in another process) changed the database; visible screens reload."""


@dataclass
class NewsChecked(Message):
    """The header's counts, and what happened to my posts since the last check."""

    needs: NeedsMe
    news: list[News]
