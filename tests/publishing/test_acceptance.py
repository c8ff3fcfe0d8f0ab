"""The issue's first acceptance point, as a new user would try it: one post, approved and
scheduled for now on Mastodon and Bluesky, appears on each exactly once with its image and alt
text; the detail shows both links; `postroom delivery list --json` says sent with the URLs."""

from __future__ import annotations

import json

import store
from tui.cli import context as cli_context

from ..cli.seeded import in_process
from .posts import due_post, png


def test_one_post_on_mastodon_and_bluesky_once_each(
    team, clock, toots, mastodon, pds, skeets, tmp_path, monkeypatch, capsys
):
    image = store.add_asset(
        team.actor("ed"),
        team.brand,
        str(png(tmp_path / "cup.png", 30, 20)),
        team.now,
        alt_text="Latte art, a fern",
    )
    pid = due_post(
        team, clock, [toots.id, team.bluesky], caption="Winter is here ☕ #coffee", media=[image]
    )
    run = in_process(monkeypatch, capsys, db=team.path)
    monkeypatch.setattr(cli_context, "clock", clock)
    code, out, err = run("root", "publish", "--due", "--timeout", "10")
    assert code == 0 and out.startswith("2 deliveries: 2 sent"), (out, err)
    store.open_database(team.path)
    (status,) = mastodon.statuses()
    assert [m["description"] for m in status["media_attachments"]] == ["Latte art, a fern"]
    (record,) = pds.posts(skeets["did"])
    assert [i["alt"] for i in record["value"]["embed"]["images"]] == ["Latte art, a fern"]
    code, out, _ = run("ed", "delivery", "list", "--json")
    rows = {r["platform"]: r for r in json.loads(out)}
    assert rows["mastodon"]["state"] == rows["bluesky"]["state"] == "sent"
    rkey = record["uri"].rsplit("/", 1)[1]
    assert rows["mastodon"]["remote_url"] == status["url"]
    assert (
        rows["bluesky"]["remote_url"] == f"https://bsky.app/profile/{skeets['handle']}/post/{rkey}"
    )
    store.open_database(team.path)
    detail = team.detail(pid)
    assert detail.summary.stage is store.Stage.PUBLISHED
    assert {v.remote_url for v in detail.variants} == {status["url"], rows["bluesky"]["remote_url"]}


def test_each_channel_gets_its_own_caption_from_the_approved_revision(team, clock, toots, mastodon):
    at = clock()
    post = store.create_post(
        team.actor("ed"),
        team.brand,
        "Two words",
        at,
        caption="For everyone",
        channel_ids=[toots.id, team.instagram],
        overrides={toots.id: "Only for the fediverse"},
        publish_at=at + __import__("datetime").timedelta(minutes=1),
    )
    store.move(team.actor("ed"), post.id, "in_review", at)
    store.approve(team.actor("rev"), post.id, at)
    store.move(team.actor("ed"), post.id, "scheduled", at)
    clock.jump(minutes=1)
    store.publish_due(team.actor("root"), clock=clock, timeout=5)
    (status,) = mastodon.statuses()
    assert "Only for the fediverse" in status["content"]
