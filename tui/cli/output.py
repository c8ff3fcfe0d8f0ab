"""How the CLI prints: aligned tables for people, JSON for scripts, one-line refusals on stderr,
and, as a second line of defence behind the store's text gate, no control character reaching the
terminal from anything printed."""

from __future__ import annotations

import dataclasses
import json
import sys
from datetime import date, datetime
from enum import Enum
from zoneinfo import ZoneInfo

import store

#: Control characters a terminal would obey, and lone surrogates UTF-8 cannot carry, each shown
#: as the replacement character instead; the store's gate then drops bidi overrides and caps
#: piles of combining marks.
_UNSHOWABLE = {
    **{code: "\ufffd" for code in range(0x20) if code not in (0x09, 0x0A)},
    **{code: "\ufffd" for code in range(0x7F, 0xA0)},
    **{code: "\ufffd" for code in range(0xD800, 0xE000)},
}
#: In JSON, the 8-bit controls are escaped too (json.dumps escapes only those below 0x20).
_JSON_ESCAPES = {code: f"\\u{code:04x}" for code in range(0x7F, 0xA0)}


def showable(text: str) -> str:
    """`text` with nothing in it that a terminal would obey or that would reorder what it shows."""
    return store.clean(text.translate(_UNSHOWABLE), lines=True)


class SafeStream:
    """A text stream that writes what it is given with every unshowable character replaced."""

    def __init__(self, stream):
        self.stream = stream

    def write(self, text: str) -> int:
        return self.stream.write(showable(text))

    def __getattr__(self, name):
        return getattr(self.stream, name)


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
    text = json.dumps(to_plain(value), indent=2, ensure_ascii=False)
    sys.stdout.write(text.translate(_JSON_ESCAPES) + "\n")


def print_table(headers: list[str], rows: list[list[str]]) -> None:
    """Write rows under headers, columns padded to the widest cell (the last column is not
    padded); every cell on one line."""
    rows = [[_one_line(cell) for cell in row] for row in rows]
    widths = [len(h) for h in headers]
    for row in rows:
        for i, cell in enumerate(row):
            widths[i] = max(widths[i], len(cell))
    for row in [headers, *rows]:
        cells = [cell.ljust(widths[i]) for i, cell in enumerate(row[:-1])] + [row[-1]]
        print("  ".join(cells).rstrip())


def _one_line(text: str) -> str:
    return " ".join(str(text).split("\n")).replace("\t", " ")


def local(moment: datetime | None, timezone: str) -> str:
    """A moment as `2026-12-01 09:30` in the user's timezone, or `-`."""
    if moment is None:
        return "-"
    return moment.astimezone(ZoneInfo(timezone)).strftime("%Y-%m-%d %H:%M")


def stage_words(stage: store.Stage) -> str:
    """A stage as the TUI says it (`in review`)."""
    return stage.label


def say(text: str) -> None:
    """Print one message for people, starting with a capital."""
    print(text[:1].upper() + text[1:])


def one_line(message: str) -> str:
    """A message on one line, whatever line breaks it was given."""
    return " ".join(message.splitlines()) if message else message


def fail(message: str, code: int = 1) -> int:
    """Say why on stderr (one line) and return the exit code."""
    print(f"postroom: {one_line(message)}", file=sys.stderr)
    return code
