"""CLI commands that set up and look after a database: init, users, brands, channels, backup, verify."""

from __future__ import annotations

import argparse

import store
from store.when import parse_day

from .context import Context
from .output import fail, print_json, print_table


def register(commands: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    """Add the admin commands to the parser."""
    init = commands.add_parser(
        "init", parents=[common], help="create a database; you become its admin"
    )
    init.add_argument("--timezone", help="your IANA timezone (default: the machine's)")
    init.set_defaults(handler=cmd_init)

    who = commands.add_parser("whoami", parents=[common], help="who the database thinks you are")
    who.set_defaults(handler=cmd_whoami)

    users = commands.add_parser("users", parents=[common], help="list and manage users (admins)")
    sub = users.add_subparsers(dest="action", required=True, metavar="list|add|set-role|remove")
    p = sub.add_parser("list", parents=[common], help="every user and role")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=cmd_users_list)
    p = sub.add_parser("add", parents=[common], help="add a Unix account as a user")
    p.add_argument("login")
    p.add_argument("role", choices=[r.value for r in store.Role])
    p.add_argument("--name", default="")
    p.add_argument("--timezone")
    p.add_argument("--brand", action="append", default=[], help="a client's brand (repeat)")
    p.set_defaults(handler=cmd_users_add)
    p = sub.add_parser("set-role", parents=[common], help="change a user's role")
    p.add_argument("login")
    p.add_argument("role", choices=[r.value for r in store.Role])
    p.add_argument("--brand", action="append", default=[], help="a client's brand (repeat)")
    p.set_defaults(handler=cmd_users_set_role)
    p = sub.add_parser("remove", parents=[common], help="deactivate a user (history stays)")
    p.add_argument("login")
    p.set_defaults(handler=cmd_users_remove)

    brand = commands.add_parser("brand", parents=[common], help="brands and their approval policy")
    sub = brand.add_subparsers(dest="action", required=True, metavar="list|add|policy")
    p = sub.add_parser("list", parents=[common], help="brands you can see")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=cmd_brand_list)
    p = sub.add_parser("add", parents=[common], help="add a brand (admins)")
    p.add_argument("name")
    p.add_argument("--slug")
    p.set_defaults(handler=cmd_brand_add)
    p = sub.add_parser("policy", parents=[common], help="show or change a brand's approval policy")
    p.add_argument("brand")
    p.add_argument("--routine", type=int, help="approvals a routine post needs")
    p.add_argument("--high-stakes", type=int, help="approvals a high-stakes post needs")
    p.add_argument(
        "--senior",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="whether a high-stakes post needs a manager or admin among them",
    )
    p.set_defaults(handler=cmd_brand_policy)

    channel = commands.add_parser(
        "channel", parents=[common], help="a brand's accounts on platforms"
    )
    sub = channel.add_subparsers(dest="action", required=True, metavar="list|add")
    p = sub.add_parser("list", parents=[common])
    p.add_argument("--brand")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=cmd_channel_list)
    p = sub.add_parser("add", parents=[common], help="add a channel (admins)")
    p.add_argument("brand")
    p.add_argument("platform", choices=[pl.value for pl in store.Platform])
    p.add_argument("handle")
    p.add_argument("--name", default="")
    p.add_argument("--per-week", type=int, help="posting cadence, for gap warnings")
    p.set_defaults(handler=cmd_channel_add)

    for kind in ("campaign", "pillar"):
        parser = commands.add_parser(kind, parents=[common], help=f"a brand's {kind}s")
        sub = parser.add_subparsers(dest="action", required=True, metavar="add")
        p = sub.add_parser("add", parents=[common])
        p.add_argument("brand")
        p.add_argument("name")
        if kind == "campaign":
            p.add_argument("--from", dest="starts_on")
            p.add_argument("--to", dest="ends_on")
        p.set_defaults(handler=cmd_named_add, kind=kind)

    backup = commands.add_parser(
        "backup", parents=[common], help="a consistent copy, safe while others write"
    )
    backup.add_argument("path")
    backup.set_defaults(handler=cmd_backup)

    verify = commands.add_parser(
        "verify", parents=[common], help="check the file, its references and the audit chain"
    )
    verify.set_defaults(handler=cmd_verify)


def cmd_init(args, ctx: Context) -> int:
    ctx.open(create=True)
    user = store.init_database(ctx.login, ctx.now, args.timezone)
    print(f"created {ctx.db}; {user.login} is admin (timezone {user.timezone})")
    return 0


def cmd_whoami(args, ctx: Context) -> int:
    ctx.open()
    user = ctx.actor.user
    if user is None:
        return fail(f"{ctx.login} is not a user of {ctx.db}; you may read but not write")
    print(f"{user.login} ({user.role.value}, {user.timezone})")
    return 0


def cmd_users_list(args, ctx: Context) -> int:
    ctx.open()
    users = store.list_users()
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
    )
    print(f"added {user.login} as {user.role.value}")
    return 0


def cmd_users_set_role(args, ctx: Context) -> int:
    ctx.open()
    user = store.set_role(ctx.actor, args.login, args.role, ctx.now, brand_slugs=tuple(args.brand))
    print(f"{user.login} is now {user.role.value}")
    return 0


def cmd_users_remove(args, ctx: Context) -> int:
    ctx.open()
    store.remove_user(ctx.actor, args.login, ctx.now)
    print(f"removed {args.login} (their history stays)")
    return 0


def cmd_brand_list(args, ctx: Context) -> int:
    ctx.open()
    brands = store.list_brands(ctx.actor)
    if args.json:
        print_json(brands)
        return 0
    print_table(
        ["ID", "SLUG", "POLICY", "NAME"],
        [[str(b.id), b.slug, _policy_words(b.policy), b.name] for b in brands],
    )
    return 0


def cmd_brand_add(args, ctx: Context) -> int:
    ctx.open()
    brand = store.create_brand(ctx.actor, args.name, ctx.now, slug=args.slug)
    print(f"added brand {brand.name} ({brand.slug}, #{brand.id})")
    return 0


def cmd_brand_policy(args, ctx: Context) -> int:
    ctx.open()
    brand = store.find_brand(ctx.actor, args.brand)
    if args.routine is None and args.high_stakes is None and args.senior is None:
        print(f"{brand.name}: {_policy_words(brand.policy)}")
        return 0
    policy = store.set_policy(
        ctx.actor,
        brand.id,
        ctx.now,
        routine_approvals=args.routine,
        high_stakes_approvals=args.high_stakes,
        high_stakes_needs_senior=args.senior,
    )
    print(f"{brand.name}: {_policy_words(policy)}")
    return 0


def cmd_channel_list(args, ctx: Context) -> int:
    ctx.open()
    brand_id = ctx.brand_id(args.brand) if args.brand else None
    channels = store.list_channels(brand_id)
    if args.json:
        print_json(channels)
        return 0
    print_table(
        ["ID", "BRAND", "PLATFORM", "PER WEEK", "HANDLE"],
        [
            [str(c.id), str(c.brand_id), c.platform.value, str(c.posts_per_week or "-"), c.handle]
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
    print(f"added {channel.platform.value} channel {channel.handle} (#{channel.id})")
    return 0


def cmd_named_add(args, ctx: Context) -> int:
    ctx.open()
    brand_id = ctx.brand_id(args.brand)
    if args.kind == "campaign":
        today = ctx.now.date()
        starts = parse_day(args.starts_on, today, field="from") if args.starts_on else None
        ends = parse_day(args.ends_on, today, field="to") if args.ends_on else None
        row_id = store.add_campaign(
            ctx.actor, brand_id, args.name, ctx.now, starts_on=starts, ends_on=ends
        )
    else:
        row_id = store.add_pillar(ctx.actor, brand_id, args.name, ctx.now)
    print(f"added {args.kind} {args.name} (#{row_id})")
    return 0


def cmd_backup(args, ctx: Context) -> int:
    ctx.open()
    target = store.backup_to(args.path)
    print(f"backed up {ctx.db} to {target}")
    return 0


def cmd_verify(args, ctx: Context) -> int:
    ctx.open()
    report = store.verify_database()
    if report.ok:
        print(f"ok ({report.audit_rows} audit events, chain intact)")
        return 0
    for problem in report.problems:
        print(problem)
    return fail(report.problems[0])


def _policy_words(policy: store.ApprovalPolicy) -> str:
    senior = " incl. a manager" if policy.high_stakes_needs_senior else ""
    return f"routine {policy.routine_approvals}, high-stakes {policy.high_stakes_approvals}{senior}"
