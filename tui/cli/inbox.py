"""CLI commands for the inbox: list, show, assign, close, reopen, label, note, reply, retry,
done, sync, import; and saved replies (add, list)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import store

from . import context
from .args import command, count, group, row_id
from .context import Context
from .output import fail, local, print_json, print_table, say

inbox = store.inbox


def register(commands, common: argparse.ArgumentParser) -> None:
    """Add `inbox …` and `saved-reply …` to the parser."""
    sub = group(
        commands,
        common,
        "inbox",
        help="comments, mentions and DMs: list, assign, answer, close, sync, import",
        description="The unified inbox. A message is new until the team answers, pending once "
        "it has (until the person writes again), closed when done. Replies go out through the "
        "scheduler, exactly once.",
        actions="list|show|assign|close|reopen|label|note|priority|reply|retry|done|sync|import",
    )
    p = command(
        sub,
        common,
        "list",
        help="the queue: overdue first, then the latest",
        description="Thread heads in queue order (overdue first, then the latest activity).",
        handler=cmd_list,
    )
    p.add_argument("--status", choices=["new", "pending", "closed", "all"], default="new")
    who = p.add_mutually_exclusive_group()
    who.add_argument("--mine", action="store_true", help="only messages assigned to me")
    who.add_argument("--unassigned", action="store_true", help="only messages nobody has")
    p.add_argument("--brand")
    p.add_argument("--channel", help="id, handle or platform (with --brand when ambiguous)")
    p.add_argument("--kind", choices=["comment", "mention", "dm"])
    p.add_argument("--label")
    p.add_argument("--search", default="", help="words in the body or the author")
    p.add_argument("--limit", type=count(1, 100_000), default=50)
    p.add_argument("--json", action="store_true")
    p = command(
        sub,
        common,
        "show",
        help="one message with its thread",
        description="One message: its thread, the post it answers, notes and replies.",
        handler=cmd_show,
    )
    p.add_argument("id", type=row_id)
    p.add_argument("--json", action="store_true")
    p = command(
        sub,
        common,
        "assign",
        help="give messages to a teammate (or --nobody)",
        description="Give messages to a teammate; anyone who answers may take one for "
        "themselves, giving to others is for managers and admins.",
        handler=cmd_assign,
    )
    p.add_argument("ids", type=row_id, nargs="+", metavar="ID")
    p.add_argument("--to", dest="user", help="the teammate's login (yours: --to me)")
    p.add_argument("--nobody", action="store_true", help="take the assignment away")
    for name, handler, words in (
        ("close", cmd_close, "close messages (no reply needed)"),
        ("reopen", cmd_reopen, "put messages back to new"),
    ):
        p = command(sub, common, name, help=words, description=words + ".", handler=handler)
        p.add_argument("ids", type=row_id, nargs="+", metavar="ID")
    p = command(
        sub,
        common,
        "label",
        help="add (or --remove) a label",
        description="Add a label to messages, or remove it.",
        handler=cmd_label,
    )
    p.add_argument("label")
    p.add_argument("ids", type=row_id, nargs="+", metavar="ID")
    p.add_argument("--remove", action="store_true")
    p = command(
        sub,
        common,
        "note",
        help="an internal note (never sent)",
        description="An internal note the team sees; it is never sent.",
        handler=cmd_note,
    )
    p.add_argument("id", type=row_id)
    p.add_argument("--text", required=True)
    p = command(
        sub,
        common,
        "reply",
        help="answer a message (sent by the scheduler, exactly once)",
        description="Queue an answer: in the thread for a comment or mention, privately for a "
        "DM. The scheduler (or `postroom publish --due`) sends it.",
        handler=cmd_reply,
    )
    p.add_argument("id", type=row_id)
    text = p.add_mutually_exclusive_group(required=True)
    text.add_argument("--text")
    text.add_argument("--saved", metavar="NAME", help="a saved reply, {name} filled in")
    p = command(
        sub,
        common,
        "retry",
        help="send a failed or unconfirmed reply again (same key)",
        description="Send a failed reply again at the next pass, under the same key.",
        handler=cmd_retry,
    )
    p.add_argument("reply", type=row_id, metavar="REPLY_ID")
    p = command(
        sub,
        common,
        "done",
        help="record a reply sent by hand, with its link",
        description="Record a reply a person sent by hand (or checked), with its link.",
        handler=cmd_done,
    )
    p.add_argument("reply", type=row_id, metavar="REPLY_ID")
    p.add_argument("--url", required=True)
    p = command(
        sub,
        common,
        "sync",
        help="pull new messages from connected channels once",
        description="Pull each connected channel's new messages once (the scheduler does this "
        "every few minutes). Run it as the account that holds the credentials.",
        handler=cmd_sync,
    )
    p.add_argument("--channel", help="only this channel (id, handle or platform)")
    p.add_argument("--brand")
    p.add_argument("--timeout", type=float, default=30.0)
    p = command(
        sub,
        common,
        "import",
        help="messages from a CSV or JSONL file",
        description="Messages from platforms Postroom cannot reach. Columns: "
        + ", ".join(inbox.IMPORT_COLUMNS)
        + " (the last two optional). One bad line rejects the whole file.",
        handler=cmd_import,
    )
    p.add_argument("file", type=Path)
    p.add_argument("--dry-run", action="store_true", help="say what would be added, add nothing")
    p = command(
        sub,
        common,
        "priority",
        help="how urgent messages are (0 normal … 3 urgent)",
        description="Set how urgent messages are: 0 normal, 1 high, 2 higher, 3 urgent; the "
        "list marks them with arrows.",
        handler=cmd_priority,
    )
    p.add_argument("level", type=count(0, 3))
    p.add_argument("ids", type=row_id, nargs="+", metavar="ID")
    rules = group(
        commands,
        common,
        "label-rule",
        help="rules that label incoming messages (question, order, complaint…)",
        description="Rules kept as data that label each incoming message: `question` when it "
        "asks something, or any of a list of keywords. A rule without --brand applies to every "
        "brand. Labels already given stay when a rule goes.",
        actions="list|add|remove",
    )
    p = command(
        rules,
        common,
        "list",
        help="the rules, in the order they apply",
        description="The labelling rules (a brand's own and the team's with --brand).",
        handler=cmd_rule_list,
    )
    p.add_argument("--brand")
    p.add_argument("--json", action="store_true")
    p = command(
        rules,
        common,
        "add",
        help="label messages that ask something, or hold any of some words",
        description="Add a rule (managers and admins): `--question`, or `--word W` once per "
        "keyword (matched at the start of a word, in any case).",
        handler=cmd_rule_add,
    )
    p.add_argument("label")
    how = p.add_mutually_exclusive_group(required=True)
    how.add_argument("--question", action="store_true", help="when the message asks something")
    how.add_argument("--word", action="append", help="a keyword (repeat for more)")
    p.add_argument("--brand", help="only for this brand (else every brand)")
    p = command(
        rules,
        common,
        "remove",
        help="remove a rule by its id",
        description="Remove a labelling rule (see `label-rule list` for ids).",
        handler=cmd_rule_remove,
    )
    p.add_argument("id", type=row_id)
    saved = group(
        commands,
        common,
        "saved-reply",
        help="answers the team reuses ({name} is filled from the author)",
        description="Saved replies, inserted by name in the app (ctrl+t) or with "
        "`inbox reply ID --saved NAME`.",
        actions="add|list",
    )
    p = command(
        saved,
        common,
        "add",
        help="add or replace a saved reply",
        description="Add a saved reply (or replace the one of that name).",
        handler=cmd_saved_add,
    )
    p.add_argument("title")
    p.add_argument("--text", required=True)
    p.add_argument("--brand", help="only for this brand (else every brand)")
    p = command(
        saved,
        common,
        "list",
        help="the saved replies",
        description="The saved replies, with the brand each is for and its text.",
        handler=cmd_saved_list,
    )
    p.add_argument("--brand")
    p.add_argument("--json", action="store_true")


def _channel(ctx: Context, brand: str | None, key: str) -> store.ChannelInfo:
    return store.find_channel(ctx.actor, ctx.brand_id(brand), key)


def _ago(row, ctx: Context) -> str:
    minutes = int((ctx.now - row.last_at).total_seconds() // 60)
    if minutes < 60:
        return f"{max(minutes, 0)}m"
    if minutes < 48 * 60:
        return f"{minutes // 60}h"
    return f"{minutes // 1440}d"


def cmd_list(args, ctx: Context) -> int:
    ctx.open()
    brand_id = ctx.brand_id(args.brand) if args.brand else None
    channel_id = _channel(ctx, args.brand, args.channel).id if args.channel else None
    where = inbox.InboxFilter(
        status=args.status,
        who="mine" if args.mine else "unassigned" if args.unassigned else "all",
        brand_id=brand_id,
        channel_id=channel_id,
        kind=args.kind,
        label=args.label,
        search=args.search,
    )
    rows, after = [], None
    while len(rows) < args.limit:
        page = inbox.inbox_page(
            ctx.actor, ctx.now, where, after=after, limit=min(200, args.limit - len(rows))
        )
        rows += page.rows
        if page.after is None:
            break
        after = page.after
    if args.json:
        print_json(rows)
        return 0
    print_table(
        ["ID", "STATUS", "KIND", "CHANNEL", "AUTHOR", "AGE", "ASSIGNEE", "SLA", "MESSAGE"],
        [
            [
                str(r.id),
                r.status.value,
                r.kind.value,
                f"{r.platform.value} {r.channel}"[:28],
                r.author_handle[:24],
                _ago(r, ctx),
                r.assignee or "-",
                "overdue" if r.overdue else "",
                (f"[{', '.join(r.labels)}] " if r.labels else "")
                + r.first_line[:80]
                + (f"  (on “{r.post_title}”)" if r.post_title else ""),
            ]
            for r in rows
        ],
    )
    return 0


def cmd_show(args, ctx: Context) -> int:
    ctx.open()
    d = inbox.message_detail(ctx.actor, args.id, ctx.now)
    if args.json:
        print_json(d)
        return 0
    tz, r = ctx.timezone, d.row
    say(f"#{r.id} {r.kind.value} on {r.platform.value} {r.channel} — {r.status.value}")
    print(f"from {r.author_handle}" + (f" ({d.author_name})" if d.author_name else ""))
    if d.post_id:
        print(f"about post #{d.post_id} “{r.post_title}”")
    print(
        f"assigned to {r.assignee or 'nobody'}"
        + (f"; labels: {', '.join(r.labels)}" if r.labels else "")
    )
    if r.sla_due_at:
        print(("overdue since " if r.overdue else "answer by ") + local(r.sla_due_at, tz))
    for who in d.replying:
        print(f"{who} is replying")
    print()
    for item in d.thread:
        print(f"{local(item.received_at, tz)}  {item.author_handle}")
        for line in item.body.splitlines() or [""]:
            print(f"    {line}")
    for reply in d.replies:
        where = reply.remote_url or reply.error or ""
        print(
            f"{local(reply.created_at, tz)}  reply #{reply.id} by {reply.author} — {reply.state.label}  {where}".rstrip()
        )
        for line in reply.body.splitlines():
            print(f"    {line}")
    for note in d.notes:
        print(f"{local(note.created_at, tz)}  note by {note.author}: {note.body}")
    return 0


def _ids(n: int) -> str:
    return f"{n} message{'s' if n != 1 else ''}"


def cmd_assign(args, ctx: Context) -> int:
    ctx.open()
    if args.nobody == bool(args.user):
        return fail("say --to LOGIN (or --to me) or --nobody", code=2)
    login = None if args.nobody else (ctx.login if args.user == "me" else args.user)
    n = inbox.assign(ctx.actor, args.ids, login, ctx.now)
    say(f"{_ids(n)} now with {login or 'nobody'}")
    return 0


def cmd_close(args, ctx: Context) -> int:
    ctx.open()
    say(f"{_ids(inbox.close(ctx.actor, args.ids, ctx.now))} closed")
    return 0


def cmd_reopen(args, ctx: Context) -> int:
    ctx.open()
    say(f"{_ids(inbox.reopen(ctx.actor, args.ids, ctx.now))} back to new")
    return 0


def cmd_label(args, ctx: Context) -> int:
    ctx.open()
    n = inbox.label(ctx.actor, args.ids, args.label, ctx.now, remove=args.remove)
    say(f"{_ids(n)} {'lost' if args.remove else 'got'} the label {args.label.strip().casefold()}")
    return 0


def cmd_note(args, ctx: Context) -> int:
    ctx.open()
    inbox.add_note(ctx.actor, args.id, args.text, ctx.now)
    say(f"note added to #{args.id} (never sent)")
    return 0


def cmd_reply(args, ctx: Context) -> int:
    ctx.open()
    seen = inbox.message_detail(ctx.actor, args.id, ctx.now).seen_reply
    if args.saved:
        reply_id = inbox.reply_with_saved(ctx.actor, args.id, args.saved, ctx.now, seen_reply=seen)
    else:
        reply_id = inbox.queue_reply(ctx.actor, args.id, args.text, ctx.now, seen_reply=seen)
    d = inbox.message_detail(ctx.actor, args.id, ctx.now)
    reply = next(r for r in d.replies if r.id == reply_id)
    if reply.state is store.DeliveryState.MANUAL:
        say(
            f"reply #{reply_id} is yours to send by hand; then `postroom inbox done {reply_id} --url …`"
        )
    else:
        say(f"reply #{reply_id} queued; the scheduler sends it (message #{args.id} is pending)")
    return 0


def cmd_retry(args, ctx: Context) -> int:
    ctx.open()
    inbox.retry_reply(ctx.actor, args.reply, ctx.now)
    say(f"reply #{args.reply} goes again at the next pass, same key")
    return 0


def cmd_done(args, ctx: Context) -> int:
    ctx.open()
    inbox.reply_done(ctx.actor, args.reply, args.url, ctx.now)
    say(f"reply #{args.reply} is sent: {args.url}")
    return 0


def cmd_sync(args, ctx: Context) -> int:
    ctx.open()
    store.check_credentials_file()
    channel_id = _channel(ctx, args.brand, args.channel).id if args.channel else None
    report = inbox.sync(ctx.actor, context.clock(), channel_id=channel_id, timeout=args.timeout)
    if not report.channels:
        return fail("no channel reads an inbox here yet: `postroom channel connect` one")
    for name, result in report.channels.items():
        words = result if isinstance(result, str) else result.words()
        print(f"{name}: {words}")
    if report.failed:
        return fail(f"could not pull {report.failed[0]}")
    return 0


def cmd_import(args, ctx: Context) -> int:
    ctx.open()
    try:
        result = inbox.import_messages(ctx.actor, args.file, ctx.now, dry_run=args.dry_run)
    except store.FileRefused as refused:
        for problem in refused.problems:
            print(f"{args.file}: {problem}", file=sys.stderr)
        return fail(str(refused))
    if args.dry_run:
        for line in result.lines:
            state = "already in" if line.known else "would add"
            print(
                f"line {line.line}: {state} {line.item.kind.value} from {line.item.author_handle} on {line.channel}"
            )
        say(f"dry run: {result.added} would be added, {result.known} already in; nothing written")
    else:
        say(f"{result.added} added, {result.known} already in")
    return 0


def cmd_saved_add(args, ctx: Context) -> int:
    ctx.open()
    brand_id = ctx.brand_id(args.brand) if args.brand else None
    saved = inbox.add_saved_reply(ctx.actor, args.title, args.text, ctx.now, brand_id=brand_id)
    say(f"saved reply “{saved.title}” kept")
    return 0


def cmd_saved_list(args, ctx: Context) -> int:
    ctx.open()
    brand_id = ctx.brand_id(args.brand) if args.brand else None
    rows = inbox.list_saved_replies(ctx.actor, brand_id)
    if args.json:
        print_json(rows)
        return 0
    print_table(
        ["NAME", "BRAND", "TEXT"],
        [[s.title, "all" if s.brand_id is None else str(s.brand_id), s.body] for s in rows],
    )
    return 0


def cmd_priority(args, ctx: Context) -> int:
    ctx.open()
    n = inbox.set_priority(ctx.actor, args.ids, args.level, ctx.now)
    say(f"{n} messages now {inbox.PRIORITIES[args.level]} priority")
    return 0


def cmd_rule_list(args, ctx: Context) -> int:
    ctx.open()
    brand_id = ctx.brand_id(args.brand) if args.brand else None
    rules = inbox.list_label_rules(ctx.actor, brand_id)
    if args.json:
        print_json(rules)
        return 0
    print_table(
        ["ID", "BRAND", "LABEL", "WHEN"],
        [
            [
                str(r.id),
                "all" if r.brand_id is None else str(r.brand_id),
                r.label,
                "it asks something" if r.match == "question" else "any of: " + ", ".join(r.words),
            ]
            for r in rules
        ],
    )
    return 0


def cmd_rule_add(args, ctx: Context) -> int:
    ctx.open()
    brand_id = ctx.brand_id(args.brand) if args.brand else None
    match = "question" if args.question else "keywords"
    rule = inbox.add_label_rule(
        ctx.actor, args.label, match, args.word or [], ctx.now, brand_id=brand_id
    )
    say(f"rule #{rule.id} labels new messages #{rule.label}")
    return 0


def cmd_rule_remove(args, ctx: Context) -> int:
    ctx.open()
    rule = inbox.remove_label_rule(ctx.actor, args.id, ctx.now)
    say(f"rule #{rule.id} (#{rule.label}) removed; labels it gave stay")
    return 0
