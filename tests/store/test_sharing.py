"""A database shared on a server, out of the box: real Unix accounts (two in a team group, one
outside it) run real `postroom` processes under umask 022 against one file in a setgid folder."""

from __future__ import annotations

import grp
import os
import shutil
import stat
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest

from ..accounts import GROUP, OUTSIDER, ensure_accounts, one_line, postroom_as, traversable_dir

T1, T2 = "postroom-t1", "postroom-t2"


@dataclass
class Share:
    """A setgid team folder (root:GROUP 2770) inside a temp dir every account may enter."""

    top: Path
    folder: Path

    @property
    def db(self) -> Path:
        return self.folder / "team.db"

    def run(self, who: str, *args: str) -> subprocess.CompletedProcess:
        """`postroom ARGS --db team.db` as `who`."""
        return postroom_as(who, *args, "--db", str(self.db), home=self.top)

    def ok(self, who: str, *args: str) -> str:
        done = self.run(who, *args)
        assert done.returncode == 0, (who, args, done.stderr)
        assert done.stderr == "", done.stderr
        return done.stdout

    def refused(self, who: str, *args: str) -> str:
        done = self.run(who, *args)
        assert done.returncode == 1, (who, args, done.returncode, done.stdout, done.stderr)
        assert done.stdout == "", done.stdout
        return one_line(done.stderr)

    def listing(self) -> dict[str, tuple[str, str, str]]:
        """Every file in the folder: owner, group and mode, as `ls -l` shows them."""
        return {entry.name: _words(entry.stat()) for entry in self.folder.iterdir()}


def _words(info: os.stat_result) -> tuple[str, str, str]:
    import pwd

    return (
        pwd.getpwuid(info.st_uid).pw_name,
        grp.getgrgid(info.st_gid).gr_name,
        f"{stat.S_IMODE(info.st_mode):04o}",
    )


def _made_by_t1(share: Share) -> dict[str, tuple[str, str, str]]:
    return {name: (T1, GROUP, "0660") for name in ("team.db", "team.db-wal", "team.db-shm")}


@pytest.fixture
def share():
    ensure_accounts()
    top = traversable_dir("postroom-share-")
    folder = top / "team"
    folder.mkdir()
    os.chown(folder, 0, grp.getgrnam(GROUP).gr_gid)
    folder.chmod(0o2770)
    yield Share(top, folder)
    shutil.rmtree(top, ignore_errors=True)


@pytest.fixture
def team(share):
    """t1 made the database in the setgid folder, added t2 as an editor, a brand and a channel."""
    out = share.ok(T1, "init", "--timezone", "UTC")
    assert out == f"Created {share.db}; {T1} is admin (timezone UTC)\n"
    share.ok(T1, "users", "add", T2, "editor", "--timezone", "UTC")
    share.ok(T1, "brand", "add", "Acme")
    share.ok(T1, "channel", "add", "acme", "x", "@acme")
    return share


def test_init_in_a_setgid_folder_under_umask_022_shares_the_file_and_its_side_files(share):
    share.ok(T1, "init", "--timezone", "UTC")
    # The persistent WAL keeps -wal and -shm after the last process exits, with the file's
    # group and mode, so no teammate ever makes them again under their own account.
    assert share.listing() == _made_by_t1(share)


def test_two_members_take_turns_writing_and_nothing_locks_anyone_out(team):
    team.ok(T2, "post", "add", "--brand", "acme", "--title", "By t2", "--channel", "x")
    assert team.listing() == _made_by_t1(team)
    # The regression: after t2 wrote, t1's next write failed ("attempt to write a readonly
    # database") because t2 had made the side files anew, in t2's group.
    team.ok(T1, "post", "add", "--brand", "acme", "--title", "By t1", "--channel", "x")
    team.ok(T2, "post", "comment", "2", "looks good")
    team.ok(T1, "post", "edit", "1", "--caption", "edited by t1")
    listed = team.ok(T2, "post", "list")
    assert [line.split()[-2:] for line in listed.splitlines()[1:]] == [
        ["By", "t2"],
        ["By", "t1"],
    ]
    assert team.listing() == _made_by_t1(team)
    assert team.ok(T1, "verify").startswith("ok (")


def test_side_files_remade_by_a_teammate_keep_the_teams_group_and_mode(team):
    for side in ("team.db-wal", "team.db-shm"):
        (team.folder / side).unlink()
    team.ok(T2, "post", "add", "--brand", "acme", "--title", "First after", "--channel", "x")
    listing = team.listing()
    assert listing["team.db-wal"] == (T2, GROUP, "0660")
    assert listing["team.db-shm"] == (T2, GROUP, "0660")
    team.ok(T1, "post", "add", "--brand", "acme", "--title", "Then t1", "--channel", "x")


def test_init_with_group_shares_even_in_a_plain_folder(share):
    share.folder.chmod(0o770)  # writable by the group, but not setgid
    assert not share.folder.stat().st_mode & stat.S_ISGID
    share.ok(T1, "init", "--group", GROUP, "--timezone", "UTC")
    assert share.listing() == _made_by_t1(share)
    share.ok(T1, "users", "add", T2, "editor")
    share.ok(T2, "whoami")
    for side in ("team.db-wal", "team.db-shm"):  # t2 makes them now, in t2's own group at first
        (share.folder / side).unlink()
    share.ok(T1, "brand", "add", "Acme")
    share.ok(T2, "whoami")
    assert {share.listing()[name][1:] for name in share.listing()} == {(GROUP, "0660")}
    share.ok(T1, "brand", "add", "Birch")


def test_init_refuses_a_group_that_is_not_the_makers(share):
    err = share.refused(T1, "init", "--group", "root")
    assert err == f"postroom: group: {T1} is not in group root, so cannot give it the database"
    err = share.refused(T1, "init", "--group", "no-such-group-here")
    assert err == "postroom: group: there is no group 'no-such-group-here' on this machine"
    assert share.listing() == {}


@pytest.mark.parametrize(
    "args",
    [
        ("post", "list"),
        ("whoami",),
        ("verify",),
        ("post", "add", "--title", "x"),
        ("backup", "/tmp/x.db"),
    ],
)
def test_an_outsider_is_told_in_one_line_why_it_cannot_open_it(team, args):
    before = team.listing()
    err = team.refused(OUTSIDER, *args)
    assert err == (
        f"postroom: cannot open {team.db}: the folder {team.folder} is root:{GROUP} 2770 and "
        f"{OUTSIDER} is not in group {GROUP} (an admin runs: usermod -aG {GROUP} {OUTSIDER})"
    )
    assert team.listing() == before
    assert not Path("/tmp/x.db").exists()


def test_an_outsider_who_may_enter_the_folder_is_told_it_may_not_read_the_file(team):
    team.folder.chmod(0o2775)
    err = team.refused(OUTSIDER, "post", "list")
    assert err == (
        f"postroom: cannot read {team.db}: it is {T1}:{GROUP} 0660 and {OUTSIDER} is not in "
        f"group {GROUP} (an admin runs: usermod -aG {GROUP} {OUTSIDER})"
    )
    assert team.refused(OUTSIDER, "init").startswith(f"postroom: cannot read {team.db}: ")
    assert team.listing() == _made_by_t1(team)


def test_a_member_who_may_only_read_reads_and_makes_nothing(team):
    team.ok(T1, "post", "add", "--brand", "acme", "--title", "Readable", "--channel", "x")
    for name in ("team.db", "team.db-wal", "team.db-shm"):
        (team.folder / name).chmod(0o640)
    before = team.listing()
    assert "Readable" in team.ok(T2, "post", "list")
    who = team.ok(T2, "whoami")
    assert who.startswith(f"{T2} (editor, UTC); read only: {team.db} is {T1}:{GROUP} 0640")
    err = team.refused(T2, "post", "add", "--brand", "acme", "--title", "No", "--channel", "x")
    assert err == (
        f"postroom: read only: {team.db} is {T1}:{GROUP} 0640; {T2} may not write it (it is "
        f"not group-writable: its owner runs chmod g+w {team.db})"
    )
    assert team.listing() == before
    # With the side files gone, reading must not make them (they would be t2's, 0640, and t1
    # could no longer write through them).
    for side in ("team.db-wal", "team.db-shm"):
        (team.folder / side).unlink()
    assert "Readable" in team.ok(T2, "post", "list")
    assert team.ok(T2, "verify").startswith("ok (")
    assert set(team.listing()) == {"team.db"}
    team.ok(T1, "post", "add", "--brand", "acme", "--title", "Still t1", "--channel", "x")


def test_a_backup_keeps_the_databases_mode_and_group(team):
    copy = team.folder / "copy.db"
    team.ok(T1, "backup", str(copy))
    assert team.listing()["copy.db"] == (T1, GROUP, "0660")
    before = copy.read_bytes()
    assert team.ok(T2, "verify", "--db", str(copy)).startswith("ok (")
    assert copy.read_bytes() == before
    assert not [name for name in team.listing() if name.startswith("copy.db-")]


def test_doctor_passes_a_good_setup(team):
    done = team.run(T2, "doctor")
    assert (done.returncode, done.stderr) == (0, ""), done.stdout
    assert "FIX" not in done.stdout
    assert f"is setgid {GROUP}" in done.stdout
    assert f"may write team.db: {T1}, {T2}; {T2} may" in done.stdout


def _doctor_fails(share: Share, *expected: str) -> list[str]:
    """Run doctor as t1: it exits 1, and each expected problem is named with a fix below it;
    returns the fixes."""
    done = share.run(T1, "doctor")
    assert done.returncode == 1, done.stdout
    assert one_line(done.stderr).startswith("postroom: "), done.stderr
    lines = done.stdout.splitlines()
    fixes = []
    for words in expected:
        found = [n for n, line in enumerate(lines) if line.startswith("FIX") and words in line]
        assert found, (words, done.stdout)
        fix = lines[found[0] + 1]
        assert fix.startswith("      → "), (words, done.stdout)
        fixes.append(fix.removeprefix("      → "))
    return fixes


def _apply(fix: str) -> None:
    """Run a fix as doctor wrote it (as root, which it says may)."""
    command = fix.split(" or root: ", 1)[-1]
    subprocess.run(["sh", "-c", command], check=True)


def test_doctor_names_a_stale_side_file_of_another_account_and_its_fix_works(team):
    shm = team.folder / "team.db-shm"
    shm.unlink()  # as made by t2 in a plain folder, under umask 022
    shm.write_bytes(b"")
    t2 = __import__("pwd").getpwnam(T2)
    os.chown(shm, t2.pw_uid, t2.pw_gid)
    shm.chmod(0o644)
    err = team.refused(T1, "brand", "add", "Birch")
    assert err.startswith(f"postroom: read only: {shm} is {T2}:{T2} 0644, so {T1} cannot write")
    [fix] = _doctor_fails(team, f"{shm} is {T2}:{T2} 0644, not {GROUP} 0660 as the database")
    assert fix == f"as {T2} or root: chgrp {GROUP} {shm} && chmod 660 {shm}"
    _apply(fix)
    assert team.run(T1, "doctor").returncode == 0
    team.ok(T1, "brand", "add", "Birch")


def test_doctor_names_a_folder_that_is_not_setgid_and_its_fix_works(team):
    team.folder.chmod(0o770)
    [fix] = _doctor_fails(team, f"the folder {team.folder} is root:{GROUP} 0770, not setgid")
    assert fix == f"chgrp {GROUP} {team.folder} && chmod g+s {team.folder}"
    _apply(fix)
    assert team.run(T1, "doctor").returncode == 0


def test_doctor_names_a_file_only_its_owner_may_write_and_its_fixes_work(team):
    team.db.chmod(0o644)
    [fix] = _doctor_fails(team, f"{team.db} is {T1}:{GROUP} 0644: only {T1} may write it")
    assert fix == f"chmod g+w {team.db}"
    for _ in range(3):  # each fix, run, leaves the next problem, until none is left
        done = team.run(T1, "doctor")
        if done.returncode == 0:
            break
        lines = done.stdout.splitlines()
        for n, line in enumerate(lines):
            fix = lines[n + 1].split("→ ", 1)[-1] if n + 1 < len(lines) else ""
            if line.startswith("FIX") or fix.startswith("chmod"):
                _apply(fix)
    assert team.run(T1, "doctor").returncode == 0
    assert set(team.listing().values()) == {(T1, GROUP, "0664")}
    team.ok(T2, "brand", "list")
    team.ok(T1, "users", "set-role", T2, "manager")
    team.ok(T2, "post", "add", "--brand", "acme", "--title", "Writable again", "--channel", "x")


def test_doctor_names_a_postroom_user_outside_the_group(team):
    team.ok(T1, "users", "add", OUTSIDER, "reviewer")
    [fix] = _doctor_fails(
        team, f"{OUTSIDER} (reviewer) may not write team.db (not in group {GROUP})"
    )
    assert fix == f"usermod -aG {GROUP} {OUTSIDER}"


def test_doctor_as_an_outsider_says_why_in_one_line(team):
    done = team.run(OUTSIDER, "doctor")
    assert done.returncode == 1
    assert f"{OUTSIDER} is not in group {GROUP}" in one_line(done.stderr)
