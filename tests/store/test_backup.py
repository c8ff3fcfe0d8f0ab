"""Backups are consistent copies, taken while others keep writing."""

import subprocess
import sys
import textwrap

import apsw
import pytest

import store

WRITER = textwrap.dedent(
    """
    import sys
    from datetime import UTC, datetime
    import store
    store.open_database(sys.argv[1])
    actor = store.actor_for("ed")
    brand = store.list_brands(actor)[0].id
    for i in range(150):
        store.create_post(actor, brand, f"Post {i}", datetime.now(UTC))
    """
)


def test_a_backup_taken_during_writes_is_whole(team, tmp_path):
    writer = subprocess.Popen([sys.executable, "-c", WRITER, team.path], stderr=subprocess.PIPE)
    copies = []
    for n in range(3):
        copies.append(store.backup_to(tmp_path / f"copy{n}.db"))
    _, err = writer.communicate(timeout=120)
    assert writer.returncode == 0, err
    for copy in copies:
        connection = apsw.Connection(str(copy))
        assert connection.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        posts = connection.execute("SELECT count(*) FROM post").fetchone()[0]
        revisions = connection.execute("SELECT count(*) FROM revision").fetchone()[0]
        assert posts == revisions  # each post and its first revision land together or not at all


def test_a_backup_never_overwrites(team, tmp_path):
    target = tmp_path / "copy.db"
    target.write_text("precious")
    with pytest.raises(store.ValidationError, match="already exists"):
        store.backup_to(target)
    assert target.read_text() == "precious"
