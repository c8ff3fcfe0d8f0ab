"""`postroom report`: the workflow figures as Markdown and JSON, the same numbers in both, the
previous period beside them, and a period that is not one refused."""

import json

from .seeded import db, in_process, refused, seeded  # noqa: F401


def test_markdown_and_json_say_the_same(db, monkeypatch, capsys, tmp_path):  # noqa: F811
    run = in_process(monkeypatch, capsys, db=str(db))
    code, out, _ = run("root", "report", "--format", "json", "--compare")
    assert code == 0
    figures = json.loads(out)
    now, before = figures["period"], figures["previous"]
    assert now["approval_cycle"]["count"] > 0 and before["approval_cycle"]["count"] > 0
    assert now["bottleneck"] in ("draft", "in_review", "changes_requested", "approved")
    code, out, _ = run("root", "report", "--compare")
    assert code == 0 and out.startswith("## Workflow — all brands, ")
    cycle = now["approval_cycle"]
    row = next(line for line in out.splitlines() if line.startswith("| Approval cycle"))
    assert f"· {cycle['count']} |" in row and "median" in row and "p90" in row
    shares = now["revision_rate"]
    row = next(line for line in out.splitlines() if line.startswith("| Revision rate"))
    assert f"({shares['hits']} of {shares['total']})" in row
    assert f"| {now['bottleneck'].replace('_', ' ')} ← bottleneck |" in out
    code, out, _ = run("root", "report", "--out", str(tmp_path / "week.md"), "--period", "7d")
    assert code == 0 and (tmp_path / "week.md").read_text().startswith("## Workflow")


def test_filters_and_refusals(db, monkeypatch, capsys):  # noqa: F811
    run = in_process(monkeypatch, capsys, db=str(db))
    code, out, _ = run("root", "report", "--format", "json", "--owner", "nobody-here")
    assert code == 0 and json.loads(out)["period"]["approval_cycle"]["count"] == 0
    assert "not a period like 7d" in refused(run("root", "report", "--period", "month"), 2)
    assert "may not" in refused(run("acme-client", "report"))


def test_metrics_post_channels_and_refresh(db, monkeypatch, capsys):  # noqa: F811
    run = in_process(monkeypatch, capsys, db=str(db))
    code, out, _ = run("root", "metrics", "channels", "--json")
    totals = json.loads(out)
    assert code == 0 and totals and all(t["posts"] > 0 for t in totals.values())
    code, out, _ = run("root", "post", "list", "--json", "--stage", "published", "--limit", "1")
    post = json.loads(out)[0]["id"]
    code, out, _ = run("root", "metrics", "post", str(post), "--json")
    rows = json.loads(out)
    assert code == 0 and rows
    counts = rows[0]["values"]
    keys = ("likes", "comments", "shares", "saves", "clicks")
    code, out, _ = run("root", "metrics", "post", str(post))
    assert "ENGAGEMENTS" in out and str(sum(counts[k] or 0 for k in keys)) in out
    code, out, _ = run("root", "metrics", "refresh")
    assert code == 0 and out.startswith("0 posts read")  # no channel here can be read back
