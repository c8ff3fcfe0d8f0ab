"""Every CLI subcommand, driven with generated hostile arguments against a seeded database: never
a traceback, exit 0, 1 or 2, at most one line on stderr (one when it fails), nothing a terminal
would obey on either stream."""

from __future__ import annotations

import argparse
import contextlib
import io
import os
import shutil
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import store
from tui.cli import build_parser, main
from tui.cli import context as cli_context
from tui.cli.args import row_id, stage

from ..conftest import NOW
from . import seeded as seeding
from .test_cli import subcommands

seeded = seeding.seeded  # the session's demo team (a fixture)

#: Text no command should choke on: terminal escapes, markup, line breaks, NUL, bytes that were
#: not UTF-8 (Python keeps them as lone surrogates), bidi overrides, piles of marks, numbers past
#: 64 bits, dates at the ends of the calendar, option-like words, and very long strings.
HOSTILE = [
    "",
    " ",
    "-",
    "--",
    "-x",
    "--nope",
    "--json",
    "\x1b[31mred\x1b[0m",
    "\x1b]0;owned\x07",
    "\x9b2J",
    "[/b]",
    "[bold red]x[/]",
    "a\nb",
    "a\r\nb\rc",
    "\t",
    "\x00",
    "\udcff",
    "caf\udce9",
    "\u202eevil\u202c",
    "e" + "\u0301" * 40,
    "\u2028two\u2029lines",
    "9" * 5000,
    "x" * 20_000,
    str(2**63),
    str(2**63 - 1),
    str(-(2**63) - 1),
    "-1",
    "0",
    "1e9",
    "nan",
    "0001-01-01",
    "9999-12-31",
    "9999-12-31 23:59",
    "0001-01-01 00:00",
    "+99999999d",
    "'; DROP TABLE post; --",
    "%s%n%x",
    "☕👩\u200d👩\u200d👧",
    "１２",
]
TEXT = st.one_of(
    st.sampled_from(HOSTILE),
    st.text(max_size=30),
    st.text(st.characters(min_codepoint=0xDC80, max_codepoint=0xDCFF), min_size=1, max_size=3),
    st.text(st.characters(max_codepoint=0x9F), max_size=10),
)
WORDS = st.one_of(
    st.sampled_from(["Winter blend", "Launch", "x", "acme", "Fjell tent ⛺", "looks good"]),
    st.text(st.characters(categories=["L", "N", "Zs", "So"]), min_size=1, max_size=20),
)


def plausible(*values: str, also: st.SearchStrategy[str] | None = None) -> st.SearchStrategy[str]:
    """One of `values` (or of `also`) three times in four, else something hostile."""
    good = st.sampled_from(values) if also is None else st.one_of(st.sampled_from(values), also)
    return st.integers(0, 3).flatmap(lambda n: TEXT if n == 0 else good)


IDS = plausible(
    *("1", "2", "3", "#1", " 7 ", "270", "271", str(2**63 - 1), str(2**63), "-1"),
    also=st.integers(-(2**70), 2**70).map(str),
)
DATES = plausible(
    *("today", "tomorrow", "+3d", "fri 17:00", "2026-12-01", "2026-12-01 09:30"),
    *("0001-01-01", "9999-12-31", "0001-01-01 00:00", "9999-12-31 23:59"),
)
BRANDS = plausible("acme-coffee", "birch-outdoor", "1", "2", "nope")
LOGINS = plausible("ines", "jules", "rafa", "acme-client", "root", "zed")
#: File names stay inside the example's own folder (no slash, so no way out of it).
FILES = st.one_of(
    plausible("copy.db", "anchor.json", ".", "..", "data", "data/team.db", "-"),
    TEXT.map(lambda text: text.replace("/", "_")),
)
URIS = plausible("/etc/hostname", "/tmp", "https://cdn.example.com/a.jpg", "ftp://x/y.png")
BY_NAME = {
    "brand": BRANDS,
    "login": LOGINS,
    "path": FILES,
    "anchor": FILES,
    "caption_file": FILES,
    "uri": URIS,
    "media": st.one_of(URIS, IDS),
    "start": DATES,
    "end": DATES,
    "starts_on": DATES,
    "ends_on": DATES,
    "on": DATES,
    "until": DATES,
    "publish_at": DATES,
    "review_due": DATES,
    "timezone": plausible("UTC", "Pacific/Kiritimati", "Pacific/Honolulu", "Mars/Base"),
    "group": plausible("root", "nogroup", "no-such-group"),
    # Servers only on loopback (port 9 has nobody listening): no test sends traffic elsewhere.
    "server": plausible("http://127.0.0.1:9", "https://127.0.0.1:9/", "127.0.0.1", "ftp://x"),
    "url": plausible("http://127.0.0.1:9/hook", "https://127.0.0.1:9/@acme/1", "nope"),
}
#: Who runs them: admins, an editor, a reviewer, a client, and an account the team does not know.
RUNNERS = st.sampled_from(["root", "ines", "jules", "rafa", "acme-client", "stranger"])

#: `demo` builds a whole database (5 s for the small one, minutes for --size large) into a path
#: of its own: it is driven by explicit examples in test_robust_cli.py instead.
#: `scheduler` runs until SIGTERM: tests/publishing/test_scheduler.py starts and stops it.
EXCLUDED = {"demo", "scheduler"}
COMMANDS = sorted(name for name in subcommands() if name not in EXCLUDED)


def value_for(action: argparse.Action) -> st.SearchStrategy[str]:
    """Mostly a value the option could take, often a hostile one."""
    if action.choices is not None and not isinstance(action.choices, dict):
        return plausible(*(str(c) for c in action.choices))
    if action.type is row_id or getattr(action.type, "__name__", "") == "number":
        return IDS
    if action.type is stage:
        return plausible("draft", "in-review", "In Review", "published", "approved")
    if action.type is int:
        return IDS
    return BY_NAME.get(action.dest, plausible("x", also=WORDS))


@st.composite
def arguments(draw, parser: argparse.ArgumentParser) -> list[str]:
    """Arguments for one subcommand: its positionals, some of its options, maybe extra words."""
    words: list[str] = []
    for action in parser._actions:
        if action.dest in ("help", "db", "demo", "version") or isinstance(
            action, argparse._SubParsersAction
        ):
            continue
        if not action.option_strings:
            if action.nargs == argparse.PARSER:  # a group: its action name, maybe a wrong one
                words.append(draw(plausible(*sorted(action.choices))))
                continue
            if draw(st.integers(0, 19)) > 0:  # now and then left out
                words.append(draw(value_for(action)))
            continue
        if not action.required and draw(st.booleans()):
            continue
        flag = draw(st.sampled_from(action.option_strings))
        if action.nargs == 0:
            words.append(flag)
            continue
        for _ in range(
            draw(st.integers(1, 2)) if isinstance(action, argparse._AppendAction) else 1
        ):
            words += [flag, draw(value_for(action))]
    extra = draw(st.lists(TEXT, max_size=2)) if draw(st.integers(0, 4)) == 0 else []
    return words + extra


@pytest.fixture(scope="module", autouse=True)
def frozen_clock():
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(cli_context, "clock", lambda: NOW)
        yield


def run_in_copy(seeded: Path, login: str, argv: list[str]) -> tuple[int, str, str]:
    """`postroom ARGV` as `login` on a fresh copy of the seeded database, from inside a folder of
    its own (so relative paths land there), with stdin holding a few words."""
    home = Path(tempfile.mkdtemp(prefix="hostile-"))
    here, whoami = os.getcwd(), cli_context.whoami
    saved = {name: os.environ.get(name) for name in ("POSTROOM_DB", "XDG_DATA_HOME", "HOME")}
    stdin = io.TextIOWrapper(io.BytesIO(b"a caption from stdin\n"), encoding="utf-8")
    out, err = io.StringIO(), io.StringIO()
    try:
        (home / "data").mkdir()
        db = home / "data" / "team.db"
        shutil.copyfile(seeded, db)
        # Should the generated words hide the --db given here (after a "--"), the database is
        # still this copy, and the data dir a folder that goes away.
        os.environ.update(POSTROOM_DB=str(db), XDG_DATA_HOME=str(home), HOME=str(home))
        os.chdir(home)
        cli_context.whoami = lambda: login
        with (
            contextlib.redirect_stdout(out),
            contextlib.redirect_stderr(err),
            _stdin(stdin),
        ):
            code = main(["--db", str(db), *argv, "--db", str(db)])
    finally:
        os.chdir(here)
        cli_context.whoami = whoami
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
        store.close_database()
        shutil.rmtree(home, ignore_errors=True)
    return code, out.getvalue(), err.getvalue()


@contextlib.contextmanager
def _stdin(stream):
    import sys

    saved, sys.stdin = sys.stdin, stream
    try:
        yield
    finally:
        sys.stdin = saved


def check(code: int, out: str, err: str, argv: list[str]) -> None:
    """What every run must satisfy, whatever it was given."""
    assert code in (0, 1, 2), (code, argv, err)
    assert err.count("\n") <= 1, (argv, err)
    if code != 0:
        assert err.count("\n") == 1 and err.startswith("postroom"), (argv, err)
    for stream in (out, err):
        assert "Traceback" not in stream, (argv, stream[-2000:])
        assert "internal error" not in stream, (argv, stream[-2000:])
        assert store.unsafe_characters(stream) == [], (argv, store.unsafe_characters(stream)[:5])


PARSERS = subcommands(build_parser())


@pytest.mark.parametrize("name", COMMANDS)
@settings(
    max_examples=40,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_hostile_arguments_never_break_the_command_line(seeded, name, data):
    argv = [*name.split(), *data.draw(arguments(PARSERS[name]), label="arguments")]
    login = data.draw(RUNNERS, label="login")
    code, out, err = run_in_copy(seeded, login, argv)
    check(code, out, err, argv)


def test_every_subcommand_but_demo_is_driven():
    assert set(COMMANDS) | EXCLUDED == set(subcommands())
    assert {"post add", "backup", "verify", "users set-role", "asset add", "init"} <= set(COMMANDS)


@pytest.mark.parametrize(
    "argv",
    [
        ["post", "show", "\udcff"],
        ["post", "add", "--title", "\x1b[2J", "--brand", "acme-coffee", "--caption", "\x00"],
        ["post", "list", "--limit", str(2**64)],
        ["post", "list", "--from", "0001-01-01", "--to", "9999-12-31"],
        ["post", "list", "--wat", "a\nb"],
        ["backup", "\x00"],
        ["verify", "--anchor", "a\x00b"],
        ["post", "add", "--title", "T", "--caption-file", "nope\x00"],
        ["users", "add", "\u202eevil", "editor", "--force"],
    ],
)
def test_known_hostile_arguments(seeded, argv):
    """Ones that broke, or nearly, kept as plain examples."""
    check(*run_in_copy(seeded, "ines", argv), argv)
