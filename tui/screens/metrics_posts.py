"""The posts behind one row of the Content tab (a channel, a campaign, a tag …): most engagements,
highest rate or newest first (`o`), a page of 50 at a time (the next page when the cursor reaches
the end); `enter` opens the post, `escape` goes back."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Header, Static

import store

from ..session import db_work
from ..widgets.key_bar import KeyBar

PAGE = 50


@dataclass
class PageLoaded(Message):
    lines: list
    more: bool
    generation: int = 0


class ContentPostsScreen(Screen):
    BINDINGS = [
        Binding("j", "cursor(1)", "Down", id="drill.down"),
        Binding("k", "cursor(-1)", "Up", id="drill.up"),
        # Ahead of the focused body's scrolling, which would take them otherwise.
        Binding("down", "cursor(1)", "Down", show=False, priority=True),
        Binding("up", "cursor(-1)", "Up", show=False, priority=True),
        Binding("o", "order", "Order", id="drill.order"),
        Binding("enter", "open", "Open post", id="drill.open"),
        Binding("escape", "app.pop_screen", "Back", id="drill.back"),
    ]

    def __init__(self, dimension: str, name: str, start: datetime, end: datetime, where):
        super().__init__()
        self.dimension, self.group = dimension, name
        self.start, self.end, self.where = start, end, where
        self.lines: list = []
        self.more = True
        self.row = 0
        self._loading = False
        self.order = store.metrics.POST_ORDERS[0]
        self._generation = 0

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="drill-title")
        with VerticalScroll(id="drill-body"):
            yield Static(id="drill-table")
        yield KeyBar()

    def on_mount(self) -> None:
        self.query_one("#drill-body").focus()
        self._title()
        self.next_page()

    def next_page(self) -> None:
        if self._loading or not self.more:
            return
        self._loading = True
        last = self.lines[-1] if self.lines else None
        after = None if last is None else store.metrics.post_key(last, self.order)
        self.load(after, self.order, self._generation)

    def action_order(self) -> None:
        orders = store.metrics.POST_ORDERS
        self.order = orders[(orders.index(self.order) + 1) % len(orders)]
        self._generation += 1  # a page of the order before is not added to this one
        self.lines, self.more, self.row, self._loading = [], True, 0, False
        self._title()
        self.next_page()

    @db_work(group="metrics-drill")
    def load(self, after, order: str, generation: int) -> None:
        lines = store.metrics.content_posts(
            self.app.session.actor(),
            self.start,
            self.end,
            self.dimension,
            self.group,
            self.where,
            after=after,
            limit=PAGE + 1,
            order=order,
        )
        self.post_message(PageLoaded(lines[:PAGE], len(lines) > PAGE, generation))

    def on_page_loaded(self, message: PageLoaded) -> None:
        if message.generation != self._generation:
            return
        self._loading = False
        self.lines.extend(message.lines)
        self.more = message.more
        self.app.first_data_shown()
        self._title()
        self._paint()

    def action_cursor(self, step: int) -> None:
        if not self.lines:
            return
        self.row = max(0, min(len(self.lines) - 1, self.row + step))
        if self.row >= len(self.lines) - 1:
            self.next_page()
        self._paint()

    def action_open(self) -> None:
        if self.lines:
            self.app.open_post(self.lines[self.row].post_id)

    def _title(self) -> None:
        zone = ZoneInfo(self.app.timezone)
        start, end = (
            m.astimezone(zone) for m in (self.start, self.end - timedelta(microseconds=1))
        )
        text = Text()
        text.append(f"Posts · {self.dimension} ", style="bold")
        text.append(Text(self.group, style="bold #5fd7ff"))
        first = {"engagements": "most engagements", "rate": "highest rate", "newest": "newest"}
        text.append(
            f"  sent {start:%d %b} – {end:%d %b %Y} · {first[self.order]} first", style="dim"
        )
        shown = f"  {len(self.lines)}{'+' if self.more else ''} shown" if self.lines else ""
        text.append(shown, style="dim")
        self.query_one("#drill-title", Static).update(text)

    def _paint(self) -> None:
        zone = ZoneInfo(self.app.timezone)
        narrow = self.size.width < 100
        by_channel = self.dimension == "channel"  # the heading names it
        table = Table(box=None, pad_edge=False, show_edge=False, expand=False)
        table.add_column("Post", no_wrap=True, max_width=32 if narrow else 44)
        if not by_channel:
            table.add_column("Channel", no_wrap=True, max_width=14 if narrow else 24)
        table.add_column("Sent", no_wrap=True)
        table.add_column("Engagements", justify="right")
        table.add_column("Rate", justify="right", no_wrap=True)
        for i, line in enumerate(self.lines):
            rate = "—" if line.rate is None else f"{line.rate:.1%}"
            if line.rate_base == "reach":
                rate += " (reach)"
            table.add_row(
                Text(f"#{line.post_id} {line.title}"),
                *([] if by_channel else [line.channel]),
                f"{line.sent_at.astimezone(zone):%d %b %H:%M}",
                f"{line.engagements:,}",
                rate,
                style="reverse" if i == self.row else "",
            )
        if not self.lines:
            table.add_row("No post behind this row.")
        self.table = table  # kept for the tests to read
        self.query_one("#drill-table", Static).update(table)
