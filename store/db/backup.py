"""Consistent copies of a live database, safe while others keep writing: made under a temporary
name and renamed into place, with the source's mode and group, so a backup killed halfway leaves
nothing that passes for a database."""

from __future__ import annotations

import contextlib
import os
import stat
from pathlib import Path

from peewee import Database, PostgresqlDatabase

from ..errors import ValidationError
from .connection import database, is_url, opened

PARTIAL = ".partial"


def partial_name(target: Path) -> Path:
    """Where a backup is written before it is complete: hidden, and not named like a database."""
    return target.with_name(f".{target.name}{PARTIAL}")


def backup_to(target: str | Path) -> Path:
    """Back the open database up to `target`, with its mode and group."""
    source = Path(opened.target) if opened.target and not is_url(opened.target) else None
    return copy_database(database.obj, target, source)


def copy_database(db: Database, target: str | Path, source: Path | None = None) -> Path:
    """Write a compact, consistent copy of the open SQLite database to `target` (VACUUM INTO)."""
    if isinstance(db, PostgresqlDatabase):
        raise ValidationError("backup", "back a PostgreSQL database up with pg_dump")
    target = Path(target)
    if target.exists():
        raise ValidationError("path", f"{target} already exists; choose a new file")
    if not target.parent.is_dir():
        raise ValidationError("path", f"folder {target.parent} does not exist")
    partial = partial_name(target)
    partial.unlink(missing_ok=True)  # left by a backup that was killed
    try:
        db.execute_sql("VACUUM INTO ?", (str(partial),))
        if source is not None:
            _copy_mode_and_group(source, partial)
        with open(partial, "rb+") as handle:
            os.fsync(handle.fileno())
        os.link(partial, target)  # fails rather than overwrite a file made meanwhile
    except FileExistsError:
        raise ValidationError("path", f"{target} already exists; choose a new file") from None
    finally:
        partial.unlink(missing_ok=True)
    return target


def _copy_mode_and_group(source: Path, copy: Path) -> None:
    info = source.stat()
    with contextlib.suppress(OSError):  # not in the source's group: the copy keeps ours
        os.chown(copy, -1, info.st_gid)
    os.chmod(copy, stat.S_IMODE(info.st_mode) & 0o666)
