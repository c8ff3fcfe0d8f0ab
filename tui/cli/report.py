"""`postroom report`: the team's workflow and content figures over a period, as Markdown (to paste
in a chat), CSV (a spreadsheet), JSON (for scripts) or one self-contained HTML file with inline
SVG charts (to open in a browser or print), with the previous period beside them on request.
Every format carries the same numbers."""

from __future__ import annotations

import argparse
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import store

from .args import command, group, row_id
from .context import Context
from .output import print_json, print_table, say

#: A period ends at the instant before `end`: a date range ending at midnight names its last day.
_INSTANT = timedelta(microseconds=1)


def period(text: str) -> str:
    """`30d` (the 30 days up to now) or `2026-10-01..2026-10-31` (whole days in your timezone):
    checked here, read with the clock and timezone once the database is open."""
    try:
        store.metrics.parse_period(text, datetime.now(UTC), "UTC")
    except store.metrics.PeriodError as error:
        raise argparse.ArgumentTypeError(str(error)) from None
    return text


def register(commands, common) -> None:
    p = command(
        commands,
        common,
        "report",
        help="how the team worked and what its content did over a period",
        description="The workflow figures of the last --period (30d by default), from the "
        "team's own stage events, reviews, deliveries and replies: creation time, approval "
        "cycle, review rounds, where posts wait, on-time rates, revision rate, first response "
        "and cadence, as median and p90 with their counts; and the content figures of the posts "
        "sent in it (lifetime: their latest counters): engagements and rate by channel, "
        "platform, campaign, pillar, tag, tier and owner, top and bottom posts, the best "
        "weekday and hour per channel, and the rate by how posts went through review.",
        handler=cmd_report,
    )
    p.add_argument(
        "--period",
        type=period,
        default="30d",
        help="7d, 30d (the default), 90d … up to 366d, or FIRST..LAST as dates (2026-10-01..2026-10-31)",
    )
    p.add_argument("--brand")
    p.add_argument("--owner", help="only posts owned by this login")
    p.add_argument("--tier", choices=[t.value for t in store.Tier])
    p.add_argument(
        "--channel", help="only posts to this channel (id, handle or platform; --brand picks one)"
    )
    p.add_argument("--format", choices=["md", "csv", "json", "html"], default="md")
    p.add_argument("--compare", action="store_true", help="the previous period beside it")
    p.add_argument("--out", type=Path, help="write to this file instead of the terminal")
    sub = group(
        commands,
        common,
        "metrics",
        help="what published posts did: counters read back from the platforms",
        description="Likes, comments and shares read back from the platforms Postroom posts "
        "to (Mastodon and Bluesky), kept as snapshots: hourly for 2 days after a post goes out, "
        "daily to day 30 (the scheduler does it; `channel counters-every` changes it per "
        "channel). What a platform does not count is shown as a dash, "
        "never a zero.",
        actions="refresh|post|channels|import",
    )
    p = command(
        sub,
        common,
        "refresh",
        help="read the counters now (one post's, or every due one)",
        description="Read the counters of every sent post that is due a read, or of one post's "
        "deliveries now with --post.",
        handler=cmd_metrics_refresh,
    )
    p.add_argument("--post", type=row_id)
    p = command(
        sub,
        common,
        "post",
        help="one post's latest counters, per delivery",
        description="The latest counters of each of a post's deliveries, with when they were "
        "read and the engagements (likes + comments + shares + saves + clicks).",
        handler=cmd_metrics_post,
    )
    p.add_argument("id", type=row_id)
    p.add_argument("--json", action="store_true")
    p = command(
        sub,
        common,
        "channels",
        help="each channel's totals of its posts' latest counters",
        description="Per channel, the sum of its posts' latest counters and how many posts "
        "stand behind it.",
        handler=cmd_metrics_channels,
    )
    p.add_argument("--brand")
    p.add_argument("--json", action="store_true")
    p = command(
        sub,
        common,
        "import",
        help="counters from a platform's analytics export (CSV)",
        description="Counters from an analytics export, as CSV with a header: remote (the "
        "post's link or id), taken_at (ISO 8601), and any of impressions, reach, likes, "
        "comments, shares, saves, clicks, video_views. Unknown columns are listed and left out; "
        "one bad line rejects the whole file, naming its line and column.",
        handler=cmd_metrics_import,
    )
    p.add_argument("file", type=Path)
    p.add_argument("--dry-run", action="store_true", help="say what would be kept, keep nothing")


def cmd_metrics_import(args, ctx: Context) -> int:
    from .output import fail

    ctx.open()
    try:
        result = store.metrics.import_metrics(ctx.actor, args.file, ctx.now, dry_run=args.dry_run)
    except store.FileRefused as refused:
        for problem in refused.problems:
            print(f"{args.file}: {problem}", file=sys.stderr)
        return fail(str(refused))
    if result.unknown_columns:
        say(f"left out the columns it does not know: {', '.join(result.unknown_columns)}")
    verb = "would keep" if args.dry_run else "kept"
    tail = "; nothing written" if args.dry_run else ""
    say(f"{verb} {result.added} snapshots, {result.known} already in{tail}")
    return 0


def cmd_report(args, ctx: Context) -> int:
    ctx.open()
    channel = None
    if args.channel:
        from .publishing import _find_channel

        channel = _find_channel(args, ctx)
    where = store.metrics.WorkflowFilter(
        brand_id=ctx.brand_id(args.brand) if args.brand else None,
        owner=args.owner,
        tier=args.tier,
        channel_id=channel.id if channel else None,
    )
    chosen = store.metrics.parse_period(args.period, ctx.now, ctx.timezone)
    start, end = chosen.start, chosen.end
    now = store.metrics.workflow_figures(ctx.actor, start, end, where)
    content = store.metrics.content_figures(ctx.actor, start, end, where)
    before = content_before = None
    if args.compare:
        earlier = chosen.shifted(1, ctx.timezone)
        before = store.metrics.workflow_figures(ctx.actor, earlier.start, earlier.end, where)
        content_before = store.metrics.content_figures(ctx.actor, earlier.start, earlier.end, where)
    brand = args.brand or "all brands"
    if channel:
        brand += f" · {channel.platform.value} {channel.handle}"
    if args.format == "json":
        text = json_text(
            {
                "period": now,
                "previous": before,
                "content": content_plain(content),
                "content_previous": content_plain(content_before) if content_before else None,
            }
        )
    elif args.format == "csv":
        text = csv_text(now, before, content, content_before)
    elif args.format == "html":
        from .report_html import html_report

        text = html_report(now, before, content, content_before, brand, ctx.timezone)
    else:
        text = markdown(now, before, brand, ctx) + content_markdown(content, content_before, ctx)
    if args.out:
        args.out.write_text(text, encoding="utf-8")
        say(f"report written to {args.out}")
    else:
        sys.stdout.write(text)
    return 0


def json_text(value) -> str:
    import json

    from .output import _JSON_ESCAPES, to_plain

    return json.dumps(to_plain(value), indent=2, ensure_ascii=False).translate(_JSON_ESCAPES) + "\n"


def group_plain(g) -> dict:
    return {
        "name": g.name,
        "posts": g.posts,
        "engagements": g.engagements,
        "rated": g.rated,
        "on_reach": g.by_reach,
        "rate": g.rate,
        "median_rate": g.median_rate,
    }


def content_plain(c) -> dict:
    """The content figures as plain data (what the JSON, CSV and HTML reports carry)."""
    return {
        "start": c.start,
        "end": c.end,
        "definitions": store.metrics.rollup.__doc__.split("Definitions")[1].strip(),
        "total": group_plain(c.total),
        "ranked_by": c.ranked_by,
        "top": c.top,
        "bottom": c.bottom,
        "groups": {d: [group_plain(g) for g in gs] for d, gs in c.groups.items()},
        "weeks": [group_plain(w) for w in c.weeks],
        "heatmap": [
            {
                "weekday": cell.weekday,
                "hour": cell.hour,
                "median_rate": cell.median,
                "posts": cell.posts,
            }
            for _, cell in sorted(c.heatmap.items())
        ],
        "best_slots": {
            channel: [
                {"weekday": s.weekday, "hour": s.hour, "median_rate": s.median, "posts": s.posts}
                for s in slots
            ]
            for channel, slots in sorted(c.best.items())
        },
        "link": {by: [group_plain(g) for g in gs] for by, gs in c.link.items()},
    }


def csv_text(now, before, content, content_before) -> str:
    """One long table: section, name, measure, this period, previous."""
    import csv
    import io

    out = io.StringIO()
    w = csv.writer(out, lineterminator="\n")
    w.writerow(["section", "name", "measure", "value", "previous"])

    def spread_rows(section, name, pick):
        for measure in ("median", "p90", "count"):
            w.writerow([section, name, measure + ("_hours" if measure != "count" else ""),
                        getattr(pick(now), measure),
                        getattr(pick(before), measure) if before else ""])  # fmt: skip

    def share_rows(section, name, pick):
        for measure in ("hits", "total"):
            w.writerow([section, name, measure, getattr(pick(now), measure),
                        getattr(pick(before), measure) if before else ""])  # fmt: skip

    spread_rows("workflow", "creation time", lambda f: f.creation)
    spread_rows("workflow", "approval cycle", lambda f: f.approval_cycle)
    spread_rows("workflow", "review round", lambda f: f.review_round)
    share_rows("workflow", "reviews on time", lambda f: f.review_on_time)
    share_rows("workflow", "revision rate", lambda f: f.revision_rate)
    share_rows("workflow", "published on time", lambda f: f.publish_on_time)
    spread_rows("workflow", "inbox first response", lambda f: f.first_response)
    share_rows("workflow", "inside the SLA", lambda f: f.inside_sla)
    w.writerow(["workflow", "deliveries", "failed", now.failed, before.failed if before else ""])
    w.writerow(["workflow", "deliveries", "unconfirmed", now.unconfirmed,
                before.unconfirmed if before else ""])  # fmt: skip
    for stage in now.stage_time:
        spread_rows("time in stage", stage, lambda f, s=stage: f.stage_time[s])
    w.writerow(["time in stage", "bottleneck", "stage", now.bottleneck or "",
                (before.bottleneck or "") if before else ""])  # fmt: skip
    for c in now.cadence:
        w.writerow(["cadence", c.channel, "weeks_missed", c.weeks_missed, ""])
        w.writerow(["cadence", c.channel, "published", c.published, ""])
    previous = content_plain(content_before) if content_before else None
    plain = content_plain(content)
    measures = ("posts", "engagements", "rated", "on_reach", "rate", "median_rate")

    def group_rows(section, groups, earlier):
        earlier = {g["name"]: g for g in earlier or []}
        for g in groups:
            for m in measures:
                old = earlier.get(g["name"], {}).get(m, "") if previous else ""
                w.writerow([section, g["name"], m, g[m], "" if old is None else old])

    group_rows("content", [plain["total"]], [previous["total"]] if previous else None)
    for d, groups in plain["groups"].items():
        group_rows(f"content by {d}", groups, previous["groups"][d] if previous else None)
    for by, groups in plain["link"].items():
        group_rows(f"link by {by}", groups, None)
    for cell in plain["heatmap"]:
        name = f"{store.metrics.content.WEEKDAYS[cell['weekday']]} {cell['hour']:02d}:00"
        w.writerow(["heatmap", name, "median_rate", cell["median_rate"], ""])
        w.writerow(["heatmap", name, "posts", cell["posts"], ""])
    return out.getvalue()


def content_markdown(c, before, ctx: Context) -> str:
    zone = ZoneInfo(ctx.timezone)
    pct = lambda v: "—" if v is None else f"{v:.1%}"  # noqa: E731

    def rate(g) -> str:
        if g.rate is None:
            return "— (no rate)"
        reach = f", {g.by_reach} on reach" if g.by_reach else ""
        return f"{g.rate:.1%} ({g.rated} rated{reach})"

    t = c.total
    lines = ["## Content — posts sent in the period, their latest counters", ""]
    lines.append(f"**{t.posts} posts · {t.engagements:,} engagements · rate {rate(t)}**")
    if before:
        b = before.total
        lines.append(f"Previous period: {b.posts} posts · {b.engagements:,} · {rate(b)}")
    lines += ["", "| Channel | Posts | Engagements | Rate |", "|---|---|---|---|"]
    for g in c.groups["channel"]:
        lines.append(f"| {g.name} | {g.posts} | {g.engagements:,} | {rate(g)} |")
    for dimension in ("campaign", "pillar", "tag"):
        groups = c.groups[dimension][:5]
        if groups:
            lines += ["", f"**By {dimension}** (top 5 by engagements)", ""]
            lines += [f"| {dimension.title()} | Posts | Engagements | Rate |", "|---|---|---|---|"]
            for g in groups:
                lines.append(f"| {g.name} | {g.posts} | {g.engagements:,} | {rate(g)} |")
    lines += ["", f"**Top posts** (by {c.ranked_by})", ""]
    for line in c.top:
        lines.append(
            f"- #{line.post_id} {line.title} — {line.channel}, "
            f"{line.sent_at.astimezone(zone):%d %b}: {line.engagements:,} engagements"
            + ("" if line.rate is None else f", {line.rate:.1%}")
        )
    slots = [(ch, s) for ch, ss in sorted(c.best.items()) for s in ss[:1]]
    if slots:
        lines += ["", "**Best time to post** (median rate per post, 3 posts or more)", ""]
        for channel, s in slots:
            day = store.metrics.content.WEEKDAYS[s.weekday]
            lines.append(f"- {channel}: {day} {s.hour:02d}:00 — {pct(s.median)} ({s.posts} posts)")
    lines += ["", "**Does review time pay?** (median rate per post)", ""]
    lines += ["| By | Posts went | Posts | Median rate |", "|---|---|---|---|"]
    for by, groups in c.link.items():
        for i, g in enumerate(groups):
            lines.append(
                f"| {by if i == 0 else ''} | {g.name} | {g.posts} | {pct(g.median_rate)} |"
            )
    lines += [
        "",
        "Engagements = likes + comments + shares + saves + clicks. Rate = engagements ÷ "
        "impressions, or ÷ reach where there are none; none where the platform gives neither "
        "(Mastodon).",
        "",
    ]
    return "\n".join(lines)


def hours(value: float | None) -> str:
    if value is None:
        return "—"
    if value < 1:
        return f"{round(value * 60)} min"
    if value < 48:
        return f"{value:.1f} h"
    return f"{value / 24:.1f} d"


def spread(s, unit=hours) -> str:
    if not s.count:
        return "— (none)"
    return f"{unit(s.median)} median · {unit(s.p90)} p90 · {s.count}"


def share(s) -> str:
    if not s.total:
        return "— (none)"
    return f"{s.rate:.0%} ({s.hits} of {s.total})"


def number(value: float | None) -> str:
    return "—" if value is None else f"{value:g}"


def markdown(now, before, brand: str, ctx: Context) -> str:
    zone = ZoneInfo(ctx.timezone)
    span = f"{now.start.astimezone(zone):%a %d %b %Y} – {(now.end - _INSTANT).astimezone(zone):%a %d %b %Y}"
    lines = [f"## Workflow — {brand}, {span}", ""]
    head = "| Figure | This period |" + (" Previous |" if before else "")
    lines += [head, "|---|---|" + ("---|" if before else "")]

    def row(name: str, show, pick) -> None:
        cells = [show(pick(now))] + ([show(pick(before))] if before else [])
        lines.append(f"| {name} | " + " | ".join(cells) + " |")

    row("Creation time (draft → submitted)", spread, lambda f: f.creation)
    row("Approval cycle (submitted → approved)", spread, lambda f: f.approval_cycle)
    row("Review round (submitted → decided)", spread, lambda f: f.review_round)
    row("Reviews decided on time", share, lambda f: f.review_on_time)
    row("Revision rate (sent back at least once)", share, lambda f: f.revision_rate)
    row("Rounds per approved post", lambda s: spread(s, number), lambda f: f.rounds_per_post)
    row("Published on time (within 5 min)", share, lambda f: f.publish_on_time)
    row("Failed / unconfirmed deliveries", str, lambda f: f"{f.failed} / {f.unconfirmed}")
    row("Inbox first response", spread, lambda f: f.first_response)
    row("Answered inside the SLA", share, lambda f: f.inside_sla)
    lines += ["", "**Where posts wait** (time in each working stage)", ""]
    lines += ["| Stage | Stay |", "|---|---|"]
    for stage, s in now.stage_time.items():
        mark = " ← bottleneck" if stage == now.bottleneck else ""
        lines.append(f"| {store.Stage(stage).label}{mark} | {spread(s)} |")
    if now.cadence:
        lines += ["", "**Cadence** (full weeks of the period)", ""]
        lines += ["| Channel | Planned / week | Published | Weeks missed |", "|---|---|---|---|"]
        for c in now.cadence:
            lines.append(
                f"| {c.channel} | {c.planned_per_week} | {c.published} | "
                f"{c.weeks_missed} of {c.weeks} |"
            )
    lines += [
        "",
        "Median and p90 (nearest rank) with how many stand behind them; each figure counts "
        "what ended in the period.",
        "",
        "",
    ]
    return "\n".join(lines)


def _count(value) -> str:
    return "—" if value is None else str(value)


def cmd_metrics_refresh(args, ctx: Context) -> int:
    ctx.open()
    report = store.metrics.refresh(ctx.actor, ctx.now, post_id=args.post)
    say(f"{report.read} posts read" + (f", {report.skipped} not due yet" if report.skipped else ""))
    for name, reason in report.failed.items():
        say(f"could not read {name}: {reason}")
    return 1 if report.failed and not report.read else 0


def cmd_metrics_post(args, ctx: Context) -> int:
    ctx.open()
    rows = store.metrics.latest_counters(ctx.actor, args.id)
    if args.json:
        print_json(rows)
        return 0
    if not rows:
        say(f"#{args.id} has no counters yet (postroom metrics refresh --post {args.id})")
        return 0
    keys = ("impressions", "reach", "likes", "comments", "shares", "saves", "clicks")
    print_table(
        ["CHANNEL", "READ", *[k.upper() for k in keys], "ENGAGEMENTS"],
        [
            [
                r.channel,
                f"{r.taken_at.astimezone(ZoneInfo(ctx.timezone)):%Y-%m-%d %H:%M}",
                *[_count(r.values[k]) for k in keys],
                str(r.engagements),
            ]
            for r in rows
        ],
    )
    return 0


def cmd_metrics_channels(args, ctx: Context) -> int:
    ctx.open()
    totals = store.metrics.channel_totals(
        ctx.actor, ctx.brand_id(args.brand) if args.brand else None
    )
    if args.json:
        print_json({name: dict(t) for name, t in totals.items()})
        return 0
    keys = ("likes", "comments", "shares", "saves", "clicks", "impressions")
    print_table(
        ["CHANNEL", "POSTS", *[k.upper() for k in keys]],
        [
            [name, str(t["posts"]), *[_count(t[k]) if k in t else "—" for k in keys]]
            for name, t in sorted(totals.items())
        ],
    )
    return 0
