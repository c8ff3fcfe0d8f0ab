"""A word-level diff of two texts, for revisions: removed struck through in red, added in green."""

from __future__ import annotations

import difflib
import re

from rich.text import Text

from store import RevisionInfo

_TOKENS = re.compile(r"\s+|\w+|[^\w\s]")


def diff_text(before: str, after: str) -> Text:
    """`after`, with what changed since `before` marked."""
    old, new = _TOKENS.findall(before), _TOKENS.findall(after)
    result = Text()
    for op, a1, a2, b1, b2 in difflib.SequenceMatcher(a=old, b=new, autojunk=False).get_opcodes():
        if op == "equal":
            result.append("".join(new[b1:b2]))
            continue
        if op in ("delete", "replace"):
            result.append("".join(old[a1:a2]), style="strike red")
        if op in ("insert", "replace"):
            result.append("".join(new[b1:b2]), style="bold green")
    return result


def revision_diff(before: RevisionInfo, after: RevisionInfo) -> Text:
    """What changed from one revision to another, part by part; unchanged parts are left out."""
    text = Text()
    parts = [
        ("title", before.title, after.title),
        ("brief", before.brief, after.brief),
        ("caption", before.caption, after.caption),
    ]
    old_overrides, new_overrides = dict(before.overrides), dict(after.overrides)
    for channel in sorted(old_overrides.keys() | new_overrides.keys()):
        parts.append(
            (f"{channel} caption", old_overrides.get(channel, ""), new_overrides.get(channel, ""))
        )
    parts.append(("media", "  ".join(before.media), "  ".join(after.media)))
    for label, old, new in parts:
        if old != new:
            text.append(f"{label}: ", style="dim")
            text.append_text(diff_text(old, new))
            text.append("\n")
    text.rstrip()
    if not text:
        text.append("No change in the content.", style="dim")
    return text
