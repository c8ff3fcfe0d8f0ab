"""Messages that cross screens, as small dataclasses in one place."""

from __future__ import annotations

from dataclasses import dataclass

from textual.message import Message


@dataclass
class DataChanged(Message):
    """Someone (here or in another process) changed the database; visible screens reload."""
