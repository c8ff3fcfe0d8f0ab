"""Bad input never tracebacks: files that are not databases, a read-only file, a full disk, bytes
that are not UTF-8, numbers past 64 bits, dates at the ends of the calendar, a reader that goes
away, a backup killed halfway: one line on stderr and exit 1 (2 for bad usage), or a quiet 0."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

import pytest

import store

from ..accounts import MEMBERS, ensure_accounts, one_line, postroom_as, traversable_dir
from . import seeded as seeding
from .seeded import PYTHON, digest, names, refused

seeded, db, run = seeding.seeded, seeding.db, seeding.run  # fixtures


def test_a_read_only_file_reads_and_refuses_writes_in_one_line(seeded, run):
    # Root ignores file modes, so the reader is a real account of its own, in its own process.
    ensure_accounts()
    reader = MEMBERS[0]
    folder = traversable_dir("postroom-ro-")
    try:
        path = folder / "team.db"
        shutil.copyfile(seeded, path)
        assert run("root", "users", "add", reader, "editor", "--db", str(path))[0] == 0
        store.close_database()
        for leftover in ("team.db-wal", "team.db-shm"):
            (folder / leftover).unlink(missing_ok=True)
        path.chmod(0o444)
        before, listing = digest(path), names(folder)
        done = postroom_as(reader, "post", "list", "--limit", "3", "--db", str(path))
        assert (done.returncode, done.stderr) == (0, ""), done.stderr
        assert len(done.stdout.splitlines()) == 4
        done = postroom_as(reader, "post", "comment", "1", "hello", "--db", str(path))
        assert done.returncode == 1 and done.stdout == ""
        assert one_line(done.stderr) == (
            f"postroom: read only: {path} is root:root 0444; {reader} may not write it "
            f"(it is not group-writable: its owner runs chmod g+w {path})"
        )
        done = postroom_as(reader, "whoami", "--db", str(path))
        assert done.stdout.startswith(f"{reader} (editor, ") and "; read only: " in done.stdout
        assert (digest(path), names(folder)) == (before, listing)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture
def small_disk():
    """A 4 MB tmpfs, so a write meets a real ENOSPC (SQLite's max_page_count would only make
    SQLite refuse itself; this is the file system saying no, as a full disk does)."""
    folder = traversable_dir("postroom-disk-")
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", str(folder)],
        capture_output=True,
        text=True,
    )
    if mounted.returncode != 0:
        pytest.fail(f"cannot mount a small tmpfs to fill (needs root): {mounted.stderr.strip()}")
    try:
        yield folder
    finally:
        store.close_database()
        subprocess.run(["umount", str(folder)], check=True)
        folder.rmdir()


def fill(folder: Path) -> Path:
    filler = folder / "filler"
    with open(filler, "wb", buffering=0) as handle:
        try:
            while True:
                handle.write(b"\0" * 4096)
        except OSError:  # ENOSPC: full
            pass
    return filler


def test_a_full_disk_gives_one_line_and_saves_nothing(small_disk, run):
    db = str(small_disk / "team.db")
    assert run("root", "init", "--timezone", "UTC", "--db", db)[0] == 0
    assert run("root", "brand", "add", "Acme", "--db", db)[0] == 0
    filler = fill(small_disk)
    caption = "x" * 3000

    def add_post():
        return run(
            "root",
            "post",
            "add",
            "--brand",
            "acme",
            "--title",
            "T",
            "--caption",
            caption,
            "--db",
            db,
        )

    err = refused(add_post())
    assert err == f"postroom: the disk holding {db} is full; nothing was saved (free some space)"
    err = refused(run("root", "backup", str(small_disk / "copy.db"), "--db", db))
    assert err == f"postroom: the disk holding {small_disk / 'copy.db'} is full; no backup was made"
    err = refused(run("root", "init", "--db", str(small_disk / "new.db")))
    assert "full" in err or "no space" in err, err
    assert names(small_disk) == {"team.db", "team.db-wal", "team.db-shm", "filler"}
    code, out, _ = run("root", "post", "list", "--json", "--db", db)
    assert (code, json.loads(out)) == (0, [])
    filler.unlink()
    assert add_post()[0] == 0
    assert run("root", "verify", "--db", db)[1].startswith("ok (")


def _not_databases(folder: Path) -> dict[str, tuple[Path, str]]:
    text = folder / "notes.db"
    text.write_text("hello, I am not a database\n")
    empty = folder / "empty.db"
    empty.write_bytes(b"")
    other = folder / "other.db"
    with sqlite3.connect(other) as connection:
        connection.execute("CREATE TABLE t (x)")
    pipe = folder / "pipe.db"
    os.mkfifo(pipe)
    return {
        "text": (text, f"{text} is not a Postroom database (not even a SQLite file)"),
        "empty": (empty, f"{empty} is not a Postroom database (the file is empty)"),
        "other": (
            other,
            f"{other} is not a Postroom database (a SQLite database of something else)",
        ),
        "folder": (folder, f"{folder} is a folder, not a database file; give the file's path"),
        "pipe": (pipe, f"{pipe} is not a Postroom database (not a regular file)"),
    }


@pytest.mark.parametrize("kind", ["text", "empty", "other", "folder", "pipe"])
@pytest.mark.parametrize(
    "args",
    [
        ("post", "list"),
        ("whoami",),
        ("verify",),
        ("migrate",),
        ("users", "list"),
        ("brand", "add", "X"),
        ("backup", "OUT"),
    ],
)
def test_what_is_not_a_database_is_said_so_in_one_line(tmp_path, run, kind, args):
    (tmp_path / "in").mkdir()
    path, words = _not_databases(tmp_path / "in")[kind]
    args = [str(tmp_path / "out.db") if a == "OUT" else a for a in args]
    before = {
        p.name: (p.read_bytes() if p.is_file() else None) for p in (tmp_path / "in").iterdir()
    }
    assert refused(run("root", *args, "--db", str(path))) == f"postroom: {words}"
    after = {p.name: (p.read_bytes() if p.is_file() else None) for p in (tmp_path / "in").iterdir()}
    assert after == before  # nothing changed, no -wal or -shm made
    assert not (tmp_path / "out.db").exists()


def test_doctor_on_what_is_not_a_database_exits_1(tmp_path, run):
    for path, words in _not_databases(tmp_path).values():
        code, out, err = run("root", "doctor", "--db", str(path))
        assert code == 1 and f"FIX   {words}" in out, out
        assert one_line(err) == f"postroom: 1 thing to fix: {words}"


def test_bytes_that_are_not_utf8_are_named_in_one_line(db):
    for argv, position in (
        ([b"post", b"show", b"\xff"], 3),
        ([b"post", b"add", b"--brand", b"acme-coffee", b"--title", b"caf\xe9"], 6),
    ):
        done = subprocess.run([*PYTHON, *argv, b"--db", str(db).encode()], capture_output=True)
        assert done.returncode == 2, done.stderr
        err = one_line(done.stderr.decode())
        assert (
            err
            == f"postroom: argument {position} is not valid UTF-8; check the terminal's encoding"
        )


@pytest.mark.parametrize(
    ("args", "code", "words"),
    [
        (("post", "show", str(2**63)), 2, "is not an id (1 to 9223372036854775807)"),
        (("post", "show", str(2**63 - 1)), 1, "no post #9223372036854775807"),
        (("post", "show", "-1"), 2, "is not an id"),
        (("post", "approve", "1", "--revision", str(2**64)), 2, "is not an id"),
        (("post", "edit", "1", "--version", str(2**63)), 2, "is not an id"),
        (("post", "move", str(2**63 - 1), "draft"), 1, "no post #9223372036854775807"),
        (("post", "list", "--limit", str(2**63)), 2, "is not between 1 and 100000"),
        (("brand", "policy", "acme-coffee", "--routine", str(2**63)), 2, "is not between 1 and 5"),
        (("channel", "add", "acme-coffee", "x", "@a", "--per-week", str(-(2**63))), 2, "between"),
        (("post", "comment", str(2**63 - 1), "hi"), 1, "no post #9223372036854775807"),
        (("post", "show", "9" * 5000), 2, "is not an id"),
    ],
)
def test_numbers_past_64_bits(db, run, args, code, words):
    assert words in refused(run("ines", *args, "--db", str(db)), code)


@pytest.mark.parametrize("timezone", ["Pacific/Kiritimati", "Pacific/Honolulu", "UTC"])
def test_dates_at_the_ends_of_the_calendar(db, run, timezone):
    assert (
        run(
            "ines",
            "users",
            "add",
            "tz",
            "manager",
            "--timezone",
            timezone,
            "--force",
            "--db",
            str(db),
        )[0]
        == 0
    )
    for args in (
        ("post", "list", "--from", "0001-01-01", "--to", "0001-01-01"),
        ("post", "list", "--from", "9999-12-31"),
        ("post", "list", "--from", "0001-01-01", "--to", "9999-12-31", "--json"),
        ("note", "list", "--from", "0001-01-01", "--to", "9999-12-31"),
        ("note", "list", "--from", "9999-12-31", "--to", "9999-12-31"),
        ("note", "add", "Far", "--on", "9999-12-31", "--brand", "acme-coffee"),
        ("campaign", "add", "acme-coffee", "Always", "--from", "0001-01-01", "--to", "9999-12-31"),
    ):
        code, _, err = run("tz", *args, "--db", str(db))
        assert (code, err) == (0, ""), (args, err)
    for when in ("9999-12-31 23:59", "0001-01-01 00:00"):
        for option in ("--publish-at", "--review-due"):
            args = ("post", "add", "--brand", "acme-coffee", "--title", "T", option, when)
            assert "the years Postroom plans in" in refused(run("tz", *args, "--db", str(db)))


def _pipe_into_head(db: Path, *args: str) -> tuple[subprocess.CompletedProcess, int]:
    writer = subprocess.Popen(
        [*PYTHON, *args, "--db", str(db)], stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    head = subprocess.Popen(["head", "-1"], stdin=writer.stdout, stdout=subprocess.PIPE)
    writer.stdout.close()  # only head reads it now, so its exit breaks the pipe
    first, _ = head.communicate(timeout=60)
    err = writer.stderr.read().decode()
    return subprocess.CompletedProcess(args, writer.wait(timeout=60), first, err), head.returncode


@pytest.mark.parametrize(
    "args", [("post", "list", "--json"), ("post", "show", "1"), ("post", "list")]
)
def test_a_reader_that_stops_early_ends_it_quietly(db, args):
    whole = subprocess.run([*PYTHON, *args, "--db", str(db)], capture_output=True)
    assert whole.returncode == 0, whole.stderr
    if args[-1] == "--json":  # more than a pipe holds, so the write after head left must fail
        assert len(whole.stdout) > 80_000, "the demo's JSON no longer overflows a pipe (64 KiB)"
    done, head_code = _pipe_into_head(db, *args)
    assert head_code == 0 and done.stdout == whole.stdout.split(b"\n")[0] + b"\n"
    assert (done.returncode, done.stderr) == (0, "")


def test_a_closed_stdout_is_no_crash(db):
    done = subprocess.run(
        f"{' '.join(PYTHON)} post list --db {db} >&-", shell=True, capture_output=True, text=True
    )
    assert (done.returncode, done.stderr) == (0, "")


def test_an_unknown_account_changes_nothing(db, run):
    before = digest(db)
    err = refused(run("zed", "whoami", "--db", str(db)))
    assert err.startswith("postroom: zed is not a user of this database; an admin (ines, root)")
    for args in (("post", "comment", "1", "hi"), ("migrate",), ("users", "add", "zed", "admin")):
        refused(run("zed", *args, "--db", str(db)))
    assert digest(db) == before


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (("demo", "--size", "huge"), "invalid choice: 'huge'"),
        (("demo", "--seed", "seven"), "invalid int value"),
        (("demo", "--seed", "\x1b[2J"), "invalid int value"),
    ],
)
def test_demo_refuses_bad_arguments_in_one_line(tmp_path, run, args, words):
    assert words in refused(run("root", *args, "--db", str(tmp_path / "d.db")), 2)
    assert names(tmp_path) == set()


def test_demo_refuses_a_path_that_exists(db, run):
    before = digest(db)
    assert "exists" in refused(run("root", "demo", "--db", str(db)))
    assert digest(db) == before
