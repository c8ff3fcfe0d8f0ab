"""Messages in: idempotent per (channel, remote id), linked to the delivery they answer, filed
into threads (a later message from the same person folds into the head, which goes back to new),
labelled by the brand's rules, due by the SLA in business hours, cleaned of control characters."""

from datetime import UTC, datetime, timedelta

import store
from store.db import database
from store.db.models import InboxMessage, LabelRule, Variant
from store.inbox.sla import due_by

from .helpers import msg, put


def test_ingesting_twice_adds_nothing(team):
    first = put(team, team.instagram, msg(1), msg(2, kind="dm", author="@b"))
    again = put(team, team.instagram, msg(1), msg(2, kind="dm", author="@b"))
    assert (first.added, again.added, again.known) == (2, 0, 2)
    assert InboxMessage.select().count() == 2


def test_the_same_remote_id_on_another_channel_is_another_message(team):
    put(team, team.instagram, msg(1))
    assert put(team, team.x, msg(1)).added == 1


def test_a_reply_to_our_post_is_linked_to_its_delivery(team):
    post = team.draft()
    variant = Variant.get((Variant.post == post.id) & (Variant.channel == team.instagram))
    Variant.update(remote_id="ig-555").where(Variant.id == variant.id).execute()
    report = put(team, team.instagram, msg(1, in_reply_to="ig-555"))
    assert report.linked == 1
    row = InboxMessage.get()
    assert row.variant_id == variant.id and row.thread_key == "ig-555"
    detail = store.inbox.message_detail(team.actor("ed"), row.id, team.now)
    assert detail.post_id == post.id and detail.row.post_title == "Winter blend"


def test_the_same_person_writing_again_folds_into_the_thread_and_reopens_it(team):
    put(
        team,
        team.instagram,
        msg(1, kind="dm", author="@fan", thread="dm:@fan", ago=timedelta(hours=3)),
    )
    head = InboxMessage.get()
    store.inbox.queue_reply(team.actor("ed"), head.id, "On its way!", team.now - timedelta(hours=2))
    assert InboxMessage.get_by_id(head.id).status == "pending"
    report = put(
        team,
        team.instagram,
        msg(2, kind="dm", author="@fan", thread="dm:@fan", body="Thanks, any tracking number?"),
    )
    assert report.folded == 1
    head = InboxMessage.get_by_id(head.id)
    assert head.status == "new" and head.last_at == team.now - timedelta(minutes=5)
    assert head.sla_due_at is not None
    follow = InboxMessage.get(InboxMessage.remote_id == "2")
    assert follow.head_id == head.id
    # The queue holds one thread, the pane shows both messages, and the labels of the follow-up.
    page = store.inbox.inbox_page(team.actor("ed"), team.now)
    assert [r.id for r in page.rows] == [head.id]
    detail = store.inbox.message_detail(team.actor("ed"), head.id, team.now)
    assert [t.body for t in detail.thread] == ["Love it", "Thanks, any tracking number?"]
    assert "question" in detail.row.labels and "order" in detail.row.labels


def test_someone_else_in_the_thread_is_their_own_message(team):
    put(
        team,
        team.instagram,
        msg(1, in_reply_to="ig-1"),
        msg(2, author="@other", in_reply_to="ig-1"),
    )
    assert InboxMessage.select().where(InboxMessage.head.is_null()).count() == 2


def test_a_reply_to_our_reply_joins_the_thread(team):
    put(team, team.instagram, msg(1, in_reply_to="ig-1", ago=timedelta(hours=2)))
    head = InboxMessage.get()
    reply_id = store.inbox.queue_reply(
        team.actor("ed"), head.id, "Thanks!", team.now - timedelta(hours=1)
    )
    from store.db.models import Reply

    Reply.update(remote_id="our-9", state="sent").where(Reply.id == reply_id).execute()
    put(team, team.instagram, msg(2, in_reply_to="our-9", body="You're welcome"))
    assert InboxMessage.get(InboxMessage.remote_id == "2").head_id == head.id


def test_rules_label_questions_orders_and_complaints(team):
    put(
        team,
        team.instagram,
        msg(1, body="Do you ship to Canada?"),
        msg(2, author="@b", body="My ORDER arrived broken"),
        msg(3, author="@c", body="Great coffee"),
    )
    labels = dict(InboxMessage.select(InboxMessage.remote_id, InboxMessage.labels).tuples())
    assert labels == {"1": "question", "2": "order, complaint", "3": ""}


def test_a_brands_own_rule_is_data(team):
    LabelRule.create(brand=team.brand, label="wholesale", match="keywords", words="wholesale, bulk")
    LabelRule.create(brand=team.other_brand, label="birch-only", match="keywords", words="coffee")
    put(team, team.instagram, msg(1, body="Do you do wholesale for cafés"))
    assert InboxMessage.get().labels == "wholesale"


def test_control_characters_never_reach_the_store(team):
    put(team, team.instagram, msg(1, author="@ev\x1b[31mil", body="hi\x1b]52;c;bad\x07 there\x00"))
    row = database.execute_sql("SELECT author_handle, body FROM inbox_message").fetchone()
    assert "\x1b" not in row[0] + row[1] and "\x00" not in row[1] and "\x07" not in row[1]


def test_the_first_response_is_due_in_business_hours(team):
    # Monday 23 Nov 10:00 UTC, a 4-hour SLA: due 14:00 the same day.
    put(team, team.instagram, msg(1, ago=timedelta(0)))
    assert InboxMessage.get().sla_due_at == datetime(2026, 11, 23, 14, 0, tzinfo=UTC)


def test_business_hours_skip_nights_weekends_and_follow_the_brands_zone():
    friday_4pm = datetime(2026, 11, 27, 16, 0, tzinfo=UTC)
    assert due_by(friday_4pm, 4, "UTC") == datetime(2026, 11, 30, 12, 0, tzinfo=UTC)
    saturday = datetime(2026, 11, 28, 10, 0, tzinfo=UTC)
    assert due_by(saturday, 1, "UTC") == datetime(2026, 11, 30, 10, 0, tzinfo=UTC)
    night = datetime(2026, 11, 24, 23, 0, tzinfo=UTC)
    assert due_by(night, 2, "UTC") == datetime(2026, 11, 25, 11, 0, tzinfo=UTC)
    # 09:00 in New York is 14:00 UTC in November.
    early = datetime(2026, 11, 24, 8, 0, tzinfo=UTC)
    assert due_by(early, 1, "America/New_York") == datetime(2026, 11, 24, 15, 0, tzinfo=UTC)
    assert due_by(early, 1, "Not/AZone") == datetime(2026, 11, 24, 10, 0, tzinfo=UTC)


def test_a_message_without_a_remote_id_is_refused_whole(team):
    import pytest

    with pytest.raises(store.ValidationError, match="remote_id"):
        put(team, team.instagram, msg(1), msg(""))
    assert InboxMessage.select().count() == 0


def test_an_overlong_body_is_cut_with_a_mark(team):
    put(team, team.instagram, msg(1, body="x" * 20_000))
    body = InboxMessage.get().body
    assert len(body) == 10_000 and body.endswith("…")
