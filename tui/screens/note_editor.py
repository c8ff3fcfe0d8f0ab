"""`N`: put a milestone on the calendar."""

from __future__ import annotations

from datetime import date

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Select

import store

from ..session import db_work

KINDS = ("milestone", "holiday", "launch", "campaign", "event")


class NoteEditor(ModalScreen[bool]):
    """Title, first and last day, kind and brand; saved through the store."""

    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="note.cancel"),
        Binding("ctrl+s", "save", "Save", id="note.save"),
    ]

    def __init__(self, day: date):
        super().__init__()
        self.day = day

    def compose(self) -> ComposeResult:
        app = self.app
        with Vertical(classes="dialog", id="note-editor"):
            yield Label("New calendar note", classes="dialog-title")
            yield Input(placeholder="Title, e.g. Winter Blend launch", id="note-title")
            with Horizontal(classes="row"):
                yield Input(value=self.day.isoformat(), placeholder="first day", id="note-from")
                yield Input(placeholder="last day (optional)", id="note-until")
            yield Select(
                [(k, k) for k in KINDS], value="milestone", allow_blank=False, id="note-kind"
            )
            yield Select(
                [(b.name, b.id) for b in app.brands],
                prompt="All brands",
                value=app.brand_id if app.brand_id is not None else Select.NULL,
                id="note-brand",
            )
            yield Label("", id="note-error", classes="error")
            with Horizontal(classes="row"):
                yield Button("Save (ctrl+s)", variant="primary", id="note-save")
                yield Button("Cancel (esc)", id="note-cancel")

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.action_save() if event.button.id == "note-save" else self.action_cancel()

    def action_cancel(self) -> None:
        self.dismiss(False)

    def action_save(self) -> None:
        error = self.query_one("#note-error", Label)
        today = self.app.session.today(self.app.timezone)
        try:
            starts = store.parse_day(
                self.query_one("#note-from", Input).value, today, field="first day"
            )
            until = self.query_one("#note-until", Input).value.strip()
            ends = store.parse_day(until, today, field="last day") if until else None
        except store.ValidationError as bad:
            error.update(str(bad))
            return
        brand = self.query_one("#note-brand", Select).value
        self.save(
            self.query_one("#note-title", Input).value,
            starts,
            ends,
            self.query_one("#note-kind", Select).value,
            None if brand is Select.NULL else brand,
        )

    @db_work(group="note-save")
    def save(self, title, starts, ends, kind, brand_id) -> None:
        session = self.app.session
        try:
            store.add_note(
                session.actor(),
                title,
                starts,
                session.now(),
                ends_on=ends,
                brand_id=brand_id,
                kind=kind,
            )
        except store.PostroomError as refused:
            self.app.call_from_thread(self.query_one("#note-error", Label).update, str(refused))
            return
        self.app.call_from_thread(self.app.reload_screens)
        self.app.call_from_thread(self.dismiss, True)
