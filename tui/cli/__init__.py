"""The `postroom` command: opens the app, or runs one job headless through the same store services."""

from __future__ import annotations

import argparse
import sys

import store

from . import admin, assets, posts
from .context import Context
from .output import fail


def build_parser() -> argparse.ArgumentParser:
    """The whole command line; `--db` is accepted before or after the subcommand."""
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--db",
        default=argparse.SUPPRESS,
        help="database file or postgresql:// URL (else $POSTROOM_DB, else your data dir)",
    )
    common.add_argument(
        "--demo",
        action="store_true",
        default=argparse.SUPPRESS,
        help="use the demo database that `postroom --demo` opens",
    )
    parser = argparse.ArgumentParser(
        prog="postroom",
        description="A social media team's whole workflow in the terminal, over one shared database.",
        epilog="Exit codes: 0 ok, 1 refused or failed (reason on stderr), 2 bad usage.",
    )
    parser.add_argument(
        "--db",
        default=None,
        help="database file or postgresql:// URL (else $POSTROOM_DB, else your data dir)",
    )
    parser.add_argument(
        "--demo", action="store_true", help="open a demo database (created and filled on first use)"
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    demo = commands.add_parser("demo", parents=[common], help="build a demo database")
    demo.add_argument("--size", choices=["small", "large"], default="small")
    demo.add_argument("--seed", type=int, default=7)
    demo.set_defaults(handler=cmd_demo)
    posts.register(commands, common)
    admin.register(commands, common)
    assets.register(commands, common)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run the command line; returns the exit code."""
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        if args.command is None:
            return open_app(args)
        target = demo_location(args.db) if args.demo else store.resolve_location(args.db)
        return args.handler(args, Context(target))
    except store.PostroomError as error:
        return fail(str(error))
    except (OSError, UnicodeDecodeError) as error:
        return fail(str(error))
    finally:
        store.close_database()


def demo_location(cli_value: str | None) -> str:
    """Where `--demo` keeps its database: --db if given, else demo.db in the user data dir."""
    if cli_value:
        return cli_value
    from store.db import default_location

    return str(default_location().with_name("demo.db"))


def cmd_demo(args, ctx: Context) -> int:
    from store.demo import build_demo

    result = build_demo(ctx.db, size=args.size, seed=args.seed, now=ctx.now, login=ctx.login)
    print(result.summary())
    return 0


def open_app(args) -> int:
    """Open the app on the chosen database (or the demo one)."""
    from pathlib import Path

    if args.demo:
        target = demo_location(args.db)
        if not Path(target).exists():
            from store.demo import build_demo

            print(f"building the demo team in {target} …", file=sys.stderr)
            build_demo(target, size="small", seed=7, login=store.current_login())
    else:
        target = store.resolve_location(args.db)
    from tui.app import build_app

    app = build_app(target, store.current_login())
    app.run()
    return 0
