"""The content calendar: a month or a week of posts and milestones, moved through with the keyboard."""

from __future__ import annotations

import calendar as cal
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from datetime import date, timedelta
from functools import partial

from textual.app import ComposeResult
from textual.binding import Binding
from textual.content import Content
from textual.message import Message
from textual.reactive import var
from textual.widgets import Header, Static

import store
from store import CalendarDay, CalendarFilter, Kind

from ..session import Session, db_work, in_thread
from ..widgets.key_bar import KeyBar
from ..widgets.month_grid import MonthGrid, Page
from .live import LiveScreen

#: Kinds of change that can alter any day on the grid (notes, and the names and channels posts
#: are drawn with), whichever post they concern.
ANY_DAY_KINDS = (Kind.NOTE, Kind.CHANNEL, Kind.BRAND, Kind.CAMPAIGN, Kind.PILLAR)
#: Post fields the filter can select on, by the filter's field.
FILTER_FIELDS = {
    "stages": "stage",
    "owner_logins": "owner_login",
    "campaign_ids": "campaign_id",
    "pillar_ids": "pillar_id",
    "channel_ids": "channel_ids",
}
#: Pages kept for [ and ]: the shown one, its neighbours, and the recently seen.
CACHE_PAGES = 12
#: Seconds between showing a page and loading its neighbours.
NEIGHBOURS_AFTER = 0.05
#: How long the first frame may wait for the first page's days (seconds).
FIRST_PAGE_WAIT = 0.2
#: Where the first page loads, before the app can run workers.
_EARLY = ThreadPoolExecutor(max_workers=1, thread_name_prefix="calendar-first-page")


@dataclass(frozen=True)
class Shown:
    """A range the grid can show, with everything its days depend on (the cache key)."""

    view: str
    first: date
    count: int
    where: CalendarFilter
    brand_id: int | None
    #: Posts loaded per day: as many as the tallest cell can list (the rest are counted).
    per_day: int

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


def days_of(session: Session, timezone: str, today: date, shown: Shown) -> list[CalendarDay]:
    """The days of a range, as the session's user sees them (call on a worker thread)."""
    return store.calendar_days(
        session.actor(),
        shown.first,
        shown.end,
        timezone,
        today,
        brand_id=shown.brand_id,
        where=shown.where,
        per_day=shown.per_day,
    )


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

    # Plain vars: the grid repaints what changed itself; a screen refresh would repaint it all.
    view: var[str] = var("month", init=False)
    selected: var[date] = var(date(1970, 1, 1), init=False)
    where: var[CalendarFilter] = var(CalendarFilter())
    days: var[list[CalendarDay]] = var(list)

    def __init__(self):
        super().__init__()
        self.today = self.app.session.today(self.app.timezone)
        self.set_reactive(CalendarScreen.selected, self.today)
        self._generation = 0
        self._cache: dict[Shown, list[CalendarDay]] = {}
        self._drawn: Shown | None = None
        # The first page's query is most of the wait for the first frame: it starts now, on a
        # thread of its own (a worker would start only once the app's loop runs), and the
        # first frame waits for it in `on_mount`.
        shown, session, zone, today = self.shown(), self.app.session, self.app.timezone, self.today
        self._first = (
            shown,
            _EARLY.submit(in_thread, lambda: days_of(session, zone, today, shown)),
        )

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="calendar-title")
        yield MonthGrid(self.app.timezone, id="calendar-grid")
        yield KeyBar()

    def on_mount(self) -> None:
        shown, started = self._first
        try:
            # Waiting here, before the first frame, leaves the interpreter to the query: run
            # beside the styling and the first frame, it took three to four times as long, and
            # the first frame showed an empty grid.
            days = started.result(timeout=FIRST_PAGE_WAIT)
        except Exception:  # slow, or failed: a worker waits for it, and reports a failure
            self.load(shown, self._generation, started)
        else:
            self.on_calendar_loaded(CalendarLoaded(shown, days, self._generation))

    def on_resize(self) -> None:
        if self._drawn is not None and self._drawn != self.shown():
            self._show()  # a taller grid has room for more posts than were loaded

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
        count = self.shown_count(selected)
        return Shown(
            self.view,
            self.first_shown(selected),
            count,
            self.where,
            self.app.brand_id,
            # The terminal's height bounds the grid's: no layout is needed to know it.
            MonthGrid.posts_room(self.app.size.height, count // 7),
        )

    def shows(self, batch: store.ChangeBatch) -> bool:
        """Whether the batch changes a day on the grid, or may bring a post onto it."""
        if batch.of(*ANY_DAY_KINDS):
            return True
        # A post can arrive on (or leave) a shown day only by its time or, through the gaps, its
        # channels; and, with a filter, by a field the filter selects on.
        watched = ["publish_at", "channel_ids"]
        watched += [f for name, f in FILTER_FIELDS.items() if getattr(self.where, name)]
        if any(c.touches(*watched) for c in batch.of(Kind.POST)):
            return True
        on_grid = {post.id for day in self.days for post in day.posts}
        return any(c.entity_id in on_grid for c in batch.of(Kind.POST, Kind.REVIEW, Kind.DELIVERY))

    def brand_changed(self) -> None:
        # Channels, campaigns and pillars belong to a brand: a filter on them means nothing now.
        self.where = self.where.for_another_brand()
        super().brand_changed()

    def reload(self) -> None:
        """Forget what was loaded (the data changed) and load the shown range again."""
        self._generation += 1
        self._cache = {}
        self._show()

    def _show(self) -> None:
        """Show the selected range: from the cache at once, else when the store answers."""
        shown = self.shown()
        if shown in self._cache:
            self._apply(shown, self._cache[shown])
        else:
            self.load(shown, self._generation)

    @db_work(group="calendar")
    def load(self, shown: Shown, generation: int, started: Future | None = None) -> None:
        """Load one range of days (or wait for a load `started` already)."""
        days = started.result() if started is not None else self._days_of(shown)
        self.post_message(CalendarLoaded(shown, days, generation))

    @db_work(group="calendar-prefetch")
    def prefetch(self, ranges: list[Shown], generation: int) -> None:
        """Load the previous and next pages ahead, so [ and ] only have to draw."""
        for shown in ranges:
            self.post_message(CalendarLoaded(shown, self._days_of(shown), generation))

    def _days_of(self, shown: Shown) -> list[CalendarDay]:
        return days_of(self.app.session, self.app.timezone, self.today, shown)

    def on_calendar_loaded(self, message: CalendarLoaded) -> None:
        if message.generation != self._generation:
            return  # loaded before the data changed
        self._cache[message.shown] = message.days
        if message.shown == self.shown():
            self._apply(message.shown, message.days)

    def _apply(self, shown: Shown, days: list[CalendarDay]) -> None:
        """Draw a range's days, then load its neighbours once that frame is out."""
        self.days = days
        self._drawn = shown
        page = Page(
            first=shown.first,
            weeks=shown.count // 7,
            month=self.selected.month if self.view == "month" else None,
            roomy=self.view == "week",
            today=self.today,
        )
        self.query_one(MonthGrid).show(page, days, self.selected)
        # One line of a fixed height: no layout needed.
        self.query_one("#calendar-title", Static).update(self.title_line(), layout=False)
        self.app.first_data_shown()
        # After the frame: a loading thread holds the interpreter's lock now and then, and would
        # slow the drawing of the page the user asked for. (`call_after_refresh` can run before
        # the grid's repaint reaches the screen; a frame takes a few ms.)
        self.set_timer(NEIGHBOURS_AFTER, partial(self._load_neighbours, shown))

    def _load_neighbours(self, shown: Shown) -> None:
        if shown != self.shown():
            return  # moved on already; the page shown now asks for its own
        ahead = [self.shown(day) for day in self._neighbour_days()]
        missing = [r for r in ahead if r not in self._cache]
        if missing:
            self.prefetch(missing, self._generation)
        if len(self._cache) > CACHE_PAGES:
            for stale in [k for k in self._cache if k not in (shown, *ahead)]:
                del self._cache[stale]

    def _neighbour_days(self) -> list[date]:
        """A day in the previous and in the next page."""
        if self.view == "week":
            return [self.selected - timedelta(days=7), self.selected + timedelta(days=7)]
        first = self.selected.replace(day=1)
        return [first - timedelta(days=1), first + timedelta(days=32)]

    def title_line(self) -> Content:
        """What is shown, which day is today, and the filter (its words hold people's names:
        built as Content, never read as markup)."""
        if self.view == "week":
            first = self.first_shown()
            last = first + timedelta(days=6)
            span = f"Week of {first:%d %b} – {last:%d %b %Y}"
        else:
            span = f"{self.selected:%B %Y}"
        # Today is also marked on its cell, but a narrow cell has no room for the word.
        parts = [
            (span, "bold"),
            "   ",
            ("today", "bold"),
            f" {self.today:%a} {self.today.day} {self.today:%b}",
        ]
        if self.where.active:
            from .filter import filter_words

            parts += ["   ", (f" filter: {filter_words(self.where)} ", "reverse")]
        return Content.assemble(*parts)

    def watch_view(self) -> None:
        self._show()

    def watch_selected(self, before: date, after: date) -> None:
        if self.shown(before) != self.shown(after):
            self._show()
        else:
            self.query_one(MonthGrid).select(after)

    def on_month_grid_day_clicked(self, message: MonthGrid.DayClicked) -> None:
        self.selected = message.day

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
