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
            "SELECT * FROM inbox_message WHERE status = 'pending' ORDER BY last_at DESC, id DESC LIMIT 50",
            "inbox_message_status_last_at_id",
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


def _old_file(path, version: int):
    """A database file as schema `version` made it, with a team of one admin, a brand and a
    channel (raw SQL: the models describe the newest schema)."""
    import apsw

    old = apsw.Connection(str(path))
    for migration in migrations.MIGRATIONS[:version]:
        old.execute(_script(migration.name))
    old.execute(f"PRAGMA user_version = {version}")
    old.execute(
        "INSERT INTO user (id, login, name, role, timezone, active, created_at) "
        "VALUES (1, 'root', 'Root', 'admin', 'UTC', 1, '2026-01-01 00:00:00');"
        "INSERT INTO brand (id, name, slug, routine_approvals, high_stakes_approvals, "
        "high_stakes_needs_senior, version) VALUES (1, 'Acme', 'acme', 1, 2, 1, 1);"
        "INSERT INTO channel (id, brand_id, platform, handle, name, connector, active) "
        "VALUES (1, 1, 'x', '@acme', '', 'manual', 1);"
    )
    return old


def _post(old, post_id: int, stage: str, publish_at: str | None) -> None:
    old.execute(
        "INSERT INTO post (id, brand_id, title, brief, caption, owner_id, stage, tier, publish_at, "
        "version, revision, created_at, updated_at, updated_by_id) VALUES "
        "(?, 1, 'Post', '', 'Hi', 1, ?, 'routine', ?, 1, 1, '2026-11-01 00:00:00', "
        "'2026-11-01 00:00:00', 1)",
        (post_id, stage, publish_at),
    )
    old.execute(
        "INSERT INTO variant (post_id, channel_id, state, attempts, idempotency_key) "
        "VALUES (?, 1, 'pending', 0, ?)",
        (post_id, f"key-{post_id}"),
    )


def test_schema_5_gives_old_deliveries_their_record_key_and_due_time(tmp_path, now):
    """A schema-4 database with a scheduled post: after the upgrade its delivery has a TID and
    is due at the post's publish time; a draft's is not due at all."""
    from store.db.models import Variant
    from store.publishing.tid import is_tid

    path = tmp_path / "old.db"
    old = _old_file(path, 4)
    _post(old, 1, "scheduled", "2026-11-24 10:00:00")
    _post(old, 2, "draft", None)
    old.close()
    upgrade = store.upgrade_database(path)
    try:
        assert (upgrade.before, upgrade.after) == (4, migrations.latest_version())
        scheduled = Variant.get(Variant.post == 1)
        assert is_tid(scheduled.record_key)
        assert scheduled.due_at.isoformat() == "2026-11-24T10:00:00+00:00"
        unscheduled = Variant.get(Variant.post == 2)
        assert is_tid(unscheduled.record_key) and unscheduled.due_at is None
    finally:
        store.close_database()


def test_schema_6_files_the_old_inbox_into_new_pending_closed(tmp_path, now):
    """Open and assigned messages become new (due from when they came), answered ones pending,
    closed stay closed; old replies keep their text with a key each; the counts and the search
    index hold every message."""
    from store.db.models import InboxMessage, InboxTally, Reply

    path = tmp_path / "old.db"
    old = _old_file(path, 5)
    for mid, status, assignee, when in [
        (1, "open", None, "2026-11-20 10:00:00"),
        (2, "assigned", 1, "2026-11-20 11:00:00"),
        (3, "assigned", 1, "2026-11-20 12:00:00"),
        (4, "closed", None, "2026-11-10 09:00:00"),
    ]:
        old.execute(
            "INSERT INTO inbox_message (id, brand_id, channel_id, kind, author_handle, body, "
            "received_at, status, assignee_id, remote_id) VALUES "
            "(?, 1, 1, 'comment', '@fan', ?, ?, ?, ?, ?)",
            (mid, f"where is my parcel number {mid}?", when, status, assignee, f"r{mid}"),
        )
    old.execute(
        "INSERT INTO reply (message_id, author_id, body, sent_at, state) "
        "VALUES (3, 1, 'On its way', '2026-11-20 12:30:00', 'sent')"
    )
    old.close()
    store.upgrade_database(path)
    try:
        status = dict(InboxMessage.select(InboxMessage.id, InboxMessage.status).tuples())
        assert status == {1: "new", 2: "new", 3: "pending", 4: "closed"}
        first = InboxMessage.get_by_id(1)
        # Friday 20 November 10:00 UTC + 4 business hours.
        assert first.sla_due_at.isoformat() == "2026-11-20T14:00:00+00:00"
        assert first.last_at == first.received_at
        assert InboxMessage.get_by_id(3).sla_due_at is None
        reply = Reply.get()
        assert (
            reply.body == "On its way"
            and reply.state == "sent"
            and len(reply.idempotency_key) == 32
        )
        tally = {(t.status, t.assignee_id): t.n for t in InboxTally.select()}
        assert tally == {("new", 0): 1, ("new", 1): 1, ("pending", 1): 1, ("closed", 0): 1}
        found = database.execute_sql(
            "SELECT rowid FROM inbox_fts WHERE inbox_fts MATCH 'parcel' ORDER BY rowid"
        ).fetchall()
        assert [r[0] for r in found] == [1, 2, 3, 4]
    finally:
        store.close_database()
