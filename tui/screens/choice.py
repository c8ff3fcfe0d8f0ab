"""A small modal that asks to pick one of a few things (a teammate, a saved reply)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Input, Label, OptionList
from textual.widgets.option_list import Option


class ChoicePicker(ModalScreen[str | None]):
    """Dismisses with the chosen option's key, or None (escape). Labels are people's text:
    shown plain, never as markup."""

    BINDINGS = [Binding("escape", "cancel", "Cancel", id="choice.cancel")]

    def __init__(self, title: str, options: list[tuple[str, str]], hint: str = ""):
        super().__init__()
        self.title_text = title
        self.options = options
        self.hint = hint

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="choice"):
            yield Label(Content(self.title_text), classes="dialog-title")
            yield OptionList(*[Option(Content(label), id=key) for key, label in self.options])
            yield Label(Content(self.hint or "enter chooses · esc cancels"), classes="hint")

    def on_mount(self) -> None:
        self.query_one(OptionList).focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)

    def action_cancel(self) -> None:
        self.dismiss(None)


class LinePrompt(ModalScreen[str | None]):
    """One line of text (search words, a label): enter gives it, escape cancels."""

    BINDINGS = [Binding("escape", "cancel", "Cancel", id="line.cancel")]

    def __init__(self, title: str, value: str = "", hint: str = ""):
        super().__init__()
        self.title_text = title
        self.value = value
        self.hint = hint

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="line-prompt"):
            yield Label(Content(self.title_text), classes="dialog-title")
            yield Input(self.value, id="line-text")
            yield Label(Content(self.hint or "enter · esc cancels"), classes="hint")

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.dismiss(event.value)

    def action_cancel(self) -> None:
        self.dismiss(None)
