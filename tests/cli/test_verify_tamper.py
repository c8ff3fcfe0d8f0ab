"""Acceptance: editing one audit row with the sqlite3 shell makes `postroom verify` exit 1 naming it."""

import shutil
import subprocess
import sys


def postroom(*args, db):
    return subprocess.run(
        [sys.executable, "-m", "tui.cli", *args, "--db", db], capture_output=True, text=True
    )


def test_verify_names_the_edited_row(tmp_path):
    db = str(tmp_path / "team.db")
    assert postroom("init", db=db).returncode == 0
    assert postroom("brand", "add", "Acme", db=db).returncode == 0
    assert postroom("verify", db=db).stdout.startswith("ok (2 audit events")
    sql = (
        "DROP TRIGGER audit_event_no_update; "
        'UPDATE audit_event SET detail = \'{"name":"Evil"}\' WHERE id = 2'
    )
    if shutil.which("sqlite3"):
        subprocess.run(["sqlite3", db, sql], check=True)
    else:
        import sqlite3

        with sqlite3.connect(db) as connection:
            connection.executescript(sql)
    result = postroom("verify", db=db)
    assert result.returncode == 1
    assert "audit: row 2: its content does not match its hash" in result.stderr
