"""The `postroom` command: opens the app, or runs one job headless through the same store services.

Whatever happens, it exits 0 (done), 1 (refused or failed, one line on stderr saying why) or
2 (bad usage, one line too); never a traceback.
"""

from __future__ import annotations

import argparse
import os
import sys

import store

from . import assets, inbox, notes, posts, publishing, report, setup, team
from .args import Parser, not_utf8
from .context import Context
from .output import SafeStream, fail

#: Subcommands that work without a database.
NO_DATABASE = ("demo",)


def build_parser() -> argparse.ArgumentParser:
    """The whole command line; `--db` and `--demo` are accepted before or after the subcommand."""
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
    parser = Parser(
        prog="postroom",
        description="A social media team's whole workflow in the terminal, over one shared "
        "database. Without a command, opens the app.",
        epilog="Exit codes: 0 ok, 1 refused or failed (reason on stderr), 2 bad usage. "
        "`postroom COMMAND --help` describes each command.",
    )
    parser.add_argument(
        "--db",
        default=None,
        help="database file or postgresql:// URL (else $POSTROOM_DB, else your data dir)",
    )
    parser.add_argument(
        "--demo", action="store_true", help="open a demo database (created and filled on first use)"
    )
    parser.add_argument("--version", action="version", version=f"postroom {store.__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=Parser)
    for module in (setup, team, posts, notes, assets, publishing, inbox, report):
        module.register(commands, common)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run the command line; returns the exit code."""
    argv = sys.argv[1:] if argv is None else argv
    stdout, stderr = sys.stdout, sys.stderr
    # A stream the shell closed (`>&-`) is None: print() then writes nowhere, as it should.
    sys.stdout = SafeStream(stdout) if stdout is not None else None
    sys.stderr = SafeStream(stderr) if stderr is not None else None
    try:
        return _run(argv)
    except SystemExit as done:  # --help, --version and bad usage end inside argparse
        return done.code if isinstance(done.code, int) else 2
    except BrokenPipeError:
        # The reader stopped reading (`| head -1`): leave quietly, as other Unix tools do.
        _silence_stdout()
        return 0
    except KeyboardInterrupt:
        return fail("interrupted; nothing half-written (each change is one transaction)")
    finally:
        store.close_database()
        sys.stdout, sys.stderr = stdout, stderr


def _run(argv: list[str]) -> int:
    bad = not_utf8(argv)
    if bad is not None:
        return fail(f"argument {bad} is not valid UTF-8; check the terminal's encoding", code=2)
    try:
        args = build_parser().parse_args(argv)
        if args.command is None:
            return setup.open_app(args)
        target = (
            (args.db or str(store.demo_location()))
            if args.demo
            else store.resolve_location(args.db)
        )
        code = args.handler(args, Context(target))
        if sys.stdout is not None:
            sys.stdout.flush()  # here, so a reader that went away is met as a broken pipe
        return code
    except store.PostroomError as error:
        return fail(str(error))
    except (BrokenPipeError, KeyboardInterrupt):
        raise
    except Exception as error:
        words = store.failure_words(error)
        if words is None and isinstance(error, ValueError) and "null byte" in str(error):
            # Only a caller of main() can pass one (a command line cannot), as a file name.
            words = "a file name cannot hold a NUL character"
        if words is None:
            return fail(f"internal error ({type(error).__name__}: {error}); please report it")
        return fail(words)


def _silence_stdout() -> None:
    """Point stdout at /dev/null so the interpreter's last flush does not fail again."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.__stdout__.fileno())
    except (OSError, ValueError, AttributeError):
        pass
