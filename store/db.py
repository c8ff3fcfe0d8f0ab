"""Opening the database: where it lives, the SQLite settings many users rely on, and transactions."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from peewee import Database, DatabaseProxy, PostgresqlDatabase

from .errors import DatabaseRefused

#: The one database the models talk to; `open_database` points it at a file or server.
database = DatabaseProxy()

#: The SQLite release that fixed the WAL-reset corruption under concurrent writers.
MIN_SQLITE = (3, 51, 3)

BUSY_TIMEOUT_SECONDS = 10

SQLITE_PRAGMAS = (
    ("journal_mode", "wal"),
    ("foreign_keys", 1),
    ("synchronous", "normal"),
    ("busy_timeout", BUSY_TIMEOUT_SECONDS * 1000),
)


def default_location() -> Path:
    """The per-user database path when neither --db nor $POSTROOM_DB says otherwise."""
    import platformdirs

    return platformdirs.user_data_path("postroom") / "postroom.db"


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


def open_database(target: str | os.PathLike, *, create: bool = False) -> Database:
    """Connect the models to `target` (a file path or a postgresql:// URL) and bring its schema up to date.

    A file that does not exist is created only when `create` is true, so a typo in --db
    does not silently start an empty team.
    """
    from .migrations import migrate

    target = str(target)
    if is_url(target):
        concrete = _open_postgres(target)
    else:
        concrete = _open_sqlite(Path(target), create=create)
    database.initialize(concrete)
    concrete.connect(reuse_if_open=True)
    migrate(concrete, Path(target) if not is_url(target) else None)
    return concrete


def close_database() -> None:
    """Close this thread's connection, if the database was opened."""
    if database.obj is not None and not database.is_closed():
        database.close()


def _open_sqlite(path: Path, *, create: bool) -> Database:
    from playhouse.apsw_ext import APSWDatabase

    check_sqlite_version(sqlite_version())
    if not path.exists():
        if not create:
            raise DatabaseRefused(
                f"no database at {path}; run `postroom init --db {path}` to create one"
            )
        path.parent.mkdir(parents=True, exist_ok=True)
    return APSWDatabase(
        str(path),
        pragmas=SQLITE_PRAGMAS,
        timeout=BUSY_TIMEOUT_SECONDS,
        lock_type="IMMEDIATE",
    )


def _open_postgres(url: str) -> Database:
    from playhouse.db_url import connect

    return connect(url)


@contextmanager
def writing() -> Iterator[None]:
    """One short write transaction; on SQLite it takes the write lock up front (BEGIN IMMEDIATE)."""
    with database.atomic():
        yield


@contextmanager
def reading() -> Iterator[None]:
    """A consistent snapshot for reads that span several queries, without taking the write lock."""
    if isinstance(database.obj, PostgresqlDatabase):
        with database.atomic():
            yield
    else:
        with database.atomic(lock_type="DEFERRED"):
            yield
