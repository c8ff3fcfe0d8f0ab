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


@pytest.mark.postgres
def test_postgres_gives_the_same_metrics_as_sqlite(postgres_url, now):
    """The figures read rows raw from the driver (psycopg gives datetimes and booleans where
    sqlite3 gives text and integers): the same approval cycle, engagements, rate and slot."""
    from datetime import timedelta

    from store.db import writing
    from store.db.models import MetricSnapshot, Variant
    from store.metrics import content_figures, rollup, workflow_figures

    store.open_database(postgres_url)
    store.init_database("root", now, "UTC")
    root = store.actor_for("root")
    brand = store.create_brand(root, "Acme", now)
    channel = store.add_channel(root, brand.id, "instagram", "@acme", now)
    store.add_user(root, "rev", "reviewer", now, force=True)
    rev = store.actor_for("rev")
    t0 = now - timedelta(days=3)
    post = store.create_post(root, brand.id, "Hello", t0, caption="Hi", channel_ids=[channel.id])
    store.move(root, post.id, "in_review", t0)
    store.request_changes(rev, post.id, "Again", t0 + timedelta(hours=1))
    store.move(root, post.id, "in_review", t0 + timedelta(hours=2))
    store.approve(rev, post.id, t0 + timedelta(hours=3))
    sent_at = t0 + timedelta(days=1, hours=9)
    with writing():
        Variant.update(state="sent", sent_at=sent_at, remote_id="r1").where(
            Variant.post == post.id
        ).execute()
    variant = Variant.get(Variant.post == post.id).id
    values = {"impressions": 1000, "likes": 40, "comments": 10}
    with writing():
        MetricSnapshot.create(variant=variant, taken_at=sent_at + timedelta(hours=2), **values)
        rollup.note(variant, sent_at + timedelta(hours=2), values)
    start, end = now - timedelta(days=7), now + timedelta(days=1)
    work = workflow_figures(root, start, end)
    assert (work.approval_cycle.count, work.approval_cycle.median) == (1, 3.0)
    assert (work.revision_rate.hits, work.revision_rate.total) == (1, 1)
    content = content_figures(root, start, end)
    assert (content.total.posts, content.total.engagements) == (1, 50)
    assert content.total.rate == pytest.approx(0.05)
    assert content.top[0].sent_at == sent_at
    assert list(content.heatmap) == [(sent_at.weekday(), sent_at.hour)]  # the brand keeps UTC
    assert [g.name for g in content.link["revisions"] if g.posts] == ["changes requested"]
    from store.metrics import content_posts

    for dimension in ("channel", "tag", "campaign", "tier"):
        (group,) = [g for g in content.groups[dimension] if g.posts]
        (line,) = content_posts(root, start, end, dimension, group.name, limit=5)
        assert (line.post_id, line.engagements) == (post.id, 50)
        assert content_posts(root, start, end, dimension, group.name,
                             after=(line.engagements, line.variant_id)) == []  # fmt: skip
