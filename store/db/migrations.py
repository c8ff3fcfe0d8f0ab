"""Numbered schema migrations, recorded in `PRAGMA user_version` (a table on PostgreSQL), run only
when an admin asks (`postroom migrate`), after a backup."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib import resources
from pathlib import Path

from peewee import Database, PostgresqlDatabase

from ..errors import DatabaseRefused
from .backup import copy_database


@dataclass(frozen=True)
class Migration:
    """One step of the schema: a SQL script for SQLite, and the PostgreSQL one where the two
    dialects differ. `models_cover` means a new PostgreSQL schema made from the models already has
    it; otherwise its PostgreSQL script runs there too (triggers, which models cannot say)."""

    name: str
    postgres: str | None = None
    models_cover: bool = True
    #: What SQL cannot do, run after the script on both databases (filling new columns).
    then: Callable[[Database], None] | None = None

    def run(self, db: Database) -> None:
        """Apply this step inside the caller's transaction."""
        if isinstance(db, PostgresqlDatabase):
            db.cursor().execute(_script(self.postgres or self.name))
        else:
            db.connection().execute(_script(self.name))
        if self.then is not None:
            self.then(db)


def _script(name: str) -> str:
    return resources.files("store.db").joinpath("sql", name).read_text(encoding="utf-8")


#: Migration n (1-based) brings a database from schema n-1 to n. Append only.
MIGRATIONS = [
    Migration("0001_initial.sql"),
    Migration("0002_revision_media.sql"),
    Migration("0003_board_index.sql"),
    Migration(
        "0004_change_feed_and_append_only_audit.sql",
        postgres="0004_change_feed_and_append_only_audit.postgres.sql",
        models_cover=False,
    ),
    Migration(
        "0005_publishing.sql",
        postgres="0005_publishing.postgres.sql",
        then=lambda db: _give_record_keys(db),
    ),
    Migration(
        "0006_inbox.sql",
        postgres="0006_inbox.postgres.sql",
        then=lambda db: _give_due_times(db),
    ),
    Migration(
        "0007_inbox_counts_search.sql",
        postgres="0007_inbox_counts_search.postgres.sql",
        models_cover=False,
    ),
    Migration("0008_inbox_overdue_indexes.sql"),
    Migration("0009_metrics_period_indexes.sql"),
    Migration("0010_video_views.sql"),
    Migration(
        "0011_performance.sql",
        postgres="0011_performance.postgres.sql",
        then=lambda db: _fill_performance(db),
    ),
    Migration("0012_counter_schedule.sql"),
]


def _fill_performance(db: Database) -> None:
    """Every delivery with snapshots before schema 11 gets its performance row now."""
    from ..metrics.rollup import rebuild

    rebuild(db)


def _give_record_keys(db: Database) -> None:
    """Every delivery made before schema 5 gets its Bluesky record key now, once."""
    from ..publishing.tid import new_tid

    ids = [
        row[0] for row in db.execute_sql('SELECT "id" FROM "variant" WHERE "record_key" IS NULL')
    ]
    mark = "%s" if isinstance(db, PostgresqlDatabase) else "?"
    for variant_id in ids:
        db.execute_sql(
            f'UPDATE "variant" SET "record_key" = {mark} WHERE "id" = {mark}',
            (new_tid(), variant_id),
        )


def _give_due_times(db: Database) -> None:
    """Every message still new before schema 6 gets the time its first response is due."""
    from ..inbox.sla import due_by

    mark = "%s" if isinstance(db, PostgresqlDatabase) else "?"
    brands = {
        row[0]: (row[1], row[2])
        for row in db.execute_sql('SELECT "id", "sla_hours", "timezone" FROM "brand"')
    }
    rows = db.execute_sql(
        'SELECT "id", "brand_id", "received_at" FROM "inbox_message" WHERE "status" = \'new\''
    ).fetchall()
    from .fields import UTCDateTimeField

    field = UTCDateTimeField()
    for message_id, brand_id, received in rows:
        hours, zone = brands.get(brand_id, (4, "UTC"))
        due = due_by(field.python_value(received), hours, zone)
        db.execute_sql(
            f'UPDATE "inbox_message" SET "sla_due_at" = {mark} WHERE "id" = {mark}',
            (field.db_value(due), message_id),
        )


def latest_version() -> int:
    """The schema version this code writes."""
    return len(MIGRATIONS)


def schema_version(db: Database) -> int:
    """The schema version recorded in the database (0 for a new one)."""
    if isinstance(db, PostgresqlDatabase):
        exists = db.execute_sql("SELECT to_regclass('postroom_schema')").fetchone()[0]
        if exists is None:
            return 0
        return db.execute_sql("SELECT max(version) FROM postroom_schema").fetchone()[0] or 0
    return db.execute_sql("PRAGMA user_version").fetchone()[0]


def check_version(db: Database, where: str) -> int:
    """The schema version, refused when it is newer than this code or older than it (then an
    admin runs `postroom migrate`)."""
    current, latest = schema_version(db), latest_version()
    if current > latest:
        raise DatabaseRefused(
            f"{where} has schema version {current}, newer than this Postroom understands "
            f"({latest}); upgrade Postroom before opening it"
        )
    if current < latest:
        raise DatabaseRefused(
            f"{where} has schema version {current} and this Postroom needs {latest}: "
            f"an admin runs `postroom migrate` (it backs the file up first)"
        )
    return current


def create_schema(db: Database) -> None:
    """Give a new, empty database the whole schema."""
    if isinstance(db, PostgresqlDatabase):
        from .models import ALL_MODELS

        with db.atomic():
            db.execute_sql("CREATE TABLE postroom_schema (version INTEGER NOT NULL)")
            db.create_tables(ALL_MODELS)
            for migration in MIGRATIONS:
                if not migration.models_cover:
                    migration.run(db)
            db.execute_sql("INSERT INTO postroom_schema (version) VALUES (%s)", (latest_version(),))
        return
    with db.atomic():
        for migration in MIGRATIONS:
            migration.run(db)
        db.execute_sql(f"PRAGMA user_version = {latest_version()}")


@dataclass(frozen=True)
class Upgrade:
    """What `upgrade` did: from which schema to which, and where the backup went."""

    before: int
    after: int
    backup: Path | None


def upgrade(db: Database, path: Path | None) -> Upgrade:
    """Bring an older schema up to date, after a backup beside the file (SQLite)."""
    current = schema_version(db)
    latest = latest_version()
    if current > latest:
        check_version(db, str(path or "the database"))
    if current == latest:
        return Upgrade(current, current, None)
    backup = None
    if path is not None:
        stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
        backup = copy_database(db, path.with_name(f"{path.name}.schema{current}-{stamp}.bak"), path)
    with db.atomic():
        # Another process may have migrated while we waited for the write lock.
        current_now = schema_version(db)
        for number in range(current_now, latest):
            MIGRATIONS[number].run(db)
        if isinstance(db, PostgresqlDatabase):
            db.execute_sql("INSERT INTO postroom_schema (version) VALUES (%s)", (latest,))
        else:
            db.execute_sql(f"PRAGMA user_version = {latest}")
    return Upgrade(current, latest, backup)
