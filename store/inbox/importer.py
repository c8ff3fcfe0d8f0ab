"""`postroom inbox import FILE`: messages from platforms Postroom cannot reach, as CSV (a header
row) or JSONL (one object a line), with these columns:

    channel      the channel's handle, or platform:handle, or its id (required)
    remote_id    the platform's id of the message, unique per channel (required)
    kind         comment, mention or dm (required)
    author       the sender's handle (required)
    body         the text (required)
    received_at  ISO 8601, e.g. 2026-11-30T14:05:00+01:00 (no offset: the importer's time zone)
    in_reply_to  the remote id of the post or message it answers (optional)
    author_name  the sender's display name (optional)

Everything is checked before anything is written: every bad line is named with its line number
and column, and one bad line rejects the whole file. Otherwise one transaction files it through
the same ingest as a sync (a second import of the same file adds nothing)."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from ..access import member
from ..db import reading, writing
from ..db.models import Channel, InboxMessage
from ..domain import Actor, InboxKind
from ..errors import FileRefused
from ..permissions import Action, require
from .ingest import ingest
from .model import Incoming

REQUIRED = ("channel", "remote_id", "kind", "author", "body", "received_at")
OPTIONAL = ("in_reply_to", "author_name")
COLUMNS = REQUIRED + OPTIONAL


@dataclass(frozen=True)
class ImportLine:
    line: int
    channel_id: int
    channel: str
    item: Incoming
    known: bool


@dataclass(frozen=True)
class ImportResult:
    lines: tuple[ImportLine, ...]
    added: int
    known: int
    committed: bool


def read_text(path: Path) -> str:
    data = path.read_bytes()
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise FileRefused(
            str(path), [f"byte {error.start}: not UTF-8 (save the file as UTF-8 and try again)"]
        ) from None


def _records(path: Path, text: str) -> list[tuple[int, dict]]:
    if path.suffix.lower() in (".jsonl", ".ndjson", ".json"):
        records, problems = [], []
        for number, line in enumerate(text.splitlines(), start=1):
            if not line.strip():
                continue
            try:
                value = json.loads(line)
            except ValueError as error:
                problems.append(f"line {number}: not JSON ({error.msg})")
                continue
            if not isinstance(value, dict):
                problems.append(f"line {number}: each line must be one JSON object")
                continue
            records.append((number, {k: "" if v is None else str(v) for k, v in value.items()}))
        if problems:
            raise FileRefused(str(path), problems)
        return records
    reader = csv.DictReader(io.StringIO(text, newline=""))
    missing = [c for c in REQUIRED if c not in (reader.fieldnames or [])]
    if missing:
        raise FileRefused(str(path), [f"line 1: missing column {', '.join(missing)}"])
    out, start = [], reader.line_num + 1
    for record in reader:
        out.append((start, {k: v for k, v in record.items() if k is not None}))
        start = reader.line_num + 1
    return out


def _when(text: str, zone: str) -> datetime:
    moment = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=ZoneInfo(zone))
    return moment


def check_file(actor: Actor, path: Path, now: datetime) -> list[ImportLine]:
    """Every line of the file as it would go in, or FileRefused naming each bad one."""
    require(actor, Action.INBOX_REPLY)
    text = read_text(path)
    records = _records(path, text)
    zone = member(actor).timezone or "UTC"
    with reading():
        channels = list(Channel.select())
    by_key: dict[str, list[Channel]] = {}
    for c in channels:
        for key in (str(c.id), c.handle, f"{c.platform}:{c.handle}"):
            by_key.setdefault(key.casefold(), []).append(c)
    problems, lines, seen = [], [], set()
    for number, record in records:

        def bad(column: str, why: str, number: int = number) -> None:
            problems.append(f"line {number}, column {column}: {why}")

        values = {k: (record.get(k) or "").strip() for k in COLUMNS}
        values["body"] = (record.get("body") or "").strip()
        for column in REQUIRED:
            if not values[column]:
                bad(column, "empty")
        found = by_key.get(values["channel"].casefold(), []) if values["channel"] else []
        if values["channel"] and not found:
            bad("channel", f"no channel {values['channel']!r}")
        elif len(found) > 1:
            bad(
                "channel",
                f"{values['channel']!r} is several channels; give platform:handle or the id",
            )
        if values["kind"] and values["kind"] not in {k.value for k in InboxKind}:
            bad("kind", f"{values['kind']!r} is not comment, mention or dm")
        when = None
        if values["received_at"]:
            try:
                when = _when(values["received_at"], zone)
            except ValueError:
                bad("received_at", f"{values['received_at']!r} is not a date and time (ISO 8601)")
            else:
                if when > now:
                    bad("received_at", "is in the future")
        if len(values["remote_id"]) > 255:
            bad("remote_id", "longer than 255 characters")
        if len(found) == 1 and values["remote_id"]:
            key = (found[0].id, values["remote_id"])
            if key in seen:
                bad("remote_id", f"{values['remote_id']!r} appears twice for this channel")
            seen.add(key)
        if problems and problems[-1].startswith(f"line {number},"):
            continue
        channel = found[0]
        if not actor_may(actor, channel.brand_id):
            bad("channel", f"{channel.handle} belongs to a brand you may not see")
            continue
        item = Incoming(
            remote_id=values["remote_id"],
            kind=InboxKind(values["kind"]),
            author_handle=values["author"],
            author_name=values["author_name"],
            body=values["body"],
            received_at=when,
            in_reply_to=values["in_reply_to"] or None,
        )
        with reading():
            known = (
                InboxMessage.select()
                .where(
                    (InboxMessage.channel == channel.id)
                    & (InboxMessage.remote_id == item.remote_id)
                )
                .exists()
            )
        lines.append(
            ImportLine(number, channel.id, f"{channel.platform} {channel.handle}", item, known)
        )
    if problems:
        raise FileRefused(str(path), problems)
    return lines


def actor_may(actor: Actor, brand_id: int) -> bool:
    from ..access import may_see

    return may_see(actor, brand_id)


def import_messages(
    actor: Actor, path: Path, now: datetime, *, dry_run: bool = False
) -> ImportResult:
    """Check the whole file, then (unless `dry_run`) file it in one transaction."""
    lines = check_file(actor, path, now)
    known = sum(1 for line in lines if line.known)
    if dry_run:
        return ImportResult(tuple(lines), len(lines) - known, known, False)
    added = 0
    with writing():
        by_channel: dict[int, list[Incoming]] = {}
        for line in lines:
            by_channel.setdefault(line.channel_id, []).append(line.item)
        for channel_id, items in by_channel.items():
            added += ingest(actor.login, channel_id, items, now, source="import").added
    return ImportResult(tuple(lines), added, len(lines) - added, True)
