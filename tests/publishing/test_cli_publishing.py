"""The publishing commands as a user types them: connect and test a channel, one pass, the
delivery list, done and retry; bad setup is one clear line and exit 1."""

from __future__ import annotations

import io
import json
import re
import stat
from pathlib import Path

import httpx
import pytest

import store
from tui.cli import context as cli_context

from ..cli.seeded import in_process
from .posts import due_post, png
from .servers import TOKEN


@pytest.fixture
def cli(team, monkeypatch, capsys, clock, credentials):
    run = in_process(monkeypatch, capsys, db=team.path)
    monkeypatch.setattr(cli_context, "clock", clock)

    def with_stdin(login, *args, stdin=""):
        monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
        code, out, err = run(login, *args)
        store.open_database(team.path)  # main() closes it; the test reads on
        return code, out, err

    return with_stdin


@pytest.fixture
def channel(team):
    return store.add_channel(
        team.actor("root"), team.brand, "mastodon", "@acme@toot.test", team.now
    )


def test_connect_test_publish_and_list_as_a_user_would(
    cli, team, clock, channel, mastodon, credentials, tmp_path
):
    code, out, err = cli(
        "root",
        "channel",
        "connect",
        "@acme@toot.test",
        "--brand",
        "acme-coffee",
        "--server",
        mastodon.url,
        "--token-stdin",
        stdin=TOKEN + "\n",
    )
    assert (code, err) == (0, ""), err
    assert f"posts through mastodon as @acme on {mastodon.url}" in out
    assert stat.S_IMODE(credentials.stat().st_mode) == 0o600
    assert TOKEN.encode() not in Path(team.path).read_bytes()  # never in the shared database
    code, out, _ = cli("root", "channel", "test", str(channel.id))
    assert code == 0 and out == f"Mastodon @acme@toot.test: mastodon as @acme on {mastodon.url}\n"
    image = store.add_asset(
        team.actor("ed"), team.brand, str(png(tmp_path / "a.png")), team.now, alt_text="Beans"
    )
    pid = due_post(team, clock, [channel.id], media=[image])
    code, out, err = cli("root", "publish", "--due")
    assert code == 0 and out.startswith("1 deliveries: 1 sent"), (out, err)
    code, out, _ = cli("ed", "delivery", "list", "--json")
    (row,) = json.loads(out)
    (status,) = mastodon.statuses()
    assert (row["post_id"], row["state"], row["remote_url"], row["attempts"]) == (
        pid,
        "sent",
        status["url"],
        1,
    )
    code, out, _ = cli("ed", "post", "show", str(pid))
    assert f"delivery #{row['id']}: sent {status['url']}" in out


def test_the_oauth_flow_registers_prints_the_address_and_reads_the_code(
    cli, team, channel, mastodon
):
    page = httpx.post(
        f"{mastodon.url}/oauth/authorize",
        data={"username": "acme", "redirect_uri": "urn:ietf:wg:oauth:2.0:oob"},
    ).text
    code_text = re.search(r"Authorization code: (\S+?)<", page).group(1)
    code, out, err = cli(
        "root",
        "channel",
        "connect",
        str(channel.id),
        "--server",
        mastodon.url,
        "--oauth",
        stdin=code_text + "\n",
    )
    assert code == 0, err
    first, second = out.splitlines()
    assert (
        first.startswith(f"Open {mastodon.url}/oauth/authorize?client_id=")
        and "response_type=code" in first
    )
    assert "posts through mastodon as @acme" in second


@pytest.mark.parametrize(
    ("args", "stdin", "words"),
    [
        (["nope", "--server", "SERVER", "--token-stdin"], TOKEN, "no channel 'nope' in this brand"),
        (
            ["CHANNEL", "--server", "SERVER", "--token-stdin"],
            "wrong-token",
            "refused the credentials (401)",
        ),
        (
            ["CHANNEL", "--server", "http://127.0.0.1:9", "--token-stdin"],
            TOKEN,
            "could not reach http://127.0.0.1:9",
        ),
        (
            ["CHANNEL", "--server", "not a server", "--token-stdin"],
            TOKEN,
            "is not a server address",
        ),
        (["CHANNEL", "--server", "SERVER", "--token-stdin"], "", "nothing on stdin"),
        (["CHANNEL", "--token-stdin"], TOKEN, "say which Mastodon server"),
    ],
)
def test_bad_setup_is_one_line_and_exit_1(
    cli, team, channel, mastodon, credentials, args, stdin, words
):
    args = [a.replace("SERVER", mastodon.url).replace("CHANNEL", str(channel.id)) for a in args]
    code, out, err = cli(
        "root", "channel", "connect", *args, "--brand", "acme-coffee", stdin=stdin + "\n"
    )
    assert (code, out) == (1, "") and err.count("\n") == 1 and words in err, err
    assert not credentials.exists()


def test_a_credentials_file_others_can_read_is_refused(cli, team, channel, mastodon, credentials):
    assert (
        cli(
            "root",
            "channel",
            "connect",
            str(channel.id),
            "--server",
            mastodon.url,
            "--token-stdin",
            stdin=TOKEN,
        )[0]
        == 0
    )
    credentials.chmod(0o644)
    for args in (["channel", "test", str(channel.id)], ["publish", "--due"], ["scheduler"]):
        code, _, err = cli("root", *args)
        assert code == 1 and err.count("\n") == 1, (args, err)
        assert f"{credentials} may be read by others (mode 644)" in err and "chmod 600" in err


def test_a_media_file_gone_missing_fails_the_pass_with_one_line(
    cli, team, clock, channel, mastodon, tmp_path
):
    cli(
        "root",
        "channel",
        "connect",
        str(channel.id),
        "--server",
        mastodon.url,
        "--token-stdin",
        stdin=TOKEN,
    )
    image = png(tmp_path / "gone.png")
    asset = store.add_asset(team.actor("ed"), team.brand, str(image), team.now, alt_text="x")
    due_post(team, clock, [channel.id], media=[asset])
    image.unlink()
    code, out, err = cli("root", "publish", "--due")
    assert code == 1 and out.startswith("1 deliveries: 1 failed")
    assert err.count("\n") == 1 and f"failed — media file {image} is missing" in err
    assert mastodon.statuses() == []


def test_post_by_hand_then_done_and_retry_from_the_command_line(cli, team, clock):
    pid = due_post(team, clock, [team.instagram])
    assert cli("root", "publish", "--due")[0] == 0
    code, out, _ = cli("ed", "delivery", "list", "--state", "manual")
    assert "post by hand" in out
    delivery = store.list_deliveries(team.actor("ed"), states=[store.DeliveryState.MANUAL])[0]
    code, out, err = cli("ed", "delivery", "retry", str(delivery.id))
    assert code == 1 and "is post by hand; only a failed or unconfirmed one is retried" in err
    code, out, err = cli(
        "ed", "delivery", "done", str(delivery.id), "--url", "https://instagram.com/p/1"
    )
    assert code == 0 and "is sent: https://instagram.com/p/1" in out
    assert team.detail(pid).summary.stage is store.Stage.PUBLISHED


def test_publish_at_takes_minutes(cli, team):
    code, out, err = cli(
        "ed",
        "post",
        "add",
        "--brand",
        "acme-coffee",
        "--title",
        "Soon",
        "--publish-at",
        "+30min",
        "--json",
    )
    assert code == 0, err
    detail = json.loads(out)
    assert detail["summary"]["publish_at"].startswith(
        (team.now.replace(microsecond=0)).strftime("%Y-%m-%d")
    )


def test_the_late_window_is_the_brands_and_an_admins_to_change(cli, team, clock):
    assert (
        cli("ed", "brand", "late-window", "acme-coffee")[1]
        == "Acme Coffee: a post may go out up to 120 minutes late\n"
    )
    code, _, err = cli("ed", "brand", "late-window", "acme-coffee", "30")
    assert code == 1 and "may not change approval policy" in err
    assert cli("root", "brand", "late-window", "acme-coffee", "30")[0] == 0
    pid = due_post(team, clock, [team.instagram])
    clock.jump(minutes=45)
    assert cli("root", "publish", "--due")[1].startswith("Nothing was due")
    assert (
        store.list_deliveries(team.actor("ed"))[0].reason
        == "missed its time by 45 min: reschedule or send now"
    )
    assert team.detail(pid).summary.stage is store.Stage.FAILED
