"""What the command line accepts: a parser whose usage errors are one line, and argument types
that refuse what the store could not hold (ids past 2⁶³, unknown stages) before anything runs."""

from __future__ import annotations

import argparse
import sys

import store

#: SQLite keeps integers in 64 bits.
BIGGEST_ID = 2**63 - 1


class Parser(argparse.ArgumentParser):
    """An argparse parser that reports bad usage in one line on stderr, then exits 2."""

    def error(self, message: str):
        sys.stderr.write(f"{self.prog}: {message} (see `{self.prog} --help`)\n")
        sys.exit(2)


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
