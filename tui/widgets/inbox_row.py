"""A message in the inbox list: `● ⚠ m↩ @author · 2h · ines`, then its labels and first line."""

from __future__ import annotations

from datetime import datetime

from rich.text import Text

import store
from store import InboxKind, InboxStatus

from ..words import glyphs

ROW_HEIGHT = 3  # two lines and the gap before the next row

STATUS_MARK = {InboxStatus.NEW: "●", InboxStatus.PENDING: "◐", InboxStatus.CLOSED: "✓"}
STATUS_STYLE = {InboxStatus.NEW: "bold #5fd7ff", InboxStatus.PENDING: "#ffaf00"}
KIND_MARK = {InboxKind.COMMENT: "↩", InboxKind.MENTION: "@", InboxKind.DM: "✉"}


def age(moment: datetime, now: datetime) -> str:
    """How long ago, in a few characters: `now`, `5m`, `3h`, `2d`."""
    seconds = max(int((now - moment).total_seconds()), 0)
    if seconds < 60:
        return "now"
    if seconds < 3600:
        return f"{seconds // 60}m"
    if seconds < 48 * 3600:
        return f"{seconds // 3600}h"
    return f"{seconds // 86400}d"


def inbox_row(row: store.inbox.MessageRow, width: int, now: datetime, *, selected: bool) -> Text:
    """The row's two lines: status, selection, SLA, channel and kind marks, author, age and
    assignee; then the first line of the message and its labels."""
    first = Text()
    first.append(f"{STATUS_MARK[row.status]} ", style=STATUS_STYLE.get(row.status, "dim"))
    first.append("▪ " if selected else "  ", style="bold #ff5fd7")
    if row.overdue:
        first.append("⚠ ", style="bold red")
    first.append(f"{glyphs([row.platform])}{KIND_MARK[row.kind]} ", style="bold cyan")
    first.append(row.author_handle, style="bold" if row.status is InboxStatus.NEW else "")
    first.append(f" · {age(row.last_at, now)}", style="dim")
    if row.follow_ups:
        first.append(f" · +{row.follow_ups}", style="dim")
    first.append(f" · {row.assignee}" if row.assignee else " · unassigned", style="#87d787")
    if row.priority:
        first.append(" ↑" * row.priority, style="bold #ff8700")
    second = Text("    ")
    for label in row.labels:
        second.append(f"#{label} ", style="#d7afff")
    second.append(row.first_line, style="" if row.status is InboxStatus.NEW else "dim")
    lines = Text("\n").join([first, second, Text("")])
    lines.no_wrap, lines.overflow = True, "ellipsis"
    return lines
