"""A post's conversation: comments and review decisions in the order they came (approvals pane,
post detail; the CLI's `post show` prints the same lines)."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from rich.text import Text
from textual.widgets import Static

from store import PostDetail

from ..words import thread


def thread_text(detail: PostDetail, zone: ZoneInfo, title: str) -> Text:
    """A heading, then `23 Nov 10:00  r2 rafa approved: note` per line."""
    text = Text()
    text.append(title, style="bold underline")
    lines = thread(detail)
    for at, line in lines:
        text.append(f"\n{at.astimezone(zone):%d %b %H:%M}  ", style="dim")
        text.append(line)
    if not lines:
        text.append("\nNo comments or reviews yet.", style="dim")
    return text


class ReviewThread(Static):
    """A dumb widget: handed a post, it shows the post's thread."""

    def show(self, detail: PostDetail | None, zone: ZoneInfo, title: str) -> None:
        """Draw the thread of `detail` (nothing for None)."""
        self.update(thread_text(detail, zone, title) if detail else Text())
