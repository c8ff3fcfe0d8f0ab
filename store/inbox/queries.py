"""Reading the inbox: the queue a page at a time by keyset (overdue first, then latest activity),
search through the FTS5 index (ILIKE on PostgreSQL), one message with its thread, and the counts
the header shows (from the tally the triggers keep, never a COUNT over the messages)."""

from __future__ import annotations

import re
from datetime import UTC, datetime

from peewee import JOIN, PostgresqlDatabase, fn

from ..access import member, scoped, visible_brands
from ..db import database, reading
from ..db.models import (
    Channel,
    InboxLabel,
    InboxMessage,
    InboxNote,
    InboxTally,
    Post,
    Presence,
    Reply,
    User,
    Variant,
)
from ..domain import Actor, DeliveryState, InboxKind, InboxStatus, Platform
from ..errors import NotFound, ValidationError
from ..permissions import Action, require
from .model import (
    InboxCounts,
    InboxFilter,
    InboxPage,
    MessageDetail,
    MessageRow,
    NoteInfo,
    ReplyInfo,
    ThreadItem,
)
from .presence import replying

M = InboxMessage
S = InboxStatus
#: Sections of the queue, in order: overdue (most overdue first), the rest (latest first); a
#: search lists newest first.
OVERDUE, REST, FOUND = 0, 1, 2
STATUSES = ("new", "pending", "closed", "all")
WHO = ("all", "mine", "unassigned")


def _stamp(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S")


def _check(where: InboxFilter) -> None:
    if where.status not in STATUSES:
        raise ValidationError("status", f"one of {', '.join(STATUSES)}")
    if where.who not in WHO:
        raise ValidationError("who", f"one of {', '.join(WHO)}")
    if where.kind is not None and where.kind not in {k.value for k in InboxKind}:
        raise ValidationError("kind", f"one of {', '.join(k.value for k in InboxKind)}")


def _base(actor: Actor, where: InboxFilter):
    query = (
        M.select(
            M.id,
            M.status,
            M.kind,
            Channel.platform,
            Channel.handle,
            M.brand,
            M.author_handle,
            M.body,
            M.received_at,
            M.last_at,
            User.login,
            M.labels,
            M.sla_due_at,
            M.priority,
            Post.title,
        )
        .join(Channel, on=(M.channel == Channel.id))
        .switch(M)
        .join(User, JOIN.LEFT_OUTER, on=(M.assignee == User.id))
        .switch(M)
        .join(Variant, JOIN.LEFT_OUTER, on=(M.variant == Variant.id))
        .join(Post, JOIN.LEFT_OUTER, on=(Variant.post == Post.id))
        .where(M.head.is_null())
    )
    query = scoped(query, actor, M.brand, where.brand_id)
    if where.status != "all":
        query = query.where(M.status == where.status)
    if where.who == "mine":
        query = query.where(M.assignee == member(actor).id)
    elif where.who == "unassigned":
        query = query.where(M.assignee.is_null())
    if where.channel_id is not None:
        query = query.where(M.channel == where.channel_id)
    if where.kind is not None:
        query = query.where(M.kind == where.kind)
    if where.label:
        query = query.where(
            M.id.in_(InboxLabel.select(InboxLabel.message).where(InboxLabel.label == where.label))
        )
    return query


def _row(t: tuple, now: datetime) -> MessageRow:
    (
        mid,
        status,
        kind,
        platform,
        handle,
        brand,
        author,
        body,
        received,
        last,
        assignee,
        labels,
        due,
        priority,
        title,
    ) = t
    field = M.received_at
    received = field.python_value(received)
    last = field.python_value(last) or received
    due = field.python_value(due)
    return MessageRow(
        id=mid,
        status=S(status),
        kind=InboxKind(kind),
        platform=Platform(platform),
        channel=handle,
        brand_id=brand,
        author_handle=author,
        first_line=next((line for line in body.splitlines() if line.strip()), "")[:200],
        received_at=received,
        last_at=last,
        assignee=assignee,
        labels=tuple(lbl for lbl in labels.split(", ") if lbl),
        sla_due_at=due,
        overdue=status == S.NEW and due is not None and due <= now,
        priority=priority,
        post_title=title,
    )


def inbox_page(
    actor: Actor,
    now: datetime,
    where: InboxFilter | None = None,
    *,
    after: tuple | None = None,
    limit: int = 50,
) -> InboxPage:
    """One page of the queue after `after` (the previous page's `after`)."""
    require(actor, Action.INBOX_VIEW)
    where = where or InboxFilter()
    _check(where)
    with reading():
        if where.search.strip():
            return _search_page(actor, now, where, after, limit)
        base = _base(actor, where)
        section, key, last_id = after if after is not None else (OVERDUE, None, None)
        rows: list[tuple] = []
        overdue_possible = where.status in ("new", "all")
        overdue = (M.status == S.NEW.value) & (M.sla_due_at <= _stamp(now))
        if section == OVERDUE and overdue_possible:
            q = base.where(overdue)
            if key is not None:
                q = q.where((M.sla_due_at > key) | ((M.sla_due_at == key) & (M.id > last_id)))
            rows = list(q.order_by(M.sla_due_at, M.id).limit(limit).tuples())
            if len(rows) == limit:
                return _page(rows, now, OVERDUE, 12)
            key = last_id = None
        elif section == OVERDUE:
            key = last_id = None
        q = base
        if overdue_possible:
            q = q.where(~overdue | M.sla_due_at.is_null())
        if key is not None:
            q = q.where((M.last_at < key) | ((M.last_at == key) & (M.id < last_id)))
        more = list(q.order_by(M.last_at.desc(), M.id.desc()).limit(limit - len(rows)).tuples())
        rows += more
        if len(rows) < limit:
            return InboxPage(tuple(_row(r, now) for r in rows), None)
        return _page(rows, now, REST, 9)


def _page(rows: list[tuple], now: datetime, section: int, key_index: int) -> InboxPage:
    last = rows[-1]
    key = last[12] if section == OVERDUE else last[key_index]
    return InboxPage(tuple(_row(r, now) for r in rows), (section, key, last[0]))


def fts_query(words: str) -> str:
    """A search as FTS5 reads it: every word must appear (as a prefix), quotes made harmless."""
    terms = [t for t in re.split(r"[^\w]+", words) if t]
    return " ".join(f'"{t}"*' for t in terms)


def _search_page(actor, now, where: InboxFilter, after, limit) -> InboxPage:
    base = _base(actor, where)
    last_id = after[2] if after is not None else None
    if isinstance(database.obj, PostgresqlDatabase):
        pattern = f"%{where.search.strip()}%"
        q = base.where(M.body.ilike(pattern) | M.author_handle.ilike(pattern))
        if last_id is not None:
            q = q.where(M.id < last_id)
        rows = list(q.order_by(M.id.desc()).limit(limit).tuples())
    else:
        match = fts_query(where.search)
        if not match:
            return InboxPage((), None)
        rows = []
        cursor = last_id
        while len(rows) < limit:
            sql = 'SELECT rowid FROM "inbox_fts" WHERE "inbox_fts" MATCH ?'
            args: list = [match]
            if cursor is not None:
                sql += " AND rowid < ?"
                args.append(cursor)
            ids = [r[0] for r in database.execute_sql(sql + " ORDER BY rowid DESC LIMIT 400", args)]
            if not ids:
                break
            cursor = ids[-1]
            found = base.where(M.id.in_(ids)).order_by(M.id.desc()).tuples()
            rows += list(found)[: limit - len(rows)]
            if len(ids) < 400:
                break
    page = tuple(_row(r, now) for r in rows)
    return InboxPage(page, (FOUND, None, rows[-1][0]) if len(rows) == limit else None)


def message_detail(actor: Actor, message_id: int, now: datetime) -> MessageDetail:
    """One message as the pane shows it: the thread, the post it answers, the author's earlier
    messages to the brand, notes, replies, and who else is replying now."""
    require(actor, Action.INBOX_VIEW)
    with reading():
        head = M.get_or_none(M.id == message_id)
        if head is None:
            raise NotFound(f"no inbox message #{message_id}")
        if head.head_id is not None:
            head = M.get_by_id(head.head_id)
        require(actor, Action.INBOX_VIEW, head.brand_id)
        row = _base(actor, InboxFilter(status="all")).where(M.id == head.id).tuples().first()
        info = _row(row, now)
        follow = list(M.select().where(M.head == head.id).order_by(M.received_at, M.id))
        thread = sorted([head, *follow], key=lambda m: (m.received_at, m.id))
        earlier = list(
            M.select()
            .where(
                (M.brand == head.brand_id)
                & (M.author_handle == head.author_handle)
                & (M.received_at < head.received_at)
                & (M.thread_key != head.thread_key)
            )
            .order_by(M.received_at.desc())
            .limit(5)
        )
        notes = [
            NoteInfo(login, body, at)
            for login, body, at in InboxNote.select(
                User.login, InboxNote.body, InboxNote.created_at
            )
            .join(User)
            .where(InboxNote.message == head.id)
            .order_by(InboxNote.created_at, InboxNote.id)
            .tuples()
        ]
        replies = [
            _reply(r)
            for r in Reply.select(Reply, User)
            .join(User)
            .where(Reply.message == head.id)
            .order_by(Reply.id)
        ]
        post_id = (
            Variant.select(Variant.post).where(Variant.id == head.variant_id).scalar()
            if head.variant_id
            else None
        )
        others_replying = replying(head.id, actor.login, now)
        return MessageDetail(
            row=info,
            body=head.body,
            author_name=head.author_name,
            remote_url=head.remote_url,
            version=head.version,
            post_id=post_id,
            thread=tuple(_item(m) for m in thread),
            earlier=tuple(_item(m) for m in earlier),
            notes=tuple(notes),
            replies=tuple(replies),
            replying=others_replying,
            seen_reply=max((r.id for r in replies), default=0),
        )


def _item(m: InboxMessage) -> ThreadItem:
    return ThreadItem(m.id, m.author_handle, m.body, m.received_at, m.remote_url)


def _reply(r: Reply) -> ReplyInfo:
    state = DeliveryState(r.state)
    return ReplyInfo(
        id=r.id,
        author=r.author.login,
        body=r.body,
        created_at=r.created_at,
        state=state,
        private=bool(r.private),
        remote_url=r.remote_url,
        error=r.last_error,
        next_try=r.due_at if state is DeliveryState.RETRYING else None,
    )


def inbox_counts(actor: Actor, brand_id: int | None = None) -> InboxCounts:
    """Thread heads per status (for what the actor may see), and the new ones assigned to them."""
    with reading():
        me = member(actor)
        query = InboxTally.select(InboxTally.status, InboxTally.assignee_id, fn.SUM(InboxTally.n))
        visible = visible_brands(actor)
        if brand_id is not None:
            query = query.where(InboxTally.brand_id == brand_id)
        elif visible is not None:
            query = query.where(InboxTally.brand_id.in_(list(visible) or [0]))
        totals = {S.NEW.value: 0, S.PENDING.value: 0, S.CLOSED.value: 0}
        mine = 0
        for status, assignee, n in query.group_by(
            InboxTally.status, InboxTally.assignee_id
        ).tuples():
            totals[status] = totals.get(status, 0) + (n or 0)
            if status == S.NEW and assignee == me.id:
                mine += n or 0
        return InboxCounts(totals["new"], totals["pending"], totals["closed"], mine)


def presence_rows() -> int:
    """How many presence rows exist (tests and doctor)."""
    with reading():
        return Presence.select().count()
