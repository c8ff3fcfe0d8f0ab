"""No lost updates: compare-and-swap on `version`, across threads of one process and across processes."""

import subprocess
import sys
import textwrap

import pytest

import store


def test_saving_over_a_newer_version_names_who_changed_it_and_when(team):
    post = team.draft()
    pid, seen = post.id, post.version
    store.edit_post(team.actor("ed2"), pid, team.now, caption="ed2 got there first")
    with pytest.raises(store.Conflict) as conflict:
        store.edit_post(team.actor("ed"), pid, team.now, caption="mine", expected_version=seen)
    message = str(conflict.value)
    assert "changed by ed2 at 2026-11-23 10:00 UTC" in message
    assert "you had version 1, it is now 2" in message
    assert conflict.value.changed_by == "ed2"
    assert conflict.value.current_version == 2
    assert store.post_detail(team.actor("ed"), pid).caption == "ed2 got there first"


def test_a_refused_save_writes_nothing(team):
    post = team.draft()
    pid = post.id
    store.edit_post(team.actor("ed2"), pid, team.now, caption="first")
    audit_before = store.verify_database().audit_rows
    with pytest.raises(store.Conflict):
        store.edit_post(team.actor("ed"), pid, team.now, caption="second", expected_version=1)
    detail = store.post_detail(team.actor("ed"), pid)
    assert detail.summary.revision == 2
    assert len(detail.revisions) == 2
    assert store.verify_database().audit_rows == audit_before


WORKER = textwrap.dedent(
    """
    import sys
    from datetime import UTC, datetime
    import store

    path, post_id, tag, edits = sys.argv[1], int(sys.argv[2]), sys.argv[3], int(sys.argv[4])
    store.open_database(path)
    actor = store.actor_for("ed")
    conflicts = 0
    for i in range(edits):
        while True:
            version = store.post_detail(actor, post_id).summary.version
            try:
                store.edit_post(actor, post_id, datetime.now(UTC), caption=f"{tag} {i}",
                                expected_version=version)
                break
            except store.Conflict:
                conflicts += 1
    print(conflicts)
    """
)


def test_two_processes_making_500_edits_each_lose_none(team):
    pid = team.draft().id
    store.close_database()
    workers = [
        subprocess.Popen(
            [sys.executable, "-c", WORKER, team.path, str(pid), tag, "500"],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for tag in ("left", "right")
    ]
    results = [worker.communicate(timeout=300) for worker in workers]
    for worker, (_, err) in zip(workers, results, strict=True):
        assert worker.returncode == 0, err
        assert "locked" not in err
    store.open_database(team.path)
    detail = store.post_detail(team.actor("ed"), pid)
    assert detail.summary.version == 1001
    assert detail.summary.revision == 1001
    assert len(detail.revisions) == 1001
    assert store.verify_database().ok
