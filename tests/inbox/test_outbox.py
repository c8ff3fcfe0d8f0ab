"""Answering: a reply goes into the outbox with its keys fixed and the message becomes pending;
the platform's length check; saved replies filled from the author; DMs answered privately; the
traffic cop refuses a second answer; presence says who is replying; the claim never hands one
reply to two schedulers."""

from datetime import timedelta

import pytest

import store
from store.db.models import InboxMessage, Reply
from store.inbox.outbox import claim_replies, finish_reply
from store.publishing.deliveries import Outcome

from .helpers import msg, put

inbox = store.inbox
D = store.DeliveryState


@pytest.fixture
def dm(team):
    store.connect_channel  # noqa: B018 (the channel stays manual unless a test connects it)
    from store.db.models import Channel

    Channel.update(connector="mastodon", server="http://127.0.0.1:9").where(
        Channel.id == team.x
    ).execute()
    put(
        team,
        team.x,
        msg(1, kind="dm", author="@grace.k", author_name="Grace", thread="dm:@grace.k"),
    )
    return InboxMessage.get().id


def test_a_reply_is_queued_with_its_keys_and_the_message_goes_pending(team, dm):
    reply_id = inbox.queue_reply(team.actor("ed"), dm, "Hi Grace, on its way", team.now)
    reply = Reply.get_by_id(reply_id)
    assert reply.state == "pending" and reply.due_at == team.now and reply.private
    assert len(reply.idempotency_key) == 32 and len(reply.record_key) == 13
    message = InboxMessage.get_by_id(dm)
    assert message.status == "pending" and message.sla_due_at is None
    detail = inbox.message_detail(team.actor("ed"), dm, team.now)
    assert [(r.author, r.state) for r in detail.replies] == [("ed", D.PENDING)]


def test_a_reply_over_the_platforms_limit_is_refused_with_the_count(team, dm):
    with pytest.raises(store.ValidationError, match="280"):
        inbox.queue_reply(team.actor("ed"), dm, "x" * 300, team.now)
    assert Reply.select().count() == 0 and InboxMessage.get_by_id(dm).status == "new"


def test_a_saved_reply_is_filled_from_the_author(team, dm):
    store.inbox.add_saved_reply(
        team.actor("mgr"), "Thanks", "Thank you, {name}! ({handle})", team.now
    )
    reply_id = inbox.reply_with_saved(team.actor("ed"), dm, "thanks", team.now)
    assert Reply.get_by_id(reply_id).body == "Thank you, Grace! (@grace.k)"
    with pytest.raises(store.NotFound, match="no saved reply called 'Nope'"):
        inbox.reply_with_saved(team.actor("ed"), dm, "Nope", team.now)
    with pytest.raises(store.PermissionDenied):
        store.inbox.add_saved_reply(team.actor("ed"), "Mine", "x", team.now)


def test_the_brands_own_saved_reply_comes_first(team):
    store.inbox.add_saved_reply(team.actor("mgr"), "Hours", "Team-wide", team.now)
    store.inbox.add_saved_reply(team.actor("mgr"), "Hours", "Acme's", team.now, brand_id=team.brand)
    names = [
        (s.title, s.body) for s in store.inbox.list_saved_replies(team.actor("ed"), team.brand)
    ]
    assert names == [("Hours", "Acme's"), ("Hours", "Team-wide")]


def test_someone_replied_while_you_were_writing(team, dm):
    seen = inbox.message_detail(team.actor("ed2"), dm, team.now).seen_reply
    inbox.queue_reply(team.actor("ed"), dm, "Sorted it, Grace!", team.now)
    with pytest.raises(
        store.Conflict, match="ed replied while you were writing: “Sorted it, Grace!”"
    ):
        inbox.queue_reply(team.actor("ed2"), dm, "Let me check", team.now, seen_reply=seen)
    assert Reply.select().count() == 1
    # Having read it, they may add to it.
    seen = inbox.message_detail(team.actor("ed2"), dm, team.now).seen_reply
    inbox.queue_reply(team.actor("ed2"), dm, "Also: 10% off next time", team.now, seen_reply=seen)
    assert Reply.select().count() == 2


def test_presence_shows_who_is_replying_until_they_leave_or_go_quiet(team, dm):
    inbox.start_replying(team.actor("ed"), dm, team.now)
    assert inbox.message_detail(team.actor("ed2"), dm, team.now).replying == ("ed",)
    assert inbox.message_detail(team.actor("ed"), dm, team.now).replying == ()
    later = team.now + timedelta(seconds=31)
    assert inbox.message_detail(team.actor("ed2"), dm, later).replying == ()
    inbox.start_replying(team.actor("ed"), dm, later)  # the heartbeat
    assert inbox.replying(dm, "ed2", later) == ("ed",)
    inbox.stop_replying(team.actor("ed"), dm)
    assert inbox.replying(dm, "ed2", later) == ()


def test_a_reply_on_a_manual_channel_is_sent_by_hand(team):
    put(team, team.instagram, msg(1))
    message = InboxMessage.get().id
    reply_id = inbox.queue_reply(team.actor("ed"), message, "Thanks!", team.now)
    assert Reply.get_by_id(reply_id).state == "manual" and Reply.get_by_id(reply_id).due_at is None
    inbox.reply_done(team.actor("ed"), reply_id, "https://instagram.com/p/1", team.now)
    assert Reply.get_by_id(reply_id).state == "sent"


def test_two_schedulers_never_claim_the_same_reply(team, dm):
    inbox.queue_reply(team.actor("ed"), dm, "One", team.now)
    root = team.actor("root")
    first = claim_replies(root, "a", team.now)
    second = claim_replies(root, "b", team.now)
    assert len(first) == 1 and second == []
    # The lease runs out: the other takes it over, same reply, same keys.
    taken = claim_replies(root, "b", team.now + timedelta(minutes=6))
    assert [c.id for c in taken] == [first[0].id] and taken[0].attempt == 2
    # The first one's late answer no longer counts, unless it is a success.
    assert finish_reply(root, first[0], "a", Outcome(D.RETRYING, "503"), team.now) is D.SENDING
    assert finish_reply(root, first[0], "a", Outcome(D.SENT, remote_id="9"), team.now) is D.SENT


def test_a_provably_unsent_reply_backs_off_then_fails(team, dm):
    inbox.queue_reply(team.actor("ed"), dm, "One", team.now)
    root, now = team.actor("root"), team.now
    for attempt, wait in enumerate((1, 5, 30), start=1):
        (claimed,) = claim_replies(root, "a", now)
        assert claimed.attempt == attempt
        assert finish_reply(root, claimed, "a", Outcome(D.RETRYING, "503"), now) is D.RETRYING
        assert Reply.get().due_at == now + timedelta(minutes=wait)
        now += timedelta(minutes=wait)
    (claimed,) = claim_replies(root, "a", now)
    assert finish_reply(root, claimed, "a", Outcome(D.RETRYING, "503"), now) is D.FAILED
    assert "gave up after 4 attempts" in Reply.get().last_error
    inbox.retry_reply(team.actor("ed"), Reply.get().id, now)
    assert Reply.get().state == "pending" and Reply.get().attempts == 0


def test_a_closed_message_is_reopened_before_it_is_answered(team, dm):
    inbox.close(team.actor("ed"), [dm], team.now)
    with pytest.raises(store.InvalidTransition, match="reopen"):
        inbox.queue_reply(team.actor("ed"), dm, "Hi", team.now)


def test_reviewers_do_not_answer(team, dm):
    with pytest.raises(store.PermissionDenied):
        inbox.queue_reply(team.actor("rev"), dm, "Hi", team.now)
    with pytest.raises(store.PermissionDenied):
        inbox.start_replying(team.actor("rev"), dm, team.now)
