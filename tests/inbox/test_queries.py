"""Reading the queue: overdue first (most overdue first), then the latest activity; pages by
keyset with nothing missed or repeated; filters; search through FTS5; and the plans use the
indexes."""

from datetime import timedelta

import pytest

import store
from store.db import database
from store.db.models import InboxMessage
from store.inbox import InboxFilter

from .helpers import msg, put

inbox = store.inbox


@pytest.fixture
def many(team):
    """60 messages an hour apart on two channels, the older half overdue by now."""
    items = [
        msg(n, author=f"@fan{n}", body=f"message {n}", ago=timedelta(hours=n)) for n in range(60)
    ]
    put(team, team.instagram, *items[::2])
    put(team, team.x, *items[1::2])
    return items


def walk(actor, now, where=None, limit=7):
    seen, after = [], None
    while True:
        page = inbox.inbox_page(actor, now, where, after=after, limit=limit)
        seen += page.rows
        if page.after is None:
            return seen
        after = page.after


def test_overdue_come_first_then_the_latest(team, many):
    # Three hours on (13:00), all but the 10:00 message are past their 4 business hours.
    rows = walk(team.actor("ed"), team.now + timedelta(hours=3))
    assert len(rows) == 60 and len({r.id for r in rows}) == 60
    overdue = [r for r in rows if r.overdue]
    assert 0 < len(overdue) < 60 and rows[: len(overdue)] == overdue
    dues = [r.sla_due_at for r in overdue]
    assert dues == sorted(dues)
    rest = rows[len(overdue) :]
    assert [r.last_at for r in rest] == sorted((r.last_at for r in rest), reverse=True)


def test_filters_by_status_who_channel_kind_and_brand(team, many):
    ed = team.actor("ed")
    first = walk(ed, team.now)[:5]
    inbox.assign(team.actor("mgr"), [r.id for r in first[:3]], "ed", team.now)
    inbox.close(ed, [first[3].id], team.now)
    assert {r.id for r in walk(ed, team.now, InboxFilter(who="mine"))} == {r.id for r in first[:3]}
    assert len(walk(ed, team.now, InboxFilter(who="unassigned"))) == 56
    assert [r.id for r in walk(ed, team.now, InboxFilter(status="closed"))] == [first[3].id]
    assert len(walk(ed, team.now, InboxFilter(status="all"))) == 60
    on_x = walk(ed, team.now, InboxFilter(channel_id=team.x, status="all"))
    assert len(on_x) == 30 and {r.platform.value for r in on_x} == {"x"}
    assert walk(ed, team.now, InboxFilter(kind="dm")) == []
    assert walk(ed, team.now, InboxFilter(brand_id=team.other_brand)) == []
    with pytest.raises(store.ValidationError, match="status"):
        inbox.inbox_page(ed, team.now, InboxFilter(status="open"))


def test_search_finds_words_and_authors_by_prefix_ignoring_accents(team):
    put(
        team,
        team.instagram,
        msg(1, body="Le café était froid"),
        msg(2, author="@grace.k", body="Where is my parcel?"),
        msg(3, author="@b", body='a "quoted" AND OR NEAR( thing'),
    )
    ed = team.actor("ed")

    def search(words):
        return [r.first_line for r in walk(ed, team.now, InboxFilter(status="all", search=words))]

    assert search("cafe") == ["Le café était froid"]
    assert search("parc") == ["Where is my parcel?"]
    assert search("grace") == ["Where is my parcel?"]
    assert search('"quoted" NEAR(') == ['a "quoted" AND OR NEAR( thing']
    assert search("***") == []


def test_search_pages_newest_first(team, many):
    rows = walk(team.actor("ed"), team.now, InboxFilter(status="all", search="message"), limit=8)
    assert len(rows) == 60
    assert [r.id for r in rows] == sorted((r.id for r in rows), reverse=True)


def test_a_client_of_another_brand_sees_none_of_it(team, many):
    store.add_user(team.actor("root"), "mgr2", "manager", team.now, force=True)
    with pytest.raises(store.PermissionDenied):
        inbox.message_detail(team.actor("cli"), InboxMessage.get().id, team.now)


def plan(sql: str, params) -> str:
    return " ".join(r[3] for r in database.execute_sql(f"EXPLAIN QUERY PLAN {sql}", params))


def captured(team, monkeypatch, where: InboxFilter, after=None) -> list[tuple[str, tuple]]:
    """The SELECTs inbox_page runs."""
    seen = []
    real = database.obj.execute_sql

    def spy(sql, params=None, *args, **kwargs):
        if sql.lstrip().upper().startswith("SELECT") and "inbox_message" in sql:
            seen.append((sql, tuple(params or ())))
        return real(sql, params, *args, **kwargs)

    monkeypatch.setattr(database.obj, "execute_sql", spy)
    inbox.inbox_page(team.actor("ed"), team.now, where, after=after)
    monkeypatch.undo()
    return seen


@pytest.mark.parametrize(
    ("where", "index"),
    [
        (InboxFilter(), "inbox_message_status_sla_due_at"),
        (InboxFilter(status="pending"), "inbox_message_status_last_at_id"),
        (InboxFilter(status="all"), "inbox_message_last_at_id"),
        (InboxFilter(who="mine"), "inbox_message_assignee_id_status_last_at_id"),
        # The overdue part of a filtered queue reads its own index in due order (schema 8).
        (InboxFilter(who="mine"), "inbox_message_assignee_id_status_sla_due_at_id"),
        (InboxFilter(brand_id=1), "inbox_message_brand_id_status_sla_due_at_id"),
        (InboxFilter(channel_id=1), "inbox_message_channel_id_status_sla_due_at_id"),
    ],
)
def test_the_queue_queries_walk_an_index(team, many, monkeypatch, where, index):
    queries = captured(team, monkeypatch, where)
    assert queries
    plans = [plan(sql, params) for sql, params in queries]
    assert any(index in p for p in plans), plans
    assert not any("USE TEMP B-TREE FOR ORDER BY" in p for p in plans), plans
