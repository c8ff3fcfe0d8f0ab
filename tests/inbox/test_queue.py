"""Working the queue: statuses, assignment (managers give, anyone who answers may take), labels,
notes that are never sent, priority, bulk actions; the counts the triggers keep stay true; who
may do what and see which brand."""

from datetime import timedelta

import pytest

import store
from store.db import database
from store.db.models import InboxMessage, InboxTally

from .helpers import msg, put

inbox = store.inbox


def real_counts():
    rows = database.execute_sql(
        "SELECT brand_id, status, coalesce(assignee_id, 0), count(*) FROM inbox_message "
        "WHERE head_id IS NULL GROUP BY 1, 2, 3"
    ).fetchall()
    return {tuple(r[:3]): r[3] for r in rows}


def tally():
    return {(t.brand_id, t.status, t.assignee_id): t.n for t in InboxTally.select() if t.n}


@pytest.fixture
def three(team):
    put(team, team.instagram, msg(1), msg(2, author="@b"), msg(3, author="@c", kind="dm"))
    return [m.id for m in InboxMessage.select().order_by(InboxMessage.id)]


def test_close_and_reopen_need_no_reply(team, three):
    ed = team.actor("ed")
    assert inbox.close(ed, three[:2], team.now) == 2
    assert inbox.close(ed, three[:1], team.now) == 0  # already closed
    assert InboxMessage.get_by_id(three[0]).status == "closed"
    assert InboxMessage.get_by_id(three[0]).sla_due_at is None
    assert inbox.reopen(ed, [three[0]], team.now) == 1
    row = InboxMessage.get_by_id(three[0])
    assert row.status == "new" and row.sla_due_at == team.now + timedelta(hours=4)
    assert tally() == real_counts()


def test_a_manager_assigns_and_an_editor_takes_only_for_themselves(team, three):
    assert inbox.assign(team.actor("mgr"), [three[0]], "ed", team.now) == 1
    assert InboxMessage.get_by_id(three[0]).assignee.login == "ed"
    assert inbox.assign(team.actor("ed2"), [three[1]], "ed2", team.now) == 1
    with pytest.raises(store.PermissionDenied, match="editors may not assign"):
        inbox.assign(team.actor("ed2"), [three[2]], "ed", team.now)
    with pytest.raises(store.ValidationError, match="reviewer and may not answer"):
        inbox.assign(team.actor("mgr"), [three[2]], "rev", team.now)
    with pytest.raises(store.ValidationError, match="no active teammate"):
        inbox.assign(team.actor("mgr"), [three[2]], "nobody", team.now)
    assert inbox.assign(team.actor("mgr"), [three[0]], None, team.now) == 1
    assert InboxMessage.get_by_id(three[0]).assignee is None
    assert tally() == real_counts()


def test_new_for_me_counts_from_the_tally(team, three):
    inbox.assign(team.actor("mgr"), three[:2], "ed", team.now)
    counts = inbox.inbox_counts(team.actor("ed"))
    assert (counts.new, counts.pending, counts.closed, counts.new_for_me) == (3, 0, 0, 2)
    inbox.close(team.actor("ed"), [three[0]], team.now)
    counts = inbox.inbox_counts(team.actor("ed"))
    assert (counts.new, counts.closed, counts.new_for_me) == (2, 1, 1)
    assert inbox.inbox_counts(team.actor("ed2")).new_for_me == 0


def test_labels_are_added_and_removed_on_a_selection(team, three):
    ed = team.actor("ed")
    assert inbox.label(ed, three, "VIP", team.now) == 3
    assert inbox.label(ed, three, "vip", team.now) == 0
    assert InboxMessage.get_by_id(three[0]).labels == "vip"
    page = inbox.inbox_page(ed, team.now, inbox.InboxFilter(label="vip"))
    assert sorted(r.id for r in page.rows) == three
    assert inbox.label(ed, [three[0]], "vip", team.now, remove=True) == 1
    assert InboxMessage.get_by_id(three[0]).labels == ""
    with pytest.raises(store.ValidationError, match="label"):
        inbox.label(ed, three, "<script>!", team.now)


def test_a_note_is_kept_and_never_sent(team, three):
    inbox.add_note(team.actor("rev"), three[0], "Angry regular; be kind", team.now)
    detail = inbox.message_detail(team.actor("ed"), three[0], team.now)
    assert [(n.author, n.body) for n in detail.notes] == [("rev", "Angry regular; be kind")]
    assert detail.replies == ()
    with pytest.raises(store.ValidationError):
        inbox.add_note(team.actor("rev"), three[0], "   ", team.now)


def test_priority_runs_from_normal_to_urgent(team, three):
    assert inbox.set_priority(team.actor("ed"), [three[0]], 3, team.now) == 1
    assert InboxMessage.get_by_id(three[0]).priority == 3
    with pytest.raises(store.ValidationError, match="priority"):
        inbox.set_priority(team.actor("ed"), [three[0]], 4, team.now)


def test_reviewers_read_but_do_not_answer_and_clients_do_not_see_the_inbox(team, three):
    with pytest.raises(store.PermissionDenied):
        inbox.close(team.actor("rev"), [three[0]], team.now)
    assert inbox.inbox_page(team.actor("rev"), team.now).rows
    with pytest.raises(store.PermissionDenied, match="clients may not read the inbox"):
        inbox.inbox_page(team.actor("cli"), team.now)


def test_every_change_is_audited_and_the_chain_holds(team, three):
    inbox.assign(team.actor("mgr"), [three[0]], "ed", team.now)
    inbox.close(team.actor("ed"), [three[0]], team.now)
    actions = [
        e.action for e in store.trail(team.actor("root"), entity="inbox", entity_id=three[0])
    ]
    assert "inbox.assign" in actions and "inbox.close" in actions
    assert store.verify_database().ok
