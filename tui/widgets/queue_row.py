"""A post waiting in the approval queue: `● ‼ 1/2  Title`, then `author · due · channels`."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from rich.text import Text

from store import QueueItem, Tier

from ..words import glyphs, overdue, when

ROW_HEIGHT = 3  # two lines and the gap before the next row


def queue_row(item: QueueItem, width: int, zone: ZoneInfo, now: datetime) -> Text:
    """The row's lines: mine in bold with a filled dot, overdue in red."""
    post = item.post
    first = Text()
    first.append("● " if item.mine else "○ ", style="bold #5fd7ff" if item.mine else "dim")
    if post.tier is Tier.HIGH_STAKES:
        first.append("‼ ", style="#ff8700")
    first.append(f"{len(item.approvers)}/{item.required}  ", style="bold")
    first.append(post.title, style="bold" if item.mine else "")
    second = Text("  ")
    second.append(post.owner_login, style="dim")
    if item.overdue:
        second.append(f" · {overdue(post.review_due, now)}", style="bold red")
    elif post.review_due:
        second.append(f" · due {when(post.review_due, zone)}", style="#ffaf00")
    marks = glyphs(post.platforms)
    second.append(f" · {marks}" if marks else "", style="bold cyan")
    row = Text("\n").join([first, second, Text("")])
    row.no_wrap, row.overflow = True, "ellipsis"
    return row
