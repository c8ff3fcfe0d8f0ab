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


MATCHES = ("question", "keywords")


@dataclass(frozen=True)
class RuleInfo:
    """A labelling rule as people manage it."""

    id: int
    brand_id: int | None
    label: str
    match: str
    words: tuple[str, ...]


def _info(row: LabelRule) -> RuleInfo:
    words = tuple(w.strip() for w in row.words.split(",") if w.strip())
    return RuleInfo(row.id, row.brand_id, row.label, row.match, words)


def list_label_rules(actor, brand_id: int | None = None) -> list[RuleInfo]:
    """The rules (a brand's own and the team's, or all), in the order they apply."""
    from ..db import reading
    from ..permissions import Action, require

    require(actor, Action.INBOX_VIEW)
    with reading():
        query = LabelRule.select()
        if brand_id is not None:
            query = query.where(LabelRule.brand.is_null() | (LabelRule.brand == brand_id))
        return [_info(r) for r in query.order_by(LabelRule.id)]


def add_label_rule(
    actor, label: str, match: str, words: list[str], now, *, brand_id: int | None = None
) -> RuleInfo:
    """A new rule: `match` "question" (the body asks something) or "keywords" (any of
    `words`, matched at the start of a word, any case). Managers and admins."""
    from .. import audit
    from ..db import writing
    from ..errors import ValidationError
    from ..permissions import Action, require
    from ..text import clean

    require(actor, Action.INBOX_ASSIGN, brand_id)
    label = clean(label).strip().lstrip("#")
    problem = check_label(label)
    if problem:
        raise ValidationError("label", problem)
    if match not in MATCHES:
        raise ValidationError("match", f"one of {', '.join(MATCHES)}")
    kept = [clean(w).strip().casefold() for w in words if clean(w).strip()]
    if any("," in w for w in kept):
        raise ValidationError("words", "give each keyword separately (no commas inside one)")
    if match == "keywords" and not kept:
        raise ValidationError("words", "a keywords rule needs at least one keyword")
    with writing():
        row = LabelRule.create(
            brand=brand_id,
            label=label,
            match=match,
            words=", ".join(kept if match == "keywords" else []),
        )
        audit.record(
            actor.login,
            "inbox.rule_add",
            "inbox",
            None,
            {"rule": row.id, "label": label, "match": match, "words": kept, "brand": brand_id},
            now,
        )
    return _info(row)


def remove_label_rule(actor, rule_id: int, now) -> RuleInfo:
    """Remove a rule (labels it gave stay on their messages)."""
    from .. import audit
    from ..db import writing
    from ..errors import NotFound
    from ..permissions import Action, require

    with writing():
        row = LabelRule.get_or_none(LabelRule.id == rule_id)
        if row is None:
            raise NotFound(f"no label rule #{rule_id} (postroom label-rule list)")
        require(actor, Action.INBOX_ASSIGN, row.brand_id)
        info = _info(row)
        row.delete_instance()
        audit.record(
            actor.login,
            "inbox.rule_remove",
            "inbox",
            None,
            {"rule": rule_id, "label": info.label},
            now,
        )
    return info
