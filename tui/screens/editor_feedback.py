"""The editor's live feedback: each chosen channel's caption checked while typing (off the UI
thread, debounced), publish and review times said back in words, overrides and media."""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual.message import Message
from textual.widgets import Input, Label, Select, SelectionList, TextArea

import store
from store import CaptionReport

from ..session import db_work
from ..widgets.caption_checks import CaptionChecks
from ..widgets.media_list import MediaList


@dataclass
class ChecksDone(Message):
    """Caption checks for the chosen channels, for the text they were run on."""

    reports: list[tuple[str, CaptionReport]]


class LiveFeedback:
    """Mixed into PostEditor: the handlers that answer typing, ticking and picking."""

    def on_select_changed(self, event: Select.Changed) -> None:
        if event.select.id == "editor-brand" and event.value is not Select.NULL:
            self.load(None, event.value)
        elif event.select.id == "editor-override-channel":
            self._stash_override()
            self.override_channel = None if event.value is Select.NULL else event.value
            self.query_one("#editor-override", TextArea).text = self.overrides.get(
                self.override_channel, ""
            )
            self.schedule_checks()

    def _stash_override(self) -> None:
        if self.override_channel is not None:
            self.overrides[self.override_channel] = self.query_one(
                "#editor-override", TextArea
            ).text

    def on_selection_list_selected_changed(self, _: SelectionList.SelectedChanged) -> None:
        self._refresh_override_choices()
        self.schedule_checks()

    def _refresh_override_choices(self) -> None:
        if self.choices is None:
            return
        chosen = set(self.query_one("#editor-channels", SelectionList).selected)
        options = [
            (f"{c.platform.value} {c.handle}", c.id)
            for c in self.choices.channels
            if c.id in chosen
        ]
        select = self.query_one("#editor-override-channel", Select)
        current = self.override_channel
        self._stash_override()
        select.set_options(options)
        if current in chosen:
            select.value = current
        self.schedule_checks()

    def on_text_area_changed(self, event: TextArea.Changed) -> None:
        if event.text_area.id in ("editor-caption", "editor-override"):
            self.schedule_checks()

    def on_input_changed(self, event: Input.Changed) -> None:
        words = {"editor-publish": "#editor-publish-words", "editor-review": "#editor-review-words"}
        if event.input.id not in words:
            return
        label = self.query_one(words[event.input.id], Label)
        text = event.value.strip()
        if not text:
            label.update("")
            event.input.remove_class("-invalid")
            return
        session, tz = self.app.session, self.app.timezone
        try:
            moment = store.parse_when(text, session.now(), tz, field="time")
        except store.ValidationError as bad:
            label.update(Text(bad.reason, style="red"))
            event.input.add_class("-invalid")
            return
        event.input.remove_class("-invalid")
        label.update(store.describe(moment, tz, session.now()))

    def schedule_checks(self) -> None:
        """Check captions a moment after typing stops, off the UI thread."""
        if self.choices is None:
            return
        self._stash_override()
        chosen = set(self.query_one("#editor-channels", SelectionList).selected)
        caption = self.query_one("#editor-caption", TextArea).text
        jobs = [
            (f"{c.platform.value} {c.handle}", c.platform, self.overrides.get(c.id) or caption)
            for c in self.choices.channels
            if c.id in chosen
        ]
        self.run_checks(jobs, list(self.query_one(MediaList).assets))

    @db_work(group="editor-checks")
    def run_checks(self, jobs, media) -> None:
        import time

        time.sleep(0.15)  # exclusive worker: a newer keystroke cancels this one before it runs
        from textual.worker import get_current_worker

        if get_current_worker().is_cancelled:
            return
        self.post_message(
            ChecksDone([(name, store.check_caption(p, text, media)) for name, p, text in jobs])
        )

    def on_checks_done(self, message: ChecksDone) -> None:
        self.query_one(CaptionChecks).show(message.reports)

    def on_media_list_add_wanted(self, _: MediaList.AddWanted) -> None:
        if self.choices is None:
            self._say("Choose a brand first.")
            return
        from .media_picker import MediaPicker

        media = self.query_one(MediaList)

        def picked(asset: store.AssetInfo | None) -> None:
            if asset is not None:
                media.add(asset)
                self.schedule_checks()
            media.focus()

        self.app.push_screen(MediaPicker(self.choices.brand_id, media.ids), picked)

    def on_media_list_changed(self, _: MediaList.Changed) -> None:
        self.schedule_checks()
