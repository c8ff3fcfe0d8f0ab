"""Opening a database: refuse what is not a Postroom database, open read-only what this account
may only read (without making files others would trip over), and never change a schema unasked."""

from __future__ import annotations

import os
import stat
from pathlib import Path
from urllib.parse import quote

import apsw
from peewee import Database

from ..errors import DatabaseRefused, ReadOnly
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
    options = (target, read_only, any_schema)
    if (
        not create
        and database.obj is not None
        and opened.options == options
        and (is_url(target) or os.path.isfile(target))  # else the full open says what is wrong
        # Read as it stood because nobody had it open: once side files exist, someone writes.
        and not (opened.immutable and not files.sides_missing(Path(target)))
    ):
        # Open already, the same way (a test beside the app, a second call): keep the one
        # database object that every thread's connection hangs off, or threads mid-transaction
        # would find their transaction gone.
        database.connect(reuse_if_open=True)
        if not any_schema:
            check_version(database.obj, target)
        return database.obj
    opened.target, opened.read_only, opened.options = target, None, None
    opened.immutable = False
    concrete = _open(target, create=create, read_only=read_only, group=group, any_schema=any_schema)
    opened.options = options
    return concrete


def _open(target: str, *, create: bool, read_only: bool, group: str | None, any_schema: bool):
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
    if opened.read_only:
        raise ReadOnly(f"read only: {opened.read_only}")
    path = None if is_url(str(target)) else Path(target)
    return upgrade(concrete, path)


def _attach(concrete: Database) -> None:
    database.initialize(concrete)
    try:
        concrete.connect(reuse_if_open=True)
    except Exception as error:
        words = connection.failure_words(error)
        if words is None:
            raise
        raise DatabaseRefused(words) from None


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
        info, fresh = _create(path, group), True
    if stat.S_ISDIR(info.st_mode):
        raise DatabaseRefused(f"{path} is a folder, not a database file; give the file's path")
    if not stat.S_ISREG(info.st_mode):
        # A pipe or a device would hang the read below, or be taken for an empty database.
        raise DatabaseRefused(f"{path} is not a Postroom database (not a regular file)")
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
    if empty and reason:
        raise DatabaseRefused(f"cannot create a database in {path}: {reason}")
    if not empty and not reason and not files.is_wal(path):
        # The writer's first pragma turns the file to WAL: look first, reading only, that it
        # is ours and of this schema, so another program's database or an older one (a
        # backup) is refused as it was found.
        probe = _reader(path)
        try:
            _check_own(probe, path)
            if not any_schema:
                check_version(probe, str(path))
        finally:
            probe.close()
    if reason:
        concrete = _reader(path)
    else:
        concrete = SharedSQLite(
            str(path), pragmas=WRITER_PRAGMAS, timeout=BUSY_TIMEOUT_SECONDS, lock_type="IMMEDIATE"
        )
    if empty:
        try:
            _attach(concrete)
            create_schema(concrete)
        except BaseException:
            # Leave nothing a second `postroom init` would trip over ("exists already").
            concrete.close()
            if fresh:
                remove_database(path)
            raise
        files.match_side_files(path)
        return concrete
    _attach(concrete)
    _check_own(concrete, path)
    if not any_schema:
        check_version(concrete, str(path))
    if not reason:
        files.match_side_files(path)
    return concrete


def _create(path: Path, group: str | None) -> os.stat_result:
    """Make the empty file `init` fills, shared with `group` or a setgid folder's group."""
    try:
        if group:  # a group that does not exist, or is not ours, is refused before any folder
            files.shared_group(path, group)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except FileExistsError:
            raise DatabaseRefused(f"cannot create {path}: {path.parent} is not a folder") from None
        files.create_file(path, files.shared_group(path, group))
    except PermissionError:
        raise DatabaseRefused(
            f"cannot create {path}: {files.me()} may not write in {path.parent}"
        ) from None
    except FileExistsError:  # made meanwhile, by someone else
        raise DatabaseRefused(
            f"{path} exists already; `postroom init` makes a new database"
        ) from None
    except OSError as error:
        why = (error.strerror or str(error)).lower()
        raise DatabaseRefused(f"cannot create {path}: {why}") from None
    return path.stat()


def remove_database(path: Path) -> None:
    """Remove a database this process made and failed to fill, with its side files."""
    for leftover in (path, *files.side_files(path)):
        leftover.unlink(missing_ok=True)


def _reader(path: Path) -> Database:
    """A read-only connection that creates nothing: a WAL database whose side files are missing
    is read as it stands on disk (immutable), since making them would leave them with our
    account's group and mode for others to trip over."""
    uri = f"file:{quote(str(path.resolve()))}?mode=ro"
    if files.is_wal(path) and files.sides_missing(path):
        if not files.wal_is_empty(path):
            raise DatabaseRefused(
                f"{path}-wal holds changes not yet in {path.name} and its -shm is missing; "
                "someone who may write it opens it once (`postroom whoami`)"
            )
        uri += "&immutable=1"
        opened.immutable = True
    flags = apsw.SQLITE_OPEN_READONLY | apsw.SQLITE_OPEN_URI
    return SharedSQLite(uri, pragmas=READER_PRAGMAS, timeout=BUSY_TIMEOUT_SECONDS, flags=flags)


def _check_own(concrete: Database, path: Path) -> None:
    try:
        names = {
            row[0]
            for row in concrete.execute_sql("SELECT name FROM sqlite_master WHERE type = 'table'")
        }
    except Exception as error:
        cause = connection.sqlite_error(error)
        if isinstance(cause, apsw.NotADBError):
            raise DatabaseRefused(
                f"{path} is not a Postroom database (not even a SQLite file)"
            ) from None
        words = connection.failure_words(error)
        if words is None:
            raise
        raise DatabaseRefused(words) from None
    if not set(OWN_TABLES) <= names:
        what = "an empty SQLite database" if not names else "a SQLite database of something else"
        raise DatabaseRefused(f"{path} is not a Postroom database ({what})")
