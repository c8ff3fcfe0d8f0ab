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
    assert "not a period: write a number of days" in refused(
        run("root", "report", "--period", "month"), 2
    )
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


def _sent(run) -> list[dict]:
    _, out, _ = run("root", "delivery", "list", "--json")
    return [d for d in json.loads(out) if d["state"] == "sent" and d.get("remote_url")]


def test_a_bad_line_rejects_the_export(db, monkeypatch, capsys, tmp_path):  # noqa: F811
    run = in_process(monkeypatch, capsys, db=str(db))
    first, second = _sent(run)[:2]
    good = [
        f"{first['remote_url']},2026-11-20T10:00:00Z,1200,80,,3",
        f"{second['remote_url']},2026-11-20T10:00:00Z,900,40,7,",
    ]
    header = "remote_url,taken_at,impressions,likes,shares,mood\n"
    bad = tmp_path / "bad.csv"
    bad.write_text(
        header
        + "\n".join([good[0], "https://nowhere.example/p/1,2026-11-20,1,1,1,", good[1]])
        + "\n"
    )
    code, out, err = run("root", "metrics", "import", str(bad))
    assert code == 1 and out == ""
    assert (
        "line 3, column remote_url: no sent post has the link or id 'https://nowhere.example/p/1'"
        in err
    )
    assert "1 problem, nothing imported" in err
    ok = tmp_path / "ok.csv"
    ok.write_text(header + "\n".join(good) + "\n")
    code, out, _ = run("root", "metrics", "import", str(ok), "--dry-run")
    assert code == 0 and "Would keep 2 snapshots" in out and "mood" in out
    code, out, _ = run("root", "metrics", "import", str(ok))
    assert code == 0 and "Left out the columns it does not know: mood" in out
    assert "Kept 2 snapshots, 0 already in" in out
    code, out, _ = run("root", "metrics", "import", str(ok))
    assert "Kept 0 snapshots, 2 already in" in out
    code, out, _ = run("root", "metrics", "post", str(first["post_id"]), "--json")
    row = next(r for r in json.loads(out) if r["variant_id"] == first["id"])
    assert row["values"]["impressions"] == 1200 and row["values"]["likes"] == 80
    assert row["taken_at"].startswith("2026-11-20T10:00")


def test_bad_numbers_and_dates_are_named(db, monkeypatch, capsys, tmp_path):  # noqa: F811
    run = in_process(monkeypatch, capsys, db=str(db))
    (first, *_) = _sent(run)
    path = tmp_path / "x.csv"
    path.write_text(
        "url,taken_at,likes\n"
        f"{first['remote_url']},yesterday,3\n"
        f"{first['remote_url']},2026-11-20T10:00:00Z,lots\n"
    )
    code, _, err = run("root", "metrics", "import", str(path))
    assert code == 1
    assert "line 2, column taken_at: 'yesterday' is not a date and time" in err
    assert "line 3, column likes: 'lots' is not a whole number" in err


def test_content_figures_in_every_format_say_the_same(db, monkeypatch, capsys, tmp_path):  # noqa: F811
    import csv
    import io
    import re

    run = in_process(monkeypatch, capsys, db=str(db))
    code, out, _ = run("root", "report", "--format", "json", "--compare")
    assert code == 0
    report = json.loads(out)
    content, previous = report["content"], report["content_previous"]
    total = content["total"]
    assert total["posts"] > 0 and total["engagements"] > 0 and previous["total"]["posts"] > 0
    assert sum(g["posts"] for g in content["groups"]["channel"]) == total["posts"]
    assert sum(c["posts"] for c in content["heatmap"]) == total["rated"]
    assert "engagements ÷ impressions" in content["definitions"]
    # Markdown: the same totals and channels.
    code, out, _ = run("root", "report", "--compare")
    assert f"**{total['posts']} posts · {total['engagements']:,} engagements" in out
    for g in content["groups"]["channel"]:
        assert f"| {g['name']} | {g['posts']} | {g['engagements']:,} |" in out
    # CSV: one long table with the previous period beside.
    code, out, _ = run("root", "report", "--format", "csv", "--compare")
    rows = {(r["section"], r["name"], r["measure"]): r for r in csv.DictReader(io.StringIO(out))}
    row = rows[("content", "all posts", "engagements")]
    assert int(row["value"]) == total["engagements"]
    assert int(row["previous"]) == previous["total"]["engagements"]
    cycle = report["period"]["approval_cycle"]
    assert int(rows[("workflow", "approval cycle", "count")]["value"]) == cycle["count"]
    # HTML: one self-contained file, the same numbers, a heatmap cell per cell with posts.
    code, _, _ = run(
        "root", "report", "--format", "html", "--compare", "--out", str(tmp_path / "r.html")
    )
    page = (tmp_path / "r.html").read_text()
    assert code == 0 and page.startswith("<!doctype html>") and "<script" not in page
    assert "src=" not in page and "href=" not in page  # nothing fetched
    assert f"{total['posts']} posts · {total['engagements']:,} engagements" in page
    assert f"· {cycle['count']}</td>" in page
    cells = re.findall(r"<title>(\w{3}) (\d\d):00 — [\d.]+% median of (\d+) posts</title>", page)
    assert len(cells) == len(content["heatmap"])
    assert sum(int(n) for *_, n in cells) == total["rated"]
    for g in content["groups"]["campaign"]:
        assert f"<td class=n>{g['engagements']:,}</td>" in page


def test_html_escapes_what_people_wrote():
    from datetime import UTC, datetime

    from store.metrics.content import ContentFigures, Group, PostLine
    from store.metrics.workflow import Share, Spread, WorkflowFigures
    from tui.cli.report_html import html_report

    moment = datetime(2026, 11, 23, tzinfo=UTC)
    none = Spread(0, None, None)
    flow = WorkflowFigures(moment, moment, none, none, none, {}, None, Share(0, 0), Share(0, 0),
                           none, Share(0, 0), 0, 0, none, Share(0, 0))  # fmt: skip
    bad = "<script>alert(1)</script>"
    group = Group(bad, posts=1, engagements=3)
    line = PostLine(1, 1, bad, bad, moment, 3, None, None, None)
    content = ContentFigures(moment, moment, group, "engagements", (line,), (), {
        d: [group] for d in ("channel", "platform", "campaign", "pillar", "tag", "tier", "owner")
    }, (), {}, {}, {"tier": [group]})  # fmt: skip
    page = html_report(flow, None, content, None, bad, "UTC")
    assert "<script" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_a_period_of_dates_is_whole_days_in_your_timezone(db, monkeypatch, capsys):  # noqa: F811
    from datetime import datetime
    from zoneinfo import ZoneInfo

    import store

    run = in_process(monkeypatch, capsys, db=str(db))
    code, out, _ = run(
        "root", "report", "--period", "2026-10-01..2026-10-31", "--format", "json", "--compare"
    )
    assert code == 0
    report = json.loads(out)
    store.open_database(str(db))
    zone = ZoneInfo(store.actor_for("root").user.timezone)
    store.close_database()
    start, end = (datetime.fromisoformat(report["content"][k]) for k in ("start", "end"))
    assert start.astimezone(zone).replace(tzinfo=None) == datetime(2026, 10, 1)
    assert end.astimezone(zone).replace(tzinfo=None) == datetime(2026, 11, 1)
    before = report["content_previous"]
    assert datetime.fromisoformat(before["end"]) == start
    assert datetime.fromisoformat(before["start"]).astimezone(zone).replace(
        tzinfo=None
    ) == datetime(2026, 8, 31)
    code, out, _ = run("root", "report", "--period", "2026-10-01..2026-10-31")
    assert code == 0 and "Thu 01 Oct 2026 – Sat 31 Oct 2026" in out
    assert "the last day, 2026-09-01, is before the first" in refused(
        run("root", "report", "--period", "2026-10-01..2026-09-01"), 2
    )


def test_how_long_a_channels_counters_are_read(db, monkeypatch, capsys):  # noqa: F811
    run = in_process(monkeypatch, capsys, db=str(db))
    code, out, _ = run("root", "channel", "counters-every", "1")
    assert code == 0 and "read hourly for 2 days, then daily until day 30, then no more" in out
    code, out, _ = run("root", "channel", "counters-every", "1", "--daily-until", "14")
    assert code == 0 and "hourly for 2 days, then daily until day 14" in out
    code, out, _ = run("root", "channel", "counters-every", "1", "--hourly-for", "0")
    assert code == 0 and "counters are read daily until day 14, then no more" in out
    code, out, _ = run(
        "root", "channel", "counters-every", "1", "--hourly-for", "0", "--daily-until", "0"
    )
    assert code == 0 and "counters are not read back" in out
    assert "may not" in refused(run("maya", "channel", "counters-every", "1", "--hourly-for", "1"))
    assert "end after the hourly ones" in refused(
        run("root", "channel", "counters-every", "1", "--hourly-for", "9", "--daily-until", "3")
    )
    assert "between 0 and 366" in refused(
        run("root", "channel", "counters-every", "1", "--daily-until", "400"), 2
    )


def test_one_channels_report(db, monkeypatch, capsys):  # noqa: F811
    run = in_process(monkeypatch, capsys, db=str(db))
    code, out, _ = run("root", "report", "--format", "json")
    everything = json.loads(out)["content"]
    group = next(g for g in everything["groups"]["channel"] if g["name"].startswith("tiktok"))
    code, out, _ = run(
        "root", "report", "--format", "json", "--channel", "tiktok", "--brand", "acme-coffee"
    )
    assert code == 0
    one = json.loads(out)
    total = one["content"]["total"]
    assert (total["posts"], total["engagements"]) == (group["posts"], group["engagements"])
    assert [g["name"] for g in one["content"]["groups"]["channel"]] == [group["name"]]
    assert (
        one["period"]["publish_on_time"]["total"]
        < json.loads(run("root", "report", "--format", "json")[1])["period"]["publish_on_time"][
            "total"
        ]
    )
    code, out, _ = run("root", "report", "--channel", "tiktok", "--brand", "acme-coffee")
    assert out.startswith(f"## Workflow — acme-coffee · {group['name']}")
    assert "say which brand with --brand" in refused(run("root", "report", "--channel", "tiktok"))
    refusal = refused(run("root", "report", "--channel", "myspace", "--brand", "acme-coffee"))
    assert "myspace" in refusal
