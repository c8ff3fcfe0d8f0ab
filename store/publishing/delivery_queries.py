"""Reading deliveries: one or a page of them as people see them, and per post how its
deliveries stand (the board's cards, the agenda, the calendar's marks)."""

from __future__ import annotations

from datetime import datetime

from peewee import fn

from ..access import may_see, scoped
from ..db import reading
from ..db.fields import UTCDateTimeField
from ..db.models import Channel, Post, User, Variant
from ..domain import Actor, DeliveryInfo, DeliveryState, Platform, Stage
from ..errors import NotFound
from ..permissions import Action, require

D = DeliveryState


def _query():
    return (
        Variant.select(Variant, Post, Channel, User)
        .join(Post)
        .join(User, on=(Post.owner == User.id))
        .switch(Variant)
        .join(Channel)
    )


def _info(row: Variant) -> DeliveryInfo:
    state = D(row.state)
    return DeliveryInfo(
        id=row.id,
        post_id=row.post_id,
        post_title=row.post.title,
        brand_id=row.post.brand_id,
        channel_id=row.channel_id,
        platform=Platform(row.channel.platform),
        handle=row.channel.handle,
        connector=row.channel.connector,
        state=state,
        attempts=row.attempts,
        publish_at=row.post.publish_at,
        next_try_at=row.due_at if state is D.RETRYING else None,
        remote_url=row.remote_url,
        remote_id=row.remote_id,
        reason=row.last_error,
        owner_login=row.post.owner.login,
    )


def delivery_tally(
    post_ids: list[int],
) -> tuple[dict[int, dict[D, int]], dict[int, datetime]]:
    """How many deliveries of each post are in each state, and each post's next automatic try
    (inside the caller's read)."""
    tally: dict[int, dict[D, int]] = {}
    retry_at: dict[int, datetime] = {}
    rows = (
        Variant.select(Variant.post, Variant.state, fn.count(Variant.id), fn.min(Variant.due_at))
        .where(Variant.post.in_(post_ids))
        .group_by(Variant.post, Variant.state)
        .tuples()
    )
    for post_id, state, number, due in rows:
        tally.setdefault(post_id, {})[D(state)] = number
        if state == D.RETRYING and due is not None:
            retry_at[post_id] = UTCDateTimeField().python_value(due)
    return tally, retry_at


#: What a post's deliveries most need, most urgent first (the calendar marks one per post).
URGENCY = (D.FAILED, D.UNCONFIRMED, D.MANUAL, D.RETRYING, D.SENDING)


def most_urgent(post_ids: list[int]) -> dict[int, D]:
    """For each post with a delivery that needs a person or is under way, the most urgent state
    (inside the caller's read)."""
    tally, _ = delivery_tally(post_ids)
    return {
        pid: next(s for s in URGENCY if s in states)
        for pid, states in tally.items()
        if any(s in states for s in URGENCY)
    }


def delivery(actor: Actor, delivery_id: int) -> DeliveryInfo:
    """One delivery, if the actor may see its brand."""
    with reading():
        row = _query().where(Variant.id == delivery_id).first()
        if row is None or not may_see(actor, row.post.brand_id):
            raise NotFound(f"no delivery #{delivery_id}")
        return _info(row)


def list_deliveries(
    actor: Actor,
    *,
    states: list[DeliveryState] | None = None,
    brand_id: int | None = None,
    after_id: int = 0,
    limit: int = 200,
) -> list[DeliveryInfo]:
    """Deliveries of posts that are or were on their way out (not the channels of unscheduled
    drafts), by id, a page at a time (keyset on id)."""
    require(actor, Action.PLAN_VIEW)
    with reading():
        query = _query().where(Variant.id > after_id)
        if states:
            query = query.where(Variant.state.in_([D(s).value for s in states]))
        else:
            query = query.where(
                (Variant.state != D.PENDING)
                | (Post.stage.in_([Stage.SCHEDULED, Stage.PUBLISHED, Stage.FAILED]))
            )
        query = scoped(query, actor, Post.brand, brand_id)
        return [_info(r) for r in query.order_by(Variant.id).limit(limit)]
