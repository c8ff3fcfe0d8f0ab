"""Messages that cross screens, as small dataclasses in one place."""

from __future__ import annotations

from dataclasses import dataclass

from textual.message import Message


@dataclass
class DataChanged(Message):
    """Someone (here or in another process) changed the database; visible screens reload."""


@dataclass
class BrandChanged(Message):
    """The brand in view changed (None: all brands)."""

    brand_id: int | None
