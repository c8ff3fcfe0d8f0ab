"""A list that draws only the rows on screen (line API), for columns and queues that can hold
thousands of posts: a ListView of 1,000 items takes 2 s to first paint; this takes the same
time for 10 items or 10,000."""

from __future__ import annotations

from collections.abc import Callable
from typing import Generic, TypeVar

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.binding import Binding
from textual.geometry import Region, Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

T = TypeVar("T")


class ItemList(ScrollView, Generic[T], can_focus=True):
    """Items of a fixed height, each drawn by `draw(item, width)` into that many lines of Text
    (the last line of a taller item is the gap before the next, left unmarked by the cursor).

    It asks for more (`NearEnd`) when the cursor comes within a page of the last loaded item,
    so the owner can load the next keyset page.
    """

    BINDINGS = [
        Binding("up,k", "cursor(-1)", "Up", show=False),
        Binding("down,j", "cursor(1)", "Down", show=False),
        Binding("pageup", "cursor(-10)", "Page up", show=False),
        Binding("pagedown", "cursor(10)", "Page down", show=False),
        Binding("home", "cursor(-1000000)", show=False),
        Binding("end", "cursor(1000000)", show=False),
    ]

    DEFAULT_CSS = """
    ItemList { background: $surface; }
    ItemList:focus { background: $surface-lighten-1; }
    """

    cursor: reactive[int] = reactive(0)

    class Highlighted(Message):
        """The cursor moved to another item."""

        def __init__(self, item_list: ItemList, index: int):
            super().__init__()
            self.item_list = item_list
            self.index = index

        @property
        def control(self) -> ItemList:
            return self.item_list

    class NearEnd(Message):
        """The cursor is close to the last loaded item: load more, if there is more."""

        def __init__(self, item_list: ItemList):
            super().__init__()
            self.item_list = item_list

        @property
        def control(self) -> ItemList:
            return self.item_list

    def __init__(
        self,
        draw: Callable[[T, int], Text],
        item_height: int,
        *,
        empty: str = "nothing here",
        id: str | None = None,
        classes: str | None = None,
    ):
        super().__init__(id=id, classes=classes)
        self.draw = draw
        self.item_height = item_height
        self.empty = empty
        self.items: list[T] = []
        self._lines: dict[tuple[int, int], list[Strip]] = {}

    # --- data ----------------------------------------------------------------------------

    def set_items(self, items: list[T], cursor: int | None = None) -> None:
        """Replace the items; the cursor stays where it was unless told otherwise."""
        kept = self.cursor if cursor is None else cursor
        self.items = list(items)
        self._lines.clear()
        self.virtual_size = Size(0, len(self.items) * self.item_height)
        self.set_reactive(ItemList.cursor, -1)  # make the next assignment fire
        self.cursor = max(0, min(kept, len(self.items) - 1))
        self.refresh()

    def redraw(self) -> None:
        """Draw every row again (what a row shows changed, not which rows there are)."""
        self._lines.clear()
        self.refresh()

    def extend(self, items: list[T]) -> None:
        """Add a page at the end."""
        self.items.extend(items)
        self.virtual_size = Size(0, len(self.items) * self.item_height)
        self.refresh()

    @property
    def current(self) -> T | None:
        """The item under the cursor."""
        return self.items[self.cursor] if 0 <= self.cursor < len(self.items) else None

    # --- drawing -------------------------------------------------------------------------

    def on_resize(self) -> None:
        # Lines are cached by width, so a resize to the same width (a screen shown again) keeps
        # them; a new width drops the old ones.
        width = self.scrollable_content_region.width
        if width and width != getattr(self, "_width", None):  # 0: a screen out of sight
            self._width = width
            self._lines.clear()
        self.virtual_size = Size(0, len(self.items) * self.item_height)

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        row = self.scroll_offset.y + y
        if not self.items:
            if y == 0:
                return Strip([Segment(self.empty[:width], Style(dim=True))]).extend_cell_length(
                    width
                )
            return Strip.blank(width)
        index, line = divmod(row, self.item_height)
        if index >= len(self.items):
            return Strip.blank(width)
        return self._strips(index, width)[line]

    def _strips(self, index: int, width: int) -> list[Strip]:
        key = (index, width)
        if key not in self._lines:
            text = self.draw(self.items[index], width)
            lines = self.app.console.render_lines(
                text,
                self.app.console.options.update(
                    width=width, height=self.item_height, no_wrap=True, overflow="ellipsis"
                ),
                pad=True,
            )
            strips = [Strip(segments, width) for segments in lines][: self.item_height]
            if index == self.cursor:  # the whole width, but not the blank line between items
                marked = self.item_height - 1 if self.item_height > 1 else 1
                strips = [
                    strip.apply_style(self._cursor_style()) if n < marked else strip
                    for n, strip in enumerate(strips)
                ]
            self._lines[key] = strips
        return self._lines[key]

    def _cursor_style(self) -> Style:
        colour = self.app.current_theme.primary if self.has_focus else "#555555"
        return Style(bgcolor=colour if self.has_focus else "#3a3a3a")

    # --- moving --------------------------------------------------------------------------

    def watch_cursor(self, before: int, after: int) -> None:
        for index in (before, after):
            for key in [k for k in self._lines if k[0] == index]:
                del self._lines[key]
        if not self.items:
            return
        self.scroll_to_region(
            Region(0, after * self.item_height, 1, self.item_height), animate=False, force=True
        )
        self.refresh()
        self.post_message(self.Highlighted(self, after))
        if after >= len(self.items) - 10:
            self.post_message(self.NearEnd(self))

    def on_focus(self) -> None:
        self._forget_cursor_line()

    def on_blur(self) -> None:
        self._forget_cursor_line()

    def _forget_cursor_line(self) -> None:
        for key in [k for k in self._lines if k[0] == self.cursor]:
            del self._lines[key]
        self.refresh()

    def action_cursor(self, step: int) -> None:
        if self.items:
            self.cursor = max(0, min(self.cursor + step, len(self.items) - 1))

    def on_click(self, event) -> None:
        index = (self.scroll_offset.y + event.y) // self.item_height
        if 0 <= index < len(self.items):
            self.cursor = index
