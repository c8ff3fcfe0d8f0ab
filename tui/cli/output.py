"""How the CLI prints: aligned tables for people, JSON for scripts, one-line refusals on stderr."""

from __future__ import annotations

import dataclasses
import json
import sys
from datetime import date, datetime
from enum import Enum
from zoneinfo import ZoneInfo


def to_plain(value):
    """Dataclasses, enums and datetimes as JSON-ready values."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: to_plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, (list, tuple)):
        return [to_plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): to_plain(v) for k, v in value.items()}
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    return value


def print_json(value) -> None:
    """Write `value` as indented JSON on stdout."""
    json.dump(to_plain(value), sys.stdout, indent=2, ensure_ascii=False)
    sys.stdout.write("\n")


def print_table(headers: list[str], rows: list[list[str]]) -> None:
    """Write rows under headers, columns padded to the widest cell (the last column is not padded)."""
    widths = [len(h) for h in headers]
    for row in rows:
        for i, cell in enumerate(row):
            widths[i] = max(widths[i], len(cell))
    for row in [headers, *rows]:
        cells = [cell.ljust(widths[i]) for i, cell in enumerate(row[:-1])] + [row[-1]]
        print("  ".join(cells).rstrip())


def local(moment: datetime | None, timezone: str) -> str:
    """A moment as `2026-12-01 09:30` in the user's timezone, or `-`."""
    if moment is None:
        return "-"
    return moment.astimezone(ZoneInfo(timezone)).strftime("%Y-%m-%d %H:%M")


def fail(message: str, code: int = 1) -> int:
    """Say why on stderr (one line) and return the exit code."""
    print(f"postroom: {message}", file=sys.stderr)
    return code
