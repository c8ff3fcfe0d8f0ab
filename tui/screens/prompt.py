"""A small modal that asks for one piece of text (a comment, a note); an empty answer where one
is required is said inside it, and the dialog stays open."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Label, TextArea


class TextPrompt(ModalScreen[str | None]):
    """Dismisses with the text (ctrl+s) or None (escape). With `required` (the words saying what
    is missing), an empty text is refused in place."""

    BINDINGS = [
        Binding("ctrl+s", "done", "Send", id="prompt.send"),
        Binding("escape", "cancel", "Cancel", id="prompt.cancel"),
    ]

    def __init__(self, title: str, hint: str = "", *, required: str = ""):
        super().__init__()
        self.title_text = title
        self.hint = hint
        self.required = required

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="prompt"):
            # People's words (a post title) in the question: shown as they are, never as markup.
            yield Label(Content(self.title_text), classes="dialog-title")
            yield TextArea(id="prompt-text", soft_wrap=True)
            yield Label("", id="prompt-error", classes="error")
            yield Label(Content(self.hint or "ctrl+s sends · esc cancels"), classes="hint")

    def on_mount(self) -> None:
        self.query_one("#prompt-error", Label).display = False
        self.query_one(TextArea).focus()

    def action_done(self) -> None:
        text = self.query_one(TextArea).text
        if self.required and not text.strip():
            error = self.query_one("#prompt-error", Label)
            error.update(Content(f"Not sent: {self.required}."))
            error.display = True
            self.query_one(TextArea).focus()
            return
        self.dismiss(text)

    def action_cancel(self) -> None:
        self.dismiss(None)
