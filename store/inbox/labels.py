"""Automatic labels, from rules kept as data per brand (a rule with no brand applies to all):
"question" when the body ends with "?", keyword lists for "order", "complaint" and the like."""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..db.models import LabelRule


@dataclass(frozen=True)
class Rule:
    label: str
    match: str
    words: tuple[str, ...]

    def applies(self, body: str) -> bool:
        text = body.strip().casefold()
        if self.match == "question":
            return text.rstrip(" !.)\"'»”").endswith("?") or text.endswith("?")
        return any(re.search(rf"\b{re.escape(w)}", text) for w in self.words)


def rules_for(brand_id: int) -> list[Rule]:
    """The rules a brand's incoming messages are labelled by (inside the caller's transaction)."""
    rows = LabelRule.select().where(LabelRule.brand.is_null() | (LabelRule.brand == brand_id))
    return [
        Rule(
            r.label,
            r.match,
            tuple(w.strip().casefold() for w in r.words.split(",") if w.strip()),
        )
        for r in rows.order_by(LabelRule.id)
    ]


def labels_for(body: str, rules: list[Rule]) -> list[str]:
    """The labels a body earns, each once, in rule order."""
    found: list[str] = []
    for rule in rules:
        if rule.label not in found and rule.applies(body):
            found.append(rule.label)
    return found


LABEL = re.compile(r"^[\w][\w -]{0,29}$")


def check_label(text: str) -> str | None:
    """Why a typed label is not a label (None when it is one): letters, digits, spaces and
    dashes, up to 30."""
    if not LABEL.match(text):
        return "a label is 1–30 letters, digits, spaces or dashes"
    return None
