"""Pick a post's media from the brand's library, or add a new file or link to it."""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Input, Label, OptionList
from textual.widgets.option_list import Option

import store
from store import AssetInfo

from ..session import db_work
from ..widgets.media_list import media_line

NEW = "new"


def looks_like_location(text: str) -> bool:
    """Whether the search box holds a path or link someone means to add."""
    return text.startswith("/") or "://" in text


@dataclass
class Found(Message):
    """The library's assets matching the search text."""

    search: str
    assets: list[AssetInfo]


@dataclass
class Added(Message):
    """A new asset is in the library."""

    asset: AssetInfo


class MediaPicker(ModalScreen[AssetInfo | None]):
    """Dismisses with the chosen (or newly added) asset, or None."""

    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="media.cancel"),
        Binding("down", "to_list", "Results", show=False, id="media.results"),
    ]

    def __init__(self, brand_id: int, chosen: list[int]):
        super().__init__()
        self.brand_id = brand_id
        self.chosen = set(chosen)
        self.assets: dict[str, AssetInfo] = {}

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="media-picker"):
            yield Label("Add media", classes="dialog-title")
            yield Input(
                compact=True,
                placeholder="search the library, or a full path / https link to add",
                id="media-search",
            )
            yield Input(
                compact=True, placeholder="alt text for a new file (what it shows)", id="media-alt"
            )
            yield Label("", id="media-error", classes="error")
            yield OptionList(id="media-results", compact=True)
            yield Label("enter picks · ↓ to the list · esc cancels", classes="hint")

    def on_mount(self) -> None:
        self.query_one("#media-alt", Input).display = False
        self.query_one("#media-error", Label).display = False
        self.query_one("#media-search", Input).focus()
        self.search("")

    @db_work(group="media-search")
    def search(self, text: str) -> None:
        found = store.list_assets(self.app.session.actor(), self.brand_id, text)
        self.post_message(Found(text, found))

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id != "media-search":
            return
        text = event.value.strip()
        self.query_one("#media-alt", Input).display = looks_like_location(text)
        self.search("" if looks_like_location(text) else text)

    def on_found(self, message: Found) -> None:
        text = self.query_one("#media-search", Input).value.strip()
        results = self.query_one("#media-results", OptionList)
        results.clear_options()
        self.assets = {str(a.id): a for a in message.assets if a.id not in self.chosen}
        if looks_like_location(text):
            results.add_option(Option(Text(f"+ add {text} to the library"), id=NEW))
        results.add_options([Option(media_line(a), id=key) for key, a in self.assets.items()])
        if not results.option_count:
            results.add_option(
                Option(Text("nothing in the library matches", style="dim"), disabled=True)
            )
        results.highlighted = 0 if results.option_count else None

    def on_input_submitted(self, event: Input.Submitted) -> None:
        results = self.query_one("#media-results", OptionList)
        if results.highlighted is not None:
            self._pick(results.get_option_at_index(results.highlighted))

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self._pick(event.option)

    def _pick(self, option: Option) -> None:
        if option.disabled:
            return
        if option.id == NEW:
            location = self.query_one("#media-search", Input).value.strip()
            self.add(location, self.query_one("#media-alt", Input).value)
        elif option.id in self.assets:
            self.dismiss(self.assets[option.id])

    @db_work(group="media-add", writes=True)
    def add(self, location: str, alt_text: str) -> None:
        session = self.app.session
        asset = store.add_asset(
            session.actor(), self.brand_id, location, session.now(), alt_text=alt_text
        )
        self.post_message(Added(asset))

    def on_added(self, message: Added) -> None:
        self.dismiss(message.asset)

    def refused(self, error: store.PostroomError) -> None:
        """Say why inside the picker and mark the field; nothing was added."""
        message = self.query_one("#media-error", Label)
        message.update(Content(str(error)))
        message.display = True
        field = getattr(error, "field", "")
        target = "#media-alt" if field == "alt text" else "#media-search"
        self.query_one(target, Input).add_class("-invalid")
        self.query_one(target, Input).focus()

    def action_to_list(self) -> None:
        self.query_one("#media-results", OptionList).focus()

    def action_cancel(self) -> None:
        self.dismiss(None)
