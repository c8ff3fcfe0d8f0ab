"""Numbered schema migrations, recorded in `PRAGMA user_version`, with a backup before any upgrade."""

from __future__ import annotations

from datetime import UTC, datetime
from importlib import resources
from pathlib import Path

from peewee import Database, PostgresqlDatabase

from .errors import DatabaseRefused


def _sql_file(name: str):
    """A migration that runs one frozen SQL script from store/sql/."""

    def run(db: Database) -> None:
        script = resources.files("store").joinpath("sql", name).read_text(encoding="utf-8")
        if isinstance(db, PostgresqlDatabase):
            db.cursor().execute(script)
        else:
            db.connection().execute(script)

    run.__name__ = name
    return run


#: Migration n (1-based) brings a database from schema n-1 to n. Append only.
MIGRATIONS = [
    _sql_file("0001_initial.sql"),
    _sql_file("0002_revision_media.sql"),
    _sql_file("0003_board_index.sql"),
]


def latest_version() -> int:
    """The schema version this code writes."""
    return len(MIGRATIONS)


def schema_version(db: Database) -> int:
    """The schema version recorded in the database (0 for a new file)."""
    if isinstance(db, PostgresqlDatabase):
        db.execute_sql("CREATE TABLE IF NOT EXISTS postroom_schema (version INTEGER NOT NULL)")
        row = db.execute_sql("SELECT max(version) FROM postroom_schema").fetchone()
        return row[0] or 0
    return db.execute_sql("PRAGMA user_version").fetchone()[0]


def migrate(db: Database, path: Path | None) -> int:
    """Bring the schema up to date; refuse a schema newer than this code. Returns the version."""
    current = schema_version(db)
    latest = latest_version()
    if current > latest:
        raise DatabaseRefused(
            f"{path or 'the database'} has schema version {current}, newer than this Postroom "
            f"understands ({latest}); upgrade Postroom before opening it"
        )
    if current == latest:
        return current
    if isinstance(db, PostgresqlDatabase):
        return _migrate_postgres(db, current)
    if current > 0 and path is not None:
        backup_before_upgrade(db, path, current)
    with db.atomic():
        # Another process may have migrated while we waited for the write lock.
        current = schema_version(db)
        for number in range(current, latest):
            MIGRATIONS[number](db)
        db.execute_sql(f"PRAGMA user_version = {latest}")
    return latest


def backup_before_upgrade(db: Database, path: Path, version: int) -> Path:
    """Copy the database aside (VACUUM INTO) before changing its schema."""
    from .backup import backup_to

    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
    target = path.with_name(f"{path.name}.schema{version}-{stamp}.bak")
    return backup_to(target, db)


def _migrate_postgres(db: Database, current: int) -> int:
    """A new PostgreSQL schema is made from the models; an older one runs the later scripts,
    which are written in SQL both databases accept (the first one is SQLite's own dump)."""
    from .models import ALL_MODELS

    with db.atomic():
        if current == 0:
            db.create_tables(ALL_MODELS)
        else:
            for number in range(current, latest_version()):
                MIGRATIONS[number](db)
        db.execute_sql("INSERT INTO postroom_schema (version) VALUES (%s)", (latest_version(),))
    return latest_version()
