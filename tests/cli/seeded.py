"""What the CLI's robustness tests share: the small demo team, built once per session (5 s),
a copy of it per test, and `postroom` run in this process as a given login."""

from __future__ import annotations

import hashlib
import shutil
import sys
from pathlib import Path

import pytest

import store
from tui.cli import context as cli_context
from tui.cli import main

from ..accounts import one_line
from ..conftest import NOW

PYTHON = [sys.executable, "-m", "tui.cli"]


@pytest.fixture(scope="session")
def seeded(tmp_path_factory):
    """The demo database (admins root and ines; editors, reviewers, clients, 270 posts)."""
    path = tmp_path_factory.mktemp("seeded") / "demo.db"
    store.build_demo(path, size="small", seed=7, now=NOW, login="root")
    store.close_database()
    return path


@pytest.fixture
def db(seeded, tmp_path) -> Path:
    """A copy of the demo team in a folder of its own (tmp_path/data)."""
    (tmp_path / "data").mkdir()
    path = tmp_path / "data" / "team.db"
    shutil.copyfile(seeded, path)
    return path


def in_process(monkeypatch, capsys, *, db: str | None = None, checked: bool = True):
    """A function running `postroom ARGS` in this process as `login` at NOW (on `db` when
    given) and returning (exit code, stdout, stderr); `checked`: neither stream may hold a
    traceback or a control character."""
    monkeypatch.setattr(cli_context, "clock", lambda: NOW)

    def run(login: str, *args: str):
        monkeypatch.setattr(cli_context, "whoami", lambda: login)
        code = main([*args, "--db", db] if db else list(args))
        out, err = capsys.readouterr()
        for stream in (out, err) if checked else ():
            assert "Traceback" not in stream and "internal error" not in stream, stream[-2000:]
            assert store.unsafe_characters(stream) == [], stream[-2000:]
        return code, out, err

    return run


@pytest.fixture
def run(monkeypatch, capsys):
    """`postroom ARGS` in this process as `login` at NOW, checked; (exit code, stdout, stderr)."""
    return in_process(monkeypatch, capsys)


def refused(result, code: int = 1) -> str:
    """The one line of a refusal that exited with `code` and printed nothing on stdout."""
    got, out, err = result
    assert got == code, (got, out, err)
    assert out == "", out
    return one_line(err)


def digest(path: Path) -> str:
    """The file's SHA-256, to show it was not changed."""
    return hashlib.sha256(path.read_bytes()).hexdigest()


def names(folder: Path) -> set[str]:
    """What is in a folder, by name."""
    return {entry.name for entry in folder.iterdir()}
