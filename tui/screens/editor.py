"""The post editor: every field of a post, with each channel's caption checked while you type."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Select, SelectionList, TextArea

import store
from store import PostDetail

from ..external_editor import edit_externally
from ..session import db_work
from ..widgets.caption_checks import CaptionChecks
from ..widgets.media_list import MediaList
from .editor_data import Draft, EditorChoices, draft_of, fields_of, load_choices, new_draft
from .editor_feedback import LiveFeedback


@dataclass
class EditorLoaded(Message):
    """The post (None for a new one) and the brand's options."""

    detail: PostDetail | None
    choices: EditorChoices


@dataclass
class Saved(Message):
    """The post was saved (and perhaps submitted)."""

    summary: store.PostSummary
    words: str


@dataclass
class SaveRefused(Message):
    """The store said no; `conflict` when someone saved first."""

    error: store.PostroomError


class PostEditor(LiveFeedback, ModalScreen[int | None]):
    """Dismisses with the saved post's id, or None when left without saving."""

    BINDINGS = [
        Binding("ctrl+s", "save(False)", "Save", id="editor.save"),
        Binding("ctrl+r", "save(True)", "Save + submit", id="editor.submit"),
        # priority: the focused Input and TextArea use ctrl+e for "end of line".
        Binding("ctrl+e", "external_editor", "$EDITOR", id="editor.external", priority=True),
        Binding("escape", "leave", "Close", id="editor.close"),
    ]

    def __init__(self, post_id: int | None, day: date | None = None):
        super().__init__()
        self.post_id = post_id
        self.day = day
        self.version: int | None = None
        self.choices: EditorChoices | None = None
        self.initial: Draft | None = None
        self.overrides: dict[int, str] = {}
        self.override_channel: int | None = None

    def compose(self) -> ComposeResult:
        app = self.app
        heading = "New post" if self.post_id is None else f"Edit post #{self.post_id}"
        with VerticalScroll(classes="dialog", id="editor"):
            yield Label(
                f"{heading}   [dim]ctrl+s save · ctrl+r save + submit · esc close[/dim]",
                classes="dialog-title",
                id="editor-heading",
            )
            yield Label("", id="editor-error", classes="error")
            with Horizontal(id="editor-columns"):
                with Vertical(id="editor-content"):
                    yield Input(compact=True, placeholder="Title (for the team)", id="editor-title")
                    yield Label("Caption  [dim]ctrl+e: $EDITOR[/dim]", classes="field")
                    yield TextArea(id="editor-caption", soft_wrap=True, compact=True)
                    yield CaptionChecks(id="editor-checks")
                    yield Label(
                        "Media  [dim]enter adds · x removes · shift+↑↓ order[/dim]",
                        classes="field",
                    )
                    yield MediaList(id="editor-media")
                with Vertical(id="editor-plan"):
                    if self.post_id is None and app.brand_id is None and len(app.brands) > 1:
                        yield Select(
                            [(b.name, b.id) for b in app.brands],
                            value=app.brands[0].id,
                            allow_blank=False,
                            compact=True,
                            id="editor-brand",
                        )
                    yield Label("Channels  [dim]space toggles[/dim]", classes="field")
                    yield SelectionList(id="editor-channels", compact=True)
                    yield Label("Publish", classes="field")
                    yield Input(
                        compact=True,
                        placeholder="2026-12-01 09:30, tomorrow 9:00, fri 17:00, +2d",
                        id="editor-publish",
                    )
                    yield Label("", id="editor-publish-words", classes="hint")
                    yield Label("Review due", classes="field")
                    yield Input(
                        compact=True,
                        placeholder="same forms; empty: 48 h after submitting",
                        id="editor-review",
                    )
                    yield Label("", id="editor-review-words", classes="hint")
                    yield Select(
                        [("routine", "routine"), ("high-stakes", "high_stakes")],
                        value="routine",
                        allow_blank=False,
                        compact=True,
                        id="editor-tier",
                    )
                    yield Select([], compact=True, prompt="Owner", id="editor-owner")
                    yield Select([], compact=True, prompt="Pillar", id="editor-pillar")
                    yield Select([], compact=True, prompt="Campaign", id="editor-campaign")
                    yield Input(compact=True, placeholder="Tags: seasonal ugc", id="editor-tags")
            yield Label("Brief (creative direction)", classes="field")
            yield TextArea(id="editor-brief", soft_wrap=True, compact=True)
            yield Select(
                [],
                compact=True,
                prompt="Override the caption for one channel…",
                id="editor-override-channel",
            )
            yield TextArea(id="editor-override", soft_wrap=True, compact=True)

    def on_mount(self) -> None:
        self._say("")
        brand_id = (
            self.app.brand_id
            if self.app.brand_id is not None
            else (self.app.brands[0].id if len(self.app.brands) == 1 else None)
        )
        if self.post_id is not None or brand_id is not None:
            self.load(self.post_id, brand_id)
        self.query_one("#editor-title", Input).focus()

    @db_work(group="editor-load")
    def load(self, post_id: int | None, brand_id: int | None) -> None:
        actor = self.app.session.actor()
        detail = store.post_detail(actor, post_id) if post_id is not None else None
        brand = detail.summary.brand_id if detail else brand_id
        self.post_message(EditorLoaded(detail, load_choices(actor, brand)))

    def on_editor_loaded(self, message: EditorLoaded) -> None:
        self.choices = message.choices
        if message.detail is not None:
            self.version = message.detail.summary.version
            draft = draft_of(message.detail, self.app.timezone)
        elif self.initial is not None:
            draft = self.read()  # a brand was picked: keep what was typed
        else:
            draft = new_draft(
                self.day, self.app.session.login, self.app.session.now(), self.app.timezone
            )
        self.fill(draft)
        self.query_one(MediaList).show(list(message.detail.media) if message.detail else [])
        if self.initial is None or message.detail is not None:
            self.initial = self.read()

    def fill(self, draft: Draft) -> None:
        """Put a draft into the widgets."""
        choices = self.choices
        self.query_one("#editor-title", Input).value = draft.title
        self.query_one("#editor-brief", TextArea).text = draft.brief
        self.query_one("#editor-caption", TextArea).text = draft.caption
        channels = self.query_one("#editor-channels", SelectionList)
        channels.clear_options()
        channels.add_options(
            [
                (f"{c.platform.value} {c.handle}", c.id, c.id in draft.channel_ids)
                for c in choices.channels
            ]
        )
        if choices.channels:
            channels.highlighted = 0  # so space ticks the first channel at once
        self.overrides = dict(draft.overrides)
        self._set_select("#editor-pillar", [(n, i) for i, n in choices.pillars], draft.pillar_id)
        self._set_select(
            "#editor-campaign", [(n, i) for i, n in choices.campaigns], draft.campaign_id
        )
        self._set_select("#editor-owner", [(o, o) for o in choices.owners], draft.owner or None)
        self.query_one("#editor-tier", Select).value = draft.tier
        self.query_one("#editor-tags", Input).value = draft.tags
        self.query_one("#editor-publish", Input).value = draft.publish_at
        self.query_one("#editor-review", Input).value = draft.review_due
        self._refresh_override_choices()

    def _set_select(self, selector: str, options: list, value) -> None:
        select = self.query_one(selector, Select)
        select.set_options(options)
        select.value = value if value in {v for _, v in options} else Select.NULL

    def read(self) -> Draft:
        """The widgets as a draft."""
        self._stash_override()

        def chosen(selector):
            value = self.query_one(selector, Select).value
            return None if value is Select.NULL else value

        return Draft(
            title=self.query_one("#editor-title", Input).value,
            brief=self.query_one("#editor-brief", TextArea).text,
            caption=self.query_one("#editor-caption", TextArea).text,
            channel_ids=list(self.query_one("#editor-channels", SelectionList).selected),
            overrides={k: v for k, v in self.overrides.items() if v},
            pillar_id=chosen("#editor-pillar"),
            campaign_id=chosen("#editor-campaign"),
            owner=chosen("#editor-owner") or "",
            tier=chosen("#editor-tier") or "routine",
            tags=self.query_one("#editor-tags", Input).value,
            publish_at=self.query_one("#editor-publish", Input).value,
            review_due=self.query_one("#editor-review", Input).value,
            media_ids=self.query_one(MediaList).ids,
        )

    @property
    def dirty(self) -> bool:
        """Whether anything differs from what was loaded."""
        return self.initial is not None and self.read() != self.initial

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
            self._mark(bad)
            return
        if self.post_id is not None:
            fields = {k: v for k, v in fields.items() if before.get(k) != v}
            if draft.title != self.initial.title:
                fields["title"] = draft.title
        self.save(self.post_id, self.choices.brand_id, draft.title, fields, self.version, submit)

    @db_work(group="editor-save")
    def save(self, post_id, brand_id, title, fields, version, submit) -> None:
        session = self.app.session
        actor, now = session.actor(), session.now()
        try:
            if post_id is None:
                summary = store.create_post(actor, brand_id, title, now, **fields)
            else:
                summary = store.edit_post(actor, post_id, now, expected_version=version, **fields)
        except store.PostroomError as refused:
            self.post_message(SaveRefused(refused))
            return
        words = f"Saved '{summary.title}'"
        if submit:
            try:
                summary = store.move(actor, summary.id, "in_review", now)
                words += " and submitted for review"
            except store.PostroomError as refused:
                words += f"; not submitted: {refused}"
        self.post_message(Saved(summary, words))

    def on_saved(self, message: Saved) -> None:
        self.notify(
            message.words, severity="warning" if "not submitted" in message.words else "information"
        )
        self.dismiss(message.summary.id)
        self.app.reload_screens()

    def on_save_refused(self, message: SaveRefused) -> None:
        error = message.error
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
        self._mark(error)

    def _mark(self, error: store.PostroomError) -> None:
        """Say what is wrong, at the field when there is one."""
        self._say(str(error))
        field = getattr(error, "field", None)
        targets = {
            "title": "#editor-title",
            "publish_at": "#editor-publish",
            "review_due": "#editor-review",
            "caption": "#editor-caption",
            "channels": "#editor-channels",
            "tags": "#editor-tags",
            "owner": "#editor-owner",
            "media": "#editor-media",
        }
        if field in targets:
            widget = self.query_one(targets[field])
            widget.add_class("-invalid")
            widget.focus()

    def _say(self, words: str) -> None:
        """Show (or clear) the line that says why something was refused."""
        error = self.query_one("#editor-error", Label)
        error.update(words)
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
