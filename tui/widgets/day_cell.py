"""One day on the calendar: its date, notes, posts by time (coloured by stage) and what does not fit."""

from __future__ import annotations

from datetime import date
from zoneinfo import ZoneInfo

from rich.text import Text
from textual.reactive import reactive
from textual.widget import Widget

from store import CalendarDay, rules_for

from ..styles import STAGE_COLOUR, STAGE_MARK


class DayCell(Widget):
    """A dumb widget: the screen hands it a CalendarDay and it draws what fits."""

    day: reactive[CalendarDay | None] = reactive(None)
    #: Week view: a post gets a line for time, channels and stage, and its whole title below.
    roomy: reactive[bool] = reactive(False)

    def __init__(self, index: int, timezone: str):
        super().__init__(id=f"day-{index}")
        self.index = index
        self.timezone = timezone

    def render(self) -> Text:
        day = self.day
        if day is None:
            return Text("")
        width = max(self.size.width, 1)
        height = max(self.size.height, 1)
        zone = ZoneInfo(self.timezone)
        lines: list[Text] = [self._heading(day.day, width)]
        for note in day.notes[:1]:
            lines.append(
                Text("◆ " + note.title, style="magenta", overflow="ellipsis", no_wrap=True)
            )
        if len(day.notes) > 1:
            lines[-1] = Text(f"◆ {day.notes[0].title} +{len(day.notes) - 1}", style="magenta")
        tail: list[Text] = []
        if day.gaps:
            glyphs = "".join(rules_for(c.platform).glyph for c in day.gaps)
            tail.append(Text(f"gap {glyphs}", style="italic orange3"))
        room = height - len(lines) - len(tail)
        posts = list(day.posts)
        hidden = day.total - len(posts)
        if len(posts) > room or hidden:
            keep = max(room - 1, 0)
            hidden = day.total - min(keep, len(posts))
            posts = posts[:keep]
        roomy = self.roomy and bool(posts) and room >= 2 * len(posts) + (1 if hidden else 0)
        title_lines = 1
        if roomy:
            spare = room - 2 * len(posts) - (1 if hidden else 0)
            title_lines = 1 + min(2, spare // len(posts))
        for post in posts:
            local = post.publish_at.astimezone(zone)
            clock = f"{local.hour}:{local:%M}" if width >= 14 else f"{local.hour}"
            glyphs = "".join(rules_for(p).glyph for p in post.platforms[:2])
            glyphs += "+" if len(post.platforms) > 2 else ""
            line = Text(no_wrap=True, overflow="ellipsis")
            line.append(clock + " ", style="dim")
            if roomy:
                # Enough room: time, channels and stage on one line, the whole title under it.
                line.append(f"{''.join(rules_for(p).glyph for p in post.platforms)} ", style="bold")
                line.append(STAGE_MARK[post.stage], style=STAGE_COLOUR[post.stage])
                lines.append(line)
                title = Text(post.title, style=STAGE_COLOUR[post.stage])
                wrapped = title.wrap(self.app.console, width)[:title_lines]
                lines.extend(wrapped)
                continue
            if width >= 14 and glyphs:
                line.append(glyphs + " ", style="bold")
            line.append(post.title, style=STAGE_COLOUR[post.stage])
            lines.append(line)
        if hidden > 0 and not posts:
            lines.append(Text(f"{hidden} post{'s' if hidden > 1 else ''}", style="bold"))
        elif hidden > 0:
            lines.append(Text(f"+{hidden} more", style="bold"))
        lines.extend(tail)
        text = Text("\n").join(
            line[:width] if line.cell_len > width else line for line in lines[:height]
        )
        text.no_wrap = True
        text.overflow = "ellipsis"
        return text

    def _heading(self, day: date, width: int) -> Text:
        label = f"{day.day}" if day.day != 1 or width < 10 else f"{day.day} {day:%b}"
        if self.has_class("-today"):
            return Text(f" {label} today " if width >= 10 else f" {label} ", style="bold reverse")
        return Text(label, style="bold")
