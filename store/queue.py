"""The approval queue: what waits for whom, in what order, and what changed since a reviewer
last looked; plus the counts and news the header shows each person."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from peewee import fn

from . import access
from .db import reading
from .db.models import Post, Review, Revision, StageEvent, User, Variant
from .domain import Actor, Decision, DeliveryState, PostDetail, PostSummary, Stage
from .permissions import Action, allowed
from .policy import approval_statuses, is_overdue, own_work
from .post_queries import post_detail, summaries
from .publishing.scheduler import scheduler_warning

_LAST = datetime.max.replace(tzinfo=UTC)


@dataclass(frozen=True)
class QueueEntry:
    """One post in review, as the queue orders it."""

    post_id: int
    mine: bool  # waiting for this person's decision
    overdue: bool


@dataclass(frozen=True)
class QueueItem:
    """A queue row: the post, where its approvals stand, and whether it waits for me."""

    post: PostSummary
    approvers: tuple[str, ...]
    required: int
    missing: str
    mine: bool
    overdue: bool


@dataclass(frozen=True)
class ReviewContext:
    """What a reviewer needs to decide: the post, and the revision to compare it with."""

    detail: PostDetail
    baseline: int | None  # revision number to diff from, None when there is nothing earlier
    baseline_reason: str  # "since you last reviewed (r2)", …


@dataclass(frozen=True)
class NeedsMe:
    """The counts the header shows: posts waiting for my review, my posts sent back."""

    to_review: int
    sent_back: int
    #: My posts' deliveries whose time has come on a platform we cannot reach: post them by hand.
    by_hand: int = 0
    #: Deliveries of brands I see that failed, and whose outcome is unknown: a person must look.
    failed: int = 0
    unconfirmed: int = 0
    #: Said when posts are due and no scheduler has run lately.
    scheduler: str | None = None


@dataclass(frozen=True)
class News:
    """Something that happened to one of my posts: approved, or sent back with changes."""

    event_id: int
    post_id: int
    title: str
    to_stage: Stage
    by: str
    note: str


def review_queue(actor: Actor, now: datetime, *, brand_id: int | None = None) -> list[QueueEntry]:
    """Posts in review: those waiting for my decision first (reviewers and clients see only those;
    managers and admins then see every other post in review), overdue first, then by review due
    and publish time."""
    user = access.member(actor)
    if not allowed(user.role, Action.POST_APPROVE):
        return []
    with reading():
        current = Revision.alias("r")
        query = (
            Post.select(Post.id, Post.owner, current.author, Post.review_due, Post.publish_at)
            .join(current, on=(current.post == Post.id) & (current.number == Post.revision))
            .where(Post.stage == Stage.IN_REVIEW)
        )
        rows = list(access.scoped(query, actor, Post.brand, brand_id).tuples())
        decided = _my_approvals(user.id)
    entries = []
    for post_id, owner_id, author_id, review_due, publish_at in rows:
        mine = own_work(user.id, owner_id, author_id) is None and post_id not in decided
        overdue = is_overdue(Stage.IN_REVIEW, review_due, now)
        if mine or user.role.is_senior:
            key = (not mine, not overdue, review_due or _LAST, publish_at or _LAST, post_id)
            entries.append((key, QueueEntry(post_id, mine, overdue)))
    return [entry for _, entry in sorted(entries, key=lambda pair: pair[0])]


def _my_approvals(user_id: int) -> set[int]:
    """Posts in review whose current revision this person approves (and has not withdrawn)."""
    rows = (
        Review.select(Review.post, Review.decision)
        .join(Post, on=(Review.post == Post.id) & (Review.revision == Post.revision))
        .where(
            (Post.stage == Stage.IN_REVIEW)
            & (Review.reviewer == user_id)
            & Review.decision.in_([Decision.APPROVED, Decision.WITHDRAWN])
        )
        .order_by(Review.id)
        .tuples()
    )
    standing: set[int] = set()
    for post_id, decision in rows:
        if decision == Decision.APPROVED:
            standing.add(post_id)
        else:
            standing.discard(post_id)
    return standing


def queue_items(actor: Actor, entries: list[QueueEntry]) -> list[QueueItem]:
    """The rows for some queue entries (a page), in the same order."""
    with reading():
        query = access.scoped(Post.select(), actor, Post.brand)
        posts = {p.id: p for p in query.where(Post.id.in_([e.post_id for e in entries]))}
        present = [e for e in entries if e.post_id in posts]
        rows = [posts[e.post_id] for e in present]
        statuses = approval_statuses(rows)
        items = []
        for entry, post, summary in zip(present, rows, summaries(rows), strict=True):
            status = statuses[post.id]
            items.append(
                QueueItem(
                    summary,
                    status.approvals,
                    status.required,
                    status.missing(),
                    entry.mine,
                    entry.overdue,
                )
            )
        return items


def review_context(actor: Actor, post_id: int) -> ReviewContext:
    """The post, and the revision to compare it with: the one I last reviewed, else the last one
    anybody approved, else the one before."""
    detail = post_detail(actor, post_id)
    current = detail.summary.revision
    earlier = [r for r in detail.reviews if r.revision < current]
    mine = [r for r in earlier if actor.user and r.reviewer_login == actor.login]
    approved = [r for r in earlier if r.decision == Decision.APPROVED]
    if mine:
        baseline, reason = mine[-1].revision, f"since you last reviewed (r{mine[-1].revision})"
    elif approved:
        last = approved[-1]
        baseline = last.revision
        reason = f"since the last approval (r{last.revision}, {last.reviewer_login})"
    elif current > 1:
        baseline, reason = current - 1, f"since the previous revision (r{current - 1})"
    else:
        baseline, reason = None, "the first revision: nothing earlier to compare"
    return ReviewContext(detail, baseline, reason)


def needs_me(actor: Actor, now: datetime) -> NeedsMe:
    """How many posts wait for my review, and how many of mine were sent back (of the brands I
    may see)."""
    user = access.member(actor)
    to_review = sum(1 for e in review_queue(actor, now) if e.mine)
    with reading():
        mine = Post.select().where(
            (Post.owner == user.id) & (Post.stage == Stage.CHANGES_REQUESTED)
        )
        sent_back = access.scoped(mine, actor, Post.brand).count()
        # Deliveries wait for a person only on scheduled or failed posts: found through the
        # posts' stage indexes, then their few variants (no index on the variant's state).
        by_hand = (
            Variant.select()
            .join(Post)
            .where(
                (Post.owner == user.id)
                & (Post.stage == Stage.SCHEDULED)
                & (Variant.state == DeliveryState.MANUAL)
            )
            .count()
        )
        stuck = (
            {}
            if not allowed(user.role, Action.POST_PUBLISH)
            else dict(
                access.scoped(
                    Variant.select(Variant.state, fn.count(Variant.id))
                    .join(Post)
                    .where(
                        Post.stage.in_([Stage.SCHEDULED, Stage.FAILED])
                        & Variant.state.in_([DeliveryState.FAILED, DeliveryState.UNCONFIRMED])
                    ),
                    actor,
                    Post.brand,
                )
                .group_by(Variant.state)
                .tuples()
            )
        )
    return NeedsMe(
        to_review,
        sent_back,
        by_hand,
        stuck.get(DeliveryState.FAILED.value, 0),
        stuck.get(DeliveryState.UNCONFIRMED.value, 0),
        scheduler_warning(now),
    )


def latest_event_id() -> int:
    """The newest stage event (news after it is new)."""
    with reading():
        return StageEvent.select(StageEvent.id).order_by(StageEvent.id.desc()).scalar() or 0


def news_since(actor: Actor, event_id: int) -> list[News]:
    """My posts (of the brands I may see) approved or sent back by someone else after stage event
    `event_id`."""
    user = access.member(actor)
    with reading():
        rows = (
            StageEvent.select(StageEvent, Post.id, Post.title, User.login)
            .join(Post, on=StageEvent.post == Post.id)
            .switch(StageEvent)
            .join(User, on=StageEvent.actor == User.id)
            .where(
                (StageEvent.id > event_id)
                & (Post.owner == user.id)
                & (StageEvent.actor != user.id)
                & StageEvent.to_stage.in_([Stage.APPROVED, Stage.CHANGES_REQUESTED])
            )
            .order_by(StageEvent.id)
        )
        rows = access.scoped(rows, actor, Post.brand)
        return [
            News(e.id, e.post_id, e.post.title, Stage(e.to_stage), e.actor.login, e.note or "")
            for e in rows
        ]
