"""Each chosen channel's caption check: a tick or cross, count against limit, findings below;
run off the UI thread a moment after typing stops."""

from __future__ import annotations

import time

from rich.text import Text
from textual.message import Message
from textual.widgets import Static
from textual.worker import get_current_worker

import store
from store import AssetInfo, CaptionReport, Platform

from ..session import db_work

#: A check waits this long for the next keystroke, which cancels it, before it runs.
SETTLE = 0.15


class CaptionChecks(Static):
    """Handed (channel name, platform, text it is sent) jobs and the media, it checks and draws."""

    class Done(Message):
        """Checks finished, for the text they were run on."""

        def __init__(self, reports: list[tuple[str, CaptionReport]]):
            super().__init__()
            self.reports = reports

    def recheck(self, jobs: list[tuple[str, Platform, str]], media: list[AssetInfo]) -> None:
        """Check these captions soon (a newer call replaces this one)."""
        self._run(jobs, media)

    @db_work(group="editor-checks")
    def _run(self, jobs, media) -> None:
        time.sleep(SETTLE)  # exclusive worker: a newer keystroke cancels this one before it runs
        if get_current_worker().is_cancelled:
            return
        reports = [(name, store.check_caption(p, text, media)) for name, p, text in jobs]
        self.post_message(self.Done(reports))

    def on_caption_checks_done(self, message: Done) -> None:
        self.show(message.reports)

    def show(self, reports: list[tuple[str, CaptionReport]]) -> None:
        """Draw the reports (or a hint when no channel is chosen)."""
        text = Text()
        for name, report in reports:
            colour = "red" if report.errors else "green"
            text.append("✗ " if report.errors else "✓ ", style=colour)
            text.append(f"{name}  ", style="bold")
            text.append(f"{report.length}/{report.limit}\n", style=colour)
            for finding in report.findings:
                style = "red" if finding.severity == "error" else "orange3"
                text.append(f"    {finding.message}\n", style=style)
        if not reports:
            text.append("Choose channels to see each platform's checks.", style="dim")
        self.update(text)
