"""The calendar's grid as one widget drawn line by line: weekday names, then a week or the weeks
of a month, each day with its notes, posts by time (coloured by stage) and what does not fit.

A grid of 42 day widgets made every month with a different number of weeks lay the screen out
again; this one keeps its size, so a new month is only a repaint, and moving the selection
repaints the two cells it leaves and enters.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from rich.style import Style
from textual.content import Content
from textual.geometry import Region
from textual.message import Message
from textual.strip import Strip
from textual.widget import Widget

from store import CalendarDay, DeliveryState, Platform, PostSummary, rules_for

from ..styles import GAP_STYLE, STAGE_COLOUR, STAGE_MARK

WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
#: A grid shorter than this (a terminal under 32 rows) drops the rules between weeks and shades
#: alternate weeks instead: the rules would take a line from every week.
COMPACT_BELOW = 29
RIGHT_RULE = "▕"
BOTTOM_RULE = "▁"

# Rich styles made once: a month draws a few hundred lines in them. The text is people's
# (titles, notes), so lines are built from (text, style) pairs, never parsed as markup.
BOLD = Style(bold=True)
DIM = Style(dim=True)
TODAY = Style(bold=True, reverse=True)
NOTE = Style.parse("#ff5fd7")
GAP = Style.parse(GAP_STYLE)
STAGE = {stage: Style.parse(colour) for stage, colour in STAGE_COLOUR.items()}
#: Control characters a terminal would obey (the store cleans text already; this is the last
#: line before the terminal).
UNPRINTABLE = {code: None for code in (*range(0x20), *range(0x7F, 0xA0))}

Part = tuple[str, Style | None]


@dataclass(frozen=True)
class Page:
    """What the grid shows: the days from `first`, in `weeks` rows, and how to draw them."""

    first: date
    weeks: int
    #: The month being shown (its days are bright, the neighbours' faint); None in a week view.
    month: int | None
    #: Week view: each post gets a line for time, channels and stage, and its title below.
    roomy: bool
    today: date


@dataclass(frozen=True)
class Geometry:
    """Where the columns and week rows fall at one size. Spare cells go to the later columns
    and weeks, as 1fr grid tracks share them."""

    width: int
    columns: tuple[int, ...]  # where each column starts, then where the last ends
    tops: tuple[int, ...]  # where each week starts (the header is line 0), then the end
    compact: bool

    @classmethod
    def of(cls, width: int, height: int, weeks: int) -> Geometry:
        """The geometry of a grid of this size."""
        return cls(
            width,
            tuple(width * n // 7 for n in range(8)),
            tuple(1 + max(height - 1, 0) * n // weeks for n in range(weeks + 1)),
            height < COMPACT_BELOW,
        )

    def cell(self, index: int) -> Region:
        """The region of the index-th day."""
        row, column = divmod(index, 7)
        x, y = self.columns[column], self.tops[row]
        return Region(x, y, self.columns[column + 1] - x, self.tops[row + 1] - y)


def cut(text: str, width: int) -> str:
    """`text`, cut with an ellipsis to at most `width` cells."""
    if cell_len(text) <= width:
        return text
    return set_cell_size(text, width - 1) + "…" if width > 0 else ""


def fit(parts: list[Part], width: int) -> list[Segment]:
    """One line of exactly `width` cells: cut with an ellipsis when too long, padded when short."""
    total = sum(cell_len(text) for text, _ in parts)
    if total <= width:
        segments = [Segment(text, style) for text, style in parts if text]
        return [*segments, Segment(" " * (width - total))] if total < width else segments
    segments, room = [], width - 1
    for text, style in parts:
        length = cell_len(text)
        if length > room:
            segments.append(Segment(set_cell_size(text, room) + "…", style))
            break
        segments.append(Segment(text, style))
        room -= length
    return segments if width > 0 else []


@lru_cache(maxsize=4096)
def _clock(publish_at: datetime, zone: ZoneInfo, minutes: bool) -> str:
    local = publish_at.astimezone(zone)
    return f"{local.hour}:{local:%M}" if minutes else f"{local.hour}"


@lru_cache(maxsize=64)
def _glyph(platform: Platform) -> str:
    return rules_for(platform).glyph


class MonthGrid(Widget):
    """A dumb widget: the screen hands it a page, its CalendarDays and the selected day."""

    COMPONENT_CLASSES = {
        "month-grid--weekday",
        "month-grid--rule",
        "month-grid--outside",
        "month-grid--odd-week",
        "month-grid--selected",
    }

    # Selection and month edges change colours only: the grid draws them into its own lines.
    DEFAULT_CSS = """
    MonthGrid { height: 1fr; }
    MonthGrid > .month-grid--weekday { text-style: bold; color: $text-muted; }
    MonthGrid > .month-grid--rule { color: $panel-lighten-2; }
    MonthGrid > .month-grid--outside { color: $text-disabled; }
    MonthGrid > .month-grid--odd-week { background: $boost; }
    MonthGrid > .month-grid--selected { background: $primary 35%; }
    """

    class DayClicked(Message):
        """A day was clicked."""

        def __init__(self, day: date):
            super().__init__()
            self.day = day

    def __init__(self, timezone: str, *, id: str | None = None):
        super().__init__(id=id)
        self.zone = ZoneInfo(timezone)
        self.page: Page | None = None
        self.days: list[CalendarDay] = []
        self.selected: date | None = None
        self._geometry: Geometry | None = None
        self._texts: dict[int, list[list[Segment]]] = {}  # a day's lines of text
        self._cells: dict[int, list[list[Segment]]] = {}  # the same, coloured, with rules
        self._lines: dict[int, Strip] = {}  # y -> the whole line

    # --- what is shown -------------------------------------------------------------------

    def show(self, page: Page, days: list[CalendarDay], selected: date) -> None:
        """Draw these days (the page's, in order) with `selected` highlighted."""
        self.page, self.days, self.selected = page, list(days), selected
        self._forget()
        self.refresh()

    def select(self, day: date) -> None:
        """Move the highlight: only the two cells it leaves and enters are drawn again."""
        before, self.selected = self.selected, day
        if before == day or self.page is None:
            return
        geometry = self.geometry
        for index in {self._index_of(before), self._index_of(day)} - {None}:
            self._cells.pop(index, None)
            region = geometry.cell(index)
            for y in range(region.y, region.bottom):
                self._lines.pop(y, None)
            self.refresh(region)

    def day_at(self, x: int, y: int) -> date | None:
        """The day drawn at a point of the widget, if any."""
        if self.page is None:
            return None
        geometry = self.geometry
        for index in range(self.page.weeks * 7):
            if geometry.cell(index).contains(x, y):
                return self.page.first + timedelta(days=index)
        return None

    @staticmethod
    def posts_room(height: int, weeks: int) -> int:
        """The most posts one day can list in a grid `height` lines tall with `weeks` rows
        (its heading takes a line; a rule under each week another, unless compact)."""
        geometry = Geometry.of(0, height, weeks)
        tallest = max(b - a for a, b in zip(geometry.tops, geometry.tops[1:], strict=False))
        return max(tallest - 1 - (0 if geometry.compact else 1), 1)

    @property
    def geometry(self) -> Geometry:
        """Where the columns and weeks fall now."""
        width, height = self.size
        weeks = self.page.weeks if self.page else 1
        geometry = self._geometry
        if geometry is None or geometry.width != width or geometry.tops[-1] != max(height, 1):
            geometry = self._geometry = Geometry.of(width, height, weeks)
        return geometry

    @property
    def compact(self) -> bool:
        """Whether weeks are told apart by shading rather than rules."""
        return self.geometry.compact

    # --- drawing -------------------------------------------------------------------------

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._cells.clear()  # colours come from the theme
        self._lines.clear()

    def on_resize(self) -> None:
        self._forget()

    def on_click(self, event) -> None:
        day = self.day_at(event.x, event.y)
        if day is not None:
            self.post_message(self.DayClicked(day))

    def render_line(self, y: int) -> Strip:
        line = self._lines.get(y)
        if line is None:
            line = self._lines[y] = self._draw_line(y)
        return line

    def _forget(self) -> None:
        self._geometry = None
        self._texts.clear()
        self._cells.clear()
        self._lines.clear()

    def _index_of(self, day: date | None) -> int | None:
        if day is None or self.page is None:
            return None
        index = (day - self.page.first).days
        return index if 0 <= index < self.page.weeks * 7 else None

    def _draw_line(self, y: int) -> Strip:
        geometry = self.geometry
        columns, width = geometry.columns, geometry.width
        if y == 0:
            style = self.get_component_rich_style("month-grid--weekday")
            segments = [
                Segment(set_cell_size(name.center(right - left), right - left), style)
                for name, left, right in zip(WEEKDAYS, columns, columns[1:], strict=False)
            ]
            return Strip(segments, width)
        if self.page is None or y >= geometry.tops[-1]:
            return Strip.blank(width, self.rich_style)
        row = next(r for r in range(self.page.weeks) if y < geometry.tops[r + 1])
        line = y - geometry.tops[row]
        segments = []
        for column in range(7):
            segments.extend(self._cell(row * 7 + column)[line])
        return Strip(segments, width)

    def _cell(self, index: int) -> list[list[Segment]]:
        """Every line of a day's cell, coloured, with its rules: exactly the cell's size."""
        cell = self._cells.get(index)
        if cell is not None:
            return cell
        geometry = self.geometry
        region = geometry.cell(index)
        inner = max(region.width - 2, 0)
        height = region.height if geometry.compact else region.height - 1
        texts = self._texts.get(index)
        if texts is None:
            texts = self._texts[index] = self._text_lines(index, inner, height)
        rule = self.get_component_rich_style("month-grid--rule", partial=True)
        pad = [Segment(" ")] if region.width > 1 else []
        edge = [Segment(RIGHT_RULE, rule)] if region.width else []
        blank = [Segment(" " * inner)]
        lines = [[*pad, *(texts[n] if n < len(texts) else blank), *edge] for n in range(height)]
        if not geometry.compact:
            lines.append([Segment(BOTTOM_RULE * region.width, rule)])
        under = self._cell_style(index)
        lines = [list(Segment.apply_style(line, under)) for line in lines]
        self._cells[index] = lines
        return lines

    def _cell_style(self, index: int) -> Style:
        """What lies under the cell's own styles: its background (selected, or a shaded week
        when compact) and, for a neighbouring month's day, the faint colour."""
        assert self.page is not None
        day = self.page.first + timedelta(days=index)
        # The widget's own colours first: a line-API widget paints its background itself.
        style = self.rich_style
        if self._outside(day):
            style += Style(color=self.get_component_rich_style("month-grid--outside").color)
        if day == self.selected:
            style += Style(bgcolor=self.get_component_rich_style("month-grid--selected").bgcolor)
        elif self.compact and (index // 7) % 2 == 1:
            style += Style(bgcolor=self.get_component_rich_style("month-grid--odd-week").bgcolor)
        return style

    def _outside(self, day: date) -> bool:
        return self.page is not None and self.page.month not in (None, day.month)

    # --- a day's lines -------------------------------------------------------------------

    def _text_lines(self, index: int, width: int, height: int) -> list[list[Segment]]:
        """A day's lines of text, each exactly `width` cells."""
        lines = [fit(parts, width) for parts in self.day_parts(index, width, height)]
        if index < len(self.days) and self._outside(self.days[index].day):
            # A style, not CSS opacity, which would blend every cell on every key.
            lines = [list(Segment.apply_style(line, post_style=DIM)) for line in lines]
        return lines

    def day_parts(self, index: int, width: int, height: int) -> list[list[Part]]:
        """What the index-th day says in a cell `width` by `height`, line by line."""
        if index >= len(self.days) or height < 1:
            return []
        assert self.page is not None
        day = self.days[index]
        lines = [self._heading(day.day, width)]
        if day.notes:
            # The count of other notes stays when the first one's title is cut.
            more = f" +{len(day.notes) - 1}" if len(day.notes) > 1 else ""
            title = cut(f"◆ {_printable(day.notes[0].title)}", width - len(more))
            lines.append([(title + more, NOTE)])
        tail = []
        if day.gaps:
            tail.append([("gap " + "".join(_glyph(c.platform) for c in day.gaps), GAP)])
        room = height - len(lines) - len(tail)
        posts = list(day.posts)
        if len(posts) > room or day.total > len(posts):
            posts = posts[: max(room - 1, 0)]  # the last line says how many more
        hidden = day.total - len(posts)
        overflow = 1 if hidden else 0
        if self.page.roomy and posts and room >= 2 * len(posts) + overflow:
            spare = room - 2 * len(posts) - overflow
            title_lines = 1 + min(2, spare // len(posts))
            for post in posts:
                lines.extend(self._roomy(post, width, title_lines, day.delivery_of(post.id)))
        else:
            lines.extend(self._compact(post, width, day.delivery_of(post.id)) for post in posts)
        if hidden:
            # Always "+N more", also when no post fits: one wording for one meaning.
            lines.append([(f"+{hidden} more", BOLD)])
        return [*lines, *tail][:height]

    def _heading(self, day: date, width: int) -> list[Part]:
        label = f"{day.day}" if day.day != 1 or width < 10 else f"{day.day} {day:%b}"
        if self.page is not None and day == self.page.today:
            return [(f" {label} today " if width >= 10 else f" {label} ", TODAY)]
        return [(label, BOLD)]

    def _compact(
        self, post: PostSummary, width: int, delivery: DeliveryState | None = None
    ) -> list[Part]:
        """One line: time, up to two channel glyphs, what its deliveries need (✋ post by hand,
        ↻ retrying, ? unconfirmed, ↑ sending, ✗ failed), title in its stage's colour."""
        glyphs = "".join(_glyph(p) for p in post.platforms[:2])
        glyphs += "+" if len(post.platforms) > 2 else ""
        parts: list[Part] = [(_clock(post.publish_at, self.zone, width >= 14) + " ", DIM)]
        if width >= 14 and glyphs:
            parts.append((glyphs + " ", BOLD))
        if delivery is not None:
            mark, style = DELIVERY_MARK[delivery]
            parts.append((mark, style))
        parts.append((_printable(post.title), STAGE[post.stage]))
        return parts

    def _roomy(
        self,
        post: PostSummary,
        width: int,
        title_lines: int,
        delivery: DeliveryState | None = None,
    ) -> list[list[Part]]:
        """Time, every channel, the stage mark and what its deliveries need; then the title."""
        colour = STAGE[post.stage]
        meta: list[Part] = [
            (_clock(post.publish_at, self.zone, width >= 14) + " ", DIM),
            ("".join(_glyph(p) for p in post.platforms) + " ", BOLD),
            (STAGE_MARK[post.stage], colour),
        ]
        if delivery is not None:
            meta.append((" " + DELIVERY_MARK[delivery][0], DELIVERY_MARK[delivery][1]))
        title = Content(_printable(post.title)).wrap(max(width, 1))[:title_lines]
        return [meta, *([(line.plain, colour)] for line in title)]


#: How a calendar cell marks a post whose deliveries need a person or are under way.
DELIVERY_MARK = {
    DeliveryState.MANUAL: ("✋", Style(bold=True, color="yellow")),
    DeliveryState.RETRYING: ("↻", Style(color="#ffaf00")),
    DeliveryState.UNCONFIRMED: ("?", Style(bold=True, color="#ffaf00")),
    DeliveryState.SENDING: ("↑", Style(color="cyan")),
    DeliveryState.FAILED: ("✗", Style(bold=True, color="red")),
}


def _printable(text: str) -> str:
    return text.translate(UNPRINTABLE)
