"""CLI commands that make and look after a database: init, demo, whoami, doctor, migrate, backup,
verify; and opening the app."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import store

from .args import command
from .context import Context
from .output import fail, say


def register(commands, common: argparse.ArgumentParser) -> None:
    """Add the setup commands to the parser."""
    p = command(
        commands,
        common,
        "init",
        help="create a database; you become its admin",
        description="Create a new, empty database and make you (your Unix account) its first "
        "admin. With --group, or in a setgid folder, it is shared: mode 0660 in that group.",
        handler=cmd_init,
    )
    p.add_argument("--timezone", help="your IANA timezone (default: the machine's)")
    p.add_argument("--group", help="the Unix group that shares the database (its members write)")

    p = command(
        commands,
        common,
        "demo",
        help="build a demo database",
        description="Build a believable team in a new database: `small` (270 posts, through the "
        "same services people use) or `large` (100k posts, for the benchmarks).",
        handler=cmd_demo,
    )
    p.add_argument("--size", choices=list(store.SIZES), default="small")
    p.add_argument("--seed", type=int, default=7, help="the same seed builds the same team")

    command(
        commands,
        common,
        "whoami",
        help="who the database thinks you are",
        description="Your login, role and timezone in this database, and whether you may write.",
        handler=cmd_whoami,
    )
    command(
        commands,
        common,
        "doctor",
        help="check a shared setup and say how to fix it",
        description="Check that the database is shared as it should be: who may reach and write "
        "it, its mode and group, a setgid folder, side files (-wal, -shm) that match, and that "
        "every Postroom user's account may write it. Each problem comes with a one-line fix.",
        handler=cmd_doctor,
    )
    command(
        commands,
        common,
        "migrate",
        help="upgrade an older database's schema (admins)",
        description="Bring a database made by an older Postroom up to this one's schema, after "
        "a backup beside it. Only an admin may; nothing else ever changes a schema.",
        handler=cmd_migrate,
    )

    p = command(
        commands,
        common,
        "backup",
        help="a consistent copy, safe while others write",
        description="Write a consistent, compact copy of the database to PATH while others keep "
        "working. It is written aside and renamed into place, with the database's mode and group.",
        handler=cmd_backup,
    )
    p.add_argument("path")

    p = command(
        commands,
        common,
        "verify",
        help="check the file, its references and the audit chain",
        description="Check the file's integrity, its references and the audit trail's hash "
        "chain, reading only. With --anchor, also check the chain against the head kept in FILE "
        "(keep it outside the database's folder), which shows a cut or rewritten chain; the "
        "anchor then moves to the new head.",
        handler=cmd_verify,
    )
    p.add_argument("--anchor", metavar="FILE", help="where the chain's head is kept")


def cmd_init(args, ctx: Context) -> int:
    made = "://" not in ctx.db and not Path(ctx.db).exists()  # a file this init makes
    ctx.open(create=True, group=args.group)
    try:
        user = store.init_database(ctx.login, ctx.now, args.timezone)
    except BaseException:
        # A database with a schema and no admin would only say "exists already" to the next
        # `postroom init` (a mistyped --timezone, a full disk): take back what this made.
        if made:
            store.close_database()
            for leftover in (ctx.db, f"{ctx.db}-wal", f"{ctx.db}-shm"):
                Path(leftover).unlink(missing_ok=True)
        raise
    say(f"created {ctx.db}; {user.login} is admin (timezone {user.timezone})")
    return 0


def cmd_demo(args, ctx: Context) -> int:
    result = store.build_demo(ctx.db, size=args.size, seed=args.seed, now=ctx.now, login=ctx.login)
    say(result.summary())
    return 0


def cmd_whoami(args, ctx: Context) -> int:
    ctx.open()
    user = ctx.actor.user
    if user is None:
        return fail(store.stranger_message(ctx.login))
    reason = store.read_only_reason()
    print(
        f"{user.login} ({user.role.value}, {user.timezone})"
        + (f"; read only: {reason}" if reason else "")
    )
    return 0


def cmd_doctor(args, ctx: Context) -> int:
    checks = store.doctor(ctx.db)
    marks = {"ok": "ok  ", "warn": "note", "fail": "FIX "}
    for check in checks:
        print(f"{marks[check.level]}  {check.what}")
        if check.fix:
            print(f"      → {check.fix}")
    failed = [c for c in checks if c.level == "fail"]
    if failed:
        return fail(f"{len(failed)} thing{'s' if len(failed) > 1 else ''} to fix: {failed[0].what}")
    return 0


def cmd_migrate(args, ctx: Context) -> int:
    ctx.open(read_only=True, any_schema=True)
    user = ctx.actor.user
    if user is None or user.role is not store.Role.ADMIN:
        admins = ", ".join(store.admin_logins()) or "none"
        return fail(f"only an admin may change the schema (admins: {admins})")
    store.close_database()
    done = store.upgrade_database(ctx.db)
    if done.before == done.after:
        say(f"{ctx.db} is at schema {done.after} already; nothing to do")
    else:
        say(f"upgraded {ctx.db} from schema {done.before} to {done.after}; backup at {done.backup}")
    return 0


def cmd_backup(args, ctx: Context) -> int:
    ctx.open(read_only=True)
    target = store.backup_to(args.path)
    say(f"backed up {ctx.db} to {target}")
    return 0


def cmd_verify(args, ctx: Context) -> int:
    if args.anchor:
        store.check_anchor_place(args.anchor, ctx.db)
    ctx.open(read_only=True, any_schema=True)
    report = store.verify_database(anchor=args.anchor)
    for note in report.notes:
        print(note)
    if report.ok:
        print(f"ok ({report.audit_rows} audit events, chain intact)")
        return 0
    for problem in report.problems:
        print(problem)
    return fail(report.problems[0])


def open_app(args) -> int:
    """Open the app on the chosen database (the demo one is built on first use)."""
    if args.demo:
        target = args.db or str(store.demo_location())
        if not Path(target).exists():
            print(f"building the demo team in {target} …", file=sys.stderr)
            store.build_demo(target, size="small", seed=7, login=store.current_login())
    else:
        target = store.resolve_location(args.db)
    from tui.app import build_app

    from .context import whoami

    app = build_app(target, whoami())
    app.run()
    return app.return_code or 0
