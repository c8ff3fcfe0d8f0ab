"""The inbox on Bluesky: a fan on the reference PDS replies to a published post, mentions the
brand, quotes it and likes it; the notifications (from a loopback AppView that answers in the
lexicon's shape, checked by @atproto/api's own validator) bring in the reply, the mention and the
quote once, linked to the post by the reply's parent/root URI; the team's answer is one record on
the PDS at the reply's own key, in the thread (root and parent with their CIDs)."""

from __future__ import annotations

import secrets
from datetime import UTC, datetime

import httpx
import pytest

import store
from store.db.models import Channel, InboxMessage, Reply
from store.publishing.tid import is_tid

from .appview import AppView, assert_valid
from .posts import deliveries_of, due_post

inbox = store.inbox


@pytest.fixture
def appview(pds):
    view = AppView(pds.url).start()
    yield view
    view.stop()


@pytest.fixture
def fan(pds, appview):
    account = pds.account("fan" + secrets.token_hex(3))
    session = httpx.post(
        f"{pds.url}/xrpc/com.atproto.server.createSession",
        json={"identifier": account["handle"], "password": account["app_password"]},
        timeout=20,
    ).json()
    account["jwt"] = session["accessJwt"]
    account["display_name"] = "Fan Fiona"
    appview.watch(account)
    return account


@pytest.fixture
def connected(team, skeets, appview, pds):
    """The team's Bluesky channel, its notifications read from the loopback AppView."""
    store.connect_channel(
        team.actor("root"),
        team.bluesky,
        "bluesky",
        {
            "server": pds.url,
            "handle": skeets["handle"],
            "app_password": skeets["app_password"],
            "appview": appview.url,
        },
        team.now,
    )
    return skeets


def write(pds, account, collection: str, record: dict) -> dict:
    """The fan makes a record; its uri and cid."""
    record = {
        "$type": collection,
        "createdAt": datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z"),
        **record,
    }
    response = httpx.post(
        f"{pds.url}/xrpc/com.atproto.repo.createRecord",
        json={"repo": account["did"], "collection": collection, "record": record},
        headers={"Authorization": f"Bearer {account['jwt']}"},
        timeout=20,
    )
    response.raise_for_status()
    return response.json()


def post(pds, account, text: str, **extra) -> dict:
    return write(pds, account, "app.bsky.feed.post", {"text": text, **extra})


def published(team, clock, pds, skeets) -> tuple[int, dict]:
    pid = due_post(team, clock, [team.bluesky], caption="Winter blend, out today")
    assert store.publish_due(team.actor("root"), clock=clock, timeout=10).states == {"sent": 1}
    (record,) = pds.posts(skeets["did"])
    return pid, {"uri": record["uri"], "cid": record["cid"]}


def test_replies_mentions_and_quotes_come_in_once_and_the_answer_is_one_record_in_the_thread(
    team, clock, pds, connected, fan, appview
):
    pid, ours = published(team, clock, pds, connected)
    reply = post(pds, fan, "Is it decaf? ☕", reply={"root": ours, "parent": ours})
    text = f"@{connected['handle']} love it"
    mention_end = len(f"@{connected['handle']}".encode())
    post(
        pds,
        fan,
        text,
        facets=[
            {
                "index": {"byteStart": 0, "byteEnd": mention_end},
                "features": [{"$type": "app.bsky.richtext.facet#mention", "did": connected["did"]}],
            }
        ],
    )
    post(pds, fan, "Look at this", embed={"$type": "app.bsky.embed.record", "record": ours})
    write(pds, fan, "app.bsky.feed.like", {"subject": ours})

    root = team.actor("root")
    report = inbox.sync(root, clock())
    assert report.added == 3 and not report.failed
    for answer in appview.answers:
        assert_valid(answer)  # what the connector read is Bluesky's shape
    kinds = sorted(InboxMessage.select(InboxMessage.kind, InboxMessage.body).tuples())
    assert kinds == sorted(
        [("comment", "Is it decaf? ☕"), ("mention", "Look at this"), ("mention", text)]
    )
    comment = InboxMessage.get(InboxMessage.kind == "comment")
    assert comment.remote_id == reply["uri"] and comment.author_handle == f"@{fan['handle']}"
    assert comment.author_name == "Fan Fiona"
    assert inbox.message_detail(root, comment.id, clock()).post_id == pid
    quote = InboxMessage.get(InboxMessage.body == "Look at this")
    assert inbox.message_detail(root, quote.id, clock()).post_id == pid
    # Again: nothing new, and the cursor says where the last pass stopped.
    assert inbox.sync(root, clock()).added == 0
    assert '"seen"' in Channel.get_by_id(team.bluesky).inbox_cursor

    # The answer: one record at the reply's own key, in the thread under the fan's reply.
    inbox.queue_reply(team.actor("ed"), comment.id, "No, but the decaf is next week!", clock())
    report = store.publish_due(root, clock=clock, timeout=10)
    assert report.replies == {"sent": 1}
    answers = [r for r in pds.posts(connected["did"]) if r["value"].get("reply")]
    assert len(answers) == 1
    (answer,) = answers
    assert answer["value"]["text"] == "No, but the decaf is next week!"
    assert answer["value"]["reply"] == {
        "root": ours,
        "parent": {"uri": reply["uri"], "cid": reply["cid"]},
    }
    sent = Reply.get()
    rkey = answer["uri"].rsplit("/", 1)[1]
    assert rkey == sent.record_key and is_tid(rkey)
    assert sent.state == "sent" and sent.remote_url.endswith(f"/post/{rkey}")
    assert store.publish_due(root, clock=clock, timeout=10).replies == {}
    assert deliveries_of(team, pid)[0].state is store.DeliveryState.SENT

    # The fan writes again in the thread: only that is read, and the thread is new again.
    post(
        pds,
        fan,
        "Great, thanks!",
        reply={"root": ours, "parent": {"uri": answer["uri"], "cid": answer["cid"]}},
    )
    report = inbox.sync(root, clock())
    assert report.added == 1
    head = InboxMessage.get_by_id(comment.id)
    assert head.status == "new"
    assert InboxMessage.get(InboxMessage.head == head.id).body == "Great, thanks!"


def test_a_failed_pull_keeps_the_cursor_and_the_next_one_reads_everything(
    team, clock, pds, connected, fan, appview
):
    _, ours = published(team, clock, pds, connected)  # the pass pulled the (empty) inbox too
    before = Channel.get_by_id(team.bluesky).inbox_cursor
    post(pds, fan, "Hello?", reply={"root": ours, "parent": ours})
    appview.fail(502)
    report = inbox.sync(team.actor("root"), clock())
    assert report.added == 0
    (failure,) = report.failed
    assert failure.startswith("bluesky ") and "answered 502 to the notifications" in failure
    assert Channel.get_by_id(team.bluesky).inbox_cursor == before
    assert inbox.sync(team.actor("root"), clock()).added == 1


def test_many_notifications_are_paged_through_with_the_cursor(
    team, clock, pds, connected, fan, appview
):
    _, ours = published(team, clock, pds, connected)
    for n in range(120):  # more than one page of 100
        post(pds, fan, f"Question {n}?", reply={"root": ours, "parent": ours})
    appview.requests.clear()
    assert inbox.sync(team.actor("root"), clock()).added == 120
    pages = [r for r in appview.requests if r["path"].endswith("listNotifications")]
    assert len(pages) == 2 and pages[1]["cursor"] == "100"


def test_a_reply_already_at_its_key_is_not_made_twice(team, clock, pds, connected, fan, appview):
    """A scheduler died after createRecord went through: the next pass reads the key first."""
    _, ours = published(team, clock, pds, connected)
    post(pds, fan, "Hi!", reply={"root": ours, "parent": ours})
    inbox.sync(team.actor("root"), clock())
    message = InboxMessage.get()
    inbox.queue_reply(team.actor("ed"), message.id, "Hello there", clock())
    session = httpx.post(
        f"{pds.url}/xrpc/com.atproto.server.createSession",
        json={"identifier": connected["handle"], "password": connected["app_password"]},
        timeout=20,
    ).json()
    httpx.post(
        f"{pds.url}/xrpc/com.atproto.repo.createRecord",
        json={
            "repo": session["did"],
            "collection": "app.bsky.feed.post",
            "rkey": Reply.get().record_key,
            "record": {
                "$type": "app.bsky.feed.post",
                "text": "Hello there",
                "createdAt": "2026-12-01T10:00:00.000Z",
            },
        },
        headers={"Authorization": f"Bearer {session['accessJwt']}"},
        timeout=20,
    ).raise_for_status()
    assert store.publish_due(team.actor("root"), clock=clock, timeout=10).replies == {"sent": 1}
    texts = [r["value"]["text"] for r in pds.posts(connected["did"])]
    assert texts.count("Hello there") == 1
