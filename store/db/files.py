"""The database file on a shared server: who may reach and write it, the group and mode it is made
with, and its -wal and -shm side files, which must stay writable by everyone who writes."""

from __future__ import annotations

import grp
import os
import pwd
import stat
from pathlib import Path

from ..errors import DatabaseRefused, ValidationError

SIDE_SUFFIXES = ("-wal", "-shm")
#: The mode of a database a group shares: the owner and the group read and write, nobody else.
SHARED_MODE = 0o660


def side_files(path: Path) -> list[Path]:
    """The -wal and -shm files SQLite keeps beside a WAL database."""
    return [Path(f"{path}{suffix}") for suffix in SIDE_SUFFIXES]


def user_name(uid: int) -> str:
    """A login for a uid (the number when the machine has no such account)."""
    try:
        return pwd.getpwuid(uid).pw_name
    except KeyError:
        return str(uid)


def group_name(gid: int) -> str:
    """A group's name for a gid (the number when the machine has no such group)."""
    try:
        return grp.getgrgid(gid).gr_name
    except KeyError:
        return str(gid)


def me() -> str:
    """The login of this process (from the uid)."""
    return user_name(os.getuid())


def my_groups() -> set[int]:
    """The groups this process acts with."""
    return {*os.getgroups(), os.getegid()}


def owner_words(info: os.stat_result) -> str:
    """`ines:social 0660`: owner, group and mode, as `ls -l` people read them."""
    return f"{user_name(info.st_uid)}:{group_name(info.st_gid)} {stat.S_IMODE(info.st_mode):04o}"


def look_up(path: Path) -> os.stat_result | None:
    """The file's stat, or None when there is none; DatabaseRefused saying why when it cannot be
    reached at all (a folder on the way that this account may not enter)."""
    try:
        return path.stat()
    except FileNotFoundError:
        return None
    except PermissionError:
        raise DatabaseRefused(f"cannot open {path}: {_blocked_folder(path)}") from None
    except NotADirectoryError:
        raise DatabaseRefused(
            f"cannot open {path}: part of that path is a file, not a folder"
        ) from None
    except OSError as error:
        why = (error.strerror or str(error)).lower()
        raise DatabaseRefused(f"cannot open {path}: {why}") from None
    except ValueError:  # a NUL in the name: no file can have it
        raise DatabaseRefused(f"cannot open {path!r}: a file name cannot hold a NUL") from None


def _blocked_folder(path: Path) -> str:
    for folder in [*reversed(path.parents)][1:]:
        if os.access(folder, os.X_OK):
            continue
        try:
            info = folder.stat()
        except OSError:
            return f"the folder {folder} may not be entered by {me()}"
        return f"the folder {folder} is {owner_words(info)} and {me()} {_not_in(info)}"
    return f"{me()} may not read it"


def _not_in(info: os.stat_result) -> str:
    """Why this account is not let in by the group bits, in words."""
    if info.st_gid in my_groups():
        return f"is in group {group_name(info.st_gid)}, which may not"
    return f"is not in group {group_name(info.st_gid)} (an admin runs: usermod -aG {group_name(info.st_gid)} {me()})"


def unreadable_reason(path: Path, info: os.stat_result) -> str | None:
    """Why this account cannot read the file or its side files, or None when it can."""
    if not os.access(path, os.R_OK):
        return f"cannot read {path}: it is {owner_words(info)} and {me()} {_not_in(info)}"
    side = _side_refusing(path, os.R_OK)
    if side is not None:
        return (
            f"cannot read {side}: it is {owner_words(look_up(side))}, unlike the database; "
            f"{_side_owner_fix(side, info)}"
        )
    return None


def _side_refusing(path: Path, access: int) -> Path | None:
    """The first side file this account may not read (or write, by `access`), if any."""
    for side in side_files(path):
        if look_up(side) is not None and not os.access(side, access):
            return side
    return None


def _side_owner_fix(side: Path, info: os.stat_result) -> str:
    """Who may fix a side file that is not like the database, and how."""
    return f"{user_name(look_up(side).st_uid)} or root runs: {side_fix(side, info)}"


def read_only_reason(path: Path, info: os.stat_result) -> str | None:
    """Why this account may read the database but not write it, or None when it may write."""
    if not os.access(path, os.W_OK):
        why = f"{path} is {owner_words(info)}; {me()} may not write it"
        if info.st_mode & stat.S_IWGRP:
            return f"{why} ({_not_in(info).removeprefix('is ')})"
        return f"{why} (it is not group-writable: its owner runs chmod g+w {path})"
    side = _side_refusing(path, os.W_OK)
    if side is not None:
        return (
            f"{side} is {owner_words(look_up(side))}, so {me()} cannot write through it; "
            f"{_side_owner_fix(side, info)}"
        )
    if sides_missing(path) and is_wal(path) and not os.access(path.parent, os.W_OK):
        return (
            f"{path.name}-wal and -shm are missing and {me()} may not make them in "
            f"{path.parent}; whoever may (see `postroom doctor`) opens it once"
        )
    return None


def side_fix(side: Path, db_info: os.stat_result, mode: int | None = None) -> str:
    """The command that gives a side file the database's group and mode (or `mode`)."""
    mode = stat.S_IMODE(db_info.st_mode) & 0o666 if mode is None else mode
    return f"chgrp {group_name(db_info.st_gid)} {side} && chmod {mode:o} {side}"


def sides_missing(path: Path) -> bool:
    """Whether a WAL database lacks its side files (a reader would have to make them)."""
    return not all(side.exists() for side in side_files(path))


def wal_is_empty(path: Path) -> bool:
    """Whether the -wal file is missing or holds nothing (every change is in the file itself)."""
    try:
        return Path(f"{path}-wal").stat().st_size == 0
    except FileNotFoundError:
        return True


def is_wal(path: Path) -> bool:
    """Whether the file's header says WAL mode (bytes 18 and 19 are 2)."""
    with open(path, "rb") as handle:
        header = handle.read(20)
    return len(header) == 20 and header[18] == 2


def match_side_files(path: Path) -> None:
    """Give side files this account owns the database's group and mode, so every writer of the
    database can write them too (best effort: a file someone else owns is doctor's business)."""
    try:
        info = path.stat()
    except OSError:
        return
    for side in side_files(path):
        try:
            side_info = side.stat()
            if side_info.st_uid != os.geteuid():
                continue
            if side_info.st_gid != info.st_gid and (
                info.st_gid in my_groups() or os.geteuid() == 0
            ):
                os.chown(side, -1, info.st_gid)
            wanted = stat.S_IMODE(info.st_mode) & 0o666
            if stat.S_IMODE(side_info.st_mode) != wanted:
                os.chmod(side, wanted)
        except OSError:
            continue


def shared_group(path: Path, group: str | None) -> int | None:
    """The group a new database is shared with: `group` by name, else the folder's when the
    folder is setgid (files made in it take its group), else None (a private database)."""
    if group:
        try:
            gid = grp.getgrnam(group).gr_gid
        except KeyError:
            raise ValidationError("group", f"there is no group {group!r} on this machine") from None
        if gid not in my_groups() and os.geteuid() != 0:
            raise ValidationError(
                "group", f"{me()} is not in group {group}, so cannot give it the database"
            )
        return gid
    folder = path.parent.stat()
    return folder.st_gid if folder.st_mode & stat.S_ISGID else None


def create_file(path: Path, gid: int | None) -> None:
    """Make the empty database file: 0660 in the group when shared (whatever the umask, which
    SQLite's side files copy), else as the umask says."""
    if gid is None:
        mask = os.umask(0)
        os.umask(mask)
        mode = 0o666 & ~mask
    else:
        mode = SHARED_MODE
    descriptor = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, mode)
    try:
        os.fchmod(descriptor, mode)
        # A setgid folder has given it the group already (even to a maker outside that group,
        # who could not give it); otherwise give it.
        if gid is not None and os.fstat(descriptor).st_gid != gid:
            os.fchown(descriptor, -1, gid)
    finally:
        os.close(descriptor)
