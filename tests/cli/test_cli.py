"""The command line, as people in different roles use it: exit codes, reasons, JSON."""

import json
import sqlite3

import pytest

import store
from store.db import migrations
from tui.cli import build_parser, main
from tui.cli import context as cli_context

from .seeded import in_process


@pytest.fixture
def run(tmp_path, monkeypatch, capsys):
    """Run `postroom ARGS` as a given Unix login at NOW; returns (exit code, stdout, stderr)."""
    return in_process(monkeypatch, capsys, db=str(tmp_path / "team.db"), checked=False)


@pytest.fixture
def team(run):
    assert run("root", "init", "--timezone", "UTC")[0] == 0
    for login, role in [("mgr", "manager"), ("ed", "editor"), ("rev", "reviewer")]:
        assert run("root", "users", "add", login, role, "--timezone", "UTC", "--force")[0] == 0
    assert run("root", "brand", "add", "Acme Coffee")[0] == 0
    assert run("root", "brand", "add", "Birch Outdoor")[0] == 0
    assert (
        run("root", "users", "add", "cli", "client", "--brand", "birch-outdoor", "--force")[0] == 0
    )
    assert run("root", "channel", "add", "acme-coffee", "instagram", "@acme")[0] == 0
    assert run("root", "channel", "add", "acme-coffee", "x", "@acmecoffee")[0] == 0
    return run


def subcommands(parser=None):
    """Every command and sub-command parser, by its full name."""
    parser = parser or build_parser()
    found = {}
    for action in parser._actions:
        if action.dest in ("command", "action"):
            for name, sub in action.choices.items():
                found[f"{parser.prog} {name}".removeprefix("postroom ")] = sub
                found.update(subcommands(sub))
    return found


def test_help_lists_every_subcommand(capsys):
    assert main(["--help"]) == 0
    out = capsys.readouterr().out
    for command in (
        "init",
        "demo",
        "whoami",
        "doctor",
        "migrate",
        "users",
        "post",
        "note",
        "backup",
        "verify",
        "brand",
        "channel",
        "campaign",
        "pillar",
        "asset",
    ):
        assert f"\n    {command} " in out


def test_version(capsys):
    assert main(["--version"]) == 0
    assert capsys.readouterr().out == f"postroom {store.__version__}\n"


def test_every_subcommand_is_described_and_lists_its_actions():
    found = subcommands()
    assert {"post unapprove", "channel list", "campaign list", "pillar list", "doctor"} <= set(
        found
    )
    for name, parser in found.items():
        text = parser.format_help()
        description = parser.description or ""
        assert len(description.split()) >= 5, f"`postroom {name} --help` has no description"
        assert description.split()[0] in text, name
        groups = [a for a in parser._actions if a.dest == "action"]
        for group in groups:  # `channel --help` names each of its actions, with what it does
            for action_name, action in group.choices.items():
                assert action_name in text, (name, action_name)
                assert action.description, (name, action_name)


def test_a_routine_post_goes_from_idea_to_scheduled(team):
    code, out, _ = team(
        "ed",
        "post",
        "add",
        "--brand",
        "acme-coffee",
        "--title",
        "Winter blend",
        "--caption",
        "Our winter blend ☕",
        "--channel",
        "instagram",
        "--channel",
        "x",
        "--publish-at",
        "2026-12-04 09:00",
        "--idea",
    )
    assert (code, out) == (0, "Created #1 'Winter blend': idea, revision 1, version 1\n")
    assert team("ed", "post", "move", "1", "draft")[0] == 0
    assert team("ed", "post", "submit", "1")[1].startswith("Moved #1 'Winter blend': in review")
    assert team("rev", "post", "approve", "1")[1].startswith("Approved #1 'Winter blend': approved")
    assert team("ed", "post", "move", "1", "scheduled")[0] == 0
    code, out, _ = team("ed", "post", "show", "1", "--json")
    detail = json.loads(out)
    assert detail["summary"]["stage"] == "scheduled"
    assert [
        (e["from_stage"], e["to_stage"], e["actor_login"]) for e in detail["stage_history"]
    ] == [
        (None, "idea", "ed"),
        ("idea", "draft", "ed"),
        ("draft", "in_review", "ed"),
        ("in_review", "approved", "rev"),
        ("approved", "scheduled", "ed"),
    ]


@pytest.mark.parametrize("written", ["in-review", "in_review", "In Review"])
def test_stages_are_accepted_however_written_and_said_as_the_app_says_them(team, written):
    team("ed", "post", "add", "--brand", "acme-coffee", "--title", "T", "--channel", "x")
    code, out, _ = team("ed", "post", "move", "1", written)
    assert code == 0 and "in review" in out
    code, out, _ = team("ed", "post", "list", "--stage", written)
    header, row = out.splitlines()
    assert row[header.index("STAGE") :].startswith("in review  ")


def test_a_reviewer_withdraws_an_approval_and_the_post_goes_back_to_review(team):
    team("ed", "post", "add", "--brand", "acme-coffee", "--title", "T", "--channel", "x")
    team("ed", "post", "submit", "1")
    assert team("rev", "post", "approve", "1")[0] == 0
    code, out, _ = team("rev", "post", "unapprove", "1", "--note", "spotted a typo")
    assert (code, out) == (
        0,
        "Withdrew your approval of #1 'T': in review, revision 1, version 4, approvals 0/1\n",
    )
    history = json.loads(team("ed", "post", "show", "1", "--json")[1])["stage_history"]
    assert (history[-1]["to_stage"], history[-1]["note"]) == ("in_review", "rev withdrew approval")
    code, _, err = team("rev", "post", "unapprove", "1")
    assert code == 1 and "you have not approved revision 1" in err


@pytest.mark.parametrize(
    ("login", "args", "reason"),
    [
        ("mgr", ["post", "approve", "1"], "nobody may approve their own post"),
        ("ed", ["post", "approve", "1"], "editors may not approve posts"),
        ("cli", ["post", "approve", "1"], "client of other brands"),
        ("rev", ["post", "edit", "1", "--caption", "mine now"], "reviewers may not edit posts"),
        ("stranger", ["post", "comment", "1", "hi"], "an admin (root) can add them"),
        ("rev", ["post", "request-changes", "1"], "note: say what needs to change"),
        ("mgr", ["post", "move", "1", "published"], "becomes published through its deliveries"),
    ],
)
def test_refused_steps_exit_1_with_a_reason(team, login, args, reason):
    team(
        "mgr",
        "post",
        "add",
        "--brand",
        "acme-coffee",
        "--title",
        "Launch",
        "--caption",
        "Hi",
        "--channel",
        "x",
    )
    assert team("mgr", "post", "submit", "1")[0] == 0
    code, out, err = team(login, *args)
    assert code == 1
    assert out == ""
    assert err.count("\n") == 1 and reason in err


def test_bad_usage_exits_2_with_one_line(team):
    for args in (
        ["post", "move", "1", "nowhere"],
        ["post", "show", "not-a-number"],
        ["post", "show", str(2**63)],
        ["post", "list", "--limit", "99999999999999999999999"],
        ["post", "frobnicate"],
    ):
        code, _out, err = team("ed", *args)
        assert code == 2, args
        assert err.count("\n") == 1 and err.startswith("postroom"), (args, err)


def test_bad_input_says_which_field(team):
    code, _, err = team(
        "ed",
        "post",
        "add",
        "--brand",
        "acme-coffee",
        "--title",
        "T",
        "--publish-at",
        "next blursday",
    )
    assert code == 1
    assert err.startswith("postroom: publish_at: could not read 'next' as a day")
    code, _, err = team(
        "ed", "post", "add", "--brand", "acme-coffee", "--title", "T", "--channel", "tiktok"
    )
    assert (code, err) == (1, "postroom: channels: no channel 'tiktok' in this brand\n")
    assert json.loads(team("ed", "post", "list", "--json")[1]) == []


def test_a_publish_time_in_the_past_is_refused_at_once(team):
    code, _, err = team(
        "ed",
        "post",
        "add",
        "--brand",
        "acme-coffee",
        "--title",
        "T",
        "--publish-at",
        "2026-11-20 09:00",
    )
    assert code == 1
    assert (
        err
        == "postroom: publish_at: Fri 20 Nov 2026, 09:00 UTC (3 days ago) has passed; choose a later time\n"
    )


def test_a_channel_named_by_a_handle_two_channels_share_is_ambiguous(team):
    team("root", "channel", "add", "acme-coffee", "threads", "@acme")
    code, _, err = team(
        "ed", "post", "add", "--brand", "acme-coffee", "--title", "T", "--channel", "@acme"
    )
    assert code == 1
    assert err == (
        "postroom: channels: @acme is ambiguous here: it could be #1 instagram @acme, "
        "#3 threads @acme; give the id\n"
    )
    assert (
        team("ed", "post", "add", "--brand", "acme-coffee", "--title", "T", "--channel", "3")[0]
        == 0
    )


@pytest.mark.parametrize(
    ("timezone", "shown", "day_before"),
    [
        ("Asia/Kolkata", "2026-12-04 09:00", "2026-12-03"),
        ("America/St_Johns", "2026-12-04 09:00", "2026-12-03"),
    ],
)
def test_list_shows_and_filters_posts_in_the_users_timezone(team, timezone, shown, day_before):
    team("root", "users", "add", "tz", "editor", "--timezone", timezone, "--force")
    team(
        "tz",
        "post",
        "add",
        "--brand",
        "acme-coffee",
        "--title",
        "Winter blend",
        "--channel",
        "x",
        "--publish-at",
        "2026-12-04 09:00",
    )
    code, out, _ = team("tz", "post", "list")
    assert code == 0
    assert out.splitlines() == [
        "ID  PUBLISH           STAGE  TIER     CHANNELS  OWNER  TITLE",
        f"1   {shown}  draft  routine  x         tz     Winter blend",
    ]
    # The same moment, seen from UTC, is another hour: the CLI does not ignore timezones.
    utc = json.loads(team("ed", "post", "list", "--json")[1])[0]["publish_at"]
    offset = {
        "Asia/Kolkata": "2026-12-04T03:30:00+00:00",
        "America/St_Johns": "2026-12-04T12:30:00+00:00",
    }
    assert utc == offset[timezone]
    rows = json.loads(
        team("tz", "post", "list", "--json", "--from", "2026-12-04", "--to", "2026-12-04")[1]
    )
    assert [r["title"] for r in rows] == ["Winter blend"]
    assert json.loads(team("tz", "post", "list", "--json", "--to", day_before)[1]) == []
    assert json.loads(team("tz", "post", "list", "--json", "--from", "2026-12-05")[1]) == []


def test_dates_at_the_ends_of_the_range_are_open_ends(team):
    team("ed", "post", "add", "--brand", "acme-coffee", "--title", "T", "--publish-at", "+2d")
    team("root", "users", "add", "east", "editor", "--timezone", "Pacific/Kiritimati", "--force")
    for login in ("ed", "east"):
        code, out, err = team(
            login, "post", "list", "--json", "--from", "0001-01-01", "--to", "9999-12-31"
        )
        assert (code, err) == (0, "")
        assert [p["title"] for p in json.loads(out)] == ["T"]
    code, _, err = team("ed", "post", "list", "--from", "9999-12-31")
    assert (code, err) == (0, "")


def test_users_list_and_admin_only_changes(team):
    code, out, _ = team("root", "users", "list", "--json")
    assert {u["login"]: u["role"] for u in json.loads(out)} == {
        "root": "admin",
        "mgr": "manager",
        "ed": "editor",
        "rev": "reviewer",
        "cli": "client",
    }
    code, _, err = team("mgr", "users", "set-role", "ed", "admin")
    assert (code, err) == (1, "postroom: managers may not manage users (only: admin)\n")
    assert team("root", "users", "remove", "rev")[0] == 0
    code, _, err = team("rev", "post", "list")
    assert (code, err) == (
        1,
        "postroom: rev was removed from this team; an admin (root) can add them back\n",
    )


def test_users_add_refuses_a_login_the_machine_lacks_unless_forced(team):
    code, _, err = team("root", "users", "add", "zoee", "editor")
    assert code == 1 and "no Unix account 'zoee'; check the spelling, or add --force" in err
    assert team("root", "users", "add", "nobody", "editor")[0] == 0


def test_policy_shown_and_changed_by_admin(team):
    assert team("ed", "brand", "policy", "acme-coffee")[1] == (
        "Acme Coffee: routine 1, high-stakes 2 incl. a manager\n"
    )
    assert team("root", "brand", "policy", "acme-coffee", "--routine", "2", "--no-senior")[1] == (
        "Acme Coffee: routine 2, high-stakes 2\n"
    )


def test_campaigns_and_pillars_are_listed(team):
    assert (
        team(
            "ed",
            "campaign",
            "add",
            "acme-coffee",
            "Winter",
            "--from",
            "2026-12-01",
            "--to",
            "2026-12-31",
        )[0]
        == 0
    )
    assert team("ed", "pillar", "add", "acme-coffee", "Craft")[0] == 0
    assert team("root", "pillar", "add", "birch-outdoor", "Trails")[0] == 0
    assert team("ed", "campaign", "list")[1].splitlines() == [
        "ID  BRAND        FROM        TO          NAME",
        "1   acme-coffee  2026-12-01  2026-12-31  Winter",
    ]
    assert [p["name"] for p in json.loads(team("ed", "pillar", "list", "--json")[1])] == [
        "Craft",
        "Trails",
    ]
    assert [p["name"] for p in json.loads(team("cli", "pillar", "list", "--json")[1])] == ["Trails"]


def test_notes(team):
    assert (
        team(
            "ed",
            "note",
            "add",
            "Black Friday",
            "--on",
            "2026-11-27",
            "--until",
            "2026-11-30",
            "--brand",
            "acme-coffee",
            "--kind",
            "event",
        )[0]
        == 0
    )
    notes = json.loads(
        team("ed", "note", "list", "--from", "2026-11-01", "--to", "2026-12-31", "--json")[1]
    )
    assert [(n["title"], n["starts_on"], n["ends_on"]) for n in notes] == [
        ("Black Friday", "2026-11-27", "2026-11-30")
    ]
    assert json.loads(team("cli", "note", "list", "--json")[1]) == []  # Acme's, not Birch's


def test_verify_and_backup(team, tmp_path):
    team("ed", "post", "add", "--brand", "acme-coffee", "--title", "Kept", "--channel", "x")
    code, out, _ = team("ed", "verify")
    assert (code, out) == (0, "ok (10 audit events, chain intact)\n")
    copy = tmp_path / "copy.db"
    code, out, _ = team("ed", "backup", str(copy))
    assert (code, out) == (0, f"Backed up {tmp_path / 'team.db'} to {copy}\n")
    with sqlite3.connect(copy) as backup:
        assert backup.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert backup.execute("SELECT title FROM post").fetchall() == [("Kept",)]
        assert backup.execute("PRAGMA user_version").fetchone()[0] == migrations.latest_version()
    assert team("ed", "verify", "--db", str(copy))[1] == "ok (10 audit events, chain intact)\n"
    code, _, err = team("ed", "backup", str(copy))
    assert code == 1 and "already exists" in err


def test_demo_flag_reaches_the_demo_database_from_every_command(tmp_path, monkeypatch, capsys):
    demo = tmp_path / "demo.db"
    monkeypatch.setattr(store, "demo_location", lambda: demo)
    monkeypatch.setattr(cli_context, "whoami", lambda: "ines")
    assert main(["demo", "--demo"]) == 0
    capsys.readouterr()
    assert main(["post", "list", "--demo", "--json", "--stage", "failed"]) == 0
    failed = json.loads(capsys.readouterr().out)
    assert failed and all(p["stage"] == "failed" for p in failed)


def test_media_from_the_library_or_a_new_link_goes_on_a_post(team, tmp_path):
    photo = tmp_path / "cup.jpg"
    photo.write_bytes(b"jpeg")
    code, out, _ = team(
        "ed", "asset", "add", str(photo), "--brand", "acme-coffee", "--alt", "A cup"
    )
    assert (code, out) == (0, "Added #1 cup.jpg (image)\n")
    code, out, err = team(
        "ed",
        "post",
        "add",
        "--brand",
        "acme-coffee",
        "--title",
        "Cup",
        "--channel",
        "instagram",
        "--media",
        "cup.jpg",
        "--media",
        "https://cdn.example.com/pour.mp4",
        "--json",
    )
    assert code == 0, err
    post_id = json.loads(out)["summary"]["id"]
    code, out, _ = team("ed", "post", "show", str(post_id))
    assert "#1 image " + str(photo) + " — A cup" in out
    assert "#2 video https://cdn.example.com/pour.mp4 (no alt text)" in out
    assert "instagram" in out and "need an image" not in out
    code, out, _ = team("ed", "asset", "list", "--brand", "acme-coffee", "--json")
    assert [a["uri"] for a in json.loads(out)] == ["https://cdn.example.com/pour.mp4", str(photo)]
    assert team("ed", "post", "edit", str(post_id), "--no-media")[0] == 0
    code, out, _ = team("ed", "post", "show", str(post_id), "--json")
    assert json.loads(out)["media"] == []
    assert json.loads(out)["revisions"][0]["media"] == ["cup.jpg", "pour.mp4"]


def test_unknown_media_is_refused_with_the_field(team):
    code, _, err = team(
        "ed", "post", "add", "--brand", "acme-coffee", "--title", "Cup", "--media", "nope.jpg"
    )
    assert code == 1
    assert err == "postroom: no media 'nope.jpg' in this brand's library\n"
    code, _, err = team("ed", "asset", "add", "cup.jpg", "--brand", "acme-coffee")
    assert code == 1
    assert "file: 'cup.jpg' is relative" in err
    assert team("rev", "asset", "add", "https://x.example/a.png", "--brand", "acme-coffee")[0] == 1
