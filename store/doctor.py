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


@dataclass(frozen=True)
class _Setup:
    """What the checks look at: the file, its stat, and the team's active users by login."""

    path: Path
    info: os.stat_result
    users: dict[str, str]

    @property
    def accounts(self) -> dict[str, str]:
        """The users who are accounts on this machine (root aside: it may write anything)."""
        return {
            login: role for login, role in self.users.items() if _account(login) and login != "root"
        }

    @property
    def shared(self) -> bool:
        """Whether more than its owner works on the file: the group may write it, or the team
        has accounts here besides the owner."""
        owner = user_name(self.info.st_uid)
        return bool(self.info.st_mode & stat.S_IWGRP) or bool(set(self.accounts) - {owner})

    @property
    def group(self) -> str:
        return group_name(self.info.st_gid)


def doctor(target: str | os.PathLike) -> list[Check]:
    """Every check of a shared database file, most basic first; it stops where one fails that
    the rest depend on."""
    if is_url(str(target)):
        return [Check("ok", f"{target} is a PostgreSQL server: file checks do not apply")]
    path = Path(target)
    try:
        info = look_up(path)
    except DatabaseRefused as refused:
        return [Check("fail", str(refused), "an admin gives you the way in (see above)")]
    if info is None:
        return [Check("fail", f"no database at {path}", f"postroom init --db {path} --group TEAM")]
    opens, users = _opens(path)
    if opens.level == "fail":
        return [opens]
    setup = _Setup(path, info, users)
    return [opens, *_mode(setup), _folder(setup), *_sides(setup), *_writers(setup)]


def _opens(path: Path) -> tuple[Check, dict[str, str]]:
    try:
        concrete = open_database(path, read_only=True, any_schema=True)
        version = schema_version(concrete)
        users = {u.login: u.role for u in User.select().where(User.active == 1)}
    except DatabaseRefused as refused:
        return Check("fail", str(refused)), {}
    finally:
        close_database()
    if version < latest_version():
        check = Check(
            "fail",
            f"{path} is a Postroom database at schema {version}, older than {latest_version()}",
            f"an admin runs: postroom migrate --db {path}",
        )
        return check, users
    return Check("ok", f"{path} is a Postroom database (schema {version})"), users


def _mode(setup: _Setup) -> list[Check]:
    path, info = setup.path, setup.info
    mode, owner = stat.S_IMODE(info.st_mode), user_name(info.st_uid)
    if mode & stat.S_IWOTH:
        return [
            Check(
                "fail",
                f"anyone on this machine may write {path} ({owner_words(info)})",
                f"chmod o-rw {path}",
            )
        ]
    checks = []
    if not mode & stat.S_IWGRP:
        if setup.shared:
            others = ", ".join(sorted(set(setup.accounts) - {owner}))
            checks.append(
                Check(
                    "fail",
                    f"{path} is {owner_words(info)}: only {owner} may write it, so {others} "
                    "can only read",
                    _share_fix(setup, path),
                )
            )
        else:
            checks.append(Check("ok", f"{path} is {owner_words(info)}: private to {owner}"))
    else:
        checks.append(
            Check("ok", f"{path} is {owner_words(info)}: group {setup.group} reads and writes it")
        )
    folder_open = setup.path.parent.stat().st_mode & stat.S_IXOTH
    if setup.shared and mode & stat.S_IROTH and folder_open:
        checks.append(
            Check(
                "warn",
                f"anyone on this machine may read {path} ({owner_words(info)}), not only the team",
                f"chmod o-r {path}",
            )
        )
    return checks


def _share_fix(setup: _Setup, path: Path) -> str:
    """Make the file group-writable: in its group when that is a team's, else in TEAM."""
    owner = _account(user_name(setup.info.st_uid))
    if owner is not None and owner.pw_gid == setup.info.st_gid:  # the owner's own group
        return f"chgrp TEAM {path} && chmod 660 {path}"
    return f"chmod g+w {path}"


def _folder(setup: _Setup) -> Check:
    folder = setup.path.parent.resolve()
    folder_info = folder.stat()
    if not setup.shared:
        return Check("ok", f"the folder {folder} is {owner_words(folder_info)}")
    if not folder_info.st_mode & stat.S_ISGID or folder_info.st_gid != setup.info.st_gid:
        return Check(
            "fail",
            f"the folder {folder} is {owner_words(folder_info)}, not setgid {setup.group}: a "
            "side file SQLite makes there takes its maker's group, and locks the others out",
            f"chgrp {setup.group} {folder} && chmod g+s {folder}",
        )
    return Check("ok", f"the folder {folder} is setgid {setup.group}: files made there stay in it")


def _sides(setup: _Setup) -> list[Check]:
    path, info = setup.path, setup.info
    checks = []
    # What the file's own mode should be: a shared one group-writable (its check says so).
    wanted = stat.S_IMODE(info.st_mode) & 0o666 | (0o060 if setup.shared else 0)
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
                    f"{side} is {owner_words(side_info)}, not {group_name(info.st_gid)} "
                    f"{wanted:04o} as the database needs: writes through it fail for others",
                    f"as {user_name(side_info.st_uid)} or root: {side_fix(side, info, wanted)}",
                )
            )
        else:
            checks.append(Check("ok", f"{side} is {owner_words(side_info)}, like the database"))
    return checks


def _writers(setup: _Setup) -> list[Check]:
    """Postroom users who cannot write the file, and accounts that can but are not users."""
    path, info = setup.path, setup.info
    checks = []
    writers = _accounts_that_may_write(info)
    for login, role in sorted(setup.users.items()):
        if login == "root":
            continue  # root may write whatever the modes say
        if _account(login) is None:
            checks.append(
                Check(
                    "warn",
                    f"{login} ({role}) is a Postroom user but not an account here",
                    f"if they left: postroom users remove {login}",
                )
            )
        elif login not in writers and not info.st_mode & stat.S_IWGRP:
            pass  # said once, by the mode check, with its fix
        elif login not in writers:
            checks.append(
                Check(
                    "fail",
                    f"{login} ({role}) may not write {path.name} (not in group {setup.group}): "
                    "they can only read, if that",
                    f"usermod -aG {setup.group} {login}",
                )
            )
    strangers = sorted(writers - set(setup.users) - {"root"})
    if strangers:
        checks.append(
            Check(
                "warn",
                f"{', '.join(strangers)} may write the file but are not Postroom users: they can "
                "only read through postroom, but could change the file with the sqlite3 shell",
                f"remove them from group {setup.group}, or add them: postroom users add LOGIN ROLE",
            )
        )
    if not [c for c in checks if c.level == "fail"]:
        may = "may" if os.access(path, os.W_OK) else "may not (so reads only)"
        everyone = ", ".join(sorted(set(setup.accounts) & writers)) or "nobody else"
        checks.append(Check("ok", f"may write {path.name}: {everyone}; {me()} {may}"))
    return checks


def _account(login: str) -> pwd.struct_passwd | None:
    try:
        return pwd.getpwnam(login)
    except KeyError:
        return None


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
