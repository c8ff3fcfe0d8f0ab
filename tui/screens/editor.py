"""The post editor: every field of a post, labelled, with each channel's caption checked while you
type; a refusal is said inside it, at the field."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Select, SelectionList, TextArea

import store
from store import PostDetail, Stage

from .. import textual_internals
from ..drafts import (
    Draft,
    EditorChoices,
    draft_of,
    fields_of,
    load_choices,
    new_draft,
)
from ..external_editor import edit_externally
from ..session import db_work
from ..widgets.caption_checks import CaptionChecks
from ..widgets.media_list import MediaList
from ..widgets.override_editor import OverrideEditor
from ..widgets.post_form import PostForm

#: How the editor names a field the store names (a refusal says it the editor's way).
LABELS = {
    "title": "Title",
    "publish_at": "Publish",
    "review_due": "Review due",
    "caption": "Caption",
    "channels": "Channels",
    "tags": "Tags",
    "owner": "Owner",
    "media": "Media",
    "overrides": "Channel caption",
}
#: Where a refusal naming a field puts the cursor.
FIELDS = {
    "title": "#editor-title",
    "publish_at": "#editor-publish-input",
    "review_due": "#editor-review-input",
    "caption": "#editor-caption",
    "channels": "#editor-channels",
    "tags": "#editor-tags",
    "owner": "#editor-owner",
    "media": "#editor-media",
    "overrides": "#editor-override-text",
}


@dataclass
class EditorLoaded(Message):
    """The post (None for a new one) and the brand's options."""

    detail: PostDetail | None
    choices: EditorChoices


@dataclass
class ChoicesKnown(Message):
    """A brand's options, loaded ahead."""

    choices: EditorChoices


@dataclass
class Saved(Message):
    """The post was saved (and perhaps submitted)."""

    summary: store.PostSummary
    words: str
    warning: bool = False


class PostEditor(ModalScreen[int | None]):
    """Dismisses with the saved post's id, or None when left without saving."""

    BINDINGS = [
        Binding("ctrl+s", "save(False)", "Save", id="editor.save"),
        Binding("ctrl+r", "save(True)", "Save + submit", id="editor.submit"),
        # priority: the focused Input and TextArea use ctrl+e for "end of line".
        Binding("ctrl+e", "external_editor", "$EDITOR", id="editor.external", priority=True),
        Binding("escape", "leave", "Close", id="editor.close"),
    ]

    def __init__(self, post_id: int | None = None, day: date | None = None):
        super().__init__()
        self.post_id = post_id
        self.day = day
        self.version: int | None = None
        self.choices: EditorChoices | None = None
        self.initial: Draft | None = None
        self.in_use = False  # on a screen stack now (the app reuses one editor)
        self._to_load = True  # load the post when next shown
        self.known: dict[int, EditorChoices] = {}  # each brand's options as last loaded

    def open(self, post_id: int | None, day: date | None = None) -> None:
        """Make this editor, built before, show another post (or a new one) when next pushed:
        building one takes a few hundred ms, emptying it a few. A new post is filled at once
        from the brand's options as last loaded (they are loaded again as it opens)."""
        self.post_id, self.day = post_id, day
        self.version = self.choices = self.initial = None
        self._to_load = True
        if not self.is_mounted:
            return
        self._empty()
        brand_id = self._brand_to_load()
        if post_id is None and brand_id in self.known:
            self.choices = self.known[brand_id]
            self.fill(self._new_draft())
            self.initial = self.read()

    def _brand_to_load(self) -> int | None:
        """The brand whose options a newly opened editor shows (None: a post's own, or none)."""
        app = self.app
        if self.post_id is not None or app.brand_id is not None:
            return app.brand_id if self.post_id is None else None
        return self.form.brand

    def _new_draft(self) -> Draft:
        session = self.app.session
        return new_draft(self.day, session.login, session.now(), self.app.timezone)

    @db_work(group="editor-ahead")
    def look_ahead(self) -> None:
        """Load the options of the brand a new post would be for, before anyone presses n."""
        brand_id = self._brand_to_load()
        if brand_id is not None:
            choices = load_choices(self.app.session.actor(), brand_id)
            self.post_message(ChoicesKnown(choices))

    def on_choices_known(self, message: ChoicesKnown) -> None:
        self.known[message.choices.brand_id] = message.choices

    def compose(self) -> ComposeResult:
        with VerticalScroll(classes="dialog", id="editor"):
            yield Label(classes="dialog-title", id="editor-heading")
            yield Label("", id="editor-error", classes="error")
            yield PostForm(self.app.brands, id="editor-form")

    @property
    def form(self) -> PostForm:
        return self.query_one(PostForm)

    def on_mount(self) -> None:
        self._empty()

    def on_screen_resume(self, event: events.ScreenResume) -> None:
        textual_internals.keep_styles(self, event)  # before Textual's own handler runs
        # Resumed also when a dialog opened from here closes: load only when newly opened.
        if not self._to_load:
            return
        self._to_load = False
        brand_id = self._brand_to_load()
        if self.post_id is not None or brand_id is not None:
            self.load(self.post_id, brand_id)

    def _empty(self) -> None:
        """Every field blank, the heading saying what is edited, the cursor in the title."""
        app = self.app
        heading = "New post" if self.post_id is None else f"Edit post #{self.post_id}"
        self.query_one("#editor-heading", Label).update(
            Content.assemble(
                (heading, "bold"), ("   ctrl+s save · ctrl+r save + submit · esc close", "dim")
            )
        )
        self._say("")
        self.form.empty(
            ask_brand=self.post_id is None and app.brand_id is None and len(app.brands) > 1
        )
        self.query_one("#editor", VerticalScroll).scroll_home(animate=False)
        self.query_one("#editor-title", Input).focus()

    @db_work(group="editor-load")
    def load(self, post_id: int | None, brand_id: int | None) -> None:
        actor = self.app.session.actor()
        detail = store.post_detail(actor, post_id) if post_id is not None else None
        brand = detail.summary.brand_id if detail else brand_id
        self.post_message(EditorLoaded(detail, load_choices(actor, brand)))

    def on_editor_loaded(self, message: EditorLoaded) -> None:
        self.known[message.choices.brand_id] = message.choices
        if message.detail is None and message.choices == self.choices:
            return  # shown already from the options known before (and not changed since)
        self.choices = message.choices
        if message.detail is not None:
            self.version = message.detail.summary.version
            draft = draft_of(message.detail, self.app.timezone)
        elif self.initial is not None:
            draft = self.read()  # a brand was picked, or the options changed: keep what was typed
        else:
            draft = self._new_draft()
        self.fill(draft)
        self.query_one(MediaList).show(list(message.detail.media) if message.detail else [])
        if self.initial is None or message.detail is not None:
            self.initial = self.read()

    def fill(self, draft: Draft) -> None:
        """Put a draft into the fields, with the loaded options, and check it."""
        self.form.fill(draft, self.choices)
        self._channels_changed()

    def read(self) -> Draft:
        """The fields as a draft."""
        return self.form.read()

    @property
    def dirty(self) -> bool:
        """Whether anything differs from what was loaded."""
        return self.initial is not None and self.read() != self.initial

    # --- live checks -----------------------------------------------------------------------

    def _chosen_channels(self) -> list[store.ChannelInfo]:
        return self.form.chosen_channels(self.choices)

    def _channels_changed(self) -> None:
        self.query_one(OverrideEditor).offer(self._chosen_channels())
        self.recheck()

    def recheck(self) -> None:
        """Check what each chosen channel would be sent, a moment after typing stops."""
        if self.choices is None:
            return
        caption = self.query_one("#editor-caption", TextArea).text
        overrides = self.query_one(OverrideEditor).current()
        jobs = [
            (
                f"{c.platform.value} {c.handle}",
                c.platform,
                store.delivery_caption(caption, overrides.get(c.id)),
            )
            for c in self._chosen_channels()
        ]
        self.query_one(CaptionChecks).recheck(jobs, list(self.query_one(MediaList).assets))

    def on_selection_list_selected_changed(self, _: SelectionList.SelectedChanged) -> None:
        self._channels_changed()

    def on_text_area_changed(self, event: TextArea.Changed) -> None:
        if event.text_area.id == "editor-caption":
            self.recheck()

    def on_override_editor_changed(self, _: OverrideEditor.Changed) -> None:
        self.recheck()

    def on_select_changed(self, event: Select.Changed) -> None:
        if event.select.id != "editor-brand" or event.value is Select.NULL:
            return
        # Only a person choosing another brand for a new post (not the value the editor set).
        loaded = self.choices.brand_id if self.choices is not None else None
        chosen = self.post_id is None and not self._to_load and event.value != loaded
        if chosen and self.query_one("#editor-brand-row").display:
            self.load(None, event.value)

    def on_media_list_add_wanted(self, _: MediaList.AddWanted) -> None:
        if self.choices is None:
            self._say("Choose a brand first.")
            return
        from .media_picker import MediaPicker

        media = self.query_one(MediaList)

        def picked(asset: store.AssetInfo | None) -> None:
            if asset is not None:
                media.add(asset)
                self.recheck()
            media.focus()

        self.app.push_screen(MediaPicker(self.choices.brand_id, media.ids), picked)

    def on_media_list_changed(self, _: MediaList.Changed) -> None:
        self.recheck()

    # --- saving and leaving ---------------------------------------------------------------

    def action_save(self, submit: bool) -> None:
        self._say("")
        for widget in self.query(".-invalid"):
            widget.remove_class("-invalid")
        if self.choices is None:
            self._say(
                "Choose a brand first."
                if self.app.brands
                else "There is no brand yet: an admin adds one with `postroom brand add NAME`."
            )
            return
        session = self.app.session
        draft = self.read()
        try:
            fields = fields_of(draft, session.now(), self.app.timezone)
            before = (
                fields_of(self.initial, session.now(), self.app.timezone) if self.post_id else {}
            )
        except store.ValidationError as bad:
            self.refused(bad)
            return
        if self.post_id is not None:
            fields = {k: v for k, v in fields.items() if before.get(k) != v}
            if draft.title != self.initial.title:
                fields["title"] = draft.title
        self.save(self.post_id, self.choices.brand_id, draft.title, fields, self.version, submit)

    @db_work(group="editor-save", writes=True)
    def save(self, post_id, brand_id, title, fields, version, submit) -> None:
        session = self.app.session
        actor, now = session.actor(), session.now()
        if post_id is None:
            summary = store.create_post(actor, brand_id, title, now, **fields)
        else:
            summary = store.edit_post(actor, post_id, now, expected_version=version, **fields)
        words, warning = f"Saved '{summary.title}'", False
        if submit:
            try:
                summary = store.move(actor, summary.id, Stage.IN_REVIEW, now)
                words += " and submitted for review"
            except store.PostroomError as refused:
                words, warning = f"{words}; not submitted: {refused}", True
        self.post_message(Saved(summary, words, warning))

    def on_saved(self, message: Saved) -> None:
        self.app.notify(message.words, severity="warning" if message.warning else "information")
        self.dismiss(message.summary.id)

    def refused(self, error: store.PostroomError) -> None:
        """Say why inside the editor, at the field when there is one; a conflict offers to load
        the other person's version."""
        if isinstance(error, store.Conflict):
            from .confirm import Confirm

            def answer(reload: bool) -> None:
                if reload:
                    self.initial = None
                    self.load(self.post_id, None)

            self.app.push_screen(
                Confirm(
                    f"{error}\n\nReload their version? Your changes will be lost.",
                    yes="Reload",
                    no="Keep editing",
                ),
                answer,
            )
            return
        field = getattr(error, "field", None)
        self._say(f"{LABELS[field]}: {error.reason}" if field in LABELS else str(error))
        if field in FIELDS:
            widget = self.query_one(FIELDS[field])
            widget.add_class("-invalid")
            widget.focus()

    def _say(self, words: str) -> None:
        """Show (or clear) the line that says why something was refused."""
        error = self.query_one("#editor-error", Label)
        error.update(Content(words[:1].upper() + words[1:]))
        error.display = bool(words)

    def action_leave(self) -> None:
        if not self.dirty:
            self.dismiss(None)
            return
        from .confirm import Confirm

        def answer(discard: bool) -> None:
            if discard:
                self.dismiss(None)

        self.app.push_screen(
            Confirm("Discard your unsaved changes?", yes="Discard", no="Keep editing"), answer
        )

    def action_external_editor(self) -> None:
        caption = self.query_one("#editor-caption", TextArea)
        edited = edit_externally(self.app, caption.text)
        if edited is not None:
            caption.text = edited
