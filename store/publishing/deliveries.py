"""Deliveries, exactly once: the one state table of a post on one channel, the atomic claim with
its lease, and what each outcome of an attempt does to the delivery and to its post.

pending → sending → sent, with retrying (a next try at a time), unconfirmed (the outcome is
unknown: a person checks), failed (a reason a person can act on) and manual (post by hand).
The idempotency key and the Bluesky record key are fixed when the delivery is made, so every
attempt, a dead scheduler's taken-over one included, asks the platform for the same post.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from peewee import PostgresqlDatabase

from .. import audit, changes
from ..changes import Kind
from ..db import database, reading, writing
from ..db.fields import UTCDateTimeField
from ..db.models import Brand, Channel, Post, Variant
from ..domain import Actor, DeliveryInfo, DeliveryState, Stage
from ..errors import InvalidTransition, NotFound, ValidationError
from ..permissions import Action, require
from ..text import clean
from ..workflow import load_post, record_stage, save_post
from .delivery_queries import delivery

D = DeliveryState
#: Every move a delivery can make; anything else is a bug, refused.
MOVES: frozenset[tuple[DeliveryState, DeliveryState]] = frozenset(
    {
        (D.PENDING, D.SENDING),
        (D.RETRYING, D.SENDING),
        (D.SENDING, D.SENDING),  # a lease that ran out, taken over
        (D.PENDING, D.FAILED),  # missed its time
        (D.SENDING, D.SENT),
        (D.SENDING, D.RETRYING),
        (D.SENDING, D.FAILED),
        (D.SENDING, D.UNCONFIRMED),
        (D.SENDING, D.MANUAL),
        (D.MANUAL, D.SENT),  # done by hand
        (D.UNCONFIRMED, D.SENT),  # it did appear
        (D.FAILED, D.SENT),  # posted by hand instead
        (D.FAILED, D.PENDING),  # retry
        (D.UNCONFIRMED, D.PENDING),  # it did not appear: try again, same key
    }
)
#: States a scheduler picks up once `due_at` has come.
CLAIMABLE = (D.PENDING, D.RETRYING, D.SENDING)
#: Waits after the 1st, 2nd and 3rd attempt that provably did not take effect; then failed.
BACKOFF = (timedelta(minutes=1), timedelta(minutes=5), timedelta(minutes=30))
#: How long a claim holds before another scheduler may take the delivery over.
LEASE = timedelta(minutes=5)


def check_move(frm: DeliveryState, to: DeliveryState) -> None:
    """Refuse a move the state table does not have."""
    if (D(frm), D(to)) not in MOVES:
        raise InvalidTransition(f"a delivery cannot go from {D(frm).label} to {D(to).label}")


@dataclass(frozen=True)
class Outcome:
    """What one attempt came to. `retry_after` is the server's own wait, in seconds."""

    state: DeliveryState
    reason: str = ""
    remote_id: str | None = None
    remote_url: str | None = None
    retry_after: float | None = None


@dataclass(frozen=True)
class Claimed:
    """A delivery this scheduler now holds, and the how-manyth attempt this is."""

    id: int
    attempt: int


def _stamp(moment: datetime) -> str:
    return UTCDateTimeField().db_value(moment)


def _claim_sql(postgres: bool) -> str:
    """The compare-and-swap claim: on SQLite one UPDATE (the write lock is already ours); on
    PostgreSQL the rows are picked with FOR UPDATE SKIP LOCKED in a CTE (a LIMIT in an IN-subquery
    may be run more than once there), so two schedulers never wait on or take the same row."""
    states = ", ".join(f"'{s.value}'" for s in CLAIMABLE)
    if postgres:
        return (
            f'WITH picked AS (SELECT "id" FROM "variant" WHERE "due_at" <= %s '
            f'AND "state" IN ({states}) ORDER BY "due_at" LIMIT %s FOR UPDATE SKIP LOCKED) '
            'UPDATE "variant" SET "state" = \'sending\', "lease_owner" = %s, '
            '"lease_until" = %s, "due_at" = %s, "attempts" = "variant"."attempts" + 1 '
            'FROM picked WHERE "variant"."id" = picked."id" '
            'RETURNING "variant"."id", "variant"."attempts"'
        )
    return (
        'UPDATE "variant" SET "state" = \'sending\', "lease_owner" = ?, '
        '"lease_until" = ?, "due_at" = ?, "attempts" = "attempts" + 1 '
        f'WHERE "id" IN ({claim_query()}) '
        f'AND "due_at" <= ? AND "state" IN ({states}) '
        'RETURNING "id", "attempts"'
    )


def claim_query() -> str:
    """The inner query of the SQLite claim, for EXPLAIN: it walks the due_at index (the unary +
    keeps SQLite off the state index, which holds every waiting draft's channels)."""
    states = ", ".join(f"'{s.value}'" for s in CLAIMABLE)
    return (
        f'SELECT "id" FROM "variant" WHERE "due_at" <= ? AND +"state" IN ({states}) '
        'ORDER BY "due_at" LIMIT ?'
    )


def claim(
    actor: Actor, owner: str, now: datetime, *, limit: int = 20, lease=LEASE
) -> list[Claimed]:
    """Take up to `limit` due deliveries for `owner` in one compare-and-swap statement, each with a
    lease until now + `lease`; a lease that ran out is taken over. Deliveries that missed their
    time by more than their brand's late window are failed instead, not sent late."""
    postgres = isinstance(database.obj, PostgresqlDatabase)
    until = now + lease
    with writing():
        _fail_missed(actor, now)
        if postgres:
            values = (_stamp(now), limit, owner, _stamp(until), _stamp(until))
        else:
            values = (owner, _stamp(until), _stamp(until), _stamp(now), limit, _stamp(now))
        rows = database.execute_sql(_claim_sql(postgres), values).fetchall()
        claimed = [Claimed(row[0], row[1]) for row in rows]
        for c in claimed:
            audit.record(
                actor.login,
                "delivery.sending",
                "delivery",
                c.id,
                {"attempt": c.attempt, "owner": owner},
                now,
            )
            post_id = Variant.select(Variant.post).where(Variant.id == c.id).scalar()
            changes.record(Kind.POST, post_id, ("deliveries",))
    return sorted(claimed, key=lambda c: c.id)


def _fail_missed(actor: Actor, now: datetime) -> None:
    """Fail each waiting delivery whose publish time passed by more than its brand's window."""
    narrowest = Brand.select(Brand.late_window_minutes).order_by(Brand.late_window_minutes).scalar()
    if narrowest is None:
        return
    late = (
        Variant.select(Variant.id, Variant.due_at, Variant.post, Brand.late_window_minutes)
        .join(Post)
        .join(Brand)
        .where(
            (Variant.due_at <= now - timedelta(minutes=narrowest)) & (Variant.state == D.PENDING)
        )
        .tuples()
    )
    for variant_id, due_at, post_id, window in late:
        by = now - due_at
        if by <= timedelta(minutes=window):
            continue
        reason = f"missed its time by {_span(by)}: reschedule or send now"
        _set(actor, variant_id, D.PENDING, D.FAILED, now, reason=reason)
        _roll_up(actor, post_id, now)


def _span(by: timedelta) -> str:
    minutes = int(by.total_seconds() // 60)
    if minutes < 120:
        return f"{minutes} min"
    if minutes < 48 * 60:
        return f"{minutes // 60} h"
    return f"{minutes // 1440} days"


def finish(actor: Actor, claimed: Claimed, owner: str, outcome: Outcome, now: datetime) -> D:
    """Record what an attempt came to, under the lease it was made with; returns the state the
    delivery is in now. A success is recorded even if the lease was lost meanwhile (whoever took
    over asks with the same key and gets the same post)."""
    with writing():
        row = Variant.get_or_none(Variant.id == claimed.id)
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
            claimed.id,
            D(row.state),
            state,
            now,
            reason=reason,
            due_at=next_try,
            remote_id=outcome.remote_id,
            remote_url=outcome.remote_url,
        )
        _roll_up(actor, row.post_id, now)
    return state


def _set(
    actor: Actor,
    variant_id: int,
    frm: D,
    to: D,
    now: datetime,
    *,
    reason: str = "",
    due_at: datetime | None = None,
    remote_id: str | None = None,
    remote_url: str | None = None,
    attempts: int | None = None,
) -> None:
    """Move one delivery and write its audit event (inside the caller's transaction)."""
    check_move(frm, to)
    values = {
        Variant.state: to.value,
        Variant.due_at: due_at,
        Variant.last_error: clean(reason, lines=False)[:500] or None,
        Variant.lease_owner: None,
        Variant.lease_until: None,
    }
    if to is D.SENT:
        values[Variant.sent_at] = now
        values[Variant.last_error] = None
        if remote_id is not None:
            values[Variant.remote_id] = clean(remote_id)[:255]
        if remote_url is not None:
            values[Variant.remote_url] = clean(remote_url)[:255]
    if attempts is not None:
        values[Variant.attempts] = attempts
    Variant.update(values).where(Variant.id == variant_id).execute()
    detail = {"from": frm.value, "to": to.value}
    if reason:
        detail["reason"] = reason
    if due_at is not None and to is D.RETRYING:
        detail["next_try"] = _stamp(due_at)
    if remote_url:
        detail["url"] = remote_url
    audit.record(actor.login, f"delivery.{to.value}", "delivery", variant_id, detail, now)
    # Screens show a delivery's state on its post (board card, calendar, detail).
    post_id = Variant.select(Variant.post).where(Variant.id == variant_id).scalar()
    changes.record(Kind.POST, post_id, ("deliveries",))


def _roll_up(actor: Actor, post_id: int, now: datetime) -> None:
    """A post is published when every delivery is sent, failed when one failed."""
    post = load_post(post_id)
    stage = Stage(post.stage)
    if stage not in (Stage.SCHEDULED, Stage.FAILED):
        return
    rows = list(
        Variant.select(Variant.state, Variant.last_error, Channel.platform, Channel.handle)
        .join(Channel)
        .where(Variant.post == post_id)
        .tuples()
    )
    if rows and all(state == D.SENT for state, *_ in rows):
        record_stage(post, Stage.PUBLISHED, actor, now)
        save_post(post, None, actor, now)
    elif stage is Stage.SCHEDULED:
        failed = [(p, h, why) for state, why, p, h in rows if state == D.FAILED]
        if failed:
            note = "; ".join(f"{p} {h}: {why or 'failed'}" for p, h, why in failed)
            record_stage(post, Stage.FAILED, actor, now, note=note[:500])
            save_post(post, None, actor, now)


# -- what people do ---------------------------------------------------------------------------

#: The late window may be set from 1 minute to a week.
LATE_WINDOW_RANGE = (1, 7 * 24 * 60)


def set_late_window(actor: Actor, brand_id: int, minutes: int, now: datetime) -> int:
    """How late a brand's posts may still go out (admins); returns the window in minutes."""
    require(actor, Action.POLICY_EDIT)
    low, high = LATE_WINDOW_RANGE
    if not low <= minutes <= high:
        raise ValidationError(
            "late_window", f"must be between {low} minute and {high} minutes (a week)"
        )
    with writing():
        brand = Brand.get_or_none(Brand.id == brand_id)
        if brand is None:
            raise NotFound(f"no brand #{brand_id}")
        before = brand.late_window_minutes
        brand.late_window_minutes = minutes
        brand.save()
        audit.record(
            actor.login,
            "brand.late_window",
            "brand",
            brand.id,
            {"from": before, "to": minutes},
            now,
        )
    return minutes


def late_window(brand_id: int) -> int:
    """A brand's late window in minutes."""
    with reading():
        return Brand.select(Brand.late_window_minutes).where(Brand.id == brand_id).scalar() or 120


def _load(actor: Actor, delivery_id: int, action: Action) -> Variant:
    row = Variant.select(Variant, Post).join(Post).where(Variant.id == delivery_id).first()
    if row is None:
        raise NotFound(f"no delivery #{delivery_id}")
    require(actor, action, row.post.brand_id)
    return row


def retry(actor: Actor, delivery_id: int, now: datetime) -> DeliveryInfo:
    """Send a failed or unconfirmed delivery again at the next scheduler pass, under the same
    key (an unconfirmed one only once a person checked that it did not appear)."""
    with writing():
        row = _load(actor, delivery_id, Action.POST_PUBLISH)
        state = D(row.state)
        if state not in (D.FAILED, D.UNCONFIRMED):
            raise InvalidTransition(
                f"delivery #{delivery_id} is {state.label}; only a failed or unconfirmed one "
                "is retried"
            )
        post = row.post
        if Stage(post.stage) is Stage.FAILED:
            record_stage(post, Stage.SCHEDULED, actor, now, note="delivery retried")
            save_post(post, None, actor, now)
        elif Stage(post.stage) is not Stage.SCHEDULED:
            raise InvalidTransition(
                f"'{post.title}' is {Stage(post.stage).label}; schedule it before retrying"
            )
        # After the post's save (which points waiting deliveries at its publish time): this one
        # goes at the next pass, however long ago that time was.
        _set(actor, row.id, state, D.PENDING, now, due_at=now, attempts=0)
    return delivery(actor, delivery_id)


def done(actor: Actor, delivery_id: int, url: str, now: datetime) -> DeliveryInfo:
    """Record a delivery a person posted by hand (or checked that it did appear), with its link."""
    url = clean(url).strip()
    if not url.startswith(("https://", "http://")):
        raise ValidationError("url", "give the link of the post on the platform (https://…)")
    if len(url) > 255:
        raise ValidationError("url", f"{len(url)} characters; the most is 255")
    with writing():
        row = _load(actor, delivery_id, Action.POST_PUBLISH)
        state = D(row.state)
        if state not in (D.MANUAL, D.UNCONFIRMED, D.FAILED):
            raise InvalidTransition(
                f"delivery #{delivery_id} is {state.label}; only one to post by hand, unconfirmed "
                "or failed is marked done"
            )
        _set(actor, row.id, state, D.SENT, now, remote_url=url)
        _roll_up(actor, row.post_id, now)
    return delivery(actor, delivery_id)


def send_now(actor: Actor, post_id: int, now: datetime) -> None:
    """An approved (or failed) post goes out at the next scheduler pass."""
    with writing():
        post = load_post(post_id)
        require(actor, Action.POST_SCHEDULE, post.brand_id)
        stage = Stage(post.stage)
        if stage not in (Stage.APPROVED, Stage.SCHEDULED, Stage.FAILED):
            raise InvalidTransition(
                f"'{post.title}' is {stage.label}; only an approved post can be sent"
            )
        if not post.variants.exists():
            raise ValidationError("channels", "choose at least one channel first")
        post.publish_at = now
        if stage is not Stage.SCHEDULED:
            record_stage(post, Stage.SCHEDULED, actor, now, note="send now")
        if stage is Stage.FAILED:
            Variant.update(state=D.PENDING, due_at=now, attempts=0).where(
                (Variant.post == post_id) & (Variant.state == D.FAILED)
            ).execute()
        audit.record(actor.login, "post.reschedule", "post", post.id, {"publish_at": "now"}, now)
        save_post(post, None, actor, now)


def record_history(actor: Actor, post_id: int, at: datetime, *, failure: str = "") -> None:
    """A post that went out before Postroom tracked it (demo data, imports): every delivery sent
    at `at`, or the first one failed with `failure`; the post published or failed with it."""
    with writing():
        rows = list(
            Variant.select(Variant, Channel)
            .join(Channel)
            .where(Variant.post == post_id)
            .order_by(Variant.id)
        )
        # The failure goes to the channel it names ("instagram: …"), else to the first.
        named = next((r for r in rows if failure.startswith(f"{r.channel.platform}:")), None)
        failing = (named or rows[0]).id if rows and failure else None
        for row in rows:
            if row.id == failing:
                Variant.update(state=D.FAILED, last_error=failure, due_at=None).where(
                    Variant.id == row.id
                ).execute()
            else:
                Variant.update(state=D.SENT, sent_at=at, due_at=None).where(
                    Variant.id == row.id
                ).execute()
        _roll_up(actor, post_id, at)
