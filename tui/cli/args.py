"""What the command line accepts: a parser whose usage errors are one line, and argument types
that refuse what the store could not hold (ids past 2⁶³, unknown stages) before anything runs."""

from __future__ import annotations

import argparse
import sys

import store

from .output import one_line

#: SQLite keeps integers in 64 bits.
BIGGEST_ID = 2**63 - 1


class Parser(argparse.ArgumentParser):
    """An argparse parser that reports bad usage in one line on stderr, then exits 2."""

    def error(self, message: str):
        # argparse quotes some of what it was given as it is (unrecognized arguments): a line
        # break in one must not make a second line.
        sys.stderr.write(f"{one_line(self.prog)}: {one_line(message)} (see `{self.prog} --help`)\n")
        sys.exit(2)


def command(sub, common, name: str, *, help: str, description: str, handler, **defaults):
    """Declare one command (or one action of a group) that takes the shared --db and --demo and
    runs `handler`; `defaults` are more values its arguments do not set. Returns its parser, for
    the arguments."""
    parser = sub.add_parser(name, parents=[common], help=help, description=description)
    parser.set_defaults(handler=handler, **defaults)
    return parser


def group(commands, common, name: str, *, help: str, description: str, actions: str):
    """Declare a command made of actions (`postroom post add`); `actions` is how its usage lists
    them (add|list). Returns the subparsers to declare each action in, with `command`."""
    parser = commands.add_parser(name, parents=[common], help=help, description=description)
    return parser.add_subparsers(dest="action", required=True, metavar=actions)


def row_id(text: str) -> int:
    """A database id: a whole number from 1 to 2⁶³-1."""
    try:
        value = int(text.strip().removeprefix("#"))
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not an id (a whole number)") from None
    if not 1 <= value <= BIGGEST_ID:
        raise argparse.ArgumentTypeError(f"{text!r} is not an id (1 to {BIGGEST_ID})")
    return value


def count(lowest: int, highest: int):
    """A whole number between two bounds (a limit, a cadence, a number of approvals)."""

    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
        if not lowest <= value <= highest:
            raise argparse.ArgumentTypeError(f"{text} is not between {lowest} and {highest}")
        return value

    parse.__name__ = "number"
    return parse


def seconds(lowest: float, highest: float):
    """A number of seconds between two bounds (a timeout, an interval)."""

    def parse(text: str) -> float:
        try:
            value = float(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text!r} is not a number of seconds") from None
        if not lowest <= value <= highest:  # also refuses nan
            raise argparse.ArgumentTypeError(f"{text} is not between {lowest} and {highest}")
        return value

    parse.__name__ = "seconds"
    return parse


def stage(text: str) -> store.Stage:
    """A stage as people write it: in-review, in_review, "in review"."""
    try:
        return store.Stage.parse(text)
    except ValueError as bad:
        raise argparse.ArgumentTypeError(str(bad)) from None


STAGE_NAMES = "|".join(s.value.replace("_", "-") for s in store.Stage)


def not_utf8(argv: list[str]) -> int | None:
    """The position of the first argument that was not valid UTF-8 (Python keeps its bad bytes as
    lone surrogates), or None."""
    for position, argument in enumerate(argv, start=1):
        if any("\udc80" <= ch <= "\udcff" for ch in argument):
            return position
    return None
