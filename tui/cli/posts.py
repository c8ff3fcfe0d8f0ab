"""CLI commands that mirror the workflow: post add/list/show/edit/submit/approve/… and calendar notes."""

from __future__ import annotations

import argparse
import sys
from datetime import datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import store
from store.when import parse_day, parse_when

from .context import Context
from .output import local, print_json, print_table


def register(commands: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    """Add `post …` and `note …` to the parser."""
    post = commands.add_parser("post", parents=[common], help="create, review and move posts")
    sub = post.add_subparsers(
        dest="action",
        required=True,
        metavar="add|list|show|edit|submit|approve|request-changes|comment|move",
    )

    p = sub.add_parser("add", parents=[common], help="create a draft (or --idea)")
    p.add_argument("--brand")
    p.add_argument("--title", required=True)
    _content_options(p)
    p.add_argument("--idea", action="store_true", help="start as an idea, not a draft")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=cmd_add)

    p = sub.add_parser("list", parents=[common], help="posts by publish time")
    p.add_argument("--brand")
    p.add_argument("--stage", action="append", default=[], choices=[s.value for s in store.Stage])
    p.add_argument("--from", dest="start", help="first day (2026-12-01, today, +3d)")
    p.add_argument("--to", dest="end", help="last day, included")
    p.add_argument("--limit", type=int, default=500)
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=cmd_list)

    p = sub.add_parser("show", parents=[common], help="one post with its history")
    p.add_argument("id", type=int)
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=cmd_show)

    p = sub.add_parser(
        "edit", parents=[common], help="change a post (new content goes back to review)"
    )
    p.add_argument("id", type=int)
    p.add_argument("--title")
    _content_options(p)
    p.add_argument("--version", type=int, help="refuse if someone saved since this version")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=cmd_edit)

    p = sub.add_parser(
        "submit", parents=[common], help="send for review (runs the platform checks)"
    )
    p.add_argument("id", type=int)
    p.set_defaults(handler=cmd_move, stage="in_review", note="", version=None)

    p = sub.add_parser("approve", parents=[common], help="approve the current revision")
    p.add_argument("id", type=int)
    p.add_argument("--note", default="")
    p.add_argument("--revision", type=int, help="the revision you read (refused if it changed)")
    p.set_defaults(handler=cmd_approve)

    p = sub.add_parser(
        "request-changes", parents=[common], help="send back to the author with a note"
    )
    p.add_argument("id", type=int)
    p.add_argument("--note", default="", help="what needs to change (required)")
    p.add_argument("--revision", type=int)
    p.set_defaults(handler=cmd_request_changes)

    p = sub.add_parser("comment", parents=[common], help="comment on the current revision")
    p.add_argument("id", type=int)
    p.add_argument("text")
    p.set_defaults(handler=cmd_comment)

    p = sub.add_parser("move", parents=[common], help="move to another stage")
    p.add_argument("id", type=int)
    p.add_argument("stage", choices=[s.value for s in store.Stage])
    p.add_argument("--note", default="")
    p.add_argument("--version", type=int)
    p.set_defaults(handler=cmd_move)

    note = commands.add_parser("note", parents=[common], help="milestones on the calendar")
    sub = note.add_subparsers(dest="action", required=True, metavar="add|list")
    p = sub.add_parser("add", parents=[common], help="add a milestone or event")
    p.add_argument("title")
    p.add_argument("--on", required=True, help="first day (2026-12-01, tomorrow, fri)")
    p.add_argument("--until", help="last day, if it spans several")
    p.add_argument("--brand")
    p.add_argument(
        "--kind",
        default="milestone",
        choices=["milestone", "holiday", "launch", "campaign", "event"],
    )
    p.set_defaults(handler=cmd_note_add)
    p = sub.add_parser("list", parents=[common], help="notes in a range of days")
    p.add_argument("--from", dest="start")
    p.add_argument("--to", dest="end")
    p.add_argument("--brand")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=cmd_note_list)


def _content_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--caption")
    p.add_argument("--caption-file", help="read the caption from a file (- for stdin)")
    p.add_argument("--brief")
    p.add_argument("--channel", action="append", help="handle, id or platform (repeat)")
    p.add_argument(
        "--override",
        action="append",
        default=[],
        metavar="CHANNEL=TEXT",
        help="a caption for one channel",
    )
    p.add_argument("--tier", choices=["routine", "high_stakes", "high-stakes"])
    p.add_argument("--publish-at", help="2026-12-01 09:30, tomorrow 9:00, fri 17:00, +2d")
    p.add_argument("--review-due", help="when the review is due (same forms)")
    p.add_argument("--pillar")
    p.add_argument("--campaign")
    p.add_argument("--tag", action="append", help="repeat for several")
    p.add_argument("--owner", help="login of the post's owner")
    p.add_argument(
        "--media",
        action="append",
        help="asset id, file name, or a full path or https link (added to the library); repeat",
    )
    p.add_argument("--no-media", action="store_true", help="take all media off the post")


def _fields(args, ctx: Context, brand_id: int) -> dict:
    fields: dict = {}
    if args.caption_file:
        if args.caption_file == "-":
            fields["caption"] = sys.stdin.read()
        else:
            fields["caption"] = Path(args.caption_file).read_text(encoding="utf-8")
    elif args.caption is not None:
        fields["caption"] = args.caption
    if args.brief is not None:
        fields["brief"] = args.brief
    if args.channel is not None:
        fields["channel_ids"] = [store.find_channel(brand_id, key).id for key in args.channel]
    if args.override:
        overrides = {}
        for item in args.override:
            key, sep, text = item.partition("=")
            if not sep:
                raise store.ValidationError("override", f"{item!r} is not CHANNEL=TEXT")
            overrides[store.find_channel(brand_id, key).id] = text
        fields["overrides"] = overrides
    if args.tier:
        fields["tier"] = args.tier.replace("-", "_")
    for name in ("publish_at", "review_due"):
        value = getattr(args, name)
        if value is not None:
            fields[name] = parse_when(value, ctx.now, ctx.timezone, field=name) if value else None
    for name in ("pillar", "campaign"):
        value = getattr(args, name)
        if value is not None:
            fields[f"{name}_id"] = store.find_named(name, brand_id, value) if value else None
    if args.tag is not None:
        fields["tags"] = args.tag
    if args.owner:
        fields["owner_login"] = args.owner
    if args.no_media:
        fields["media_ids"] = []
    elif args.media:
        fields["media_ids"] = [
            store.find_asset(ctx.actor, brand_id, key, ctx.now).id for key in args.media
        ]
    return fields


def cmd_add(args, ctx: Context) -> int:
    ctx.open()
    brand_id = ctx.brand_id(args.brand)
    stage = store.Stage.IDEA if args.idea else store.Stage.DRAFT
    summary = store.create_post(
        ctx.actor, brand_id, args.title, ctx.now, stage=stage, **_fields(args, ctx, brand_id)
    )
    return _report(args, ctx, summary, "created")


def cmd_edit(args, ctx: Context) -> int:
    ctx.open()
    current = store.post_detail(ctx.actor, args.id)
    changes = _fields(args, ctx, current.summary.brand_id)
    if args.title is not None:
        changes["title"] = args.title
    version = args.version if args.version is not None else current.summary.version
    summary = store.edit_post(ctx.actor, args.id, ctx.now, expected_version=version, **changes)
    return _report(args, ctx, summary, "saved")


def cmd_move(args, ctx: Context) -> int:
    ctx.open()
    summary = store.move(
        ctx.actor, args.id, args.stage, ctx.now, note=args.note, expected_version=args.version
    )
    return _report(args, ctx, summary, "moved")


def cmd_approve(args, ctx: Context) -> int:
    ctx.open()
    summary = store.approve(
        ctx.actor, args.id, ctx.now, note=args.note, seen_revision=args.revision
    )
    return _report(args, ctx, summary, "approved")


def cmd_request_changes(args, ctx: Context) -> int:
    ctx.open()
    summary = store.request_changes(
        ctx.actor, args.id, args.note, ctx.now, seen_revision=args.revision
    )
    return _report(args, ctx, summary, "sent back")


def cmd_comment(args, ctx: Context) -> int:
    ctx.open()
    store.add_comment(ctx.actor, args.id, args.text, ctx.now)
    print(f"commented on #{args.id}")
    return 0


def cmd_list(args, ctx: Context) -> int:
    ctx.open()
    brand_id = ctx.brand_id(args.brand) if args.brand else None
    start, end = _day_range(args, ctx)
    posts = store.list_posts(
        ctx.actor, brand_id=brand_id, start=start, end=end, stages=args.stage, limit=args.limit
    )
    if args.json:
        print_json(posts)
        return 0
    print_table(
        ["ID", "PUBLISH", "STAGE", "TIER", "CHANNELS", "OWNER", "TITLE"],
        [
            [
                str(p.id),
                local(p.publish_at, ctx.timezone),
                p.stage.value,
                p.tier.value,
                ",".join(pl.value for pl in p.platforms) or "-",
                p.owner_login,
                p.title,
            ]
            for p in posts
        ],
    )
    return 0


def cmd_show(args, ctx: Context) -> int:
    ctx.open()
    detail = store.post_detail(ctx.actor, args.id)
    if args.json:
        print_json(detail)
        return 0
    tz = ctx.timezone
    s = detail.summary
    a = detail.approval
    print(f"#{s.id} {s.title}")
    print(f"  brand {detail.brand_name} · {s.stage.label} · {s.tier.value} · owner {s.owner_login}")
    print(
        f"  publish {local(s.publish_at, tz)} · review due {local(s.review_due, tz)} · "
        f"approvals {len(a.approvals)}/{a.required}"
        + (f" ({a.missing()})" if s.stage is store.Stage.IN_REVIEW and not a.satisfied else "")
    )
    print(
        f"  version {s.version} · revision {s.revision} · last saved by {detail.updated_by} "
        f"{local(detail.updated_at, tz)}"
    )
    if detail.brief:
        print(f"\nbrief: {detail.brief}")
    print(f"\ncaption:\n{detail.caption or '(empty)'}")
    if detail.media:
        print("\nmedia:")
        for m in detail.media:
            print(
                f"  #{m.id} {m.kind.value:<5} {m.uri}"
                + (f" — {m.alt_text}" if m.alt_text else " (no alt text)")
            )
    print()
    for v in detail.variants:
        report = store.check_caption(v.platform, v.caption_override or detail.caption, detail.media)
        findings = "; ".join(f"{f.severity}: {f.message}" for f in report.findings) or "ok"
        print(f"  {v.platform.value:<10} {v.handle:<20} {report.length}/{report.limit}  {findings}")
        if v.caption_override:
            print(f"    override: {v.caption_override}")
    if detail.stage_history:
        print("\nhistory:")
        for e in detail.stage_history:
            frm = e.from_stage.label if e.from_stage else "new"
            note = f" — {e.note}" if e.note else ""
            print(f"  {local(e.at, tz)}  {frm} → {e.to_stage.label}  by {e.actor_login}{note}")
    if detail.reviews:
        print("\nreviews:")
        for r in detail.reviews:
            note = f" — {r.note}" if r.note else ""
            print(
                f"  {local(r.at, tz)}  r{r.revision} {r.decision.replace('_', ' ')} by {r.reviewer_login}{note}"
            )
    if detail.comments:
        print("\ncomments:")
        for c in detail.comments:
            print(f"  {local(c.at, tz)}  r{c.revision} {c.author_login}: {c.body}")
    return 0


def cmd_note_add(args, ctx: Context) -> int:
    ctx.open()
    today = ctx.now.astimezone(ZoneInfo(ctx.timezone)).date()
    starts = parse_day(args.on, today, field="on")
    ends = parse_day(args.until, today, field="until") if args.until else None
    brand_id = ctx.brand_id(args.brand) if args.brand else None
    note = store.add_note(
        ctx.actor, args.title, starts, ctx.now, ends_on=ends, brand_id=brand_id, kind=args.kind
    )
    print(
        f"added note #{note.id} {note.title} on {note.starts_on}"
        + (f" until {note.ends_on}" if note.ends_on != note.starts_on else "")
    )
    return 0


def cmd_note_list(args, ctx: Context) -> int:
    ctx.open()
    today = ctx.now.astimezone(ZoneInfo(ctx.timezone)).date()
    start = parse_day(args.start, today, field="from") if args.start else today - timedelta(days=31)
    end = parse_day(args.end, today, field="to") if args.end else today + timedelta(days=62)
    brand_id = ctx.brand_id(args.brand) if args.brand else None
    notes = store.notes_between(start, end + timedelta(days=1), brand_id)
    if args.json:
        print_json(notes)
        return 0
    print_table(
        ["ID", "FROM", "TO", "KIND", "TITLE"],
        [[str(n.id), str(n.starts_on), str(n.ends_on), n.kind, n.title] for n in notes],
    )
    return 0


def _day_range(args, ctx: Context) -> tuple[datetime | None, datetime | None]:
    zone = ZoneInfo(ctx.timezone)
    today = ctx.now.astimezone(zone).date()
    start = end = None
    if args.start:
        start = datetime.combine(parse_day(args.start, today, field="from"), time(), zone)
    if args.end:
        end = datetime.combine(
            parse_day(args.end, today, field="to") + timedelta(days=1), time(), zone
        )
    return start, end


def _report(args, ctx: Context, summary: store.PostSummary, verb: str) -> int:
    if getattr(args, "json", False):
        print_json(store.post_detail(ctx.actor, summary.id))
        return 0
    extra = ""
    if summary.stage is store.Stage.IN_REVIEW:
        approval = store.post_detail(ctx.actor, summary.id).approval
        extra = f", approvals {len(approval.approvals)}/{approval.required}"
    print(
        f"{verb} #{summary.id} '{summary.title}': {summary.stage.label}, "
        f"revision {summary.revision}, version {summary.version}{extra}"
    )
    return 0
