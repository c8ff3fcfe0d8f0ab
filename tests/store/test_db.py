"""Opening the database: settings for many writers, the SQLite version gate, and where files live."""

import subprocess
import sys

import apsw
import pytest

import store
from store.db import connection as dbmod
from store.db import database, writing


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
