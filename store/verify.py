"""`postroom verify`: the file is sound, its references hold, the audit chain is unbroken, and,
against an anchor kept elsewhere, the chain was neither cut short nor rewritten."""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path

from .audit import verify_chain
from .db import database
from .db.migrations import latest_version, schema_version
from .errors import ValidationError


@dataclass(frozen=True)
class ChainHead:
    """Where the audit chain ends: how many events, the last one's id and hash."""

    events: int
    last_id: int
    hash: str


@dataclass(frozen=True)
class VerifyReport:
    """What verify found; `problems` is empty when all is well, `notes` say what else it did."""

    problems: tuple[str, ...]
    audit_rows: int
    head: ChainHead
    schema: int
    notes: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        """Nothing wrong was found."""
        return not self.problems


def verify_database(*, anchor: str | os.PathLike | None = None) -> VerifyReport:
    """Run integrity_check, foreign_key_check, the audit chain check and the trail's plausibility;
    with `anchor`, check the chain against the head kept in that file, then keep the new head."""
    problems: list[str] = []
    integrity = [row[0] for row in database.execute_sql("PRAGMA integrity_check")]
    if integrity != ["ok"]:
        problems.extend(f"integrity: {line}" for line in integrity[:20])
    for table, rowid, parent, _ in database.execute_sql("PRAGMA foreign_key_check"):
        problems.append(f"foreign key: {table} row {rowid} points to a missing {parent}")
    broken = verify_chain()
    if broken:
        problems.append(f"audit: row {broken.event_id}: {broken.reason}")
    head = _head()
    problems += _implausible(head)
    notes: list[str] = []
    schema = schema_version(database.obj)
    if schema < latest_version():
        notes.append(
            f"schema {schema} is older than this Postroom's {latest_version()}; "
            "an admin runs `postroom migrate`"
        )
    if anchor is not None:
        path = Path(anchor)
        kept = read_anchor(path)
        if kept is None:
            notes.append(f"no anchor at {path} yet: started one")
        else:
            problems += check_anchor(kept, head)
        if not problems:
            write_anchor(path, head)
            if kept is not None:
                notes.append(f"anchor {path} holds ({kept.events} → {head.events} events)")
    return VerifyReport(tuple(problems), head.events, head, schema, tuple(notes))


def _head() -> ChainHead:
    events = database.execute_sql("SELECT count(*) FROM audit_event").fetchone()[0]
    row = database.execute_sql(
        "SELECT id, hash FROM audit_event ORDER BY id DESC LIMIT 1"
    ).fetchone()
    return ChainHead(events, row[0], row[1]) if row else ChainHead(0, 0, "")


def _implausible(head: ChainHead) -> list[str]:
    """Signs that the newest rows were removed: every change is audited, so nothing may be newer
    than the last audit event, and a team has at least the event that made its first admin."""
    users = database.execute_sql('SELECT count(*) FROM "user"').fetchone()[0]
    if head.events == 0:
        return (
            ["audit: the trail is empty but the database has users (rows were deleted)"]
            if users
            else []
        )
    last_at = database.execute_sql("SELECT max(at) FROM audit_event").fetchone()[0]
    newest = database.execute_sql("SELECT max(updated_at) FROM post").fetchone()[0]
    if newest is not None and str(newest) > str(last_at):
        return [
            f"audit: a post was changed at {newest}, after the last audit event ({last_at}): "
            "the newest events were deleted"
        ]
    return []


#: An anchor file is a few lines of JSON; reading more than this would only be an attack.
ANCHOR_MOST = 4096


@dataclass(frozen=True)
class Anchor:
    """The chain's head as verify last saw it, kept outside the database's folder."""

    events: int
    last_id: int
    hash: str


def read_anchor(path: Path) -> Anchor | None:
    """The anchor kept at `path`, or None when there is none yet."""
    try:
        if path.exists() and not path.is_file():  # a pipe or a device would hang or never end
            raise ValidationError("anchor", f"{path} is not a Postroom anchor file")
        with open(path, "rb") as handle:
            data = json.loads(handle.read(ANCHOR_MOST).decode("utf-8"))
        anchor = Anchor(int(data["events"]), int(data["last_id"]), str(data["hash"]))
    except FileNotFoundError:
        return None
    except OSError as error:
        why = (error.strerror or str(error)).lower()
        raise ValidationError("anchor", f"cannot read {path}: {why}") from None
    except (ValueError, KeyError, TypeError, OverflowError, RecursionError):
        raise ValidationError("anchor", f"{path} is not a Postroom anchor file") from None
    if not (0 <= anchor.events < 2**63 and 0 <= anchor.last_id < 2**63):
        raise ValidationError("anchor", f"{path} is not a Postroom anchor file")
    return anchor


def check_anchor(anchor: Anchor, head: ChainHead) -> list[str]:
    """What the anchor shows was done to the chain since: rows cut off, or the chain rewritten."""
    if head.events < anchor.events:
        return [
            f"audit: the trail has {head.events} events, fewer than the {anchor.events} the anchor "
            "recorded: rows were deleted"
        ]
    row = database.execute_sql(
        "SELECT hash FROM audit_event WHERE id = ?", (anchor.last_id,)
    ).fetchone()
    if row is None:
        return [f"audit: row {anchor.last_id}, the anchor's last, is gone: the trail was cut"]
    if row[0] != anchor.hash:
        return [
            f"audit: row {anchor.last_id} no longer has the hash the anchor recorded: "
            "the chain was rewritten"
        ]
    return []


def write_anchor(path: Path, head: ChainHead) -> None:
    """Keep the chain's head in `path` (written aside, then renamed: never half a file)."""
    data = {"events": head.events, "last_id": head.last_id, "hash": head.hash}
    partial = path.with_name(f".{path.name}.partial")
    try:
        partial.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
        os.replace(partial, path)
    except OSError as error:
        partial.unlink(missing_ok=True)
        why = (error.strerror or str(error)).lower()
        raise ValidationError("anchor", f"cannot write {path}: {why}") from None


def check_anchor_place(anchor: str | os.PathLike, database_path: str | os.PathLike) -> None:
    """Refuse an anchor in the database's own folder, or a folder within it: whoever can rewrite
    the database there could rewrite the anchor beside it."""
    folder = Path(database_path).resolve().parent
    if folder in Path(anchor).resolve().parents:
        raise ValidationError(
            "anchor",
            f"keep the anchor outside {folder} (whoever can rewrite the database there could "
            "rewrite the anchor too)",
        )
