"""A post's media in the editor: one line per file, in order, with its alt text or its absence."""

from __future__ import annotations

from rich.text import Text
from textual.binding import Binding
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from store import AssetInfo, MediaKind


def media_line(asset: AssetInfo, position: int | None = None) -> Text:
    """`1 ▶ launch.mp4  Clip: the launch` — a dim hint where alt text is missing."""
    text = Text()
    if position is not None:
        text.append(f"{position} ")
    text.append("▶ " if asset.kind is MediaKind.VIDEO else "▣ ", style="cyan")
    text.append(asset.name)
    if asset.alt_text:
        text.append(f"  {asset.alt_text}", style="dim")
    elif asset.kind is MediaKind.IMAGE:
        text.append("  no alt text", style="dark_orange3")
    return text


class MediaList(OptionList):
    """Enter adds from the library; x removes; shift+up/down reorders. The editor owns the list."""

    BINDINGS = [
        Binding("enter,a", "add", "Add media", id="media.add"),
        Binding("x,delete", "remove", "Remove", id="media.remove"),
        Binding("shift+up", "shift(-1)", "Earlier", id="media.earlier"),
        Binding("shift+down", "shift(1)", "Later", id="media.later"),
    ]

    class AddWanted(Message):
        """The person wants to pick media from the library."""

    def __init__(self, **kwargs):
        super().__init__(compact=True, **kwargs)
        self.assets: list[AssetInfo] = []

    def show(self, assets: list[AssetInfo], highlight: int | None = None) -> None:
        """Show `assets` in order."""
        self.assets = list(assets)
        self.clear_options()
        if not self.assets:
            self.add_option(Option(Text("no media · enter adds from the library", style="dim")))
            return
        self.add_options([Option(media_line(a, n + 1)) for n, a in enumerate(self.assets)])
        if highlight is not None:
            self.highlighted = max(0, min(highlight, len(self.assets) - 1))

    @property
    def ids(self) -> list[int]:
        """The chosen assets' ids, in order."""
        return [a.id for a in self.assets]

    def add(self, asset: AssetInfo) -> None:
        """Add an asset at the end (once)."""
        if asset.id not in self.ids:
            self.show([*self.assets, asset], highlight=len(self.assets))

    def action_add(self) -> None:
        self.post_message(self.AddWanted())

    def action_remove(self) -> None:
        if self.assets and self.highlighted is not None:
            index = self.highlighted
            self.show(self.assets[:index] + self.assets[index + 1 :], highlight=index)
            self.post_message(self.Changed())

    def action_shift(self, step: int) -> None:
        index = self.highlighted
        if index is None or not 0 <= index + step < len(self.assets):
            return
        assets = list(self.assets)
        assets[index], assets[index + step] = assets[index + step], assets[index]
        self.show(assets, highlight=index + step)
        self.post_message(self.Changed())

    class Changed(Message):
        """The media changed (removed or reordered)."""
