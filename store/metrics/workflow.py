"""How the team works, from its own event log: stage events, reviews, deliveries and replies.

Every figure is over a period [start, end) and counts what *ended* in it (a post is counted in
the period its first approval fell in, a round in the period it was decided in), so two periods
side by side never count the same thing twice. Durations are given as a median and a p90, never
a mean, with how many stand behind them; shares are given with their counts.

Definitions (shown by the app and the reports as they are written here):
- creation time: the first time a post became a draft → the first time it was submitted;
- approval cycle: first submitted → first approved;
- review round: each submission → the decision that ended it (approved or changes requested);
- time in stage: each stay in a stage, from entering it to leaving it; the bottleneck is the
  working stage (draft, in review, changes requested, approved) with the longest median stay;
- review on time: a round decided by its review due time (the post's review date for its latest
  round when it falls after that submission, else the review window after submission);
- revision rate: of the posts first approved in the period, those sent back at least once;
  rounds per post: how many times each was submitted before that approval;
- publish on time: deliveries sent within 5 minutes of the post's planned time;
- first response: a message received → the team's first reply; inside the SLA when that reply
  came by the brand's first-response due time;
- cadence: per channel with a planned posts-per-week, each full week of the period with fewer
  published than planned is a week missed.

Medians are the middle value (the mean of the two middle ones for an even count); p90 is the
nearest-rank 90th percentile: the smallest value with at least 90 % of them at or below it.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from peewee import fn

from ..access import scoped
from ..db import database, reading
from ..db.models import Brand, Channel, InboxMessage, Post, Reply, StageEvent, User, Variant
from ..domain import Actor, DeliveryState, Stage
from ..permissions import Action, require
from ..stages import DEFAULT_REVIEW_WINDOW

#: A delivery sent this long after its planned time still counts as on time.
ON_TIME = timedelta(minutes=5)
#: The stages where a post waits for someone's work (the bottleneck is one of these).
WORKING = (Stage.DRAFT, Stage.IN_REVIEW, Stage.CHANGES_REQUESTED, Stage.APPROVED)


@dataclass(frozen=True)
class Spread:
    """Durations (hours): how many, their median and p90 (None when there are none)."""

    count: int
    median: float | None
    p90: float | None

    @classmethod
    def of(cls, hours: list[float]) -> Spread:
        if not hours:
            return cls(0, None, None)
        values = sorted(hours)
        n = len(values)
        middle = n // 2
        median = values[middle] if n % 2 else (values[middle - 1] + values[middle]) / 2
        p90 = values[max(math.ceil(0.9 * n), 1) - 1]
        return cls(n, round(median, 4), round(p90, 4))


@dataclass(frozen=True)
class Share:
    """`hits` of `total` (the share is None when there is nothing to divide by)."""

    hits: int
    total: int

    @property
    def rate(self) -> float | None:
        return self.hits / self.total if self.total else None


@dataclass(frozen=True)
class Cadence:
    """One channel's planned posts per week against what it published, week by week."""

    channel: str
    planned_per_week: int
    published: int
    weeks: int
    weeks_missed: int


@dataclass(frozen=True)
class WorkflowFigures:
    start: datetime
    end: datetime
    creation: Spread
    approval_cycle: Spread
    review_round: Spread
    stage_time: dict[str, Spread]
    bottleneck: str | None
    review_on_time: Share
    revision_rate: Share
    rounds_per_post: Spread  # counts, not hours
    publish_on_time: Share
    failed: int
    unconfirmed: int
    first_response: Spread
    inside_sla: Share
    cadence: tuple[Cadence, ...] = field(default_factory=tuple)


@dataclass(frozen=True)
class WorkflowFilter:
    """Whose work: a brand, a post owner, a tier, a channel (None: all). For the inbox figures
    the owner is who answered a message first, and a tier selects no message (none has one)."""

    brand_id: int | None = None
    owner: str | None = None
    tier: str | None = None
    channel_id: int | None = None


def _raw(query) -> list[tuple]:
    """The rows of `query` as the driver gives them: tens of thousands of events are read per
    figure, and peewee's per-row conversion took most of the time (see `_moment`)."""
    return database.execute_sql(*query.sql()).fetchall()


_moment = StageEvent.at.python_value  # UTC text (SQLite) or a datetime (PostgreSQL) → aware


def _naive(value) -> datetime | None:
    """A stored moment as naive UTC: only durations and comparisons among moments read this
    way come out of it, and skipping the time zone halves the cost of tens of thousands."""
    if value is None or isinstance(value, str):
        return value and datetime.fromisoformat(value)
    return value.astimezone(UTC).replace(tzinfo=None) if value.tzinfo else value


def _hours(delta: timedelta) -> float:
    return delta.total_seconds() / 3600


def _posts(actor: Actor, where: WorkflowFilter):
    query = scoped(Post.select(Post.id), actor, Post.brand, where.brand_id)
    if where.owner:
        query = query.join(User, on=(Post.owner == User.id)).where(User.login == where.owner)
    if where.tier:
        query = query.where(Post.tier == where.tier)
    if where.channel_id is not None:
        query = query.where(
            Post.id.in_(Variant.select(Variant.post).where(Variant.channel == where.channel_id))
        )
    return query


def _narrowed(actor: Actor, where: WorkflowFilter) -> bool:
    """Whether the figures are of some posts only (a filter, or a client's own brands)."""
    from ..access import visible_brands

    return (
        any((where.brand_id, where.owner, where.tier, where.channel_id is not None))
        or visible_brands(actor) is not None
    )


def workflow_figures(
    actor: Actor, start: datetime, end: datetime, where: WorkflowFilter | None = None
) -> WorkflowFigures:
    """The workflow figures of [start, end) for what `where` selects."""
    require(actor, Action.METRICS_VIEW)
    where = where or WorkflowFilter()
    with reading():
        posts = _posts(actor, where)
        # Every event of the posts that had one in the period (earlier ones tell when a stay
        # that ended in the period began).
        touched = StageEvent.select(StageEvent.post).where(
            (StageEvent.at >= start) & (StageEvent.at < end)
        )
        if _narrowed(actor, where):
            touched = touched.where(StageEvent.post.in_(posts))
        events: dict[int, list[tuple[datetime, str]]] = defaultdict(list)
        for post_id, at, to in _raw(
            StageEvent.select(StageEvent.post, StageEvent.at, StageEvent.to_stage)
            .where(StageEvent.post.in_(touched))
            .order_by(StageEvent.post, StageEvent.at, StageEvent.id)
        ):
            events[post_id].append((_naive(at), to))
        review_due = {
            post_id: _naive(due)
            for post_id, due in _raw(
                Post.select(Post.id, Post.review_due).where(
                    Post.id.in_(touched) & Post.review_due.is_null(False)
                )
            )
        }
        figures = _from_events(events, review_due, _naive(start), _naive(end))
        sent = _deliveries(posts if _narrowed(actor, where) else None, start, end)
        replies = _first_responses(actor, where, start, end)
        cadence = _cadence(actor, where, start, end)
    return WorkflowFigures(
        start=start, end=end, **figures, **sent, **replies, cadence=tuple(cadence)
    )


def _from_events(events, review_due, start: datetime, end: datetime) -> dict:
    inside = lambda moment: start <= moment < end  # noqa: E731
    creation, cycle, rounds_hours, rounds_per_post = [], [], [], []
    stays: dict[str, list[float]] = defaultdict(list)
    on_time = decided = revised = approved_posts = 0
    for post_id, trail in events.items():
        first_draft = next((at for at, to in trail if to == Stage.DRAFT), None)
        first_submit = next((at for at, to in trail if to == Stage.IN_REVIEW), None)
        first_approved = next(
            (
                at
                for at, to in trail
                if to == Stage.APPROVED and first_submit and at >= first_submit
            ),
            None,
        )
        if first_draft and first_submit and first_submit >= first_draft and inside(first_submit):
            creation.append(_hours(first_submit - first_draft))
        if first_submit and first_approved and inside(first_approved):
            cycle.append(_hours(first_approved - first_submit))
            before = [to for at, to in trail if at <= first_approved]
            approved_posts += 1
            revised += Stage.CHANGES_REQUESTED in before
            rounds_per_post.append(float(before.count(Stage.IN_REVIEW)))
        submits = [i for i, (_, to) in enumerate(trail) if to == Stage.IN_REVIEW]
        for i, (at, to) in enumerate(trail[:-1]):
            left_at, went = trail[i + 1]
            if inside(left_at):
                stays[to].append(_hours(left_at - at))
            if (
                to == Stage.IN_REVIEW
                and went in (Stage.APPROVED, Stage.CHANGES_REQUESTED)
                and inside(left_at)
            ):
                rounds_hours.append(_hours(left_at - at))
                latest = i == submits[-1]
                due = review_due.get(post_id) if latest else None
                if due is None or due < at:  # a date set before this round does not bind it
                    due = at + DEFAULT_REVIEW_WINDOW
                decided += 1
                on_time += left_at <= due
    stage_time = {stage.value: Spread.of(stays.get(stage.value, [])) for stage in WORKING}
    waiting = [(s.median, name) for name, s in stage_time.items() if s.count]
    return {
        "creation": Spread.of(creation),
        "approval_cycle": Spread.of(cycle),
        "review_round": Spread.of(rounds_hours),
        "stage_time": stage_time,
        "bottleneck": max(waiting)[1] if waiting else None,
        "review_on_time": Share(on_time, decided),
        "revision_rate": Share(revised, approved_posts),
        "rounds_per_post": Spread.of(rounds_per_post),
    }


def _deliveries(posts, start: datetime, end: datetime) -> dict:
    """On-time and stuck deliveries (of `posts` when the figures are of some posts only)."""
    mine = Variant.post.in_(posts) if posts is not None else True
    rows = _raw(
        Variant.select(Variant.sent_at, Post.publish_at)
        .join(Post)
        .where(
            mine
            & (Variant.state == DeliveryState.SENT.value)
            & (Variant.sent_at >= start)
            & (Variant.sent_at < end)
        )
    )
    on_time = total = 0
    for sent_at, planned in rows:
        total += 1
        on_time += planned is not None and _naive(sent_at) - _naive(planned) <= ON_TIME
    stuck = dict(
        Variant.select(Variant.state, fn.COUNT(Variant.id))
        .join(Post)
        .where(
            mine
            & Variant.state.in_([DeliveryState.FAILED.value, DeliveryState.UNCONFIRMED.value])
            & (Post.publish_at >= start)
            & (Post.publish_at < end)
        )
        .group_by(Variant.state)
        .tuples()
    )
    return {
        "publish_on_time": Share(on_time, total),
        "failed": stuck.get(DeliveryState.FAILED.value, 0),
        "unconfirmed": stuck.get(DeliveryState.UNCONFIRMED.value, 0),
    }


def _first_responses(actor: Actor, where: WorkflowFilter, start: datetime, end: datetime) -> dict:
    from ..inbox.sla import due_by

    M = InboxMessage
    # From the replies to their messages: the team answers a few thousand of a million messages,
    # and starting from the messages of the period scanned them all (194 ms → 3 ms, 30 days).
    first = (
        Reply.select(Reply.message.alias("message_id"), fn.MIN(Reply.created_at).alias("first"))
        .group_by(Reply.message)
        .alias("first_reply")
    )
    query = scoped(
        M.select(M.id, M.brand, M.received_at, first.c.first)
        .from_(first)
        .join(M, on=(first.c.message_id == M.id))
        .where(M.head.is_null() & (M.received_at >= start) & (M.received_at < end)),
        actor,
        M.brand,
        where.brand_id,
    )
    if where.channel_id is not None:
        query = query.where(M.channel == where.channel_id)
    if where.tier:  # messages have no tier: none of them is a tier's
        return {"first_response": Spread.of([]), "inside_sla": Share(0, 0)}
    if where.owner:  # a person's: the messages whose first answer was theirs
        theirs = Reply.alias("theirs")
        query = query.where(
            fn.EXISTS(
                theirs.select(theirs.id)
                .join(User, on=(theirs.author == User.id))
                .where(
                    (theirs.message == M.id)
                    & (theirs.created_at == first.c.first)
                    & (User.login == where.owner)
                )
            )
        )
    answered = _raw(query)
    brands = {b.id: (b.sla_hours, b.timezone or "UTC") for b in Brand.select()}
    hours, inside = [], 0
    for _, brand_id, received, first in answered:
        received, first = _moment(received), _moment(first)  # due_by works in local hours
        hours.append(_hours(first - received))
        sla, zone = brands.get(brand_id, (4, "UTC"))
        inside += first <= due_by(received, sla, zone)
    return {"first_response": Spread.of(hours), "inside_sla": Share(inside, len(hours))}


def _cadence(actor: Actor, where: WorkflowFilter, start: datetime, end: datetime) -> list:
    if where.owner or where.tier:  # a channel's plan is the team's, not a person's or a tier's
        return []
    # Whole local days lose or gain an hour across a clock change: 4 weeks are still 4.
    weeks = int((end - start + timedelta(hours=1)) / timedelta(days=7))
    if weeks < 1:
        return []
    last = min(start + timedelta(days=7 * weeks), end)
    query = scoped(
        Channel.select().where((Channel.active == 1) & Channel.posts_per_week.is_null(False)),
        actor,
        Channel.brand,
        where.brand_id,
    )
    if where.channel_id is not None:
        query = query.where(Channel.id == where.channel_id)
    out = []
    for channel in query.order_by(Channel.id):
        if not channel.posts_per_week:
            continue
        sent = [
            at
            for (at,) in Variant.select(Variant.sent_at)
            .where(
                (Variant.channel == channel.id)
                & (Variant.state == DeliveryState.SENT.value)
                & (Variant.sent_at >= start)
                & (Variant.sent_at < last)
            )
            .tuples()
        ]
        per_week = [0] * weeks
        for at in sent:
            per_week[min(weeks - 1, int((at - start) / timedelta(days=7)))] += 1
        missed = sum(1 for n in per_week if n < channel.posts_per_week)
        out.append(
            Cadence(
                f"{channel.platform} {channel.handle}",
                channel.posts_per_week,
                len(sent),
                weeks,
                missed,
            )
        )
    return out
