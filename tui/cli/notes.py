"""`postroom note`: milestones and events on the calendar."""

from __future__ import annotations

import argparse
from datetime import timedelta

import store

from .args import command, group
from .context import Context
from .output import print_json, print_table, say


def register(commands, common: argparse.ArgumentParser) -> None:
    """Add `note add` and `note list` to the parser."""
    sub = group(
        commands,
        common,
        "note",
        help="milestones on the calendar",
        description="Calendar notes: launches, holidays, campaign starts, over one day or "
        "several; of one brand or the whole team.",
        actions="add|list",
    )
    p = command(
        sub,
        common,
        "add",
        help="add a milestone or event",
        description="Put a milestone or event on the calendar.",
        handler=cmd_note_add,
    )
    p.add_argument("title")
    p.add_argument("--on", required=True, help="first day (2026-12-01, tomorrow, fri)")
    p.add_argument("--until", help="last day, if it spans several")
    p.add_argument("--brand")
    p.add_argument("--kind", default="milestone", choices=store.NOTE_KINDS)
    p = command(
        sub,
        common,
        "list",
        help="notes in a range of days",
        description="Notes overlapping a range of days (default: a month back to two ahead).",
        handler=cmd_note_list,
    )
    p.add_argument("--from", dest="start")
    p.add_argument("--to", dest="end")
    p.add_argument("--brand")
    p.add_argument("--json", action="store_true")


def cmd_note_add(args, ctx: Context) -> int:
    ctx.open()
    starts = store.parse_day(args.on, ctx.today, field="on")
    ends = store.parse_day(args.until, ctx.today, field="until") if args.until else None
    brand_id = ctx.brand_id(args.brand) if args.brand else None
    note = store.add_note(
        ctx.actor, args.title, starts, ctx.now, ends_on=ends, brand_id=brand_id, kind=args.kind
    )
    say(
        f"added note #{note.id} {note.title} on {note.starts_on}"
        + (f" until {note.ends_on}" if note.ends_on != note.starts_on else "")
    )
    return 0


def cmd_note_list(args, ctx: Context) -> int:
    ctx.open()
    today = ctx.today
    start = (
        store.parse_day(args.start, today, field="from")
        if args.start
        else today - timedelta(days=31)
    )
    end = store.parse_day(args.end, today, field="to") if args.end else today + timedelta(days=62)
    brand_id = ctx.brand_id(args.brand) if args.brand else None
    try:
        after_end = end + timedelta(days=1)
    except OverflowError:
        after_end = end
    notes = store.notes_between(ctx.actor, start, after_end, brand_id)
    if args.json:
        print_json(notes)
        return 0
    print_table(
        ["ID", "FROM", "TO", "KIND", "TITLE"],
        [[str(n.id), str(n.starts_on), str(n.ends_on), n.kind, n.title] for n in notes],
    )
    return 0
