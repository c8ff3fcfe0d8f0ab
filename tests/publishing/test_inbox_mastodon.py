"""The inbox against a real Mastodon API server (mastodon-mock on 127.0.0.1): a fan mentions the
brand, replies to a published post and sends a DM; sync brings exactly those in, once; the
team's answer goes out once, privately for the DM, even through a 503; the fan writing again
puts the thread back to new."""

from __future__ import annotations

import httpx

import store
from store.db.models import Channel, InboxMessage, Reply

from .posts import deliveries_of, due_post
from .servers import OTHER_TOKEN

inbox = store.inbox


def fan(mastodon, **body) -> dict:
    """The fan's account posts a status."""
    response = httpx.post(
        f"{mastodon.url}/api/v1/statuses",
        json=body,
        headers={"Authorization": f"Bearer {OTHER_TOKEN}"},
        timeout=10,
    )
    response.raise_for_status()
    return response.json()


def one_pass(team, clock):
    return store.publish_due(team.actor("root"), clock=clock, timeout=3.0)


def published(team, clock, toots) -> str:
    pid = due_post(team, clock, [toots.id])
    assert one_pass(team, clock).states == {"sent": 1}
    (delivery,) = deliveries_of(team, pid)
    return pid, delivery.remote_url.rsplit("/", 1)[-1]


def test_a_mention_a_reply_and_a_dm_come_in_once_and_the_answer_arrives_once_as_a_dm(
    team, clock, toots, mastodon
):
    pid, status_id = published(team, clock, toots)
    fan(mastodon, status="@acme love the new blend")
    fan(mastodon, status="@acme is it decaf?", in_reply_to_id=status_id)
    dm = fan(mastodon, status="@acme where is my order?", visibility="direct")
    root = team.actor("root")
    report = inbox.sync(root, clock())
    assert report.added == 3 and not report.failed
    kinds = dict(InboxMessage.select(InboxMessage.kind, InboxMessage.body).tuples())
    assert kinds == {
        "mention": "@acme love the new blend",
        "comment": "@acme is it decaf?",
        "dm": "@acme where is my order?",
    }
    comment = InboxMessage.get(InboxMessage.kind == "comment")
    assert inbox.message_detail(root, comment.id, clock()).post_id == pid
    assert inbox.sync(root, clock()).added == 0
    assert '"notifications"' in Channel.get_by_id(toots.id).inbox_cursor

    # A manager gives the DM to an editor, who answers with a saved reply.
    message = InboxMessage.get(InboxMessage.kind == "dm")
    inbox.assign(team.actor("mgr"), [message.id], "ed", clock())
    assert inbox.inbox_counts(team.actor("ed")).new_for_me == 1
    inbox.add_saved_reply(team.actor("mgr"), "Order", "Sorry {name}! It ships today.", clock())
    inbox.reply_with_saved(team.actor("ed"), message.id, "order", clock())
    assert InboxMessage.get_by_id(message.id).status == "pending"
    report = one_pass(team, clock)
    assert report.replies == {"sent": 1}
    ours = [s for s in mastodon.statuses() if s.get("in_reply_to_id")]
    assert len(ours) == 1
    (answer,) = ours
    assert answer["visibility"] == "direct" and answer["in_reply_to_id"] == dm["id"]
    # {name} is the display name the server gave; the person is mentioned so the DM reaches them.
    assert "@other Sorry Someone else! It ships today." in answer["content"]
    reply = Reply.get()
    assert reply.state == "sent" and reply.remote_url == answer["url"]
    assert one_pass(team, clock).replies == {}

    # The fan answers again: one new message, folded into the DM's thread, back to new.
    fan(
        mastodon, status="@acme thanks, tracking?", visibility="direct", in_reply_to_id=answer["id"]
    )
    report = inbox.sync(root, clock())
    assert report.added == 1
    head = InboxMessage.get_by_id(message.id)
    assert head.status == "new" and InboxMessage.get(InboxMessage.head == head.id).body.endswith(
        "tracking?"
    )


def test_a_503_on_the_reply_is_asked_again_under_the_same_key_and_arrives_once(
    team, clock, toots, mastodon
):
    fan(mastodon, status="@acme hello?", visibility="direct")
    inbox.sync(team.actor("root"), clock())
    message = InboxMessage.get()
    inbox.queue_reply(team.actor("ed"), message.id, "Hello!", clock())
    mastodon.fault({"type": "status", "status": 503}, count=1)
    assert one_pass(team, clock).replies == {"sent": 1}
    assert len([s for s in mastodon.statuses() if s.get("in_reply_to_id")]) == 1


def test_a_429_on_the_reply_waits_then_sends_once(team, clock, toots, mastodon):
    fan(mastodon, status="@acme hello?", visibility="direct")
    inbox.sync(team.actor("root"), clock())
    message = InboxMessage.get()
    inbox.queue_reply(team.actor("ed"), message.id, "Hello!", clock())
    mastodon.fault(
        {"type": "ratelimit", "headers": {"Retry-After": "120", "X-RateLimit-Reset": "0"}}, count=1
    )
    assert one_pass(team, clock).replies == {"retrying": 1}
    assert Reply.get().state == "retrying" and "429" in Reply.get().last_error
    clock.jump(minutes=3)
    assert one_pass(team, clock).replies == {"sent": 1}
    assert len([s for s in mastodon.statuses() if s.get("in_reply_to_id")]) == 1


def test_a_reply_that_never_gets_an_answer_is_unconfirmed_never_doubled(
    team, clock, toots, mastodon
):
    fan(mastodon, status="@acme hi", visibility="direct")
    inbox.sync(team.actor("root"), clock())
    inbox.queue_reply(team.actor("ed"), InboxMessage.get().id, "Hi!", clock())
    mastodon.fault({"type": "status", "status": 503}, count=None)
    assert one_pass(team, clock).replies == {"unconfirmed": 1}
    mastodon.clear_faults()
    assert [s for s in mastodon.statuses() if s.get("in_reply_to_id")] == []
    # A person checked: not there. Retry, same key: exactly one.
    inbox.retry_reply(team.actor("ed"), Reply.get().id, clock())
    assert one_pass(team, clock).replies == {"sent": 1}
    assert len([s for s in mastodon.statuses() if s.get("in_reply_to_id")]) == 1


def test_a_sync_that_cannot_reach_the_server_says_so_and_keeps_the_cursor(
    team, clock, toots, mastodon
):
    mastodon.fault(
        {"type": "status", "status": 503},
        count=None,
        path="/api/v1/notifications",
        methods=("GET",),
    )
    report = inbox.sync(team.actor("root"), clock())
    assert report.added == 0 and "503" in report.failed[0]
    assert Channel.get_by_id(toots.id).inbox_cursor is None
