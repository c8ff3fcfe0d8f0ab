"""The command line, as people in different roles use it: exit codes, reasons, JSON."""

import json

import pytest

import store
from tui.cli import build_parser, main
from tui.cli import context as cli_context


@pytest.fixture
def run(tmp_path, monkeypatch, capsys):
    """Run `postroom ARGS` as a given Unix login; returns (exit code, stdout, stderr)."""
    db = str(tmp_path / "team.db")

    def run(login, *args):
        monkeypatch.setattr(cli_context, "whoami", lambda: login)
        code = main([*args, "--db", db])
        out, err = capsys.readouterr()
        return code, out, err

    return run


@pytest.fixture
def team(run):
    assert run("root", "init", "--timezone", "UTC")[0] == 0
    for login, role in [("mgr", "manager"), ("ed", "editor"), ("rev", "reviewer")]:
        assert run("root", "users", "add", login, role, "--timezone", "UTC")[0] == 0
    assert run("root", "brand", "add", "Acme Coffee")[0] == 0
    assert run("root", "brand", "add", "Birch Outdoor")[0] == 0
    assert run("root", "users", "add", "cli", "client", "--brand", "birch-outdoor")[0] == 0
    assert run("root", "channel", "add", "acme-coffee", "instagram", "@acme")[0] == 0
    assert run("root", "channel", "add", "acme-coffee", "x", "@acmecoffee")[0] == 0
    return run


def test_help_lists_every_subcommand(capsys):
    with pytest.raises(SystemExit) as done:
        main(["--help"])
    assert done.value.code == 0
    out = capsys.readouterr().out
    for command in (
        "init",
        "demo",
        "users",
        "post",
        "note",
        "backup",
        "verify",
        "brand",
        "channel",
        "asset",
    ):
        assert f"\n    {command} " in out


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
    assert (code, out) == (0, "created #1 'Winter blend': idea, revision 1, version 1\n")
    assert team("ed", "post", "move", "1", "draft")[0] == 0
    assert team("ed", "post", "submit", "1")[1].startswith("moved #1 'Winter blend': in review")
    assert team("rev", "post", "approve", "1")[1].startswith("approved #1 'Winter blend': approved")
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


@pytest.mark.parametrize(
    ("login", "args", "reason"),
    [
        ("mgr", ["post", "approve", "1"], "nobody may approve their own post"),
        ("ed", ["post", "approve", "1"], "editors may not approve posts"),
        ("cli", ["post", "approve", "1"], "client of other brands"),
        ("rev", ["post", "edit", "1", "--caption", "mine now"], "reviewers may not edit posts"),
        ("stranger", ["post", "comment", "1", "hi"], "ask an admin to add you (admins: root)"),
        ("rev", ["post", "request-changes", "1"], "note: say what needs to change"),
        ("mgr", ["post", "move", "1", "published"], "cannot go from in review to published"),
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


def test_bad_usage_exits_2(team, capsys):
    with pytest.raises(SystemExit) as done:
        main(["post", "move", "1", "nowhere"])
    assert done.value.code == 2
    with pytest.raises(SystemExit) as done:
        main(["post", "show", "not-a-number"])
    assert done.value.code == 2


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


def test_list_shows_posts_in_the_users_timezone(team):
    team("root", "users", "set-role", "ed", "editor")
    team(
        "ed",
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
    code, out, _ = team("ed", "post", "list")
    assert code == 0
    assert out.splitlines() == [
        "ID  PUBLISH           STAGE  TIER     CHANNELS  OWNER  TITLE",
        "1   2026-12-04 09:00  draft  routine  x         ed     Winter blend",
    ]
    rows = json.loads(
        team("ed", "post", "list", "--json", "--from", "2026-12-04", "--to", "2026-12-04")[1]
    )
    assert [r["title"] for r in rows] == ["Winter blend"]
    assert json.loads(team("ed", "post", "list", "--json", "--from", "2026-12-05")[1]) == []


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
    assert team("rev", "post", "comment", "1", "hi")[0] == 1


def test_policy_shown_and_changed_by_admin(team):
    assert team("ed", "brand", "policy", "acme-coffee")[1] == (
        "Acme Coffee: routine 1, high-stakes 2 incl. a manager\n"
    )
    assert team("root", "brand", "policy", "acme-coffee", "--routine", "2", "--no-senior")[1] == (
        "Acme Coffee: routine 2, high-stakes 2\n"
    )


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


def test_verify_and_backup(team, tmp_path):
    assert team("ed", "verify")[1].startswith("ok (")
    code, _out, _ = team("ed", "backup", str(tmp_path / "copy.db"))
    assert code == 0 and (tmp_path / "copy.db").exists()
    assert team("ed", "backup", str(tmp_path / "copy.db"))[0] == 1


def test_every_subcommand_is_documented():
    parser = build_parser()
    subparsers = next(a for a in parser._actions if a.dest == "command")
    assert set(subparsers.choices) >= {
        "init",
        "demo",
        "users",
        "post",
        "note",
        "backup",
        "verify",
        "brand",
        "channel",
        "campaign",
        "pillar",
        "whoami",
    }
    for name, sub in subparsers.choices.items():
        assert sub.format_help(), name
    store.close_database()


def test_demo_flag_reaches_the_demo_database_from_every_command(tmp_path, monkeypatch, capsys):
    from tui import cli

    demo = tmp_path / "demo.db"
    monkeypatch.setattr(cli, "demo_location", lambda db: str(demo))
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
    assert (code, out) == (0, "added #1 cup.jpg (image)\n")
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
