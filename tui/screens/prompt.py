"""A small modal that asks for one piece of text (a comment, a note)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Label, TextArea


class TextPrompt(ModalScreen[str | None]):
    """Dismisses with the text (ctrl+s) or None (escape)."""

    BINDINGS = [
        Binding("ctrl+s", "done", "Send", id="prompt.send"),
        Binding("escape", "cancel", "Cancel", id="prompt.cancel"),
    ]

    def __init__(self, title: str, hint: str = ""):
        super().__init__()
        self.title_text = title
        self.hint = hint

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="prompt"):
            yield Label(self.title_text, classes="dialog-title")
            yield TextArea(id="prompt-text", soft_wrap=True)
            yield Label(self.hint or "ctrl+s sends · esc cancels", classes="hint")

    def on_mount(self) -> None:
        self.query_one(TextArea).focus()

    def action_done(self) -> None:
        self.dismiss(self.query_one(TextArea).text)

    def action_cancel(self) -> None:
        self.dismiss(None)
