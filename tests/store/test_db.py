"""Opening the database: settings for many writers, the SQLite version gate, and where files live."""

import os
import subprocess
import sys
from pathlib import Path

import apsw
import pytest

import store
from store.db import connection as dbmod
from store.db import database, files, opening, writing


def test_sqlite_settings_for_many_writers(team):
    pragma = lambda name: database.execute_sql(f"PRAGMA {name}").fetchone()[0]  # noqa: E731
    assert pragma("journal_mode") == "wal"
    assert pragma("foreign_keys") == 1
    assert pragma("synchronous") == 1  # NORMAL
    assert pragma("busy_timeout") >= 5000


def test_writes_take_the_write_lock_at_begin(team):
    other = apsw.Connection(team.path)
    other.setbusytimeout(0)
    with writing():
        assert not database.connection().getautocommit()
        with pytest.raises(apsw.BusyError):
            other.execute("BEGIN IMMEDIATE")
    other.execute("BEGIN IMMEDIATE")
    other.execute("ROLLBACK")


def test_the_bundled_sqlite_has_the_wal_fix():
    assert dbmod.sqlite_version() >= (3, 51, 3)


def test_an_older_sqlite_is_refused_with_a_reason():
    with pytest.raises(store.DatabaseRefused, match=r"SQLite 3\.45\.1 is older than 3\.51\.3"):
        dbmod.check_sqlite_version((3, 45, 1))


def test_opening_refuses_when_the_library_is_old(monkeypatch, tmp_path):
    monkeypatch.setattr(dbmod, "sqlite_version", lambda: (3, 50, 0))
    with pytest.raises(store.DatabaseRefused, match="WAL corruption"):
        store.open_database(tmp_path / "x.db", create=True)
    assert not (tmp_path / "x.db").exists()


def test_a_missing_file_is_not_created_by_accident(tmp_path):
    with pytest.raises(store.DatabaseRefused, match="postroom init"):
        store.open_database(tmp_path / "typo.db")
    assert not (tmp_path / "typo.db").exists()


def test_location_prefers_the_flag_then_the_environment_then_the_data_dir(monkeypatch, tmp_path):
    monkeypatch.setenv("POSTROOM_DB", "/env/team.db")
    assert store.resolve_location("/flag/team.db") == "/flag/team.db"
    assert store.resolve_location(None) == "/env/team.db"
    monkeypatch.delenv("POSTROOM_DB")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    assert store.resolve_location(None) == str(tmp_path / "data" / "postroom" / "postroom.db")


def test_the_data_dir_is_created_on_first_use_not_at_import(tmp_path):
    env = {"XDG_DATA_HOME": str(tmp_path / "data"), "PATH": "/usr/bin:/bin", "HOME": str(tmp_path)}
    code = "import store, tui.cli; print(store.resolve_location(None))"
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert not (tmp_path / "data").exists()
    location = out.stdout.strip()
    init = subprocess.run(
        [sys.executable, "-m", "tui.cli", "init"], env=env, capture_output=True, text=True
    )
    assert init.returncode == 0, init.stderr
    assert (tmp_path / "data" / "postroom" / "postroom.db").exists()
    assert location.endswith("data/postroom/postroom.db")


def test_a_postgresql_url_names_a_server_not_a_file():
    assert dbmod.is_url("postgresql://team@localhost:5432/postroom")
    assert dbmod.is_url("postgres://team@/postroom?host=/run/postgresql")
    assert not dbmod.is_url("/srv/postroom/team.db")


def test_a_write_the_file_refuses_is_a_read_only_refusal_not_a_database_error(team):
    # Peewee wraps apsw's errors in its own; the store still says what happened.
    database.execute_sql("PRAGMA query_only = 1")
    with pytest.raises(store.ReadOnly, match=r"cannot be written now; `postroom doctor` says why"):
        store.create_brand(store.actor_for("root"), "Birch", team.now)
    database.execute_sql("PRAGMA query_only = 0")
    assert [b.slug for b in store.list_brands(store.actor_for("root"))] == [
        "acme-coffee",
        "birch-outdoor",
    ]


def test_a_full_database_is_a_storage_refusal_and_saves_nothing(team):
    pages = database.execute_sql("PRAGMA page_count").fetchone()[0]
    database.execute_sql(f"PRAGMA max_page_count = {pages}")
    with pytest.raises(store.StorageFull, match=r"is full; nothing was saved \(free some space\)"):
        team.draft(caption="x" * 90_000, brief="y" * 90_000)
    database.execute_sql("PRAGMA max_page_count = 4294967294")
    assert database.execute_sql("SELECT count(*) FROM post").fetchone()[0] == 0


def test_a_file_removed_after_opening_is_not_made_again(tmp_path, now):
    path = tmp_path / "team.db"
    store.open_database(path, create=True)
    store.init_database("root", now, "UTC")
    store.close_database()
    for leftover in (path, *files.side_files(path)):
        leftover.unlink()
    with pytest.raises(store.DatabaseRefused, match="no database at"):
        store.open_database(path)
    assert list(tmp_path.iterdir()) == []


def test_a_reader_of_a_file_nobody_had_open_sees_what_is_written_after(tmp_path, now):
    path = tmp_path / "team.db"
    store.open_database(path, create=True)
    store.init_database("root", now, "UTC")
    store.close_database()
    for side in files.side_files(path):  # as a copied file comes, with no side files
        side.unlink()
    store.open_database(path, read_only=True)  # read as it stands, making nothing
    assert store.actor_for("root").user.name != "Changed"
    assert [p.name for p in tmp_path.iterdir()] == ["team.db"]
    store.close_database()
    writer = apsw.Connection(str(path))  # stays open: its change is in the -wal only
    writer.execute("UPDATE user SET name = 'Changed' WHERE login = 'root'")
    try:
        store.open_database(path, read_only=True)
        assert store.actor_for("root").user.name == "Changed"
    finally:
        store.close_database()
        writer.close()


def test_a_failed_init_leaves_no_file(tmp_path, monkeypatch):
    def broken(db):
        raise apsw.FullError("database or disk is full")

    monkeypatch.setattr(opening, "create_schema", broken)
    path = tmp_path / "team.db"
    with pytest.raises(apsw.FullError):
        store.open_database(path, create=True)
    store.close_database()
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("kind", ["fifo", "folder", "device"])
def test_what_is_not_a_regular_file_is_refused_at_once(tmp_path, kind):
    path = {"fifo": tmp_path / "pipe.db", "folder": tmp_path, "device": Path("/dev/zero")}[kind]
    if kind == "fifo":
        os.mkfifo(path)
    with pytest.raises(store.DatabaseRefused, match=r"folder, not a database|not a regular file"):
        store.open_database(path)
    with pytest.raises(store.DatabaseRefused):
        store.open_database(path, create=True)
