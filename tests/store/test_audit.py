"""The audit trail is a hash chain: any edit or deletion of a row is found and named."""

import itertools
import shutil
import sqlite3
import subprocess

import store
from store.audit import GENESIS, trail

#: An attacker with write access to the file drops the append-only triggers first.
DROP_TRIGGERS = "DROP TRIGGER audit_event_no_update; DROP TRIGGER audit_event_no_delete; "


def edit_with_sqlite_shell(path, sql):
    """Change the file behind Postroom's back, as an attacker with the sqlite3 shell would."""
    if shutil.which("sqlite3"):
        subprocess.run(["sqlite3", str(path), sql], check=True)
    else:  # machines without the shell: the same statement through Python's own SQLite
        with sqlite3.connect(path) as connection:
            connection.executescript(sql)


def test_a_fresh_trail_verifies(team):
    team.in_review()
    report = store.verify_database()
    assert report.ok
    assert report.audit_rows > 10


def test_every_row_links_to_the_one_before(team):
    team.draft()
    from store.db.models import AuditEvent

    rows = list(AuditEvent.select().order_by(AuditEvent.id))
    assert rows[0].prev_hash == GENESIS
    for before, after in itertools.pairwise(rows):
        assert after.prev_hash == before.hash


def test_an_edited_row_is_named(team):
    team.draft()
    store.close_database()
    edit_with_sqlite_shell(
        team.path, DROP_TRIGGERS + "UPDATE audit_event SET actor = 'mallory' WHERE id = 5"
    )
    store.open_database(team.path)
    report = store.verify_database()
    assert not report.ok
    assert report.problems == (
        "audit: row 5: its content does not match its hash (edited after writing)",
    )


def test_a_deleted_row_is_named(team):
    team.draft()
    store.close_database()
    edit_with_sqlite_shell(team.path, DROP_TRIGGERS + "DELETE FROM audit_event WHERE id = 3")
    store.open_database(team.path)
    assert store.verify_database().problems == ("audit: row 3: row 3 is missing",)


def test_a_rehashed_row_breaks_the_next_link(team):
    team.draft()
    from store.audit import row_hash
    from store.db.models import AuditEvent

    row = AuditEvent.get_by_id(4)
    forged = row_hash(
        4,
        "2026-11-23 10:00:00",
        "mallory",
        row.action,
        row.entity,
        row.entity_id,
        row.detail,
        row.prev_hash,
    )
    store.close_database()
    edit_with_sqlite_shell(
        team.path,
        DROP_TRIGGERS + f"UPDATE audit_event SET actor = 'mallory', hash = '{forged}' WHERE id = 4",
    )
    store.open_database(team.path)
    assert store.verify_database().problems == (
        "audit: row 5: its previous-hash does not match the row before it",
    )


def test_the_trail_of_a_post_reads_in_order(team):
    pid = team.in_review().id
    store.approve(team.actor("rev"), pid, team.now, note="Lovely")
    entries = trail(team.actor("root"), "post", pid)
    assert [(e.actor, e.action) for e in entries] == [
        ("ed", "post.create"),
        ("ed", "post.stage"),
        ("rev", "post.approve"),
        ("rev", "post.stage"),
    ]
    assert entries[-1].detail == {"from": "in_review", "to": "approved"}
