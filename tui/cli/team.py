"""CLI commands about the team and its brands: users, brands and their approval policy,
channels, campaigns, pillars."""

from __future__ import annotations

import argparse

import store

from . import publishing
from .args import command, count, group
from .context import Context
from .output import print_json, print_table, say


def register(commands, common: argparse.ArgumentParser) -> None:
    """Add the team commands to the parser."""
    _users(commands, common)
    _brands(commands, common)
    _channels(commands, common)
    for kind in ("campaign", "pillar"):
        _named(commands, common, kind)


def _users(commands, common) -> None:
    sub = group(
        commands,
        common,
        "users",
        help="list and manage users (admins)",
        description="The team: each user is a Unix account of this machine with a role (admin, "
        "manager, editor, reviewer, client); a client is limited to its brands.",
        actions="list|add|set-role|remove",
    )
    p = command(
        sub,
        common,
        "list",
        help="every user and role",
        description="Every user of this database, by login.",
        handler=cmd_users_list,
    )
    p.add_argument("--json", action="store_true")
    p = command(
        sub,
        common,
        "add",
        help="add a Unix account as a user (admins)",
        description="Add a Unix account of this machine to the team with a role. A login the "
        "machine has no account for is refused unless --force.",
        handler=cmd_users_add,
    )
    p.add_argument("login")
    p.add_argument("role", choices=[r.value for r in store.Role])
    p.add_argument("--name", default="")
    p.add_argument("--timezone", help="an IANA timezone (default: the machine's)")
    p.add_argument("--brand", action="append", default=[], help="a client's brand (repeat)")
    p.add_argument(
        "--force", action="store_true", help="add a login this machine has no account for"
    )
    p = command(
        sub,
        common,
        "set-role",
        help="change a user's role (admins)",
        description="Give a user another role; the last admin stays an admin.",
        handler=cmd_users_set_role,
    )
    p.add_argument("login")
    p.add_argument("role", choices=[r.value for r in store.Role])
    p.add_argument("--brand", action="append", default=[], help="a client's brand (repeat)")
    p = command(
        sub,
        common,
        "remove",
        help="deactivate a user (history stays)",
        description="Take a user off the team: they see nothing from then on; their history stays.",
        handler=cmd_users_remove,
    )
    p.add_argument("login")


def _brands(commands, common) -> None:
    sub = group(
        commands,
        common,
        "brand",
        help="brands and their approval policy",
        description="Brands are workspaces, one per client or business; each has its own "
        "channels, posts and approval policy.",
        actions="list|add|policy|late-window|sla",
    )
    p = command(
        sub,
        common,
        "list",
        help="brands you can see",
        description="The brands you can see, with their approval policy.",
        handler=cmd_brand_list,
    )
    p.add_argument("--json", action="store_true")
    p = command(
        sub,
        common,
        "add",
        help="add a brand (admins)",
        description="Add a brand; its slug is made from the name unless given.",
        handler=cmd_brand_add,
    )
    p.add_argument("name")
    p.add_argument("--slug")
    p = command(
        sub,
        common,
        "policy",
        help="show or change a brand's approval policy",
        description="How many approvals a routine and a high-stakes post need, and whether a "
        "high-stakes one needs a manager or admin among them. Without options, shows it.",
        handler=cmd_brand_policy,
    )
    p.add_argument("brand")
    p.add_argument("--routine", type=count(1, 5), help="approvals a routine post needs")
    p.add_argument("--high-stakes", type=count(1, 5), help="approvals a high-stakes post needs")
    p.add_argument(
        "--senior",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="whether a high-stakes post needs a manager or admin among them",
    )
    p = command(
        sub,
        common,
        "late-window",
        help="show or change how late a post may still go out",
        description="A delivery whose time passed by more than this before a scheduler saw it "
        "is not sent late: it fails with 'missed its time', to be rescheduled or sent now. "
        "Default 120 minutes. Without a value, shows it.",
        handler=cmd_brand_late_window,
    )
    p.add_argument("brand")
    p.add_argument("minutes", nargs="?", type=count(1, 7 * 24 * 60))
    p = command(
        sub,
        common,
        "sla",
        help="show or change the inbox's first-response target",
        description="How many business hours (Monday to Friday, 09:00 to 17:00 in the brand's "
        "time zone) the team has to answer a new inbox message; later ones are overdue and come "
        "first. Default 4. Changing it counts the new messages' due times again.",
        handler=cmd_brand_sla,
    )
    p.add_argument("brand")
    p.add_argument("hours", nargs="?", type=count(1, 80))
    p.add_argument("--timezone", help="the time zone of the brand's business hours")


def _channels(commands, common) -> None:
    sub = group(
        commands,
        common,
        "channel",
        help="a brand's accounts on platforms",
        description="Channels are a brand's accounts on platforms (instagram @acme, bluesky "
        "acme.bsky.social); posts go out to channels.",
        actions="list|add|connect|test|inbox-every|counters-every",
    )
    p = command(
        sub,
        common,
        "list",
        help="the channels you can see",
        description="The channels of the brands you can see (or of one brand).",
        handler=cmd_channel_list,
    )
    p.add_argument("--brand")
    p.add_argument("--json", action="store_true")
    p = command(
        sub,
        common,
        "add",
        help="add a channel (admins)",
        description="Add an account on a platform to a brand, with the posting cadence the "
        "calendar warns about.",
        handler=cmd_channel_add,
    )
    p.add_argument("brand")
    p.add_argument("platform", choices=[pl.value for pl in store.Platform])
    p.add_argument("handle")
    p.add_argument("--name", default="")
    p.add_argument("--per-week", type=count(1, 100), help="posting cadence, for gap warnings")
    publishing.channel_actions(sub, common)
    publishing.counters_every(sub, common)


def _named(commands, common, kind: str) -> None:
    what = "pushes with a start and an end" if kind == "campaign" else "content themes"
    sub = group(
        commands,
        common,
        kind,
        help=f"a brand's {kind}s",
        description=f"A brand's {kind}s ({what}); posts are tagged with one before they go live, "
        "so the metrics can say which worked.",
        actions="list|add",
    )
    p = command(
        sub,
        common,
        "list",
        help=f"the {kind}s you can see",
        description=f"The {kind}s of the brands you can see (or of one brand).",
        handler=cmd_named_list,
        kind=kind,
    )
    p.add_argument("--brand")
    p.add_argument("--json", action="store_true")
    p = command(
        sub,
        common,
        "add",
        help=f"add a {kind}",
        description=f"Add a {kind} to a brand.",
        handler=cmd_named_add,
        kind=kind,
    )
    p.add_argument("brand")
    p.add_argument("name")
    if kind == "campaign":
        p.add_argument("--from", dest="starts_on", help="its first day")
        p.add_argument("--to", dest="ends_on", help="its last day")


def cmd_users_list(args, ctx: Context) -> int:
    ctx.open()
    users = store.list_users(ctx.actor)
    if args.json:
        print_json(users)
        return 0
    brands = {b.id: b.slug for b in store.list_brands(ctx.actor)}
    print_table(
        ["LOGIN", "ROLE", "TIMEZONE", "BRANDS", "NAME"],
        [
            [
                u.login,
                u.role.value,
                u.timezone,
                ",".join(brands.get(b, "?") for b in u.brand_ids) or "all",
                u.name,
            ]
            for u in users
        ],
    )
    return 0


def cmd_users_add(args, ctx: Context) -> int:
    ctx.open()
    user = store.add_user(
        ctx.actor,
        args.login,
        args.role,
        ctx.now,
        name=args.name,
        timezone=args.timezone,
        brand_slugs=tuple(args.brand),
        force=args.force,
    )
    say(f"added {user.login} as {user.role.value}")
    return 0


def cmd_users_set_role(args, ctx: Context) -> int:
    ctx.open()
    user = store.set_role(ctx.actor, args.login, args.role, ctx.now, brand_slugs=tuple(args.brand))
    say(f"{user.login} is now {user.role.value}")
    return 0


def cmd_users_remove(args, ctx: Context) -> int:
    ctx.open()
    store.remove_user(ctx.actor, args.login, ctx.now)
    say(f"removed {args.login} (their history stays)")
    return 0


def cmd_brand_list(args, ctx: Context) -> int:
    ctx.open()
    brands = store.list_brands(ctx.actor)
    if args.json:
        print_json(brands)
        return 0
    print_table(
        ["ID", "SLUG", "POLICY", "NAME"],
        [[str(b.id), b.slug, policy_words(b.policy), b.name] for b in brands],
    )
    return 0


def cmd_brand_add(args, ctx: Context) -> int:
    ctx.open()
    brand = store.create_brand(ctx.actor, args.name, ctx.now, slug=args.slug)
    say(f"added brand {brand.name} ({brand.slug}, #{brand.id})")
    return 0


def cmd_brand_policy(args, ctx: Context) -> int:
    ctx.open()
    brand = store.find_brand(ctx.actor, args.brand)
    policy = brand.policy
    if (args.routine, args.high_stakes, args.senior) != (None, None, None):
        policy = store.set_policy(
            ctx.actor,
            brand.id,
            ctx.now,
            routine_approvals=args.routine,
            high_stakes_approvals=args.high_stakes,
            high_stakes_needs_senior=args.senior,
        )
    say(f"{brand.name}: {policy_words(policy)}")
    return 0


def cmd_brand_late_window(args, ctx: Context) -> int:
    ctx.open()
    brand = store.find_brand(ctx.actor, args.brand)
    minutes = store.late_window(brand.id)
    if args.minutes is not None:
        minutes = store.set_late_window(ctx.actor, brand.id, args.minutes, ctx.now)
    say(f"{brand.name}: a post may go out up to {minutes} minutes late")
    return 0


def cmd_brand_sla(args, ctx: Context) -> int:
    ctx.open()
    brand = store.find_brand(ctx.actor, args.brand)
    hours, zone = store.inbox.brand_sla(brand.id)
    moved = None
    if args.hours is not None or args.timezone is not None:
        hours, zone, moved = store.inbox.set_sla(
            ctx.actor, brand.id, ctx.now, hours=args.hours, timezone=args.timezone
        )
    say(f"{brand.name}: first answer within {hours} business hours (09:00–17:00 {zone})")
    if moved:
        say(f"{moved} new messages have a new due time")
    return 0


def cmd_channel_list(args, ctx: Context) -> int:
    ctx.open()
    brand_id = ctx.brand_id(args.brand) if args.brand else None
    channels = store.list_channels(ctx.actor, brand_id)
    if args.json:
        print_json(channels)
        return 0
    brands = {b.id: b.slug for b in store.list_brands(ctx.actor)}
    print_table(
        ["ID", "BRAND", "PLATFORM", "PER WEEK", "HANDLE"],
        [
            [
                str(c.id),
                brands.get(c.brand_id, "?"),
                c.platform.value,
                str(c.posts_per_week or "-"),
                c.handle,
            ]
            for c in channels
        ],
    )
    return 0


def cmd_channel_add(args, ctx: Context) -> int:
    ctx.open()
    brand_id = ctx.brand_id(args.brand)
    channel = store.add_channel(
        ctx.actor,
        brand_id,
        args.platform,
        args.handle,
        ctx.now,
        name=args.name,
        posts_per_week=args.per_week,
    )
    say(f"added {channel.platform.value} channel {channel.handle} (#{channel.id})")
    return 0


def cmd_named_list(args, ctx: Context) -> int:
    ctx.open()
    brand_id = ctx.brand_id(args.brand) if args.brand else None
    rows = store.list_named(ctx.actor, args.kind, brand_id)
    if args.json:
        print_json(rows)
        return 0
    brands = {b.id: b.slug for b in store.list_brands(ctx.actor)}
    headers = ["ID", "BRAND", "NAME"]
    if args.kind == "campaign":
        headers = ["ID", "BRAND", "FROM", "TO", "NAME"]
    print_table(
        headers,
        [
            [str(r.id), brands.get(r.brand_id, "?")]
            + ([str(r.starts_on or "-"), str(r.ends_on or "-")] if args.kind == "campaign" else [])
            + [r.name]
            for r in rows
        ],
    )
    return 0


def cmd_named_add(args, ctx: Context) -> int:
    ctx.open()
    brand_id = ctx.brand_id(args.brand)
    if args.kind == "campaign":
        starts = (
            store.parse_day(args.starts_on, ctx.today, field="from") if args.starts_on else None
        )
        ends = store.parse_day(args.ends_on, ctx.today, field="to") if args.ends_on else None
        row_id = store.add_campaign(
            ctx.actor, brand_id, args.name, ctx.now, starts_on=starts, ends_on=ends
        )
    else:
        row_id = store.add_pillar(ctx.actor, brand_id, args.name, ctx.now)
    say(f"added {args.kind} {store.clean(args.name).strip()} (#{row_id})")
    return 0


def policy_words(policy: store.ApprovalPolicy) -> str:
    """A brand's policy in a few words."""
    senior = " incl. a manager" if policy.high_stakes_needs_senior else ""
    return f"routine {policy.routine_approvals}, high-stakes {policy.high_stakes_approvals}{senior}"
