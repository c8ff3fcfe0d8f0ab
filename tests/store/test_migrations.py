"""Schema versions: numbered migrations, a backup before upgrading, and no guessing at newer files."""

import pytest

import store
from store.db import database, migrations
from store.db.models import ALL_MODELS


class Step(migrations.Migration):
    """A migration made of a Python function, for trying the runner."""

    def __init__(self, function):
        super().__init__(function.__name__)
        object.__setattr__(self, "function", function)

    def run(self, db):
        self.function(db)


def test_a_new_database_is_at_the_latest_version(team):
    version = database.execute_sql("PRAGMA user_version").fetchone()[0]
    assert version == migrations.latest_version() >= 1


def test_the_migrated_schema_matches_the_models(team):
    for model in ALL_MODELS:
        table = model._meta.table_name
        columns = {row[1] for row in database.execute_sql(f'PRAGMA table_info("{table}")')}
        fields = {f.column_name for f in model._meta.sorted_fields}
        assert columns == fields, f"{table}: add a migration for {fields ^ columns}"


@pytest.mark.parametrize(
    ("query", "index"),
    [
        (
            "SELECT * FROM post WHERE publish_at >= '2026-11-01' AND publish_at < '2026-12-01'",
            "post_publish_at_id",
        ),
        (
            "SELECT * FROM post WHERE stage = 'in_review' ORDER BY review_due",
            "post_stage_review_due",
        ),
        (
            "SELECT count(*) FROM post WHERE stage = 'published' AND publish_at >= '2026-11-09'",
            "post_stage_publish_at",
        ),
        (
            "SELECT * FROM post WHERE stage = 'draft' AND publish_at IS NOT NULL "
            "ORDER BY publish_at, id LIMIT 40",
            "post_stage_publish_at",
        ),
        (
            "SELECT * FROM inbox_message WHERE status = 'open' ORDER BY received_at DESC, id DESC LIMIT 50",
            "inbox_message_status_received_at_id",
        ),
        (
            "SELECT * FROM metric_snapshot WHERE variant_id = 3 ORDER BY taken_at",
            "metric_snapshot_variant_id_taken_at",
        ),
    ],
)
def test_the_screens_queries_use_an_index(team, query, index):
    plan = " ".join(row[3] for row in database.execute_sql(f"EXPLAIN QUERY PLAN {query}"))
    assert f"USING INDEX {index}" in plan or f"USING COVERING INDEX {index}" in plan, plan


def test_a_newer_schema_is_refused(team):
    database.execute_sql(f"PRAGMA user_version = {migrations.latest_version() + 1}")
    store.close_database()
    with pytest.raises(store.DatabaseRefused, match="newer than this Postroom understands"):
        store.open_database(team.path)


def test_an_older_schema_is_refused_until_an_admin_migrates(team, monkeypatch):
    store.close_database()

    def add_column(db):
        db.execute_sql("ALTER TABLE post ADD COLUMN mood TEXT")

    monkeypatch.setattr(migrations, "MIGRATIONS", [*migrations.MIGRATIONS, Step(add_column)])
    with pytest.raises(store.DatabaseRefused, match="an admin runs `postroom migrate`"):
        store.open_database(team.path)
    store.close_database()
    store.open_database(team.path, any_schema=True, read_only=True)
    assert migrations.schema_version(database.obj) == migrations.latest_version() - 1
    assert "mood" not in {row[1] for row in database.execute_sql("PRAGMA table_info(post)")}


def test_an_upgrade_backs_up_first_then_migrates(team, monkeypatch, tmp_path):
    team.draft()
    store.close_database()

    def add_column(db):
        db.execute_sql("ALTER TABLE post ADD COLUMN mood TEXT")

    monkeypatch.setattr(migrations, "MIGRATIONS", [*migrations.MIGRATIONS, Step(add_column)])
    done = store.upgrade_database(team.path)
    latest = migrations.latest_version()
    assert (done.before, done.after) == (latest - 1, latest)
    assert database.execute_sql("PRAGMA user_version").fetchone()[0] == latest
    backups = list(tmp_path.glob(f"team.db.schema{latest - 1}-*.bak"))
    assert backups == [done.backup]
    import apsw

    copy = apsw.Connection(str(backups[0]))
    assert copy.execute("PRAGMA user_version").fetchone()[0] == latest - 1
    assert copy.execute("SELECT title FROM post").fetchall() == [("Winter blend",)]


def test_a_failed_migration_leaves_the_old_schema(team, monkeypatch):
    store.close_database()

    def broken(db):
        db.execute_sql("ALTER TABLE post ADD COLUMN mood TEXT")
        db.execute_sql("THIS IS NOT SQL")

    monkeypatch.setattr(migrations, "MIGRATIONS", [*migrations.MIGRATIONS, Step(broken)])
    with pytest.raises(Exception, match="syntax error"):
        store.upgrade_database(team.path)
    store.close_database()
    monkeypatch.undo()
    store.open_database(team.path)
    columns = {row[1] for row in database.execute_sql("PRAGMA table_info(post)")}
    assert "mood" not in columns


def test_a_schema_1_file_gains_revision_media_and_keeps_its_posts(tmp_path):
    import apsw

    path = tmp_path / "old.db"
    old = apsw.Connection(str(path))
    old.execute(_script("0001_initial.sql"))
    old.execute("PRAGMA user_version = 1")
    old.execute(
        "INSERT INTO user (id, login, name, role, timezone, active, created_at) "
        "VALUES (1, 'ana', 'Ana', 'admin', 'UTC', 1, '2026-01-01 00:00:00')"
    )
    old.close()
    store.upgrade_database(path)
    try:
        columns = {row[1] for row in database.execute_sql("PRAGMA table_info(revision)")}
        assert "media" in columns
        assert migrations.schema_version(database) == migrations.latest_version()
        assert list(tmp_path.glob("old.db.schema1-*.bak"))
        assert store.list_users(store.actor_for("ana"))[0].login == "ana"
    finally:
        store.close_database()


def _script(name: str) -> str:
    from importlib import resources

    return resources.files("store.db").joinpath("sql", name).read_text(encoding="utf-8")


def test_schema_5_gives_old_deliveries_their_record_key_and_due_time(tmp_path, now):
    """A schema-4 database with a scheduled post: after the upgrade its delivery has a TID and
    is due at the post's publish time; a draft's is not due at all."""
    from datetime import timedelta

    from store.db.models import Variant
    from store.publishing.tid import is_tid

    path = tmp_path / "old.db"
    store.open_database(path, create=True)
    store.init_database("root", now, "UTC")
    root = store.actor_for("root")
    brand = store.create_brand(root, "Acme", now)
    channel = store.add_channel(root, brand.id, "x", "@acme", now)
    store.add_user(root, "rev", "reviewer", now, force=True)
    soon = now + timedelta(days=1)
    post = store.create_post(
        root, brand.id, "Soon", now, caption="Hi", channel_ids=[channel.id], publish_at=soon
    )
    draft = store.create_post(root, brand.id, "Later", now, caption="Hi", channel_ids=[channel.id])
    store.move(root, post.id, "in_review", now)
    store.approve(store.actor_for("rev"), post.id, now)
    store.move(root, post.id, "scheduled", now)
    # Back to schema 4, as such a file was.
    for sql in (
        "DROP INDEX variant_due_at",
        'CREATE INDEX "variant_state_lease_until" ON "variant" ("state", "lease_until")',
        "ALTER TABLE variant DROP COLUMN record_key",
        "ALTER TABLE variant DROP COLUMN due_at",
        "ALTER TABLE channel DROP COLUMN server",
        "ALTER TABLE channel DROP COLUMN visibility",
        "ALTER TABLE channel DROP COLUMN language",
        "ALTER TABLE brand DROP COLUMN late_window_minutes",
        "DROP TABLE scheduler_beat",
        "PRAGMA user_version = 4",
    ):
        database.execute_sql(sql)
    store.close_database()
    upgrade = store.upgrade_database(path)
    assert (upgrade.before, upgrade.after) == (4, 5)
    store.open_database(path)
    scheduled = Variant.get(Variant.post == post.id)
    assert is_tid(scheduled.record_key) and scheduled.due_at == soon
    unscheduled = Variant.get(Variant.post == draft.id)
    assert is_tid(unscheduled.record_key) and unscheduled.due_at is None
