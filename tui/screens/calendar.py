"""The content calendar: a month or a week of posts and milestones, moved through with the keyboard."""

from __future__ import annotations

import calendar as cal
from dataclasses import dataclass
from datetime import date, timedelta

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Grid
from textual.message import Message
from textual.reactive import reactive, var
from textual.widgets import Header, Label, Static

import store
from store import CalendarDay, CalendarFilter

from ..session import db_work
from ..widgets.day_cell import DayCell
from ..widgets.key_bar import KeyBar
from .live import LiveScreen

WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
CELLS = 42


@dataclass(frozen=True)
class Shown:
    """A range the grid can show, with everything its days depend on (the cache key)."""

    view: str
    first: date
    count: int
    where: CalendarFilter
    brand_id: int | None

    @property
    def end(self) -> date:
        """The day after the last one shown."""
        return self.first + timedelta(days=self.count)


@dataclass
class CalendarLoaded(Message):
    """The days of one range, fresh from the store."""

    shown: Shown
    days: list[CalendarDay]
    generation: int


class CalendarScreen(LiveScreen):
    """Month (default) or week view; the selected day is always visible and obvious."""

    BINDINGS = [
        Binding("left,h", "step(-1)", "Day ←", show=False, id="calendar.left"),
        Binding("right,l", "step(1)", "Day →", show=False, id="calendar.right"),
        Binding("up,k", "step(-7)", "Week ↑", show=False, id="calendar.up"),
        Binding("down,j", "step(7)", "Week ↓", show=False, id="calendar.down"),
        Binding("left_square_bracket", "page(-1)", "Prev", key_display="[", id="calendar.prev"),
        Binding("right_square_bracket", "page(1)", "Next", key_display="]", id="calendar.next"),
        Binding("t", "today", "Today", id="calendar.today"),
        Binding("w", "view('week')", "Week", id="calendar.week"),
        Binding("m", "view('month')", "Month", id="calendar.month"),
        Binding("enter", "agenda", "Agenda", id="calendar.agenda"),
        Binding("n", "new_post", "New post", id="calendar.new_post"),
        Binding("N", "new_note", "New note", key_display="N", id="calendar.new_note"),
        Binding("slash", "filter", "Filter", key_display="/", id="calendar.filter"),
    ]

    view: reactive[str] = reactive("month")
    selected: reactive[date] = reactive(date(1970, 1, 1))
    where: var[CalendarFilter] = var(CalendarFilter())
    days: var[list[CalendarDay]] = var(list)

    def __init__(self):
        super().__init__()
        self.today = self.app.session.today(self.app.timezone)
        self.set_reactive(CalendarScreen.selected, self.today)

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="calendar-title")
        with Grid(id="calendar-grid"):
            for name in WEEKDAYS:
                yield Label(name, classes="weekday")
            for index in range(CELLS):
                yield DayCell(index, self.app.timezone)
        yield KeyBar()

    def on_mount(self) -> None:
        self.reload()

    def on_resize(self) -> None:
        # Short terminals drop the rules between weeks and shade alternate weeks instead.
        self.set_class(self.size.height < 32, "-compact")

    # --- what is shown -------------------------------------------------------------------

    def first_shown(self, selected: date | None = None) -> date:
        """The Monday at the top left of the grid (for `selected`, or the selected day)."""
        selected = selected or self.selected
        if self.view == "week":
            return selected - timedelta(days=selected.weekday())
        first_of_month = selected.replace(day=1)
        return first_of_month - timedelta(days=first_of_month.weekday())

    def shown_count(self, selected: date | None = None) -> int:
        """How many days the grid shows: a week, or the weeks the month touches."""
        selected = selected or self.selected
        if self.view == "week":
            return 7
        return len(cal.Calendar().monthdatescalendar(selected.year, selected.month)) * 7

    def shown(self, selected: date | None = None) -> Shown:
        """The range the grid shows for `selected` (or the selected day)."""
        return Shown(
            self.view,
            self.first_shown(selected),
            self.shown_count(selected),
            self.where,
            self.app.brand_id,
        )

    def reload(self) -> None:
        """Forget what was loaded (the data changed) and load the shown range again."""
        self._generation = getattr(self, "_generation", 0) + 1
        self._cache: dict[Shown, list[CalendarDay]] = {}
        self._show()

    def _show(self) -> None:
        """Show the selected range: from the cache at once, else when the store answers."""
        shown = self.shown()
        if shown in self._cache:
            self._apply(shown, self._cache[shown])
        else:
            self.load(shown, self._generation)

    @db_work(group="calendar")
    def load(self, shown: Shown, generation: int) -> None:
        self.post_message(CalendarLoaded(shown, self._days_of(shown), generation))

    @db_work(group="calendar-prefetch")
    def prefetch(self, ranges: list[Shown], generation: int) -> None:
        """Load the previous and next pages ahead, so [ and ] only have to draw."""
        for shown in ranges:
            self.post_message(CalendarLoaded(shown, self._days_of(shown), generation))

    def _days_of(self, shown: Shown) -> list[CalendarDay]:
        return store.calendar_days(
            self.app.session.actor(),
            shown.first,
            shown.end,
            self.app.timezone,
            self.today,
            brand_id=shown.brand_id,
            where=shown.where,
            per_day=30 if shown.view == "week" else 8,
        )

    def on_calendar_loaded(self, message: CalendarLoaded) -> None:
        if message.generation != self._generation:
            return  # loaded before the data changed
        self._cache[message.shown] = message.days
        if message.shown == self.shown():
            self._apply(message.shown, message.days)

    def _apply(self, shown: Shown, days: list[CalendarDay]) -> None:
        with self.app.batch_update():
            self.days = days
            self._paint_frame()
        ahead = [self.shown(day) for day in self._neighbour_days()]
        missing = [r for r in ahead if r not in self._cache]
        if missing:
            self.prefetch(missing, self._generation)
        if len(self._cache) > 12:
            for stale in [k for k in self._cache if k not in (shown, *ahead)]:
                del self._cache[stale]

    def _neighbour_days(self) -> list[date]:
        """A day in the previous and in the next page."""
        if self.view == "week":
            return [self.selected - timedelta(days=7), self.selected + timedelta(days=7)]
        first = self.selected.replace(day=1)
        return [first - timedelta(days=1), first + timedelta(days=32)]

    def watch_days(self) -> None:
        for cell, day in zip(self.query(DayCell), self.days, strict=False):
            cell.day = day

    def watch_view(self) -> None:
        if self.is_mounted:
            self._show()

    def watch_selected(self, before: date, after: date) -> None:
        if not self.is_mounted:
            return
        if self.shown(before) != self.shown(after):
            self._show()
        else:
            self._paint_frame()

    def _paint_frame(self) -> None:
        """Title, filter line, grid shape and cell classes: everything that needs no query."""
        first = self.first_shown()
        count = self.shown_count()
        grid = self.query_one("#calendar-grid")
        grid.set_class(self.view == "week", "-week")
        rows = f"1 {' '.join(['1fr'] * (count // 7))}"
        if getattr(self, "_grid_rows", None) != rows:  # assigning a style relayouts, even unchanged
            grid.styles.grid_rows = rows
            self._grid_rows = rows
        for cell in self.query(DayCell):
            day = first + timedelta(days=cell.index)
            if cell.display != (cell.index < count):
                cell.display = cell.index < count
            cell.set_class(day == self.selected, "-selected")
            cell.set_class(day == self.today, "-today")
            cell.set_class(self.view == "month" and day.month != self.selected.month, "-outside")
            cell.set_class((cell.index // 7) % 2 == 1, "-odd-week")
            cell.roomy = self.view == "week"
        if self.view == "week":
            last = first + timedelta(days=6)
            span = f"Week of {first:%d %b} – {last:%d %b %Y}"
        else:
            span = f"{self.selected:%B %Y}"
        from .filter import filter_words

        where = filter_words(self.where, self.app.brands)
        self.query_one("#calendar-title", Static).update(
            f"[b]{span}[/b]" + (f"   [reverse] filter: {where} [/reverse]" if where else "")
        )

    # --- actions -------------------------------------------------------------------------

    def action_step(self, days: int) -> None:
        self.selected += timedelta(days=days)

    def action_page(self, direction: int) -> None:
        if self.view == "week":
            self.selected += timedelta(days=7 * direction)
            return
        year, month = self.selected.year, self.selected.month + direction
        year, month = year + (month - 1) // 12, (month - 1) % 12 + 1
        last_day = cal.monthrange(year, month)[1]
        self.selected = date(year, month, min(self.selected.day, last_day))

    def action_today(self) -> None:
        self.selected = self.today

    def action_view(self, view: str) -> None:
        self.view = view

    def action_agenda(self) -> None:
        from .agenda import AgendaScreen

        self.app.push_screen(AgendaScreen(self.selected, self.where))

    def action_new_post(self) -> None:
        self.app.new_post(self.selected)

    def action_new_note(self) -> None:
        from .note_editor import NoteEditor

        self.app.push_screen(NoteEditor(self.selected))

    def action_filter(self) -> None:
        from .filter import FilterScreen

        def chosen(where: CalendarFilter | None) -> None:
            if where is not None:
                self.where = where
                self._show()

        self.app.push_screen(FilterScreen(self.where), chosen)
