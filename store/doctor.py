"""`postroom doctor`: checks a database shared on a server (reachable, modes, group, a setgid
folder, side files that match, who can write) and says in one line how to fix each problem."""

from __future__ import annotations

import grp
import os
import pwd
import stat
from dataclasses import dataclass
from pathlib import Path

from .db import close_database, is_url, open_database
from .db.files import (
    group_name,
    look_up,
    me,
    owner_words,
    side_files,
    side_fix,
    user_name,
)
from .db.migrations import latest_version, schema_version
from .db.models import User
from .errors import DatabaseRefused


@dataclass(frozen=True)
class Check:
    """One finding: "ok", "warn" (worth knowing) or "fail" (fix it), and the fix in one line."""

    level: str
    what: str
    fix: str = ""


def doctor(target: str | os.PathLike) -> list[Check]:
    """Every check of a shared database file, most basic first; it stops where one fails that
    the rest depend on."""
    if is_url(str(target)):
        return [Check("ok", f"{target} is a PostgreSQL server: file checks do not apply")]
    path = Path(target)
    try:
        info = look_up(path)
    except DatabaseRefused as refused:
        return [Check("fail", str(refused), "an admin adds you to the folder's group")]
    if info is None:
        return [Check("fail", f"no database at {path}", f"postroom init --db {path} --group TEAM")]
    checks = [_opens(path)]
    if checks[0].level == "fail":
        return checks
    checks += [_mode(path, info), _folder(path, info), *_sides(path, info)]
    checks += _writers(path, info)
    return checks


def _opens(path: Path) -> Check:
    try:
        concrete = open_database(path, read_only=True, any_schema=True)
        version = schema_version(concrete)
    except DatabaseRefused as refused:
        return Check("fail", str(refused))
    finally:
        close_database()
    if version < latest_version():
        return Check(
            "fail",
            f"{path} is a Postroom database at schema {version}, older than {latest_version()}",
            f"an admin runs: postroom migrate --db {path}",
        )
    return Check("ok", f"{path} is a Postroom database (schema {version})")


def _mode(path: Path, info: os.stat_result) -> Check:
    mode, group = stat.S_IMODE(info.st_mode), group_name(info.st_gid)
    if mode & stat.S_IWOTH:
        return Check(
            "fail",
            f"anyone on this machine may write {path} ({owner_words(info)})",
            f"chmod o-rw {path}",
        )
    if not mode & stat.S_IWGRP:
        return Check(
            "warn",
            f"{path} is {owner_words(info)}: only {user_name(info.st_uid)} may write it",
            f"to share it with a group: chgrp TEAM {path} && chmod 660 {path}",
        )
    return Check("ok", f"{path} is {owner_words(info)}: group {group} reads and writes it")


def _folder(path: Path, info: os.stat_result) -> Check:
    folder = path.parent.resolve()
    folder_info = folder.stat()
    group = group_name(info.st_gid)
    if not info.st_mode & stat.S_IWGRP:
        return Check("ok", f"the folder {folder} is {owner_words(folder_info)}")
    if not folder_info.st_mode & stat.S_ISGID or folder_info.st_gid != info.st_gid:
        return Check(
            "warn",
            f"the folder {folder} is {owner_words(folder_info)}, not setgid {group}: a file "
            "SQLite makes there takes its maker's group",
            f"chgrp {group} {folder} && chmod g+s {folder}",
        )
    return Check("ok", f"the folder {folder} is setgid {group}: files made there stay in it")


def _sides(path: Path, info: os.stat_result) -> list[Check]:
    checks = []
    wanted = stat.S_IMODE(info.st_mode) & 0o666
    for side in side_files(path):
        side_info = look_up(side)
        if side_info is None:
            checks.append(
                Check(
                    "warn",
                    f"{side} is missing: the next writer makes it, with their account's group "
                    "unless the folder is setgid",
                    f"a writer opens it once: postroom whoami --db {path}",
                )
            )
        elif side_info.st_gid != info.st_gid or stat.S_IMODE(side_info.st_mode) != wanted:
            checks.append(
                Check(
                    "fail",
                    f"{side} is {owner_words(side_info)}, unlike the database: writes through it "
                    "fail for others",
                    f"as {user_name(side_info.st_uid)} or root: {side_fix(side, info)}",
                )
            )
        else:
            checks.append(Check("ok", f"{side} is {owner_words(side_info)}, like the database"))
    return checks


def _writers(path: Path, info: os.stat_result) -> list[Check]:
    """Postroom users who cannot write the file, and accounts that can but are not users."""
    try:
        open_database(path, read_only=True, any_schema=True)
        logins = {u.login: u.role for u in User.select().where(User.active == 1)}
    except DatabaseRefused:
        return []
    finally:
        close_database()
    checks = []
    writers = _accounts_that_may_write(info)
    for login, role in sorted(logins.items()):
        try:
            pwd.getpwnam(login)
        except KeyError:
            checks.append(
                Check("warn", f"{login} ({role}) is a Postroom user but not an account here")
            )
            continue
        if login not in writers and not info.st_mode & stat.S_IWGRP:
            checks.append(
                Check(
                    "warn",
                    f"{login} ({role}) may not write {path.name}: it is private to "
                    f"{user_name(info.st_uid)}",
                    f"to share it: chgrp TEAM {path} && chmod 660 {path}",
                )
            )
        elif login not in writers:
            group = group_name(info.st_gid)
            checks.append(
                Check(
                    "fail" if role != "client" else "warn",
                    f"{login} ({role}) may not write {path.name} (not in group {group}): "
                    "they can only read",
                    f"usermod -aG {group} {login}",
                )
            )
    strangers = sorted(writers - set(logins) - {"root"})
    if strangers:
        checks.append(
            Check(
                "warn",
                f"{', '.join(strangers)} may write the file but are not Postroom users: they can "
                "only read through postroom, but could change the file with the sqlite3 shell",
                f"remove them from group {group_name(info.st_gid)}, or add them: postroom users add LOGIN ROLE",
            )
        )
    if not checks:
        checks.append(Check("ok", f"every Postroom user may write {path.name}; {me()} may too"))
    return checks


def _accounts_that_may_write(info: os.stat_result) -> set[str]:
    mode = stat.S_IMODE(info.st_mode)
    writers = set()
    if mode & stat.S_IWUSR:
        writers.add(user_name(info.st_uid))
    if mode & stat.S_IWGRP:
        try:
            group = grp.getgrgid(info.st_gid)
            writers |= set(group.gr_mem)
        except KeyError:
            pass
        writers |= {p.pw_name for p in pwd.getpwall() if p.pw_gid == info.st_gid}
    return writers
