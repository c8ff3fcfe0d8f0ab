"""Replies, exactly once: a person's answer goes into the outbox with its keys fixed (Mastodon's
Idempotency-Key, a Bluesky record key), and the scheduler sends it through the channel's connector
with the deliveries' states and rules — claimed by one compare-and-swap statement under a lease,
retried only when provably not sent, reconciled by asking again under the same key when the
answer was ambiguous, else unconfirmed for a person.

No double answers: a send is refused when someone else replied after the sender opened the
thread (Help Scout's "traffic cop"), showing their reply."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from peewee import PostgresqlDatabase

from .. import audit
from ..access import member
from ..db import database, reading, writing
from ..db.fields import UTCDateTimeField
from ..db.models import Brand, Channel, InboxMessage, Reply, SavedReply, User
from ..domain import Actor, CaptionReport, DeliveryState, InboxKind, Platform
from ..errors import Conflict, InvalidTransition, NotFound, ValidationError
from ..permissions import Action, require
from ..publishing.deliveries import BACKOFF, LEASE, Claimed, Outcome, check_move
from ..publishing.platforms import check_caption
from ..publishing.tid import new_tid
from ..text import clean
from .queue import mark_answered

D = DeliveryState
CLAIMABLE = (D.PENDING, D.RETRYING, D.SENDING)


@dataclass(frozen=True)
class ReplyJob:
    """Exactly what one reply sends, and where."""

    reply_id: int
    message_id: int
    platform: Platform
    handle: str
    connector: str
    server: str | None
    credentials_key: str
    body: str
    private: bool
    author_handle: str
    #: The platform's id of the message answered (its latest one in the thread).
    in_reply_to: str | None
    root: str | None
    idempotency_key: str
    record_key: str
    attempt: int


def _stamp(moment: datetime) -> str:
    return UTCDateTimeField().db_value(moment)


def fill(template: str, author_handle: str, author_name: str = "") -> str:
    """A saved reply with `{name}` (the author's name, else handle) and `{handle}` filled."""
    name = (author_name or author_handle).strip() or author_handle
    return template.replace("{name}", name).replace("{handle}", author_handle)


def check_reply(platform: Platform | str, text: str) -> CaptionReport:
    """What the platform would object to in a reply: its length, counted the platform's way (the
    same rule as captions; a reply needs no media, so the post-only checks do not apply)."""
    report = check_caption(platform, clean(text, lines=True).strip())
    return replace(report, findings=tuple(f for f in report.findings if f.code == "length"))


def queue_reply(
    actor: Actor, message_id: int, body: str, now: datetime, *, seen_reply: int | None = None
) -> int:
    """Put a person's answer in the outbox; returns the reply's id. `seen_reply` is the newest
    reply the sender saw when they opened the thread: if someone else replied since, the send is
    refused (Conflict) with their reply shown. The message becomes pending."""
    text = clean(body, lines=True).strip()
    if not text:
        raise ValidationError("reply", "write the answer first")
    with writing():
        row = InboxMessage.get_or_none(InboxMessage.id == message_id)
        if row is None:
            raise NotFound(f"no inbox message #{message_id}")
        if row.head_id is not None:
            row = InboxMessage.get_by_id(row.head_id)
        require(actor, Action.INBOX_REPLY, row.brand_id)
        me = member(actor)
        channel = Channel.get_by_id(row.channel_id)
        if seen_reply is not None:
            other = (
                Reply.select(Reply, User)
                .join(User)
                .where(
                    (Reply.message == row.id) & (Reply.id > seen_reply) & (Reply.author != me.id)
                )
                .order_by(Reply.id)
                .first()
            )
            if other is not None:
                raise Conflict(
                    f"{other.author.login} replied while you were writing: “{other.body}” "
                    "— yours was not sent; read theirs first"
                )
        errors = check_reply(channel.platform, text).errors
        if errors:
            raise ValidationError("reply", f"{channel.platform}: {errors[0].message}")
        mark_answered(row)
        manual = (channel.connector or "manual") in ("manual", "webhook")
        reply = Reply.create(
            message=row.id,
            author=me.id,
            body=text,
            created_at=now,
            state=(D.MANUAL if manual else D.PENDING).value,
            private=row.kind == InboxKind.DM,
            idempotency_key=uuid.uuid4().hex,
            record_key=new_tid(),
            due_at=None if manual else now,
        )
        audit.record(
            actor.login,
            "inbox.reply",
            "inbox",
            row.id,
            {"reply": reply.id, "length": len(text), "private": bool(reply.private)},
            now,
        )
    return reply.id


def reply_with_saved(
    actor: Actor, message_id: int, title: str, now: datetime, *, seen_reply: int | None = None
) -> int:
    """Queue a saved reply by name, filled from the message's author."""
    with reading():
        row = InboxMessage.get_or_none(InboxMessage.id == message_id)
        if row is None:
            raise NotFound(f"no inbox message #{message_id}")
        saved = find_saved(row.brand_id, title)
        text = fill(saved.body, row.author_handle, row.author_name)
    return queue_reply(actor, message_id, text, now, seen_reply=seen_reply)


def find_saved(brand_id: int | None, title: str) -> SavedReply:
    """A saved reply by its name (the brand's own first, then the team's)."""
    name = clean(title).strip()
    rows = list(
        SavedReply.select().where(
            (SavedReply.title**name) & (SavedReply.brand.is_null() | (SavedReply.brand == brand_id))
        )
    )
    if not rows:
        raise NotFound(f"no saved reply called {name!r} (postroom saved-reply list)")
    rows.sort(key=lambda r: r.brand_id is None)
    return rows[0]


# -- the scheduler's side ---------------------------------------------------------------------


def _claim_sql(postgres: bool) -> str:
    states = ", ".join(f"'{s.value}'" for s in CLAIMABLE)
    if postgres:
        return (
            f'WITH picked AS (SELECT "id" FROM "reply" WHERE "due_at" <= %s '
            f'AND "state" IN ({states}) ORDER BY "due_at" LIMIT %s FOR UPDATE SKIP LOCKED) '
            'UPDATE "reply" SET "state" = \'sending\', "lease_owner" = %s, '
            '"lease_until" = %s, "due_at" = %s, "attempts" = "reply"."attempts" + 1 '
            'FROM picked WHERE "reply"."id" = picked."id" '
            'RETURNING "reply"."id", "reply"."attempts"'
        )
    return (
        'UPDATE "reply" SET "state" = \'sending\', "lease_owner" = ?, '
        '"lease_until" = ?, "due_at" = ?, "attempts" = "attempts" + 1 '
        f'WHERE "id" IN (SELECT "id" FROM "reply" WHERE "due_at" <= ? AND +"state" IN ({states}) '
        'ORDER BY "due_at" LIMIT ?) '
        f'AND "due_at" <= ? AND "state" IN ({states}) '
        'RETURNING "id", "attempts"'
    )


def claim_replies(
    actor: Actor, owner: str, now: datetime, *, limit: int = 1, lease: timedelta = LEASE
) -> list[Claimed]:
    """Take up to `limit` due replies for `owner`, each under a lease (a lapsed one is taken
    over, never doubled: the keys are the reply's own)."""
    postgres = isinstance(database.obj, PostgresqlDatabase)
    until = now + lease
    with writing():
        if postgres:
            values = (_stamp(now), limit, owner, _stamp(until), _stamp(until))
        else:
            values = (owner, _stamp(until), _stamp(until), _stamp(now), limit, _stamp(now))
        rows = database.execute_sql(_claim_sql(postgres), values).fetchall()
        claimed = [Claimed(r[0], r[1]) for r in rows]
        for c in claimed:
            message_id = Reply.select(Reply.message).where(Reply.id == c.id).scalar()
            audit.record(
                actor.login,
                "inbox.reply_sending",
                "inbox",
                message_id,
                {"reply": c.id, "attempt": c.attempt, "owner": owner},
                now,
            )
    return sorted(claimed, key=lambda c: c.id)


def load_reply_job(claimed: Claimed) -> ReplyJob:
    """What a claimed reply sends."""
    from ..publishing.credentials import channel_key

    with reading():
        reply = Reply.get_or_none(Reply.id == claimed.id)
        if reply is None:
            raise NotFound(f"no reply #{claimed.id}")
        head = InboxMessage.get_by_id(reply.message_id)
        channel = Channel.get_by_id(head.channel_id)
        brand = Brand.get_by_id(head.brand_id)
        latest = (
            InboxMessage.select(InboxMessage.remote_id)
            .where((InboxMessage.id == head.id) | (InboxMessage.head == head.id))
            .where(InboxMessage.received_at <= _stamp(reply.created_at))
            .order_by(InboxMessage.received_at.desc(), InboxMessage.id.desc())
            .scalar()
        )
        return ReplyJob(
            reply_id=reply.id,
            message_id=head.id,
            platform=Platform(channel.platform),
            handle=channel.handle,
            connector=channel.connector or "manual",
            server=channel.server,
            credentials_key=channel_key(brand.slug, channel.platform, channel.handle),
            body=reply.body,
            private=bool(reply.private),
            author_handle=head.author_handle,
            in_reply_to=latest or head.remote_id,
            root=head.thread_key,
            idempotency_key=reply.idempotency_key,
            record_key=reply.record_key or "",
            attempt=claimed.attempt,
        )


def finish_reply(actor: Actor, claimed: Claimed, owner: str, outcome: Outcome, now: datetime) -> D:
    """Record what a reply's attempt came to (under its lease; a success always)."""
    with writing():
        row = Reply.get_or_none(Reply.id == claimed.id)
        if row is None:
            return D.FAILED
        mine = row.state == D.SENDING and row.lease_owner == owner
        if outcome.state is D.SENT:
            if row.state not in (D.SENDING, D.UNCONFIRMED):
                return D(row.state)
        elif not mine:
            return D(row.state)
        state, reason, next_try = outcome.state, outcome.reason, None
        if state is D.RETRYING:
            if claimed.attempt > len(BACKOFF):
                state = D.FAILED
                reason = f"{reason} (gave up after {claimed.attempt} attempts)"
            else:
                wait = BACKOFF[claimed.attempt - 1]
                if outcome.retry_after is not None:
                    wait = timedelta(seconds=max(0.0, outcome.retry_after))
                next_try = now + wait
        _set(
            actor,
            row,
            D(row.state),
            state,
            now,
            reason=reason,
            due_at=next_try,
            remote_id=outcome.remote_id,
            remote_url=outcome.remote_url,
        )
    return state


def _set(
    actor,
    row: Reply,
    frm: D,
    to: D,
    now: datetime,
    *,
    reason="",
    due_at=None,
    remote_id=None,
    remote_url=None,
    attempts=None,
) -> None:
    check_move(frm, to)
    values = {
        Reply.state: to.value,
        Reply.due_at: due_at,
        Reply.last_error: clean(reason, lines=False)[:500] or None,
        Reply.lease_owner: None,
        Reply.lease_until: None,
    }
    if to is D.SENT:
        values[Reply.sent_at] = now
        values[Reply.last_error] = None
        if remote_id is not None:
            values[Reply.remote_id] = clean(remote_id)[:255]
        if remote_url is not None:
            values[Reply.remote_url] = clean(remote_url)[:255]
    if attempts is not None:
        values[Reply.attempts] = attempts
    Reply.update(values).where(Reply.id == row.id).execute()
    detail = {"reply": row.id, "from": frm.value, "to": to.value}
    if reason:
        detail["reason"] = reason
    if remote_url:
        detail["url"] = remote_url
    audit.record(actor.login, f"inbox.reply_{to.value}", "inbox", row.message_id, detail, now)


def retry_reply(actor: Actor, reply_id: int, now: datetime) -> None:
    """Send a failed or unconfirmed reply again at the next pass, under the same key."""
    with writing():
        row = Reply.get_or_none(Reply.id == reply_id)
        if row is None:
            raise NotFound(f"no reply #{reply_id}")
        message = InboxMessage.get_by_id(row.message_id)
        require(actor, Action.INBOX_REPLY, message.brand_id)
        state = D(row.state)
        if state not in (D.FAILED, D.UNCONFIRMED):
            raise InvalidTransition(
                f"reply #{reply_id} is {state.label}; only a failed or unconfirmed one is retried"
            )
        _set(actor, row, state, D.PENDING, now, due_at=now, attempts=0)


def reply_done(actor: Actor, reply_id: int, url: str, now: datetime) -> None:
    """Record a reply a person sent by hand (or checked that it did arrive), with its link."""
    url = clean(url).strip()
    if not url.startswith(("https://", "http://")):
        raise ValidationError("url", "give the link of the reply on the platform (https://…)")
    with writing():
        row = Reply.get_or_none(Reply.id == reply_id)
        if row is None:
            raise NotFound(f"no reply #{reply_id}")
        message = InboxMessage.get_by_id(row.message_id)
        require(actor, Action.INBOX_REPLY, message.brand_id)
        state = D(row.state)
        if state not in (D.MANUAL, D.UNCONFIRMED, D.FAILED):
            raise InvalidTransition(f"reply #{reply_id} is {state.label}")
        _set(actor, row, state, D.SENT, now, remote_url=url[:255])
