"""Backups and checks that change nothing they look at; an anchor outside the database's folder
that shows a cut or rewritten audit chain; and an older schema refused by every command but an
admin's `postroom migrate`, which backs the file up first."""

from __future__ import annotations

import grp
import json
import os
import signal
import sqlite3
import subprocess
import time
from contextlib import closing
from pathlib import Path

import pytest

from store.audit import GENESIS, row_hash
from store.db import migrations

from ..accounts import GROUP, ensure_accounts, one_line
from ..store.test_migrations import Step
from . import seeded as seeding
from .seeded import PYTHON, digest, names, refused
from .test_cli import subcommands

seeded, db, run = seeding.seeded, seeding.db, seeding.run  # fixtures

#: An attacker with write access to the file drops the append-only triggers first.
DROP_TRIGGERS = "DROP TRIGGER audit_event_no_update; DROP TRIGGER audit_event_no_delete; "


def test_verify_of_an_empty_file_changes_nothing(tmp_path, run):
    empty = tmp_path / "empty.db"
    empty.write_bytes(b"")
    err = refused(run("root", "verify", "--db", str(empty)))
    assert err == f"postroom: {empty} is not a Postroom database (the file is empty)"
    assert empty.read_bytes() == b"" and names(tmp_path) == {"empty.db"}


def test_verify_of_a_backup_never_changes_it(db, run, tmp_path):
    copy = tmp_path / "backups" / "copy.db"
    copy.parent.mkdir()
    assert run("root", "backup", str(copy), "--db", str(db))[0] == 0
    before = digest(copy)
    with closing(sqlite3.connect(f"file:{db}?mode=ro", uri=True)) as source:
        events = source.execute("SELECT count(*) FROM audit_event").fetchone()[0]
    for _ in range(2):
        code, out, _ = run("ines", "verify", "--db", str(copy))
        assert (code, out) == (0, f"ok ({events} audit events, chain intact)\n")
    assert digest(copy) == before
    assert names(copy.parent) == {"copy.db"}


def test_a_backup_keeps_the_sources_mode_and_group(db, run, tmp_path):
    ensure_accounts()

    gid = grp.getgrnam(GROUP).gr_gid
    os.chown(db, -1, gid)
    db.chmod(0o640)
    copy = tmp_path / "copy.db"
    assert run("root", "backup", str(copy), "--db", str(db))[0] == 0
    info = copy.stat()
    assert (info.st_gid, info.st_mode & 0o7777) == (gid, 0o640)
    assert names(tmp_path) == {"data", "copy.db"}


def test_a_backup_killed_halfway_leaves_nothing_that_passes_for_a_database(db, tmp_path):
    # Bulk ballast so that VACUUM INTO takes long enough to be caught in the middle.
    with closing(sqlite3.connect(db)) as connection:
        connection.execute("CREATE TABLE ballast (blob BLOB)")
        connection.execute(
            "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 60000) "
            "INSERT INTO ballast SELECT randomblob(8000) FROM n"
        )
        connection.commit()
    out = tmp_path / "out"
    out.mkdir()
    target, partial = out / "copy.db", out / ".copy.db.partial"
    backup = subprocess.Popen(
        [*PYTHON, "backup", str(target), "--db", str(db)], stderr=subprocess.PIPE
    )
    deadline = time.monotonic() + 60
    while not (partial.exists() and partial.stat().st_size > 1_000_000):
        assert backup.poll() is None, "the backup finished before it could be killed: more ballast"
        assert time.monotonic() < deadline, "the backup never started writing"
        time.sleep(0.01)
    backup.send_signal(signal.SIGKILL)
    backup.wait()
    assert not target.exists()
    assert list(out.glob("*.db")) == [] and list(out.glob("*.db-*")) == []
    done = subprocess.run(
        [*PYTHON, "backup", str(target), "--db", str(db)], capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    assert names(out) == {"copy.db"}  # the killed one's partial copy is gone


def behind_the_back(path: Path, sql: str) -> None:
    """Change the file as someone with the sqlite3 shell would."""
    with closing(sqlite3.connect(path)) as connection:
        connection.executescript(sql)


def events(path: Path) -> tuple[int, int, str]:
    with closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as connection:
        count = connection.execute("SELECT count(*) FROM audit_event").fetchone()[0]
        last = connection.execute("SELECT id, hash FROM audit_event ORDER BY id DESC").fetchone()
    return count, *last


def rechain(path: Path) -> None:
    """Edit a row, then recompute every hash so the chain itself holds again."""
    behind_the_back(path, DROP_TRIGGERS + "UPDATE audit_event SET actor = 'mallory' WHERE id = 10")
    with closing(sqlite3.connect(path)) as connection:
        prev = GENESIS
        rows = connection.execute(
            "SELECT id, at, actor, action, entity, entity_id, detail FROM audit_event ORDER BY id"
        ).fetchall()
        for row in rows:
            digest_ = row_hash(*row, prev)
            connection.execute(
                "UPDATE audit_event SET prev_hash = ?, hash = ? WHERE id = ?",
                (prev, digest_, row[0]),
            )
            prev = digest_
        connection.commit()


def verify_against(run, db: Path, anchor: Path):
    return run("ines", "verify", "--anchor", str(anchor), "--db", str(db))


def test_an_anchor_is_started_then_holds_as_the_trail_grows(db, run, tmp_path):
    anchor = tmp_path / "anchor.json"
    count, last_id, last_hash = events(db)
    code, out, err = verify_against(run, db, anchor)
    assert (code, err) == (0, "")
    assert (
        out == f"no anchor at {anchor} yet: started one\nok ({count} audit events, chain intact)\n"
    )
    assert json.loads(anchor.read_text()) == {
        "events": count,
        "last_id": last_id,
        "hash": last_hash,
    }
    assert (
        run("jules", "post", "add", "--brand", "acme-coffee", "--title", "New", "--db", str(db))[0]
        == 0
    )
    code, out, _ = verify_against(run, db, anchor)
    grown = events(db)[0]
    assert (code, out.splitlines()[0]) == (0, f"anchor {anchor} holds ({count} → {grown} events)")
    assert json.loads(anchor.read_text())["events"] == grown


def _cut_then_refill(db: Path, run) -> None:
    behind_the_back(
        db,
        DROP_TRIGGERS + "DELETE FROM audit_event WHERE id > (SELECT max(id) - 3 FROM audit_event)",
    )
    for n in range(4):  # the same count again, through postroom, under ids the anchor knew
        run("ines", "brand", "add", f"Filler {n}", "--db", str(db))


@pytest.mark.parametrize(
    ("attack", "words"),
    [
        (
            lambda db, run: behind_the_back(
                db,
                DROP_TRIGGERS
                + "DELETE FROM audit_event WHERE id > (SELECT max(id) - 5 FROM audit_event)",
            ),
            "fewer than the {count} the anchor recorded: rows were deleted",
        ),
        (
            lambda db, run: behind_the_back(db, DROP_TRIGGERS + "DELETE FROM audit_event"),
            "audit: the trail has 0 events, fewer than the {count} the anchor recorded",
        ),
        (lambda db, run: rechain(db), "row {last_id} no longer has the hash the anchor recorded"),
        (_cut_then_refill, "row {last_id} no longer has the hash the anchor recorded"),
    ],
    ids=["newest-rows-deleted", "all-rows-deleted", "chain-recomputed", "cut-and-refilled"],
)
def test_the_anchor_shows_what_was_done_to_the_trail(db, run, tmp_path, attack, words):
    anchor = tmp_path / "anchor.json"
    assert verify_against(run, db, anchor)[0] == 0
    kept = anchor.read_bytes()
    count, last_id, _ = events(db)
    attack(db, run)
    code, out, err = verify_against(run, db, anchor)
    assert code == 1, out
    assert words.format(count=count, last_id=last_id) in out
    one_line(err)
    assert anchor.read_bytes() == kept  # a failed check does not move the anchor


def test_a_recomputed_chain_passes_without_the_anchor_and_fails_with_it(db, run, tmp_path):
    anchor = tmp_path / "anchor.json"
    assert verify_against(run, db, anchor)[0] == 0
    rechain(db)
    assert run("ines", "verify", "--db", str(db))[0] == 0  # the chain alone cannot tell
    code, out, err = verify_against(run, db, anchor)
    assert code == 1 and "the chain was rewritten" in one_line(err) and out.startswith("audit: ")


@pytest.mark.parametrize("where", ["data/anchor.json", "data/sub/anchor.json", "link/anchor.json"])
def test_an_anchor_in_the_databases_folder_is_refused(db, run, tmp_path, where):
    (tmp_path / "data" / "sub").mkdir()
    (tmp_path / "link").symlink_to(tmp_path / "data")
    err = refused(verify_against(run, db, tmp_path / where))
    assert err == (
        f"postroom: anchor: keep the anchor outside {tmp_path / 'data'} (whoever can rewrite the "
        "database there could rewrite the anchor too)"
    )
    assert (
        names(tmp_path / "data") == {"team.db", "sub"} and names(tmp_path / "data" / "sub") == set()
    )


def test_an_anchor_that_is_not_one_is_refused(db, run, tmp_path):
    for content in ("", "{}", "[1, 2]", '{"events": 1e999, "last_id": 1, "hash": "x"}', "\xff"):
        anchor = tmp_path / "bad.json"
        anchor.write_text(content, encoding="utf-8", errors="surrogateescape")
        assert (
            refused(verify_against(run, db, anchor))
            == f"postroom: anchor: {anchor} is not a Postroom anchor file"
        )
    assert "is not a Postroom anchor file" in refused(verify_against(run, db, tmp_path))
    missing = tmp_path / "nowhere" / "anchor.json"
    assert refused(verify_against(run, db, missing)).startswith(
        f"postroom: anchor: cannot write {missing}"
    )


def add_mood(db):
    db.execute_sql("ALTER TABLE post ADD COLUMN mood TEXT")


#: A valid use of each command; on an older schema each must be refused all the same.
VALID = {
    "whoami": (),
    "users list": (),
    "users add": ("zed", "editor", "--force"),
    "users set-role": ("jules", "manager"),
    "users remove": ("jules",),
    "brand list": (),
    "brand add": ("New",),
    "brand policy": ("acme-coffee",),
    "channel list": (),
    "channel add": ("acme-coffee", "x", "@new"),
    "campaign list": (),
    "campaign add": ("acme-coffee", "C"),
    "pillar list": (),
    "pillar add": ("acme-coffee", "P"),
    "post add": ("--brand", "acme-coffee", "--title", "T"),
    "post list": (),
    "post show": ("1",),
    "post edit": ("1", "--title", "X"),
    "post submit": ("1",),
    "post approve": ("1",),
    "post unapprove": ("1",),
    "post request-changes": ("1", "--note", "n"),
    "post comment": ("1", "hi"),
    "post move": ("1", "draft"),
    "note add": ("N", "--on", "2026-12-01"),
    "note list": (),
    "asset add": ("https://cdn.example.com/z.jpg", "--brand", "acme-coffee"),
    "asset list": ("--brand", "acme-coffee"),
    "backup": ("COPY",),
    "channel connect": ("1", "--manual"),
    "brand late-window": ("acme-coffee", "60"),
    "channel test": ("1",),
    "post send-now": ("1",),
    "publish": ("--due",),
    "scheduler": (),
    "delivery list": (),
    "delivery retry": ("1",),
    "delivery done": ("1", "--url", "https://social.example/1"),
    "inbox list": (),
    "inbox show": ("1",),
    "inbox assign": ("1", "--to", "me"),
    "inbox close": ("1",),
    "inbox reopen": ("1",),
    "inbox label": ("vip", "1"),
    "inbox note": ("1", "--text", "seen"),
    "inbox reply": ("1", "--text", "Thanks!"),
    "inbox retry": ("1",),
    "inbox done": ("1", "--url", "https://social.example/2"),
    "inbox sync": (),
    "inbox import": ("messages.csv",),
    "saved-reply add": ("thanks", "--text", "Thanks {name}!"),
    "saved-reply list": (),
    "inbox priority": ("2", "1"),
    "label-rule list": (),
    "label-rule add": ("wholesale", "--word", "wholesale"),
    "label-rule remove": ("1",),
    "brand sla": ("acme-coffee", "6"),
    "channel inbox-every": ("1", "10"),
    "channel counters-every": ("1", "--hourly-for", "1"),
    "report": ("--period", "7d"),
    "metrics refresh": (),
    "metrics post": ("1",),
    "metrics channels": (),
    "metrics import": ("export.csv",),
}
#: Those that answer otherwise: they make a new database, only read and report, or migrate.
OTHERWISE = {"init", "demo", "verify", "doctor", "migrate"}


def test_every_command_is_covered_for_an_older_schema():
    leaves = {name for name, parser in subcommands().items() if parser._subparsers is None}
    assert set(VALID) | OTHERWISE == leaves


def test_an_older_schema_is_refused_by_all_but_an_admins_migrate(db, run, tmp_path, monkeypatch):
    monkeypatch.setattr(migrations, "MIGRATIONS", [*migrations.MIGRATIONS, Step(add_mood)])
    latest = migrations.latest_version()
    before = digest(db)
    expected = (
        f"postroom: {db} has schema version {latest - 1} and this Postroom needs {latest}: "
        "an admin runs `postroom migrate` (it backs the file up first)"
    )
    for name, args in VALID.items():
        args = [str(tmp_path / "copy.db") if a == "COPY" else a for a in args]
        for login in ("ines", "zed"):
            assert refused(run(login, *name.split(), *args, "--db", str(db))) == expected, name
    assert "exists already" in refused(run("ines", "init", "--db", str(db)))
    assert "exists" in refused(run("ines", "demo", "--db", str(db)))
    code, out, _ = run("ines", "verify", "--db", str(db))  # reads only, and says what to do
    assert code == 0 and "an admin runs `postroom migrate`" in out
    code, out, _ = run("ines", "doctor", "--db", str(db))
    assert code == 1 and f"an admin runs: postroom migrate --db {db}" in out
    err = refused(run("jules", "migrate", "--db", str(db)))
    assert err == "postroom: only an admin may change the schema (admins: ines, root)"
    assert digest(db) == before and not (tmp_path / "copy.db").exists()
    code, out, _ = run("ines", "migrate", "--db", str(db))
    [backup] = (tmp_path / "data").glob(f"team.db.schema{latest - 1}-*.bak")
    assert (code, out) == (
        0,
        f"Upgraded {db} from schema {latest - 1} to {latest}; backup at {backup}\n",
    )
    with closing(sqlite3.connect(f"file:{backup}?mode=ro", uri=True)) as old:
        assert old.execute("PRAGMA user_version").fetchone()[0] == latest - 1
        assert old.execute("SELECT count(*) FROM post").fetchone()[0] == 270
    assert run("jules", "post", "show", "1", "--db", str(db))[0] == 0
    assert (
        run("ines", "migrate", "--db", str(db))[1]
        == f"{db} is at schema {latest} already; nothing to do\n"
    )
