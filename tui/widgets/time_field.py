"""A time typed as people type it (`fri 9:00`, `+2d`), said back in words below it as they type,
or what is wrong with it."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Input, Label

import store


class TimeField(Vertical):
    """An Input and its words; the app's clock and the user's timezone read it."""

    DEFAULT_CSS = """
    TimeField { height: auto; }
    TimeField > Label { color: $text-muted; }
    """

    def __init__(self, placeholder: str, *, id: str):
        super().__init__(id=id)
        self.placeholder = placeholder

    def compose(self) -> ComposeResult:
        yield Input(compact=True, placeholder=self.placeholder, id=f"{self.id}-input")
        yield Label("", id=f"{self.id}-words")

    @property
    def input(self) -> Input:
        return self.query_one(Input)

    @property
    def value(self) -> str:
        """What was typed."""
        return self.input.value

    @value.setter
    def value(self, text: str) -> None:
        self.input.value = text

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        words = self.query_one(Label)
        text = event.value.strip()
        if not text:
            words.update("")
            self.input.remove_class("-invalid")
            return
        session, zone = self.app.session, self.app.timezone
        try:
            moment = store.parse_when(text, session.now(), zone, field="time")
        except store.ValidationError as bad:
            words.update(Text(bad.reason, style="red"))
            self.input.add_class("-invalid")
            return
        self.input.remove_class("-invalid")
        late = moment <= session.now()
        words.update(
            Text(
                store.describe(moment, zone, session.now()) + (" — passed" if late else ""),
                style="red" if late else "",
            )
        )
