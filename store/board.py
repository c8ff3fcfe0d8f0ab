"""The stage board: a column per stage with its count, cards a page at a time, and moving a card
to the neighbouring stage through the transition table."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from peewee import fn

from .access import may_see
from .calendar import CalendarFilter, filtered_posts
from .db import reading
from .db.models import Post
from .domain import Actor, DeliveryState, PostSummary, Stage
from .errors import InvalidTransition
from .policy import approval_statuses, is_overdue
from .post_queries import summaries
from .publishing.delivery_queries import delivery_tally
from .stages import move
from .workflow import STAGE_ORDER, TRANSITIONS

EVERYTHING = CalendarFilter()
#: Published posts older than this stay off the board unless asked for.
PUBLISHED_WINDOW = timedelta(days=14)

S = Stage
#: Where `L` takes a card: the next step of the happy path.
FORWARD = {
    S.IDEA: S.DRAFT,
    S.DRAFT: S.IN_REVIEW,
    S.CHANGES_REQUESTED: S.IN_REVIEW,
    S.IN_REVIEW: S.APPROVED,
    S.APPROVED: S.SCHEDULED,
    S.FAILED: S.SCHEDULED,
}
#: Where `H` takes a card: one step back (un-approving is asking for changes).
BACKWARD = {
    S.DRAFT: S.IDEA,
    S.IN_REVIEW: S.DRAFT,
    S.CHANGES_REQUESTED: S.DRAFT,
    S.APPROVED: S.CHANGES_REQUESTED,
    S.SCHEDULED: S.APPROVED,
}
assert all((frm, to) in TRANSITIONS for frm, to in (*FORWARD.items(), *BACKWARD.items()))


@dataclass(frozen=True)
class BoardCard:
    """A post on the board, with what its card flags."""

    post: PostSummary
    overdue: bool  # in review past its review due time
    failed_deliveries: int
    approvals: int
    required: int
    #: How many of its deliveries are in each state (scheduled, published and failed cards).
    deliveries: tuple[tuple[DeliveryState, int], ...] = ()
    #: The next automatic try of a retrying delivery.
    next_try: datetime | None = None

    def count(self, state: DeliveryState) -> int:
        """How many of the post's deliveries are in `state`."""
        return dict(self.deliveries).get(state, 0)

    @property
    def sort_key(self) -> tuple:
        """Where the card sits in its column (for the next page's `after`)."""
        return _key_of(self.post)


def neighbour(stage: Stage, step: int) -> Stage:
    """The stage `L` (step 1) or `H` (step -1) moves a card to; InvalidTransition if none."""
    table = FORWARD if step > 0 else BACKWARD
    if stage is Stage.SCHEDULED and step > 0:
        raise InvalidTransition(
            "a scheduled post is published by the scheduler at its time, not moved by hand"
        )
    if stage not in table:
        where = "forward" if step > 0 else "back"
        raise InvalidTransition(f"a post that is {stage.label} cannot move {where} on the board")
    return table[stage]


def move_card(
    actor: Actor, post_id: int, step: int, now: datetime, *, note: str = ""
) -> PostSummary:
    """Move a card one stage on or back, by the same rules as any other move."""
    with reading():
        stage = Stage(Post.get_by_id(post_id).stage)
    return move(actor, post_id, neighbour(stage, step), now, note=note)


def board_counts(
    actor: Actor,
    now: datetime,
    *,
    brand_id: int | None = None,
    where: CalendarFilter = EVERYTHING,
    only_mine: bool = False,
    all_published: bool = False,
) -> dict[Stage, int]:
    """How many cards each column holds (a count per stage, each from the stage's index)."""
    with reading():
        return {
            stage: _column_query(actor, now, stage, brand_id, where, only_mine, all_published)
            .select(fn.count(Post.id))
            .scalar()
            for stage in STAGE_ORDER
        }


def board_page(
    actor: Actor,
    stage: Stage,
    now: datetime,
    *,
    brand_id: int | None = None,
    where: CalendarFilter = EVERYTHING,
    only_mine: bool = False,
    all_published: bool = False,
    after: tuple | None = None,
    limit: int = 40,
) -> list[BoardCard]:
    """One page of a column's cards, in column order, after the card whose sort_key is `after`.

    Dated cards come from the (stage, time) index in order; undated ones follow by id. Keeping
    the two apart lets SQLite walk the index instead of sorting the whole column.
    """
    stage = Stage(stage)
    newest_first = stage in (Stage.PUBLISHED, Stage.FAILED)
    column = Post.review_due if stage is Stage.IN_REVIEW else Post.publish_at
    with reading():
        base = _column_query(actor, now, stage, brand_id, where, only_mine, all_published)
        stamp, last_id = _parse_after(after)
        posts: list[Post] = []
        if stamp != _UNDATED:
            dated = base.where(column.is_null(False))
            if stamp is not None:
                later = (column < stamp) if newest_first else (column > stamp)
                dated = dated.where(later | ((column == stamp) & _beyond(last_id, newest_first)))
            order = (column.desc(), Post.id.desc()) if newest_first else (column, Post.id)
            posts = list(dated.order_by(*order).limit(limit))
        if len(posts) < limit:
            undated = base.where(column.is_null())
            if stamp == _UNDATED:
                undated = undated.where(_beyond(last_id, newest_first))
            posts += list(
                undated.order_by(Post.id.desc() if newest_first else Post.id).limit(
                    limit - len(posts)
                )
            )
        return _cards(posts, stage, now)


_UNDATED = "9999-12-31 23:59:59"


def _parse_after(after: tuple | None) -> tuple:
    if after is None:
        return None, None
    stamp, last_id = after
    if stamp == _UNDATED:
        return stamp, last_id
    return datetime.fromisoformat(stamp).replace(tzinfo=UTC), last_id


def _beyond(last_id: int, newest_first: bool):
    return Post.id < last_id if newest_first else Post.id > last_id


def delivery_states(actor: Actor, post_ids: list[int]) -> dict[int, BoardCard]:
    """For the agenda: each post's delivery tally, as a card holds it (posts the actor may see)."""
    with reading():
        visible = [
            p for p in Post.select().where(Post.id.in_(post_ids)) if may_see(actor, p.brand_id)
        ]
        tally, retry_at = delivery_tally([p.id for p in visible])
        return {
            p.id: BoardCard(
                summary,
                overdue=False,
                failed_deliveries=tally.get(p.id, {}).get(DeliveryState.FAILED, 0),
                approvals=0,
                required=0,
                deliveries=tuple(sorted(tally.get(p.id, {}).items())),
                next_try=retry_at.get(p.id),
            )
            for p, summary in zip(visible, summaries(visible), strict=True)
        }


def _cards(posts: list[Post], stage: Stage, now: datetime) -> list[BoardCard]:
    tally: dict[int, dict[DeliveryState, int]] = {}
    retry_at: dict[int, datetime] = {}
    if stage in (Stage.SCHEDULED, Stage.PUBLISHED, Stage.FAILED):
        tally, retry_at = delivery_tally([p.id for p in posts])
    failed = {pid: t.get(DeliveryState.FAILED, 0) for pid, t in tally.items()}
    statuses = approval_statuses(posts) if stage is Stage.IN_REVIEW else {}
    cards = []
    for post, summary in zip(posts, summaries(posts), strict=True):
        status = statuses.get(post.id)
        cards.append(
            BoardCard(
                summary,
                overdue=is_overdue(stage, post.review_due, now),
                failed_deliveries=failed.get(post.id, 0),
                approvals=len(status.approvals) if status else 0,
                required=status.required if status else 0,
                deliveries=tuple(sorted(tally.get(post.id, {}).items())),
                next_try=retry_at.get(post.id),
            )
        )
    return cards


def _column_query(actor, now, stage, brand_id, where, only_mine, all_published):
    """One column's posts: the filter, the stage, and for published the recent window."""
    query = filtered_posts(actor, brand_id, CalendarFilter(**{**where.__dict__, "stages": ()}))
    query = query.where(Post.stage == stage)
    if only_mine and actor.user is not None:
        query = query.where(Post.owner == actor.user.id)
    if stage is Stage.PUBLISHED and not all_published:
        query = query.where(Post.publish_at >= now - PUBLISHED_WINDOW)
    return query


def _key_of(post: PostSummary) -> tuple:
    moment = post.review_due if post.stage is Stage.IN_REVIEW else post.publish_at
    stamp = moment.strftime("%Y-%m-%d %H:%M:%S") if moment else _UNDATED
    return (stamp, post.id)
