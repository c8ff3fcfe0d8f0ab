"""Opening a database: refuse what is not a Postroom database, open read-only what this account
may only read (without making files others would trip over), and never change a schema unasked."""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import quote

import apsw
from peewee import Database

from ..errors import DatabaseRefused
from . import connection, files
from .connection import (
    BUSY_TIMEOUT_SECONDS,
    READER_PRAGMAS,
    WRITER_PRAGMAS,
    SharedSQLite,
    database,
    is_url,
    opened,
)
from .migrations import Upgrade, check_version, create_schema, schema_version, upgrade

SQLITE_MAGIC = b"SQLite format 3\x00"
#: Tables only a Postroom database has; a SQLite file without them belongs to something else.
OWN_TABLES = ("post", "audit_event", "user")


def open_database(
    target: str | os.PathLike,
    *,
    create: bool = False,
    read_only: bool = False,
    group: str | None = None,
    any_schema: bool = False,
) -> Database:
    """Connect the models to `target` (a file path or a postgresql:// URL).

    A missing file is made only with `create` (so a typo in --db does not start an empty team),
    shared with `group` or with a setgid folder's group. A file this account may not write is
    opened read-only, and `read_only_reason()` says why. A schema older than this code is refused
    (an admin runs `postroom migrate`) unless `any_schema`, for checks that only read.
    """
    target = str(target)
    opened.target, opened.read_only = target, None
    if is_url(target):
        from playhouse.db_url import connect

        concrete = connect(target)
        _attach(concrete)
        if schema_version(concrete) == 0:
            if read_only:
                raise DatabaseRefused(f"{target} is not a Postroom database (it has no schema)")
            create_schema(concrete)
        elif not any_schema:
            check_version(concrete, target)
        return concrete
    return _open_sqlite(
        Path(target), create=create, read_only=read_only, group=group, any_schema=any_schema
    )


def upgrade_database(target: str | os.PathLike) -> Upgrade:
    """Open `target` whatever its schema and bring the schema up to date, after a backup.

    The caller has checked that the person asking is an admin (`postroom migrate`).
    """
    concrete = open_database(target, any_schema=True)
    path = None if is_url(str(target)) else Path(target)
    return upgrade(concrete, path)


def _attach(concrete: Database) -> None:
    database.initialize(concrete)
    try:
        concrete.connect(reuse_if_open=True)
    except apsw.Error as error:
        raise DatabaseRefused(f"cannot open {opened.target}: {error}") from None


def _open_sqlite(
    path: Path, *, create: bool, read_only: bool, group: str | None, any_schema: bool
) -> Database:
    connection.check_sqlite_version(connection.sqlite_version())
    info = files.look_up(path)
    fresh = False
    if info is None:
        if not create:
            raise DatabaseRefused(
                f"no database at {path}; run `postroom init --db {path}` to create one"
            )
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            files.create_file(path, files.shared_group(path, group))
        except PermissionError:
            raise DatabaseRefused(
                f"cannot create {path}: {files.me()} may not write in {path.parent}"
            ) from None
        info, fresh = path.stat(), True
    if path.is_dir():
        raise DatabaseRefused(f"{path} is a folder, not a database file; give the file's path")
    unreadable = files.unreadable_reason(path, info)
    if unreadable:
        raise DatabaseRefused(unreadable)
    with open(path, "rb") as handle:
        header = handle.read(len(SQLITE_MAGIC))
    if header and header != SQLITE_MAGIC:
        raise DatabaseRefused(f"{path} is not a Postroom database (not even a SQLite file)")
    empty = not header
    if empty and not create:
        raise DatabaseRefused(f"{path} is not a Postroom database (the file is empty)")
    if create and not empty:
        raise DatabaseRefused(f"{path} exists already; `postroom init` makes a new database")
    reason = "opened read-only, as asked" if read_only else files.read_only_reason(path, info)
    opened.read_only = reason
    if reason:
        concrete = _reader(path)
    else:
        concrete = SharedSQLite(
            str(path), pragmas=WRITER_PRAGMAS, timeout=BUSY_TIMEOUT_SECONDS, lock_type="IMMEDIATE"
        )
    _attach(concrete)
    if empty:
        if fresh or create:
            create_schema(concrete)
            files.match_side_files(path)
        return concrete
    _check_own(concrete, path)
    if not any_schema:
        check_version(concrete, str(path))
    if not reason:
        files.match_side_files(path)
    return concrete


def _reader(path: Path) -> Database:
    """A read-only connection that creates nothing: a WAL database whose side files are missing
    is read as it stands on disk (immutable), since making them would leave them with our
    account's group and mode for others to trip over."""
    uri = f"file:{quote(str(path.resolve()))}?mode=ro"
    if files.is_wal(path) and files.sides_missing(path):
        uri += "&immutable=1"
    flags = apsw.SQLITE_OPEN_READONLY | apsw.SQLITE_OPEN_URI
    return SharedSQLite(uri, pragmas=READER_PRAGMAS, timeout=BUSY_TIMEOUT_SECONDS, flags=flags)


def _check_own(concrete: Database, path: Path) -> None:
    try:
        names = {
            row[0]
            for row in concrete.execute_sql("SELECT name FROM sqlite_master WHERE type = 'table'")
        }
    except apsw.NotADBError:
        raise DatabaseRefused(
            f"{path} is not a Postroom database (not even a SQLite file)"
        ) from None
    except apsw.Error as error:
        raise DatabaseRefused(f"cannot read {path}: {error}") from None
    if not set(OWN_TABLES) <= names:
        what = "an empty SQLite database" if not names else "a SQLite database of something else"
        raise DatabaseRefused(f"{path} is not a Postroom database ({what})")
