"""A word-level diff of two texts, for revisions: removed struck through in red, added in green."""

from __future__ import annotations

import difflib
import re

from rich.text import Text

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
