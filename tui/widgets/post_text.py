"""A post's content as text: caption, media, and each channel's checks (detail and approvals)."""

from __future__ import annotations

from rich.text import Text

from store import CaptionReport, PostDetail

from .media_list import media_line


def content_text(detail: PostDetail, reports: list[CaptionReport]) -> Text:
    """Caption, media, then per channel: count against limit, findings, and any override."""
    text = Text()
    text.append("Content\n", style="bold underline")
    text.append(detail.caption or "(no caption)")
    text.append("\n")
    for position, asset in enumerate(detail.media, 1):
        text.append("\n")
        text.append_text(media_line(asset, position))
    if not detail.media:
        text.append("\nno media", style="dim")
    text.append("\n")
    for variant, report in zip(detail.variants, reports, strict=True):
        text.append(f"\n{variant.platform.value} {variant.handle}  ", style="bold")
        text.append(
            f"{report.length}/{report.limit}", style="green" if not report.errors else "red"
        )
        for finding in report.findings:
            colour = "red" if finding.severity == "error" else "orange3"
            text.append(f"\n  {finding.severity}: {finding.message}", style=colour)
        if not report.findings:
            text.append("  ok", style="green")
        if variant.caption_override:
            text.append("\n  override: ", style="dim")
            text.append(variant.caption_override)
    return text
