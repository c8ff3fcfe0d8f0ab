"""Consistent copies of a live database, safe while others keep writing: made under a temporary
name and renamed into place, with the source's mode and group, so a backup killed halfway leaves
nothing that passes for a database."""

from __future__ import annotations

import os
import stat
from pathlib import Path

from peewee import Database, PostgresqlDatabase

from ..errors import StorageFull, ValidationError
from .connection import database, is_url, opened, sqlite_error
from .files import me

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
    _check_target(target)
    partial = partial_name(target)
    partial.unlink(missing_ok=True)  # left by a backup that was killed
    try:
        # Made empty and private first: VACUUM INTO would make it as the umask says, readable
        # by everyone for as long as the copy takes, whatever the source's mode.
        os.close(os.open(partial, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
        _vacuum_into(db, partial, target)
        if source is not None:
            _copy_mode_and_group(source, partial)
        with open(partial, "rb+") as handle:
            os.fsync(handle.fileno())
        os.link(partial, target)  # fails rather than overwrite a file made meanwhile
    except FileExistsError:
        raise ValidationError("path", f"{target} already exists; choose a new file") from None
    except OSError as error:
        why = (error.strerror or str(error)).lower()
        raise ValidationError("path", f"cannot write {target}: {why}") from None
    finally:
        partial.unlink(missing_ok=True)
    return target


def _check_target(target: Path) -> None:
    if target.exists() or target.is_symlink():
        raise ValidationError("path", f"{target} already exists; choose a new file")
    folder = target.parent
    if not folder.is_dir():
        raise ValidationError("path", f"folder {folder} does not exist")
    if not os.access(folder, os.W_OK | os.X_OK):
        raise ValidationError("path", f"{me()} may not write in {folder}; choose another folder")


def _vacuum_into(db: Database, partial: Path, target: Path) -> None:
    import apsw

    try:
        db.execute_sql("VACUUM INTO ?", (str(partial),))
    except Exception as error:
        cause = sqlite_error(error)
        if isinstance(cause, apsw.FullError):
            raise StorageFull(f"the disk holding {target} is full; no backup was made") from None
        if isinstance(cause, apsw.CantOpenError | apsw.IOError | apsw.ReadOnlyError):
            raise ValidationError("path", f"cannot write {target} ({cause})") from None
        raise


def _copy_mode_and_group(source: Path, copy: Path) -> None:
    info = source.stat()
    mode = stat.S_IMODE(info.st_mode) & 0o666
    try:
        os.chown(copy, -1, info.st_gid)
    except OSError:
        # Not in the source's group: the copy would be in ours, whose members the source's
        # mode never meant to let in, so it stays ours alone.
        mode &= 0o600
    os.chmod(copy, mode)
