"""Each chosen channel's caption check: a tick or cross, count against limit, findings below."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from store import CaptionReport


class CaptionChecks(Static):
    """A dumb widget: the editor hands it (channel name, report) pairs."""

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
