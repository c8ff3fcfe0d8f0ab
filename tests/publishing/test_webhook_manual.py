"""The webhook connector against a receiving server in the test (it checks the Standard Webhooks
signature and keeps each webhook-id once), and the manual connector: post by hand, then done."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

import store
from store.domain import DeliveryState as D

from .posts import deliveries_of, due_post

SECRET = "whsec_" + base64.b64encode(b"a shared secret of the team").decode()


class Receiver:
    """Records each request; accepts a message id once; can answer 500 after taking one."""

    def __init__(self):
        self.requests: list[dict] = []
        self.accepted: dict[str, dict] = {}
        self.fail_after_taking = 0
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["content-length"]))
                msg_id = self.headers["webhook-id"]
                stamp = self.headers["webhook-timestamp"]
                signed = f"{msg_id}.{stamp}.".encode() + body
                key = base64.b64decode(SECRET.removeprefix("whsec_"))
                expected = (
                    "v1,"
                    + base64.b64encode(hmac.new(key, signed, hashlib.sha256).digest()).decode()
                )
                good = hmac.compare_digest(expected, self.headers["webhook-signature"])
                receiver.requests.append({"id": msg_id, "signed": good})
                if not good:
                    self.send_response(401)
                    self.end_headers()
                    return
                receiver.accepted.setdefault(msg_id, json.loads(body))
                if receiver.fail_after_taking:
                    receiver.fail_after_taking -= 1
                    self.send_response(500)
                    self.end_headers()
                    return
                answer = json.dumps({"url": f"https://hooks.example/{msg_id}"}).encode()
                self.send_response(200)
                self.send_header("content-type", "application/json")
                self.send_header("content-length", str(len(answer)))
                self.end_headers()
                self.wfile.write(answer)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hook"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()


@pytest.fixture
def receiver():
    r = Receiver()
    yield r
    r.server.shutdown()


@pytest.fixture
def hook(team, receiver, credentials):
    root = team.actor("root")
    channel = store.add_channel(root, team.brand, "linkedin", "acme-company", team.now)
    store.connect_channel(
        root, channel.id, "webhook", {"url": receiver.url, "secret": SECRET}, team.now
    )
    return channel


def test_a_webhook_gets_the_post_signed_and_once(team, clock, hook, receiver):
    pid = due_post(team, clock, [hook.id], caption="Winter is here ☕ #coffee")
    report = store.publish_due(team.actor("root"), clock=clock, timeout=3)
    assert report.states == {"sent": 1}
    assert [r["signed"] for r in receiver.requests] == [True]
    (message,) = receiver.accepted.values()
    assert message["type"] == "post.publish"
    assert message["data"]["caption"] == "Winter is here ☕ #coffee"
    assert message["data"]["channel"] == {
        "id": hook.id,
        "platform": "linkedin",
        "handle": "acme-company",
    }
    assert message["data"]["post_id"] == pid
    (delivery,) = deliveries_of(team, pid)
    assert delivery.state is D.SENT and delivery.remote_url.startswith("https://hooks.example/msg_")


def test_a_500_after_the_webhook_took_it_is_sent_again_under_the_same_id(
    team, clock, hook, receiver
):
    receiver.fail_after_taking = 1
    due_post(team, clock, [hook.id])
    assert store.publish_due(team.actor("root"), clock=clock, timeout=3).states == {"sent": 1}
    assert len(receiver.requests) == 2
    assert len({r["id"] for r in receiver.requests}) == 1 and len(receiver.accepted) == 1


def test_a_manual_channel_becomes_post_by_hand_then_done_with_its_link(team, clock, credentials):
    pid = due_post(team, clock, [team.instagram])
    assert store.publish_due(team.actor("root"), clock=clock).states == {"manual": 1}
    (delivery,) = deliveries_of(team, pid)
    assert delivery.state is D.MANUAL and delivery.words == "post by hand"
    assert team.detail(pid).summary.stage is store.Stage.SCHEDULED
    with pytest.raises(store.ValidationError, match="give the link"):
        store.delivery_done(team.actor("ed"), delivery.delivery_id, "not a link", clock())
    store.delivery_done(
        team.actor("ed"), delivery.delivery_id, "https://instagram.com/p/abc", clock()
    )
    (delivery,) = deliveries_of(team, pid)
    assert delivery.state is D.SENT and delivery.remote_url == "https://instagram.com/p/abc"
    assert team.detail(pid).summary.stage is store.Stage.PUBLISHED


def test_a_reviewer_may_not_mark_a_delivery_done(team, clock, credentials):
    pid = due_post(team, clock, [team.instagram])
    store.publish_due(team.actor("root"), clock=clock)
    (delivery,) = deliveries_of(team, pid)
    with pytest.raises(store.PermissionDenied, match="reviewers may not publish posts"):
        store.delivery_done(team.actor("rev"), delivery.delivery_id, "https://x.example/1", clock())


def test_a_post_is_published_only_when_every_channel_has_it(team, clock, hook, receiver):
    pid = due_post(team, clock, [hook.id, team.instagram])
    assert store.publish_due(team.actor("root"), clock=clock, timeout=3).states == {
        "sent": 1,
        "manual": 1,
    }
    assert team.detail(pid).summary.stage is store.Stage.SCHEDULED
    manual = next(d for d in deliveries_of(team, pid) if d.state is D.MANUAL)
    store.delivery_done(team.actor("ed"), manual.delivery_id, "https://instagram.com/p/x", clock())
    assert team.detail(pid).summary.stage is store.Stage.PUBLISHED


def test_a_retried_delivery_goes_at_the_next_pass_however_late_its_time_was(
    team, clock, credentials
):
    pid = due_post(team, clock, [team.instagram])
    clock.jump(days=2)
    store.publish_due(team.actor("root"), clock=clock)
    (delivery,) = deliveries_of(team, pid)
    assert delivery.error.startswith("missed its time by 2 days")
    store.delivery_retry(team.actor("ed"), delivery.delivery_id, clock())
    assert team.detail(pid).summary.stage is store.Stage.SCHEDULED
    assert store.publish_due(team.actor("root"), clock=clock).states == {"manual": 1}
