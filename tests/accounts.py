"""Real Unix accounts for the tests of a shared server: two members of a team group and one
outsider, a folder they can all reach, and `postroom` run as each of them in its own process."""

from __future__ import annotations

import functools
import grp
import os
import pwd
import shutil
import site
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
GROUP = "postroom-tg"
MEMBERS = ("postroom-t1", "postroom-t2")
OUTSIDER = "postroom-t3"
ACCOUNTS = (*MEMBERS, OUTSIDER)


def _commands_to_create() -> str:
    lines = [f"groupadd -f {GROUP}"]
    lines += [f"useradd -M -U -s /usr/sbin/nologin -G {GROUP} {name}" for name in MEMBERS]
    lines.append(f"useradd -M -U -s /usr/sbin/nologin {OUTSIDER}")
    return "; ".join(lines)


def _wrong_accounts() -> list[str]:
    """What is not as the tests need it: a missing account, or a membership the wrong way."""
    try:
        members = set(grp.getgrnam(GROUP).gr_mem)
    except KeyError:
        return [f"no group {GROUP}"]
    wrong = []
    for name in ACCOUNTS:
        try:
            pwd.getpwnam(name)
        except KeyError:
            wrong.append(f"no account {name}")
            continue
        if (name in members) != (name in MEMBERS):
            wrong.append(f"{name} {'is' if name == OUTSIDER else 'is not'} in {GROUP}")
    return wrong


@functools.cache
def ensure_accounts() -> None:
    """Make the accounts and the group when running as root (idempotent); otherwise fail, saying
    how to make them, since the tests cannot run as other people without them."""
    if os.geteuid() != 0:
        wrong = _wrong_accounts()
        pytest.fail(
            "these tests run postroom as other Unix accounts, which needs root"
            + (
                f" and accounts that are missing ({', '.join(wrong)}): as root, run: "
                + _commands_to_create()
                if wrong
                else ""
            )
        )
    subprocess.run(["groupadd", "-f", GROUP], check=True)
    for name in ACCOUNTS:
        try:
            pwd.getpwnam(name)
        except KeyError:
            subprocess.run(["useradd", "-M", "-U", "-s", "/usr/sbin/nologin", name], check=True)
    for name in MEMBERS:
        subprocess.run(["usermod", "-aG", GROUP, name], check=True)
    if OUTSIDER in grp.getgrnam(GROUP).gr_mem:
        subprocess.run(["gpasswd", "-d", OUTSIDER, GROUP], check=True, capture_output=True)
    wrong = _wrong_accounts()
    assert not wrong, f"could not set the test accounts up: {wrong}"


def traversable_dir(prefix: str) -> Path:
    """A new folder under the system temp dir that every account may enter (not pytest's
    tmp_path, which is private to the account running the tests)."""
    path = Path(tempfile.mkdtemp(prefix=prefix))
    path.chmod(0o755)
    for parent in path.parents:
        if not os.access(parent, os.X_OK) or not parent.stat().st_mode & 0o001:
            pytest.fail(f"{parent} may not be entered by other accounts; set TMPDIR elsewhere")
    return path


def _runs_as(name: str, command: list[str], env: dict[str, str]) -> bool:
    probe = [*as_account(name), *command, "-c", "import apsw, peewee, store, tui.cli"]
    done = subprocess.run(probe, env=env, cwd="/", capture_output=True, text=True)
    return done.returncode == 0


def _system_python() -> str | None:
    """A Python of the same version as ours outside any private folder (the venv's interpreter
    may live under /root, which other accounts may not enter)."""
    version = f"python{sys.version_info.major}.{sys.version_info.minor}"
    for folder in ("/usr/bin", "/usr/local/bin", "/bin"):
        candidate = Path(folder) / version
        if candidate.is_file() and os.access(candidate, os.X_OK):
            return str(candidate)
    return None


@functools.cache
def python_for_accounts() -> tuple[tuple[str, ...], tuple[tuple[str, str], ...]]:
    """How another account runs our Python with Postroom importable: (command, extra env).

    This interpreter if they may run it; else the system's Python of the same version with our
    site-packages and checkout on PYTHONPATH; else the same with copies of them in a folder they
    may read (a checkout or venv under a private home).
    """
    ensure_accounts()
    base = {"PATH": "/usr/bin:/bin", "LANG": "C.UTF-8", "PYTHONDONTWRITEBYTECODE": "1"}
    if _runs_as(OUTSIDER, [sys.executable], base):
        return (sys.executable,), ()
    python = _system_python()
    if python is None:
        pytest.fail(
            f"other accounts may not run {sys.executable} and there is no system "
            f"python{sys.version_info.major}.{sys.version_info.minor}; make the venv's "
            "interpreter reachable (a venv made from /usr/bin/python3)"
        )
    paths = [str(ROOT), *site.getsitepackages()]
    extra = {"PYTHONPATH": os.pathsep.join(paths)}
    if _runs_as(OUTSIDER, [python], {**base, **extra}):
        return (python,), tuple(extra.items())
    copy = traversable_dir("postroom-code-")
    for package in ("store", "tui"):
        shutil.copytree(ROOT / package, copy / package, ignore=shutil.ignore_patterns("*.pyc"))
    for number, folder in enumerate(site.getsitepackages()):
        shutil.copytree(folder, copy / f"site{number}", ignore=shutil.ignore_patterns("*.pyc"))
    subprocess.run(["chmod", "-R", "a+rX", str(copy)], check=True)
    paths = [str(copy), *(str(copy / f"site{n}") for n in range(len(site.getsitepackages())))]
    extra = {"PYTHONPATH": os.pathsep.join(paths)}
    if not _runs_as(OUTSIDER, [python], {**base, **extra}):
        pytest.fail(f"{OUTSIDER} cannot import Postroom even from a copy in {copy}")
    return (python,), tuple(extra.items())


def as_account(name: str) -> list[str]:
    """The prefix that runs a command as `name`, with its own groups (not ours)."""
    account = pwd.getpwnam(name)
    return [
        "setpriv",
        f"--reuid={account.pw_uid}",
        f"--regid={account.pw_gid}",
        "--init-groups",
        "--",
    ]


def postroom_as(name: str, *args: str, home: Path | None = None) -> subprocess.CompletedProcess:
    """Run `postroom ARGS` as the account `name` in a process of its own, under umask 022."""
    python, extra = python_for_accounts()
    env = {
        "PATH": "/usr/bin:/bin",
        "LANG": "C.UTF-8",
        "PYTHONDONTWRITEBYTECODE": "1",
        "HOME": str(home or "/nonexistent"),
        "XDG_DATA_HOME": str(home or "/nonexistent"),
        **dict(extra),
    }
    return subprocess.run(
        [*as_account(name), *python, "-m", "tui.cli", *args],
        env=env,
        cwd="/",
        umask=0o022,
        capture_output=True,
        text=True,
        timeout=120,
    )


def one_line(err: str) -> str:
    """The single line a refusal writes on stderr (failing the test when there is not exactly
    one, or it is not postroom's)."""
    assert err.count("\n") == 1 and err.endswith("\n"), f"not one line: {err!r}"
    assert err.startswith("postroom"), err
    assert "Traceback" not in err and "internal error" not in err, err
    return err.rstrip("\n")
