"""`N`: put a milestone on the calendar."""

from __future__ import annotations

from datetime import date

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Select

import store

from ..session import db_work
from ..widgets.field_row import row


class NoteEditor(ModalScreen[bool]):
    """Title, first and last day, kind and brand; saved through the store. A refusal is said
    inside the dialog, which stays open."""

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
            yield row(
                "Title",
                Input(compact=True, placeholder="e.g. Winter Blend launch", id="note-title"),
            )
            yield row(
                "First day",
                Input(value=self.day.isoformat(), compact=True, id="note-from"),
            )
            yield row("Last day", Input(compact=True, placeholder="optional", id="note-until"))
            yield row(
                "Kind",
                Select(
                    [(k, k) for k in store.NOTE_KINDS],
                    value="milestone",
                    allow_blank=False,
                    compact=True,
                    id="note-kind",
                ),
            )
            yield row(
                "Brand",
                Select(
                    [(Text(b.name), b.id) for b in app.brands],
                    prompt="All brands",
                    value=app.brand_id if app.brand_id is not None else Select.NULL,
                    compact=True,
                    id="note-brand",
                ),
            )
            yield Label("", id="note-error", classes="error")
            with Horizontal(classes="row"):
                yield Button("Save (ctrl+s)", variant="primary", id="note-save")
                yield Button("Cancel (esc)", id="note-cancel")

    def on_mount(self) -> None:
        self.query_one("#note-title", Input).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.action_save() if event.button.id == "note-save" else self.action_cancel()

    def action_cancel(self) -> None:
        self.dismiss(False)

    def refused(self, error: store.PostroomError) -> None:
        """Say why inside the dialog, and put the cursor where the problem is."""
        self.query_one("#note-error", Label).update(Content(str(error)))
        field = getattr(error, "field", "")
        target = {"first day": "#note-from", "last day": "#note-until", "ends_on": "#note-until"}
        self.query_one(target.get(field, "#note-title"), Input).focus()

    def action_save(self) -> None:
        today = self.app.session.today(self.app.timezone)
        try:
            first = self.query_one("#note-from", Input).value
            starts = store.parse_day(first, today, field="first day")
            until = self.query_one("#note-until", Input).value.strip()
            ends = store.parse_day(until, today, field="last day") if until else None
        except store.ValidationError as bad:
            self.refused(bad)
            return
        brand = self.query_one("#note-brand", Select).value
        self.save(
            self.query_one("#note-title", Input).value,
            starts,
            ends,
            self.query_one("#note-kind", Select).value,
            None if brand is Select.NULL else brand,
        )

    @db_work(group="note-save", writes=True)
    def save(self, title, starts, ends, kind, brand_id) -> None:
        session = self.app.session
        store.add_note(
            session.actor(),
            title,
            starts,
            session.now(),
            ends_on=ends,
            brand_id=brand_id,
            kind=kind,
        )
        self.app.call_from_thread(self.dismiss, True)
