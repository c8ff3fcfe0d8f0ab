"""One day on the calendar: its date, notes, posts by time (coloured by stage) and what does not fit."""

from __future__ import annotations

from datetime import date
from zoneinfo import ZoneInfo

from textual.content import Content
from textual.reactive import reactive
from textual.widget import Widget

from store import CalendarDay, PostSummary, rules_for

from ..styles import GAP_STYLE, STAGE_COLOUR, STAGE_MARK


class DayCell(Widget):
    """A dumb widget: the screen hands it a CalendarDay and it draws what fits.

    It renders Textual Content rather than Rich Text: a month is 42 of these, redrawn on every
    switch, and Content skips the trip through a Rich console.
    """

    day: reactive[CalendarDay | None] = reactive(None)
    #: Week view: a post gets a line for time, channels and stage, and its whole title below.
    roomy: reactive[bool] = reactive(False)

    def __init__(self, index: int, timezone: str):
        super().__init__(id=f"day-{index}")
        self.index = index
        self.zone = ZoneInfo(timezone)

    def render(self) -> Content:
        day = self.day
        if day is None:
            return Content("")
        width = max(self.size.width, 1)
        height = max(self.size.height, 1)
        lines: list[Content] = [self._heading(day.day, width)]
        if day.notes:
            more = f" +{len(day.notes) - 1}" if len(day.notes) > 1 else ""
            lines.append(Content.styled(f"◆ {day.notes[0].title}{more}", "#ff5fd7"))
        tail: list[Content] = []
        if day.gaps:
            glyphs = "".join(rules_for(c.platform).glyph for c in day.gaps)
            tail.append(Content.styled(f"gap {glyphs}", GAP_STYLE))
        room = height - len(lines) - len(tail)
        posts = list(day.posts)
        hidden = day.total - len(posts)
        if len(posts) > room or hidden:
            keep = max(room - 1, 0)
            hidden = day.total - min(keep, len(posts))
            posts = posts[:keep]
        roomy = self.roomy and bool(posts) and room >= 2 * len(posts) + (1 if hidden else 0)
        if roomy:
            spare = room - 2 * len(posts) - (1 if hidden else 0)
            title_lines = 1 + min(2, spare // len(posts))
            for post in posts:
                lines.extend(self._roomy(post, width, title_lines))
        else:
            lines.extend(self._compact(post, width) for post in posts)
        if hidden > 0 and not posts:
            lines.append(Content.styled(f"{hidden} post{'s' if hidden > 1 else ''}", "bold"))
        elif hidden > 0:
            lines.append(Content.styled(f"+{hidden} more", "bold"))
        lines.extend(tail)
        shown = Content("\n").join(line.truncate(width, ellipsis=True) for line in lines[:height])
        # Days of the neighbouring months are faint: a style here, as CSS opacity costs a
        # blend of every cell on every key.
        return shown.stylize("dim") if self.has_class("-outside") else shown

    def _clock(self, post: PostSummary, width: int) -> str:
        local = post.publish_at.astimezone(self.zone)
        return f"{local.hour}:{local:%M}" if width >= 14 else f"{local.hour}"

    def _compact(self, post: PostSummary, width: int) -> Content:
        """One line: time, up to two channel glyphs, title in its stage's colour."""
        glyphs = "".join(rules_for(p).glyph for p in post.platforms[:2])
        glyphs += "+" if len(post.platforms) > 2 else ""
        parts = [(self._clock(post, width) + " ", "dim")]
        if width >= 14 and glyphs:
            parts.append((glyphs + " ", "bold"))
        parts.append((post.title, STAGE_COLOUR[post.stage]))
        return Content.assemble(*parts)

    def _roomy(self, post: PostSummary, width: int, title_lines: int) -> list[Content]:
        """Time, every channel and the stage mark; then the title, wrapped."""
        colour = STAGE_COLOUR[post.stage]
        meta = Content.assemble(
            (self._clock(post, width) + " ", "dim"),
            ("".join(rules_for(p).glyph for p in post.platforms) + " ", "bold"),
            (STAGE_MARK[post.stage], colour),
        )
        return [meta, *Content.styled(post.title, colour).wrap(width)[:title_lines]]

    def _heading(self, day: date, width: int) -> Content:
        label = f"{day.day}" if day.day != 1 or width < 10 else f"{day.day} {day:%b}"
        if self.has_class("-today"):
            return Content.styled(
                f" {label} today " if width >= 10 else f" {label} ", "bold reverse"
            )
        return Content.styled(label, "bold")
