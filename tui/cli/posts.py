"""CLI commands that mirror the workflow: post add, list, show, edit, submit, approve, unapprove,
request-changes, comment and move."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from zoneinfo import ZoneInfo

import store

from .. import words
from . import publishing
from .args import STAGE_NAMES, command, count, group, row_id, stage
from .context import Context
from .output import fail, local, print_json, print_table, say


def register(commands, common: argparse.ArgumentParser) -> None:
    """Add `post …` to the parser."""
    sub = group(
        commands,
        common,
        "post",
        help="create, review and move posts",
        description="Posts move idea → draft → in-review → approved → scheduled → published; "
        "each step here is the same as in the app, with the same checks.",
        actions="add|list|show|edit|submit|approve|unapprove|request-changes|comment|move|send-now",
    )
    p = command(
        sub,
        common,
        "add",
        help="create a draft (or --idea)",
        description="Create a post as a draft, or an idea.",
        handler=cmd_add,
    )
    p.add_argument("--brand")
    p.add_argument("--title", required=True)
    _content_options(p)
    p.add_argument("--idea", action="store_true", help="start as an idea, not a draft")
    p.add_argument("--json", action="store_true")
    p = command(
        sub,
        common,
        "list",
        help="posts by publish time",
        description="Posts by publish time (those without one last), in your timezone.",
        handler=cmd_list,
    )
    p.add_argument("--brand")
    p.add_argument("--stage", action="append", default=[], type=stage, metavar=STAGE_NAMES)
    p.add_argument("--from", dest="start", help="first day (2026-12-01, today, +3d)")
    p.add_argument("--to", dest="end", help="last day, included")
    p.add_argument("--limit", type=count(1, 100_000), default=500)
    p.add_argument("--json", action="store_true")
    p = command(
        sub,
        common,
        "show",
        help="one post with its history",
        description="One post in full: content and each channel's checks, history, reviews, "
        "comments.",
        handler=cmd_show,
    )
    p.add_argument("id", type=row_id)
    p.add_argument("--json", action="store_true")
    p = command(
        sub,
        common,
        "edit",
        help="change a post (new content goes back to review)",
        description="Change a post. New content makes a new revision; on an approved post it "
        "goes back to review, and earlier approvals lapse.",
        handler=cmd_edit,
    )
    p.add_argument("id", type=row_id)
    p.add_argument("--title")
    _content_options(p)
    p.add_argument("--version", type=row_id, help="refuse if someone saved since this version")
    p.add_argument("--json", action="store_true")
    p = command(
        sub,
        common,
        "submit",
        help="send for review (runs the platform checks)",
        description="Send a post for review; each channel's caption checks must pass.",
        handler=cmd_move,
        stage=store.Stage.IN_REVIEW,
        note="",
        version=None,
    )
    p.add_argument("id", type=row_id)
    p = command(
        sub,
        common,
        "approve",
        help="approve the current revision",
        description="Approve the revision you read; nobody approves their own post.",
        handler=cmd_approve,
    )
    p.add_argument("id", type=row_id)
    p.add_argument("--note", default="")
    p.add_argument("--revision", type=row_id, help="the revision you read (refused if it changed)")
    p = command(
        sub,
        common,
        "unapprove",
        help="withdraw your approval",
        description="Take back your approval of the current revision, before the post is "
        "published; an approved post that no longer has enough goes back to review.",
        handler=cmd_unapprove,
    )
    p.add_argument("id", type=row_id)
    p.add_argument("--note", default="", help="why, for the author")
    p = command(
        sub,
        common,
        "request-changes",
        help="send back to the author with a note",
        description="Send the post back to its author, saying what to change.",
        handler=cmd_request_changes,
    )
    p.add_argument("id", type=row_id)
    p.add_argument("--note", default="", help="what needs to change (required)")
    p.add_argument("--revision", type=row_id)
    p = command(
        sub,
        common,
        "comment",
        help="comment on the current revision",
        description="Leave a comment on the post's current revision.",
        handler=cmd_comment,
    )
    p.add_argument("id", type=row_id)
    p.add_argument("text")
    p = command(
        sub,
        common,
        "move",
        help="move to another stage",
        description="Move a post to another stage, as the workflow allows.",
        handler=cmd_move,
    )
    p.add_argument("id", type=row_id)
    p.add_argument("stage", type=stage, metavar=STAGE_NAMES)
    p.add_argument("--note", default="")
    p.add_argument("--version", type=row_id)
    publishing.post_actions(sub, common)


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


def _caption_file(name: str) -> str:
    try:
        data = sys.stdin.buffer.read() if name == "-" else Path(name).read_bytes()
    except OSError as error:
        raise store.ValidationError(
            "caption-file", f"{name}: {(error.strerror or str(error)).lower()}"
        ) from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as bad:
        raise store.ValidationError(
            "caption-file", f"{name} is not UTF-8 (byte {bad.start} is not)"
        ) from None


def _fields(args, ctx: Context, brand_id: int) -> dict:
    fields: dict = {}
    if args.caption_file:
        fields["caption"] = _caption_file(args.caption_file)
    elif args.caption is not None:
        fields["caption"] = args.caption
    if args.brief is not None:
        fields["brief"] = args.brief
    if args.channel is not None:
        fields["channel_ids"] = [
            store.find_channel(ctx.actor, brand_id, key).id for key in args.channel
        ]
    if args.override:
        overrides = {}
        for item in args.override:
            key, sep, text = item.partition("=")
            if not sep:
                raise store.ValidationError("override", f"{item!r} is not CHANNEL=TEXT")
            overrides[store.find_channel(ctx.actor, brand_id, key).id] = text
        fields["overrides"] = overrides
    if args.tier:
        fields["tier"] = args.tier.replace("-", "_")
    for name in ("publish_at", "review_due"):
        value = getattr(args, name)
        if value is not None:
            fields[name] = (
                store.parse_when(value, ctx.now, ctx.timezone, field=name) if value else None
            )
    for name in ("pillar", "campaign"):
        value = getattr(args, name)
        if value is not None:
            fields[f"{name}_id"] = (
                store.find_named(ctx.actor, name, brand_id, value) if value else None
            )
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
    first = store.Stage.IDEA if args.idea else store.Stage.DRAFT
    summary = store.create_post(
        ctx.actor, brand_id, args.title, ctx.now, stage=first, **_fields(args, ctx, brand_id)
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
    code = _report(args, ctx, summary, "approved")
    if summary.publish_at is not None and summary.publish_at <= ctx.now:
        fail(
            f"note: its publish time, {local(summary.publish_at, ctx.timezone)}, has passed; "
            f"{summary.owner_login} picks a new one before it can be scheduled",
            code=0,
        )
    return code


def cmd_unapprove(args, ctx: Context) -> int:
    ctx.open()
    summary = store.unapprove(ctx.actor, args.id, ctx.now, note=args.note)
    return _report(args, ctx, summary, "withdrew your approval of")


def cmd_request_changes(args, ctx: Context) -> int:
    ctx.open()
    summary = store.request_changes(
        ctx.actor, args.id, args.note, ctx.now, seen_revision=args.revision
    )
    return _report(args, ctx, summary, "sent back")


def cmd_comment(args, ctx: Context) -> int:
    ctx.open()
    store.add_comment(ctx.actor, args.id, args.text, ctx.now)
    say(f"commented on #{args.id}")
    return 0


def cmd_list(args, ctx: Context) -> int:
    ctx.open()
    brand_id = ctx.brand_id(args.brand) if args.brand else None
    first = store.parse_day(args.start, ctx.today, field="from") if args.start else None
    last = store.parse_day(args.end, ctx.today, field="to") if args.end else None
    start, end = store.day_bounds(first, last, ctx.timezone)
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
                p.stage.label,
                p.tier.label,
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
    zone = ZoneInfo(tz)
    s = detail.summary
    missing = words.missing(detail)
    print(f"#{s.id} {s.title}")
    print(f"  brand {detail.brand_name} · {s.stage.label} · {s.tier.label} · owner {s.owner_login}")
    print(
        f"  publish {local(s.publish_at, tz)} · review due {local(s.review_due, tz)} · "
        f"{words.approvals(detail)}" + (f" — {missing}" if missing else "")
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
    for variant, report in zip(detail.variants, store.channel_reports(detail), strict=True):
        findings = "; ".join(f"{f.severity}: {f.message}" for f in report.findings) or "ok"
        print(
            f"  {variant.platform.value:<10} {variant.handle:<20} "
            f"{report.length}/{report.limit}  {findings}"
        )
        if variant.caption_override:
            print(f"    override: {variant.caption_override}")
        if s.stage in (store.Stage.SCHEDULED, store.Stage.PUBLISHED, store.Stage.FAILED):
            link = f" {variant.remote_url}" if variant.remote_url else ""
            print(f"    delivery #{variant.delivery_id}: {variant.words}{link}")
    if detail.stage_history:
        print("\nhistory:")
        for event in detail.stage_history:
            print(f"  {local(event.at, tz)}  {words.stage_move(event)}")
    thread = words.thread(detail)
    if thread:
        print("\nreviews and comments:")
        for at, line in thread:
            print(f"  {at.astimezone(zone):%Y-%m-%d %H:%M}  {line}")
    return 0


def _report(args, ctx: Context, summary: store.PostSummary, verb: str) -> int:
    if getattr(args, "json", False):
        print_json(store.post_detail(ctx.actor, summary.id))
        return 0
    extra = ""
    if summary.stage is store.Stage.IN_REVIEW:
        extra = ", " + words.approvals(store.post_detail(ctx.actor, summary.id))
    say(
        f"{verb} #{summary.id} '{summary.title}': {summary.stage.label}, "
        f"revision {summary.revision}, version {summary.version}{extra}"
    )
    return 0
