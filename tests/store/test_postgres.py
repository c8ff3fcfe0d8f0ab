"""A team that outgrows one host moves to PostgreSQL through the same models: connect and create the schema."""

import glob
import os
import pwd
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

import store
from store.db import database, migrations


def server_binaries() -> str:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    if found:
        return os.path.dirname(found[-1])
    initdb = shutil.which("initdb")
    if initdb:
        return os.path.dirname(initdb)
    pytest.fail(
        "no PostgreSQL server binaries (initdb); install them (Debian: postgresql) "
        "or deselect with -m 'not postgres'"
    )


@pytest.fixture
def postgres_url():
    """A server on a Unix socket only (no TCP), in its own temp dir, stopped and removed after."""
    bindir = server_binaries()
    # Not tmp_path: pytest's temp root is private to us, and the server may run as another account.
    home = Path(tempfile.mkdtemp(prefix="postroom-pg-"))
    data, sock = home / "data", home / "sock"
    sock.mkdir()
    prefix = []
    if os.geteuid() == 0:  # initdb refuses root; run the server as the postgres account
        account = pwd.getpwnam("postgres")
        os.chmod(home, 0o755)
        for path in (home, sock):
            os.chown(path, account.pw_uid, account.pw_gid)
        prefix = ["runuser", "-u", "postgres", "--"]

    def run(*args):
        subprocess.run([*prefix, *args], check=True, capture_output=True, text=True)

    run(f"{bindir}/initdb", "-D", str(data), "-U", "postroom", "--auth=trust")
    run(
        f"{bindir}/pg_ctl",
        "-D",
        str(data),
        "-w",
        "-l",
        str(home / "log"),
        "-o",
        f"-c listen_addresses='' -c unix_socket_directories={sock}",
        "start",
    )
    try:
        run(f"{bindir}/createdb", "-h", str(sock), "-U", "postroom", "team")
        yield f"postgresql://postroom@/team?host={sock}"
    finally:
        store.close_database()
        run(f"{bindir}/pg_ctl", "-D", str(data), "-w", "-m", "fast", "stop")
        shutil.rmtree(home, ignore_errors=True)


@pytest.mark.postgres
def test_postgres_connects_creates_the_schema_and_runs_the_workflow(postgres_url, now):
    store.open_database(postgres_url)
    tables = {
        row[0]
        for row in database.execute_sql(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public'"
        )
    }
    assert {"post", "variant", "audit_event", "inbox_message", "metric_snapshot"} <= tables
    assert migrations.schema_version(database.obj) == migrations.latest_version()
    store.init_database("root", now, "UTC")
    root = store.actor_for("root")
    brand = store.create_brand(root, "Acme", now)
    channel = store.add_channel(root, brand.id, "x", "@acme", now)
    store.add_user(root, "rev", "reviewer", now, force=True)
    post = store.create_post(root, brand.id, "Hello", now, caption="Hi", channel_ids=[channel.id])
    store.move(root, post.id, "in_review", now)
    assert store.approve(store.actor_for("rev"), post.id, now).stage is store.Stage.APPROVED
    store.close_database()
    store.open_database(postgres_url)  # a second open finds the schema and leaves it be
    assert [p.title for p in store.list_posts(root)] == ["Hello"]
