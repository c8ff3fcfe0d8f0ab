"""Publishing to the reference Bluesky PDS on 127.0.0.1: one record at the delivery's own TID,
with its image, alt text and aspect ratio, and facets at UTF-8 byte offsets."""

from __future__ import annotations

import httpx
import pytest

import store
from store.domain import DeliveryState as D
from store.publishing.tid import is_tid

from .posts import deliveries_of, due_post, png
from .proxy import FaultProxy


def test_a_due_post_is_one_record_at_its_own_key_with_image_and_alt(
    team, clock, pds, skeets, tmp_path
):
    image = store.add_asset(
        team.actor("ed"),
        team.brand,
        str(png(tmp_path / "cup.png", 40, 30)),
        team.now,
        alt_text="A steaming cup",
    )
    caption = "Café ☕ 冬のブレンド https://acme.example/winter #coffee"
    pid = due_post(team, clock, [team.bluesky], caption=caption, media=[image])
    assert store.publish_due(team.actor("root"), clock=clock, timeout=10).states == {"sent": 1}
    (record,) = pds.posts(skeets["did"])
    value = record["value"]
    assert value["text"] == caption
    (picture,) = value["embed"]["images"]
    assert picture["alt"] == "A steaming cup"
    assert picture["aspectRatio"] == {"width": 40, "height": 30}
    encoded = caption.encode()
    spans = {
        f["features"][0]["$type"].split("#")[1]: encoded[
            f["index"]["byteStart"] : f["index"]["byteEnd"]
        ].decode()
        for f in value["facets"]
    }
    assert spans == {"link": "https://acme.example/winter", "tag": "#coffee"}
    (delivery,) = deliveries_of(team, pid)
    rkey = record["uri"].rsplit("/", 1)[1]
    assert is_tid(rkey)
    assert delivery.state is D.SENT
    assert delivery.remote_url == f"https://bsky.app/profile/{skeets['handle']}/post/{rkey}"
    assert team.detail(pid).summary.stage is store.Stage.PUBLISHED


def _made_by_hand(pds, skeets, rkey: str, text: str) -> None:
    session = httpx.post(
        f"{pds.url}/xrpc/com.atproto.server.createSession",
        json={"identifier": skeets["handle"], "password": skeets["app_password"]},
    ).json()
    httpx.post(
        f"{pds.url}/xrpc/com.atproto.repo.createRecord",
        json={
            "repo": session["did"],
            "collection": "app.bsky.feed.post",
            "rkey": rkey,
            "record": {
                "$type": "app.bsky.feed.post",
                "text": text,
                "createdAt": "2026-12-01T10:00:00.000Z",
            },
        },
        headers={"Authorization": f"Bearer {session['accessJwt']}"},
    ).raise_for_status()


def test_a_taken_over_delivery_reads_the_record_first_and_does_not_post_again(
    team, clock, pds, skeets
):
    """A scheduler died after createRecord went through: the next one reads the record first."""
    from store.db.models import Variant

    pid = due_post(team, clock, [team.bluesky], caption="Made before the crash")
    variant = Variant.get(Variant.post == pid)
    _made_by_hand(pds, skeets, variant.record_key, "Made before the crash")
    Variant.update(attempts=1).where(Variant.id == variant.id).execute()  # as if tried once
    assert store.publish_due(team.actor("root"), clock=clock, timeout=10).states == {"sent": 1}
    assert len(pds.posts(skeets["did"])) == 1


def test_a_500_from_create_record_is_settled_by_get_record(team, clock, pds, skeets):
    """createRecord at a key that holds a record answers 500 (atproto#3718): the 500 proves
    nothing, so the record is read at the key, found, and the delivery is sent — one post."""
    from store.db.models import Variant

    pid = due_post(team, clock, [team.bluesky], caption="Already there")
    _made_by_hand(pds, skeets, Variant.get(Variant.post == pid).record_key, "Already there")
    assert store.publish_due(team.actor("root"), clock=clock, timeout=10).states == {"sent": 1}
    assert len(pds.posts(skeets["did"])) == 1
    assert deliveries_of(team, pid)[0].state is D.SENT


def test_another_post_at_the_key_is_unconfirmed_not_overwritten(team, clock, pds, skeets):
    from store.db.models import Variant

    pid = due_post(team, clock, [team.bluesky], caption="Ours")
    _made_by_hand(pds, skeets, Variant.get(Variant.post == pid).record_key, "Someone else's")
    assert store.publish_due(team.actor("root"), clock=clock, timeout=10).states == {
        "unconfirmed": 1
    }
    assert "another post sits at record key" in deliveries_of(team, pid)[0].error
    assert [r["value"]["text"] for r in pds.posts(skeets["did"])] == ["Someone else's"]


def test_a_wrong_app_password_fails_with_what_to_do(team, clock, pds, skeets, credentials):
    from store.publishing import credentials as creds

    key = "acme-coffee/bluesky/acme.bsky.social"
    creds.save(key, {**creds.load(credentials)[key], "app_password": "wrong-wrong"}, credentials)
    from store.publishing.connectors import bluesky

    bluesky._sessions.clear()
    pid = due_post(team, clock, [team.bluesky])
    assert store.publish_due(team.actor("root"), clock=clock, timeout=10).states == {"failed": 1}
    assert "refused the handle or app password" in deliveries_of(team, pid)[0].error


def test_an_image_over_a_million_bytes_is_refused_before_sending(
    team, clock, pds, skeets, tmp_path
):
    big = tmp_path / "huge.png"
    png(big)
    with big.open("ab") as f:
        f.write(b"\0" * 1_000_001)
    asset = store.add_asset(team.actor("ed"), team.brand, str(big), team.now, alt_text="Big")
    pid = due_post(team, clock, [team.bluesky], media=[asset])
    assert store.publish_due(team.actor("root"), clock=clock, timeout=10).states == {"failed": 1}
    assert "huge.png is 1,000," in deliveries_of(team, pid)[0].error
    assert pds.posts(skeets["did"]) == []


def test_channel_test_says_as_whom(team, pds, skeets):
    said = store.check_connection(team.actor("root"), team.bluesky)
    assert f"@{skeets['handle']} ({skeets['did']})" in said


def test_connect_from_the_command_line_with_an_app_password(
    team, pds, credentials, monkeypatch, capsys
):
    import io

    from ..cli.seeded import in_process

    account = pds.account("clibsky")
    run = in_process(monkeypatch, capsys, db=team.path)

    def connect(password: str):
        monkeypatch.setattr("sys.stdin", io.StringIO(password + "\n"))
        return run(
            "root", "channel", "connect", "acme.bsky.social", "--brand", "acme-coffee",
            "--handle", account["handle"], "--server", pds.url, "--app-password-stdin",
        )  # fmt: skip

    code, out, err = connect(account["app_password"])
    assert code == 0, err
    assert f"posts through bluesky as @{account['handle']} ({account['did']})" in out
    code, out, err = connect("wrong-password")
    assert code == 1 and "refused the handle or app password" in err and err.count("\n") == 1


def test_a_session_near_its_expiry_is_refreshed_not_made_anew(
    team, clock, pds, skeets, monkeypatch
):
    from store.publishing.connectors import bluesky

    bluesky._sessions.clear()
    due_post(team, clock, [team.bluesky], caption="First")
    store.publish_due(team.actor("root"), clock=clock, timeout=10)
    (first,) = bluesky._sessions.values()
    monkeypatch.setattr(bluesky, "REFRESH_AHEAD", 10**9)  # every token counts as about to expire
    made = []
    monkeypatch.setattr(
        bluesky.Bluesky, "_create_session", lambda self, creds: made.append(1) or {}
    )
    due_post(team, clock, [team.bluesky], caption="Second")
    assert store.publish_due(team.actor("root"), clock=clock, timeout=10).states == {"sent": 1}
    (second,) = bluesky._sessions.values()
    assert (
        second["refreshJwt"] != first["refreshJwt"] and made == []
    )  # refreshed: a new refresh token
    assert [r["value"]["text"] for r in pds.posts(skeets["did"])].count("Second") == 1


CREATE = "POST com.atproto.repo.createRecord"


@pytest.fixture
def through(team, pds, skeets):
    """The team's Bluesky channel reaching the PDS through a fault-injecting pass-through."""
    proxy = FaultProxy(pds.url).start()
    store.connect_channel(
        team.actor("root"),
        team.bluesky,
        "bluesky",
        {"server": proxy.url, "handle": skeets["handle"], "app_password": skeets["app_password"]},
        team.now,
    )
    yield proxy
    proxy.stop()


def test_a_timeout_after_the_record_was_made_is_settled_by_reading_it(
    team, clock, pds, skeets, through
):
    """createRecord went through but its answer never came in time: the record is read at the
    delivery's key, found, and the delivery is sent — never a second post."""
    pid = due_post(team, clock, [team.bluesky], caption="Made, but the answer was lost")
    through.hang_after("com.atproto.repo.createRecord", 4.0)
    report = store.publish_due(team.actor("root"), clock=clock, timeout=1.5)
    assert report.states == {"sent": 1}
    assert [r["value"]["text"] for r in pds.posts(skeets["did"])] == [
        "Made, but the answer was lost"
    ]
    calls = [c for c in through.seen if "Record" in c]
    assert calls == ["POST com.atproto.repo.createRecord", "GET com.atproto.repo.getRecord"]
    assert deliveries_of(team, pid)[0].state is D.SENT


def test_a_503_that_made_nothing_reads_the_key_then_posts_once(team, clock, pds, skeets, through):
    pid = due_post(team, clock, [team.bluesky], caption="Second time lucky")
    through.status_before("com.atproto.repo.createRecord", 503)
    assert store.publish_due(team.actor("root"), clock=clock, timeout=5).states == {"sent": 1}
    assert [r["value"]["text"] for r in pds.posts(skeets["did"])] == ["Second time lucky"]
    calls = [c for c in through.seen if "Record" in c]
    assert calls == [CREATE, "GET com.atproto.repo.getRecord", CREATE]
    from store.db.models import Variant

    (delivery,) = deliveries_of(team, pid)
    key = Variant.get(Variant.post == pid).record_key
    assert delivery.state is D.SENT and delivery.remote_url.endswith(f"/post/{key}")
