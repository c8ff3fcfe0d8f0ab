"""Publishing to a real Mastodon API server (mastodon-mock on 127.0.0.1), with faults injected:
every case ends with exactly one status on the server, or none, and the right delivery state."""

from __future__ import annotations

import time

import store
from store.domain import DeliveryState as D

from .posts import deliveries_of, due_post, png


def one_pass(team, clock, **options):
    options.setdefault("timeout", 3.0)
    return store.publish_due(team.actor("root"), clock=clock, **options)


def test_a_due_post_goes_out_once_with_its_image_and_alt_text(
    team, clock, toots, mastodon, tmp_path
):
    image = store.add_asset(
        team.actor("ed"),
        team.brand,
        str(png(tmp_path / "beans.png")),
        team.now,
        alt_text="A cup of coffee on a wooden table",
    )
    pid = due_post(team, clock, [toots.id], media=[image])
    report = one_pass(team, clock)
    assert report.states == {"sent": 1}
    (status,) = mastodon.statuses()
    assert "Our winter blend is here." in status["content"]
    assert [m["description"] for m in status["media_attachments"]] == [
        "A cup of coffee on a wooden table"
    ]
    (delivery,) = deliveries_of(team, pid)
    assert delivery.state is D.SENT and delivery.remote_url == status["url"]
    assert team.detail(pid).summary.stage is store.Stage.PUBLISHED
    # A second pass finds nothing to do.
    assert one_pass(team, clock).states == {}
    assert len(mastodon.statuses()) == 1


def test_a_503_once_is_settled_by_asking_again_under_the_same_key(team, clock, toots, mastodon):
    mastodon.fault({"type": "status", "status": 503})
    pid = due_post(team, clock, [toots.id])
    assert one_pass(team, clock).states == {"sent": 1}
    assert len(mastodon.statuses()) == 1
    assert deliveries_of(team, pid)[0].state is D.SENT


def test_a_429_waits_as_long_as_retry_after_says_then_sends(team, clock, toots, mastodon):
    reset = str(int(time.time()) + 2)
    mastodon.fault(
        {"type": "ratelimit", "headers": {"Retry-After": "2", "X-RateLimit-Reset": reset}}
    )
    pid = due_post(team, clock, [toots.id])
    assert one_pass(team, clock).states == {"retrying": 1}
    (delivery,) = deliveries_of(team, pid)
    assert delivery.state is D.RETRYING and "rate limiting (429)" in delivery.error
    assert 1 <= (delivery.next_try_at - clock()).total_seconds() <= 3
    assert one_pass(team, clock).states == {}  # not yet
    time.sleep(2.2)
    assert one_pass(team, clock).states == {"sent": 1}
    assert len(mastodon.statuses()) == 1


def test_a_hung_request_is_asked_again_under_the_same_key(team, clock, toots, mastodon):
    mastodon.fault({"type": "timeout"})
    pid = due_post(team, clock, [toots.id])
    assert one_pass(team, clock, timeout=1.5).states == {"sent": 1}
    assert len(mastodon.statuses()) == 1
    assert deliveries_of(team, pid)[0].state is D.SENT


def test_malformed_json_is_asked_again_and_makes_one_status(team, clock, toots, mastodon):
    mastodon.fault({"type": "malformed"})
    due_post(team, clock, [toots.id])
    assert one_pass(team, clock).states == {"sent": 1}
    assert len(mastodon.statuses()) == 1


def test_503_that_does_not_go_away_is_unconfirmed_and_a_retry_sends_it_once(
    team, clock, toots, mastodon
):
    mastodon.fault({"type": "status", "status": 503}, count=None)
    pid = due_post(team, clock, [toots.id])
    assert one_pass(team, clock).states == {"unconfirmed": 1}
    (delivery,) = deliveries_of(team, pid)
    assert "answered 503" in delivery.error and "check mastodon" in delivery.error
    assert mastodon.statuses() == []
    # Never sent again on its own:
    clock.jump(hours=1)
    assert one_pass(team, clock).states == {}
    mastodon.clear_faults()
    store.delivery_retry(team.actor("ed"), delivery.delivery_id, clock())
    assert one_pass(team, clock).states == {"sent": 1}
    assert len(mastodon.statuses()) == 1


def test_a_validation_answer_fails_with_the_servers_reason_and_is_not_retried(
    team, clock, toots, mastodon
):
    mastodon.fault({"type": "status", "status": 422}, count=None)
    pid = due_post(team, clock, [toots.id])
    assert one_pass(team, clock).states == {"failed": 1}
    (delivery,) = deliveries_of(team, pid)
    assert "refused the post (422)" in delivery.error
    detail = team.detail(pid)
    assert detail.summary.stage is store.Stage.FAILED
    assert "mastodon @acme@mastodon.test" in detail.stage_history[-1].note


def test_a_refused_connection_retries_after_1_5_30_minutes_then_fails(
    team, clock, toots, mastodon, credentials
):
    from store.publishing import credentials as creds

    key = "acme-coffee/mastodon/@acme@mastodon.test"
    entry = creds.load(credentials)[key]
    creds.save(key, {**entry, "server": "http://127.0.0.1:9"}, credentials)  # nothing listens
    pid = due_post(team, clock, [toots.id])
    waits = []
    for _ in range(3):
        assert one_pass(team, clock).states == {"retrying": 1}
        (delivery,) = deliveries_of(team, pid)
        waits.append(round((delivery.next_try_at - clock()).total_seconds() / 60))
        assert "could not reach" in delivery.error
        clock.jump(minutes=waits[-1] + 1)
    assert waits == [1, 5, 30]
    assert one_pass(team, clock).states == {"failed": 1}
    assert "gave up after 4 attempts" in deliveries_of(team, pid)[0].error
    assert mastodon.statuses() == []


def test_a_wrong_token_fails_with_what_to_do(team, clock, toots, mastodon, credentials):
    from store.publishing import credentials as creds

    key = "acme-coffee/mastodon/@acme@mastodon.test"
    creds.save(key, {**creds.load(credentials)[key], "token": "not-a-token"}, credentials)
    pid = due_post(team, clock, [toots.id])
    assert one_pass(team, clock).states == {"failed": 1}
    assert "refused the credentials (401)" in deliveries_of(team, pid)[0].error


def test_a_missing_media_file_fails_before_anything_is_sent(team, clock, toots, mastodon, tmp_path):
    image = png(tmp_path / "gone.png")
    asset = store.add_asset(team.actor("ed"), team.brand, str(image), team.now, alt_text="Beans")
    pid = due_post(team, clock, [toots.id], media=[asset])
    image.unlink()
    assert one_pass(team, clock).states == {"failed": 1}
    assert f"media file {image} is missing" in deliveries_of(team, pid)[0].error
    assert mastodon.statuses() == []


def test_missing_credentials_fail_with_how_to_add_them(team, clock, toots, mastodon, credentials):
    credentials.unlink()
    pid = due_post(team, clock, [toots.id])
    assert one_pass(team, clock).states == {"failed": 1}
    assert "run `postroom channel connect`" in deliveries_of(team, pid)[0].error


def test_a_post_that_missed_its_time_by_more_than_the_late_window_is_not_sent(
    team, clock, toots, mastodon
):
    pid = due_post(team, clock, [toots.id])
    clock.jump(hours=5)
    assert one_pass(team, clock).states == {}
    (delivery,) = deliveries_of(team, pid)
    assert delivery.state is D.FAILED
    assert delivery.error == "missed its time by 5 h: reschedule or send now"
    assert mastodon.statuses() == []
    store.send_now(team.actor("ed"), pid, clock())
    assert one_pass(team, clock).states == {"sent": 1}
    assert len(mastodon.statuses()) == 1
    assert team.detail(pid).summary.stage is store.Stage.PUBLISHED


def test_the_servers_own_limit_is_read_from_its_instance(team, mastodon):
    import httpx

    from store.publishing.connectors.mastodon import Mastodon

    with httpx.Client(timeout=5) as http:
        assert Mastodon(http).limit({"server": mastodon.url, "token": "x"}) == 500


def test_visibility_and_language_are_the_channels(team, clock, toots, mastodon, credentials):
    store.connect_channel(
        team.actor("root"),
        toots.id,
        "mastodon",
        {"server": mastodon.url, "token": "postroom-test-token"},
        team.now,
        visibility="unlisted",
        language="de",
    )
    due_post(team, clock, [toots.id], caption="Unser Winterkaffee ist da.")
    one_pass(team, clock)
    (status,) = mastodon.statuses()
    assert (status["visibility"], status["language"]) == ("unlisted", "de")


def test_an_upload_still_processing_is_waited_for_before_the_status(
    team, clock, toots, mastodon, tmp_path
):
    """The server answers the upload 202 with `url: null` (still processing), and says so twice
    more when asked: the connector waits until the media has its URL, then posts once with it."""
    import httpx

    from .servers import TOKEN

    path = png(tmp_path / "slow.png")
    with path.open("rb") as f:
        made = httpx.post(
            f"{mastodon.url}/api/v2/media",
            files={"file": ("slow.png", f)},
            data={"description": "Beans"},
            headers={"Authorization": f"Bearer {TOKEN}"},
            timeout=10,
        )
    made.raise_for_status()
    media = made.json()
    processing = {**media, "url": None, "preview_url": None}
    mastodon.fault({"type": "status", "status": 202, "body": processing}, path="/api/v2/media")
    mastodon.fault(
        {"type": "status", "status": 200, "body": processing},
        count=2,
        path=f"/api/v1/media/{media['id']}",
        methods=("GET",),
    )
    asset = store.add_asset(team.actor("ed"), team.brand, str(path), team.now, alt_text="Beans")
    pid = due_post(team, clock, [toots.id], media=[asset])
    started = time.monotonic()
    assert one_pass(team, clock).states == {"sent": 1}
    assert time.monotonic() - started >= 1.5  # it waited (0.5 s, then 1 s, then asked again)
    left = httpx.get(f"{mastodon.url}/api/v1/_mock/faults", timeout=5).json()
    assert left == []  # the 202 and both "still processing" answers were given, and used up
    (status,) = mastodon.statuses()
    assert [m["id"] for m in status["media_attachments"]] == [media["id"]]
    assert deliveries_of(team, pid)[0].state is D.SENT
