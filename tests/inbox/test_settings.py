"""What a team sets for its inbox: the first-response target per brand (business hours, time
zone; new messages' due times counted again), and the labelling rules kept as data."""

from datetime import UTC, datetime, timedelta

import pytest

import store
from store.db.models import InboxMessage
from store.inbox.sla import due_by

from .helpers import msg, put

inbox = store.inbox


def test_the_target_is_four_business_hours_until_an_admin_changes_it(team):
    assert inbox.brand_sla(team.brand) == (4, "UTC")
    # Friday 15:00 London: 2 hours left that day, 2 on Monday morning (4 h).
    friday = datetime(2026, 11, 27, 15, 0, tzinfo=UTC)
    put(team, team.instagram, msg(1, now=friday, ago=timedelta()))
    put(team, team.x, msg(2, now=friday + timedelta(days=3), ago=timedelta()))
    first = InboxMessage.get(InboxMessage.remote_id == "1")
    assert first.sla_due_at == datetime(2026, 11, 30, 11, 0, tzinfo=UTC)
    hours, zone, moved = inbox.set_sla(
        team.actor("root"), team.brand, team.now, hours=8, timezone="America/New_York"
    )
    assert (hours, zone, moved) == (8, "America/New_York", 2)
    assert inbox.brand_sla(team.brand) == (8, "America/New_York")
    first = InboxMessage.get(InboxMessage.remote_id == "1")
    # 15:00 UTC is 10:00 in New York: 7 hours that Friday, 1 on Monday from 09:00 (14:00 UTC).
    assert first.sla_due_at == datetime(2026, 11, 30, 15, 0, tzinfo=UTC)
    assert first.sla_due_at == due_by(friday, 8, "America/New_York")
    # A message that arrives now is counted by the new target too.
    put(team, team.x, msg(3, now=friday, ago=timedelta()))
    assert InboxMessage.get(InboxMessage.remote_id == "3").sla_due_at == first.sla_due_at


def test_a_closed_or_answered_message_keeps_no_due_time(team):
    put(team, team.instagram, msg(1), msg(2, author="@b"))
    one, two = (m.id for m in InboxMessage.select().order_by(InboxMessage.id))
    inbox.close(team.actor("ed"), [one], team.now)
    _, _, moved = inbox.set_sla(team.actor("root"), team.brand, team.now, hours=2)
    assert moved == 1
    assert InboxMessage.get_by_id(one).sla_due_at is None
    assert InboxMessage.get_by_id(two).sla_due_at is not None


@pytest.mark.parametrize(
    "login, values, words",
    [
        ("mgr", {"hours": 2}, "may not"),
        ("root", {"hours": 0}, "between 1 and 80"),
        ("root", {"hours": 81}, "between 1 and 80"),
        ("root", {"timezone": "Mars/Olympus"}, "not a time zone"),
    ],
)
def test_only_admins_set_it_and_only_to_something_sensible(team, login, values, words):
    with pytest.raises(store.PostroomError) as refused:
        inbox.set_sla(team.actor(login), team.brand, team.now, **values)
    assert words in str(refused.value)
    assert inbox.brand_sla(team.brand) == (4, "UTC")


def test_a_rule_added_labels_what_comes_in_and_removing_it_keeps_the_labels(team):
    mgr = team.actor("mgr")
    rule = inbox.add_label_rule(mgr, "#Wholesale", "keywords", ["wholesale", "Bulk"], team.now)
    assert (rule.label, rule.words) == ("Wholesale", ("wholesale", "bulk"))
    assert rule in inbox.list_label_rules(mgr)
    put(team, team.instagram, msg(1, body="Do you sell in bulk?"))
    row = inbox.inbox_page(mgr, team.now).rows[0]
    assert set(row.labels) == {"question", "Wholesale"}
    inbox.remove_label_rule(mgr, rule.id, team.now)
    assert rule not in inbox.list_label_rules(mgr)
    assert "Wholesale" in inbox.inbox_page(mgr, team.now).rows[0].labels
    put(team, team.instagram, msg(2, author="@b", body="bulk pricing please"))
    (fresh,) = [r for r in inbox.inbox_page(mgr, team.now).rows if r.author_handle == "@b"]
    assert "Wholesale" not in fresh.labels


def test_a_brands_own_rule_labels_only_that_brands_messages(team):
    other = store.list_channels(team.actor("root"), team.other_brand)[0]
    inbox.add_label_rule(
        team.actor("root"), "vip", "keywords", ["press"], team.now, brand_id=team.other_brand
    )
    put(team, team.instagram, msg(1, body="press enquiry"))
    put(team, other.id, msg(2, body="press enquiry"))
    labels = {
        r.channel: r.labels
        for r in inbox.inbox_page(team.actor("root"), team.now, inbox.InboxFilter()).rows
    }
    assert "vip" not in labels["@acme"] and "vip" in labels["birch-outdoor"]
    assert [r.label for r in inbox.list_label_rules(team.actor("root"), team.brand)] == [
        "question",
        "order",
        "complaint",
    ]


@pytest.mark.parametrize(
    "login, args, words",
    [
        ("ed", ("x", "keywords", ["y"]), "may not"),
        ("mgr", ("not a label!", "keywords", ["y"]), "a label is"),
        ("mgr", ("ok", "sometimes", ["y"]), "one of question, keywords"),
        ("mgr", ("ok", "keywords", []), "needs at least one keyword"),
        ("mgr", ("ok", "keywords", ["a,b"]), "no commas"),
    ],
)
def test_rules_are_for_managers_and_must_make_sense(team, login, args, words):
    before = inbox.list_label_rules(team.actor("root"))
    with pytest.raises(store.PostroomError) as refused:
        inbox.add_label_rule(team.actor(login), *args, team.now)
    assert words in str(refused.value)
    assert inbox.list_label_rules(team.actor("root")) == before
    with pytest.raises(store.PermissionDenied):
        inbox.remove_label_rule(team.actor("ed"), before[0].id, team.now)
    with pytest.raises(store.NotFound):
        inbox.remove_label_rule(team.actor("mgr"), 999, team.now)
