"""`postroom inbox …` and `postroom saved-reply …` on the demo team: the queue, one message,
assignment, a reply with a saved reply, import with a bad line named, and the refusals."""

import json

from .seeded import db, in_process, refused, seeded  # noqa: F401

HEADER = "channel,remote_id,kind,author,body,received_at,in_reply_to\n"


def test_list_show_assign_reply_close(db, monkeypatch, capsys):  # noqa: F811
    run = in_process(monkeypatch, capsys, db=str(db))
    code, out, _ = run("root", "inbox", "list", "--json", "--limit", "5")
    assert code == 0
    rows = json.loads(out)
    assert len(rows) == 5 and all(r["status"] == "new" for r in rows)
    first = rows[0]["id"]
    code, out, _ = run("root", "inbox", "show", str(first))
    assert code == 0 and f"#{first}" in out
    code, out, _ = run("root", "inbox", "assign", str(first), "--to", "me")
    assert code == 0 and "now with root" in out
    code, out, _ = run("root", "inbox", "list", "--mine", "--json")
    assert first in [r["id"] for r in json.loads(out)]
    code, out, _ = run("root", "inbox", "reply", str(first), "--saved", "Thanks")
    assert code == 0 and "reply #" in out.lower()
    code, out, _ = run("root", "inbox", "show", str(first), "--json")
    detail = json.loads(out)
    assert detail["row"]["status"] == "pending"
    assert detail["replies"][-1]["body"].startswith("Thank you so much, ")
    code, out, _ = run("root", "inbox", "close", str(first))
    assert code == 0 and "1 message closed" in out
    assert "no saved reply called 'Nope'" in refused(
        run("root", "inbox", "reply", str(first), "--saved", "Nope")
    )


def test_import_names_the_bad_line_and_adds_nothing(db, monkeypatch, capsys, tmp_path):  # noqa: F811
    run = in_process(monkeypatch, capsys, db=str(db))
    lines = [
        f"instagram:@acmecoffee,csv-{i},comment,@fan{i},Hi {i},2026-11-20T10:00:00Z,\n"
        for i in range(8)
    ]
    lines[5] = "instagram:@acmecoffee,csv-5,comment,@fan5,Hi,20/11/2026,\n"
    path = tmp_path / "in.csv"
    path.write_text(HEADER + "".join(lines))
    code, out, err = run("root", "inbox", "import", str(path))
    assert code == 1 and out == ""
    assert "line 7, column received_at: '20/11/2026' is not a date and time" in err
    assert "nothing imported" in err
    path.write_text(HEADER + "".join(lines[:5]))
    code, out, _ = run("root", "inbox", "import", str(path), "--dry-run")
    assert code == 0 and "5 would be added" in out and "line 2: would add comment" in out
    code, out, _ = run("root", "inbox", "import", str(path))
    assert code == 0 and "5 added" in out
    code, out, _ = run("root", "inbox", "import", str(path))
    assert code == 0 and "0 added, 5 already in" in out


def test_saved_replies_and_sync_without_connected_channels(db, monkeypatch, capsys, tmp_path):  # noqa: F811
    monkeypatch.setenv("POSTROOM_CREDENTIALS", str(tmp_path / "creds.toml"))
    run = in_process(monkeypatch, capsys, db=str(db))
    code, out, _ = run("root", "saved-reply", "add", "Hours", "--text", "Open 8–6, {name}!")
    assert code == 0
    code, out, _ = run("root", "saved-reply", "list", "--json")
    assert {"title": "Hours", "body": "Open 8–6, {name}!"}.items() <= next(
        s for s in json.loads(out) if s["title"] == "Hours"
    ).items()
    assert "no channel reads an inbox" in refused(run("root", "inbox", "sync"))


def test_sla_label_rules_and_priority_from_the_command_line(db, monkeypatch, capsys):  # noqa: F811
    run = in_process(monkeypatch, capsys, db=str(db))
    code, out, _ = run("root", "brand", "sla", "acme-coffee")
    assert code == 0 and "first answer within 4 business hours (09:00–17:00" in out
    code, out, _ = run("root", "brand", "sla", "acme-coffee", "6", "--timezone", "Europe/Paris")
    assert code == 0 and "within 6 business hours (09:00–17:00 Europe/Paris)" in out
    assert "new messages have a new due time" in out
    assert "not between 1 and 80" in refused(run("root", "brand", "sla", "acme-coffee", "99"), 2)
    code, out, _ = run("root", "label-rule", "add", "wholesale", "--word", "wholesale")
    assert code == 0 and "labels new messages #wholesale" in out
    code, out, _ = run("root", "label-rule", "list", "--json")
    rules = json.loads(out)
    assert [r["label"] for r in rules][-1] == "wholesale"
    code, out, _ = run("root", "label-rule", "remove", str(rules[-1]["id"]))
    assert code == 0 and "removed; labels it gave stay" in out
    code, out, _ = run("root", "inbox", "list", "--json", "--limit", "2")
    ids = [str(r["id"]) for r in json.loads(out)]
    code, out, _ = run("root", "inbox", "priority", "3", *ids)
    assert code == 0 and "2 messages now urgent priority" in out
    code, out, _ = run("root", "inbox", "show", ids[0], "--json")
    assert json.loads(out)["row"]["priority"] == 3


def test_how_often_a_channels_inbox_is_pulled(db, monkeypatch, capsys):  # noqa: F811
    run = in_process(monkeypatch, capsys, db=str(db))
    code, out, _ = run("root", "channel", "inbox-every", "1")
    assert code == 0 and "the inbox is pulled every 5 minutes" in out
    code, out, _ = run("maya", "channel", "inbox-every", "1", "15")
    assert code == 0 and "every 15 minutes" in out
    assert "may not" in refused(run("priya", "channel", "inbox-every", "1", "1"))
    code, out, _ = run("root", "channel", "inbox-every", "1")
    assert "every 15 minutes" in out
