"""The one database the models talk to: where it lives, the SQLite settings many users rely on,
whether this process may write it, and transactions."""

from __future__ import annotations

import ctypes
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from peewee import DatabaseProxy, PostgresqlDatabase
from playhouse.apsw_ext import APSWDatabase

from ..errors import DatabaseRefused, ReadOnly, StorageFull

#: The one database the models talk to; `open_database` points it at a file or server.
database = DatabaseProxy()

#: The SQLite release that fixed the WAL-reset corruption under concurrent writers.
MIN_SQLITE = (3, 51, 3)

BUSY_TIMEOUT_SECONDS = 10
#: A persistent WAL is truncated back to this after a checkpoint.
WAL_SIZE_LIMIT = 64 * 1024 * 1024

WRITER_PRAGMAS = (
    ("journal_mode", "wal"),
    ("foreign_keys", 1),
    ("synchronous", "normal"),
    ("busy_timeout", BUSY_TIMEOUT_SECONDS * 1000),
    ("journal_size_limit", WAL_SIZE_LIMIT),
)
#: A reader changes nothing, not even the journal mode of a backup it checks.
READER_PRAGMAS = (("busy_timeout", BUSY_TIMEOUT_SECONDS * 1000),)


class _Opened:
    """What `open_database` found about the database this process has open."""

    target: str | None = None
    read_only: str | None = None  # why this process may only read, or None
    options: tuple | None = None  # how it was opened, so the same open again reuses it
    immutable: bool = False  # read as it stood on disk, since its side files were missing


opened = _Opened()


def read_only_reason() -> str | None:
    """Why this process may only read the open database (None when it may write)."""
    return opened.read_only


class SharedSQLite(APSWDatabase):
    """SQLite through apsw, with a persistent WAL.

    Every connection keeps the -wal and -shm files when it closes, so they are made once, by
    whoever creates the database, with its mode and group: a teammate's first open never makes
    them again under their own account, where nobody else could write them.
    """

    def _add_conn_hooks(self, conn) -> None:
        import apsw

        keep = ctypes.c_int(1)
        conn.file_control("main", apsw.SQLITE_FCNTL_PERSIST_WAL, ctypes.addressof(keep))
        super()._add_conn_hooks(conn)


def default_location() -> Path:
    """The per-user database path when neither --db nor $POSTROOM_DB says otherwise."""
    import platformdirs

    return platformdirs.user_data_path("postroom") / "postroom.db"


def demo_location() -> Path:
    """Where `--demo` keeps its database: demo.db beside the default one."""
    return default_location().with_name("demo.db")


def resolve_location(cli_value: str | None) -> str:
    """`--db`, else `$POSTROOM_DB`, else the user data dir."""
    return cli_value or os.environ.get("POSTROOM_DB") or str(default_location())


def is_url(target: str) -> bool:
    """Whether `target` names a server (postgresql://…) rather than a file."""
    return target.startswith(("postgres://", "postgresql://"))


def sqlite_version() -> tuple[int, ...]:
    """The version of the SQLite library apsw bundles."""
    import apsw

    return tuple(int(part) for part in apsw.sqlitelibversion().split("."))


def check_sqlite_version(version: tuple[int, ...]) -> None:
    """Refuse a SQLite that has the WAL-reset bug, saying what to do about it."""
    if version < MIN_SQLITE:
        have = ".".join(map(str, version))
        need = ".".join(map(str, MIN_SQLITE))
        raise DatabaseRefused(
            f"SQLite {have} is older than {need}, which fixes a WAL corruption bug under "
            f"concurrent writers; install apsw>={need}.0 (it bundles a modern SQLite)"
        )


def close_database() -> None:
    """Close this thread's connection, if the database was opened."""
    if database.obj is not None and not database.is_closed():
        database.close()


@contextmanager
def writing() -> Iterator[None]:
    """One short write transaction; on SQLite it takes the write lock up front (BEGIN IMMEDIATE)."""
    if opened.read_only:
        raise ReadOnly(f"read only: {opened.read_only}")
    import apsw

    try:
        with database.atomic():
            yield
    except Exception as error:
        # Peewee wraps apsw's errors in its own (OperationalError for both of these), so the
        # kind of failure is read from the error it wraps.
        cause = sqlite_error(error)
        if isinstance(cause, apsw.FullError):
            raise StorageFull(_full_words()) from None
        if isinstance(cause, apsw.ReadOnlyError):
            raise ReadOnly(_read_only_words()) from None
        raise


def sqlite_error(error: BaseException):
    """The apsw error behind `error` (itself, or the one Peewee wrapped), or None."""
    import apsw

    seen = 0
    while error is not None and seen < 10:
        if isinstance(error, apsw.Error):
            return error
        error, seen = error.__cause__ or error.__context__, seen + 1
    return None


def _full_words() -> str:
    return f"the disk holding {opened.target} is full; nothing was saved (free some space)"


def _read_only_words() -> str:
    return f"{opened.target} cannot be written now; `postroom doctor` says why"


@contextmanager
def reading() -> Iterator[None]:
    """A consistent snapshot for reads that span several queries, without taking the write lock."""
    if isinstance(database.obj, PostgresqlDatabase):
        with database.atomic():
            yield
    else:
        with database.atomic(lock_type="DEFERRED"):
            yield


def failure_words(error: BaseException) -> str | None:
    """One line on a failure of the database or the file system, fit to show a person; None when
    the error is neither (then it is a bug)."""
    import apsw
    import peewee

    target = opened.target or "the database"
    cause = sqlite_error(error) or error
    if isinstance(cause, apsw.FullError):
        return _full_words()
    if isinstance(cause, apsw.ReadOnlyError):
        return _read_only_words()
    if isinstance(cause, apsw.NotADBError):
        return f"{target} is not a Postroom database (not even a SQLite file)"
    if isinstance(cause, apsw.CorruptError):
        return f"{target} is damaged ({cause}); restore a backup that `postroom verify` passes"
    if isinstance(cause, apsw.BusyError | apsw.LockedError):
        return f"another writer held {target} for over {BUSY_TIMEOUT_SECONDS} s; try again"
    if isinstance(cause, apsw.CantOpenError | apsw.PermissionsError):
        return f"cannot open {target} ({_plain(cause)}); `postroom doctor` says why"
    if isinstance(cause, apsw.IOError):
        return f"cannot read or write {target} ({_plain(cause)}); check its disk"
    if isinstance(cause, apsw.Error | peewee.DatabaseError | peewee.InterfaceError):
        return f"{target}: {_plain(cause)}"
    if isinstance(error, OSError):
        return f"{error.filename or target}: {(error.strerror or str(error)).lower()}"
    return None


def _plain(error: BaseException) -> str:
    """An apsw error's message without its class name (`IOError: disk I/O error`)."""
    text = str(error)
    prefix = f"{type(error).__name__}: "
    return text.removeprefix(prefix)
