"""`inbox import`: CSV or JSONL, every bad line named with its line and column, the whole file
rejected for one bad line (nothing half-imported), a dry run that says what would be added, and
a second import that adds nothing."""

import json

import pytest

import store
from store.db.models import AuditEvent, InboxMessage

HEADER = "channel,remote_id,kind,author,body,received_at,in_reply_to\r\n"


def good_lines(n=8):
    return [
        f'@acme,ig-{i},comment,@fan{i},"Hello, ""friend"" {i} ☕",2026-11-20T10:{i:02d}:00+01:00,\r\n'
        for i in range(n)
    ]


def write(tmp_path, text, name="in.csv", bom=False):
    path = tmp_path / name
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + text.encode())
    return path


def test_a_csv_imports_after_a_dry_run_and_again_adds_nothing(team, tmp_path):
    path = write(tmp_path, HEADER + "".join(good_lines()), bom=True)
    ed = team.actor("ed")
    dry = store.inbox.import_messages(ed, path, team.now, dry_run=True)
    assert (dry.added, dry.known, dry.committed) == (8, 0, False)
    assert InboxMessage.select().count() == 0
    done = store.inbox.import_messages(ed, path, team.now)
    assert done.added == 8 and InboxMessage.select().count() == 8
    row = InboxMessage.get(InboxMessage.remote_id == "ig-3")
    assert row.body == 'Hello, "friend" 3 ☕' and row.received_at.hour == 9
    again = store.inbox.import_messages(ed, path, team.now)
    assert (again.added, again.known) == (0, 8)


def test_one_bad_line_rejects_the_whole_file_naming_line_and_column(team, tmp_path):
    lines = good_lines()
    lines[5] = "@acme,ig-5,comment,@fan5,Hi,yesterday-ish,\r\n"  # line 7 of the file
    path = write(tmp_path, HEADER + "".join(lines))
    audit_before = AuditEvent.select().count()
    with pytest.raises(store.FileRefused) as refused:
        store.inbox.import_messages(team.actor("ed"), path, team.now)
    assert refused.value.problems == [
        "line 7, column received_at: 'yesterday-ish' is not a date and time (ISO 8601)"
    ]
    assert InboxMessage.select().count() == 0 and AuditEvent.select().count() == audit_before
    assert store.verify_database().ok


def test_every_problem_is_listed(team, tmp_path):
    text = HEADER + (
        "@nope,1,comment,@a,Hi,2026-11-20T10:00:00Z,\r\n"
        "@acme,2,shout,@a,Hi,2026-11-20T10:00:00Z,\r\n"
        "@acme,3,comment,,Hi,2026-12-20T10:00:00Z,\r\n"
        "@acme,2,dm,@a,Hi,2026-11-20T10:00:00Z,\r\n"
    )
    with pytest.raises(store.FileRefused) as refused:
        store.inbox.import_messages(team.actor("ed"), write(tmp_path, text), team.now)
    assert refused.value.problems == [
        "line 2, column channel: no channel '@nope'",
        "line 3, column kind: 'shout' is not comment, mention or dm",
        "line 4, column author: empty",
        "line 4, column received_at: is in the future",
        "line 5, column remote_id: '2' appears twice for this channel",
    ]


def test_line_numbers_count_the_lines_inside_quoted_bodies(team, tmp_path):
    text = (
        HEADER
        + '@acme,1,comment,@a,"two\r\nlines",2026-11-20T10:00:00Z,\r\n@acme,2,comment,@a,Hi,never,\r\n'
    )
    with pytest.raises(store.FileRefused) as refused:
        store.inbox.import_messages(team.actor("ed"), write(tmp_path, text), team.now)
    assert refused.value.problems[0].startswith("line 4, column received_at")


def test_jsonl_and_times_without_an_offset_in_the_importers_zone(team, tmp_path):
    lines = [
        {
            "channel": "x:@acmecoffee",
            "remote_id": "t1",
            "kind": "mention",
            "author": "@a",
            "body": "Hi",
            "received_at": "2026-07-01T10:00:00",
        },
        {
            "channel": str(team.x),
            "remote_id": "t2",
            "kind": "dm",
            "author": "@b",
            "body": "Yo",
            "received_at": "2026-11-20T10:00:00Z",
            "in_reply_to": None,
        },
    ]
    path = write(tmp_path, "\n".join(json.dumps(line) for line in lines) + "\n", name="in.jsonl")
    assert store.inbox.import_messages(team.actor("ed"), path, team.now).added == 2
    # ed is in Europe/London: 10:00 in July is 09:00 UTC.
    assert InboxMessage.get(InboxMessage.remote_id == "t1").received_at.hour == 9


def test_a_file_in_another_encoding_is_refused_naming_the_byte(team, tmp_path):
    path = tmp_path / "latin.csv"
    path.write_bytes((HEADER + "@acme,1,comment,@a,caf").encode() + b"\xe9\r\n")
    with pytest.raises(store.FileRefused) as refused:
        store.inbox.import_messages(team.actor("ed"), path, team.now)
    assert refused.value.problems == [
        f"byte {len(HEADER) + len('@acme,1,comment,@a,caf')}: not UTF-8 (save the file as UTF-8 and try again)"
    ]


def test_a_missing_column_is_named(team, tmp_path):
    path = write(tmp_path, "channel,remote_id,kind\r\n@acme,1,dm\r\n")
    with pytest.raises(store.FileRefused) as refused:
        store.inbox.import_messages(team.actor("ed"), path, team.now)
    assert refused.value.problems == ["line 1: missing column author, body, received_at"]
