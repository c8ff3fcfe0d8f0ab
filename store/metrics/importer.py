"""`postroom metrics import FILE`: counters from a platform's analytics export, as CSV with a
header row:

    remote      the post's link on the platform, or its id there (required; `remote_url`,
                `remote_id`, `url` and `id` are read as this column too)
    taken_at    when the platform counted, ISO 8601 (no offset: the importer's time zone)
    and any of  impressions, reach, likes, comments, shares, saves, clicks, video_views

Columns it does not know are listed and left out. Everything is checked before anything is
written: every bad line is named with its line number and column, and one bad line rejects the
whole file; otherwise one transaction keeps a snapshot per line (a line already kept — the same
delivery and time — is not kept twice)."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from ..access import may_see
from ..db import reading, writing
from ..db.models import MetricSnapshot, Variant
from ..domain import Actor, DeliveryState
from ..errors import FileRefused
from ..inbox.importer import _when, read_text
from ..permissions import Action, require
from . import rollup
from .counters import COUNTERS

REMOTE = ("remote", "remote_url", "remote_id", "url", "id")
ALIASES = {"video views": "video_views", "views": "video_views", "engagements": None}


@dataclass(frozen=True)
class MetricsImport:
    lines: int
    added: int
    known: int
    unknown_columns: tuple[str, ...]
    committed: bool


def _column(name: str) -> str:
    key = name.strip().lower().replace("-", "_")
    return ALIASES.get(key.replace("_", " "), key) or key


def import_metrics(
    actor: Actor, path: Path, now: datetime, *, dry_run: bool = False
) -> MetricsImport:
    """Check the whole file, then keep every line's counters in one transaction (or, with
    `dry_run`, say what would be kept)."""
    require(actor, Action.METRICS_VIEW)
    zone = actor.user.timezone if actor.user else "UTC"
    reader = csv.DictReader(io.StringIO(read_text(path), newline=""))
    header = {name: _column(name) for name in reader.fieldnames or []}
    remote = next((raw for raw, key in header.items() if key in REMOTE), None)
    problems = []
    if remote is None:
        problems.append("line 1: missing column remote (the post's link or id)")
    if "taken_at" not in header.values():
        problems.append("line 1: missing column taken_at")
    if problems:
        raise FileRefused(str(path), problems)
    counted = {raw: key for raw, key in header.items() if key in COUNTERS}
    unknown = tuple(
        raw
        for raw, key in header.items()
        if raw != remote and key != "taken_at" and raw not in counted
    )
    taken = next(raw for raw, key in header.items() if key == "taken_at")
    rows: list[tuple[int, int, datetime, dict]] = []
    with reading():
        start = reader.line_num + 1
        for record in reader:
            number, start = start, reader.line_num + 1
            value = (record.get(remote) or "").strip()
            variant = (
                Variant.select(Variant.id, Variant.post, Variant.channel)
                .where(
                    ((Variant.remote_url == value) | (Variant.remote_id == value))
                    & (Variant.state == DeliveryState.SENT.value)
                )
                .first()
                if value
                else None
            )
            if variant is None:
                problems.append(
                    f"line {number}, column {remote}: no sent post has the link or id {value!r}"
                    if value
                    else f"line {number}, column {remote}: empty"
                )
                continue
            if not may_see(actor, variant.channel.brand_id):
                problems.append(f"line {number}, column {remote}: a post of a brand you cannot see")
                continue
            try:
                at = _when(record.get(taken) or "", zone)
            except ValueError:
                problems.append(
                    f"line {number}, column {taken}: {record.get(taken)!r} is not a date and time "
                    "(ISO 8601)"
                )
                continue
            values, bad = {}, False
            for raw, key in counted.items():
                text = (record.get(raw) or "").strip().replace(",", "")
                if not text:
                    continue
                if not text.isdigit():
                    problems.append(f"line {number}, column {raw}: {text!r} is not a whole number")
                    bad = True
                    continue
                values[key] = int(text)
            if not bad:
                rows.append((number, variant.id, at, values))
    if problems:
        raise FileRefused(str(path), problems)
    known = 0
    with writing():
        for _, variant_id, at, values in rows:
            if (
                MetricSnapshot.select()
                .where((MetricSnapshot.variant == variant_id) & (MetricSnapshot.taken_at == at))
                .exists()
            ):
                known += 1
                continue
            if not dry_run:
                MetricSnapshot.create(variant=variant_id, taken_at=at, **values)
                rollup.note(variant_id, at, values)
    return MetricsImport(len(rows), len(rows) - known, known, unknown, not dry_run)
