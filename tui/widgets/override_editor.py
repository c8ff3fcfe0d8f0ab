"""A caption for one channel instead of the post's: pick the channel, write its caption; it keeps
what was written for each chosen channel."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import Select, TextArea

from store import ChannelInfo


class OverrideEditor(Vertical):
    """The editor owns which channels are chosen; this owns their own captions."""

    DEFAULT_CSS = "OverrideEditor { height: auto; }"

    class Changed(Message):
        """A channel's own caption changed (the checks should run again)."""

    def __init__(self, *, id: str):
        super().__init__(id=id)
        self.overrides: dict[int, str] = {}
        self.channel: int | None = None

    def compose(self) -> ComposeResult:
        yield Select(
            [],
            compact=True,
            prompt="Override the caption for one channel…",
            id=f"{self.id}-channel",
        )
        yield TextArea(id=f"{self.id}-text", soft_wrap=True, compact=True)

    def load(self, overrides: dict[int, str]) -> None:
        """Start from these captions (an existing post's)."""
        self.overrides = dict(overrides)
        self.channel = None
        self.query_one(TextArea).text = ""

    def offer(self, channels: list[ChannelInfo]) -> None:
        """The channels chosen now: only they can have their own caption."""
        self._stash()
        select = self.query_one(Select)
        current = self.channel
        select.set_options([(Text(f"{c.platform.value} {c.handle}"), c.id) for c in channels])
        if current in {c.id for c in channels}:
            select.value = current

    def current(self) -> dict[int, str]:
        """Every channel's own caption, as written (empty ones left out)."""
        self._stash()
        return {k: v for k, v in self.overrides.items() if v}

    def _stash(self) -> None:
        if self.channel is not None:
            self.overrides[self.channel] = self.query_one(TextArea).text

    def on_select_changed(self, event: Select.Changed) -> None:
        event.stop()
        self._stash()
        self.channel = None if event.value is Select.NULL else event.value
        self.query_one(TextArea).text = self.overrides.get(self.channel, "")
        self.post_message(self.Changed())

    def on_text_area_changed(self, event: TextArea.Changed) -> None:
        event.stop()
        self.post_message(self.Changed())
