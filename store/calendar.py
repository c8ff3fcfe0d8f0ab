"""The content calendar: posts and notes by day in the user's timezone, cadence gaps, moving by days."""

from __future__ import annotations

import math
from bisect import bisect_right
from collections import defaultdict
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from . import access, audit
from .brands import channel_info
from .db import database, reading, writing
from .db.fields import UTCDateTimeField
from .db.models import Campaign, Channel, Pillar, Post, User, Variant
from .domain import Actor, CalendarNoteInfo, ChannelInfo, DeliveryState, PostSummary, Stage
from .errors import InvalidTransition, ValidationError
from .notes import notes_between
from .permissions import Action, require, roles_allowed
from .post_queries import summaries, summary_of
from .publishing.delivery_queries import most_urgent
from .workflow import FINAL_STAGES, load_post, save_post

#: Stages that do not count as "planned" when looking for cadence gaps.
_NOT_PLANNED = (Stage.FAILED,)
GAP_HORIZON_DAYS = 14
_stamp = UTCDateTimeField().db_value


@dataclass(frozen=True)
class CalendarFilter:
    """What the calendar and board show of the brand (or brands) the app shows; an empty field
    means 'all'. Which brand is the app's one choice (`b`), not part of a filter."""

    channel_ids: tuple[int, ...] = ()
    campaign_ids: tuple[int, ...] = ()
    pillar_ids: tuple[int, ...] = ()
    owner_logins: tuple[str, ...] = ()
    stages: tuple[Stage, ...] = ()

    @property
    def active(self) -> bool:
        """Whether anything is filtered out."""
        return any(
            (
                self.channel_ids,
                self.campaign_ids,
                self.pillar_ids,
                self.owner_logins,
                self.stages,
            )
        )

    def for_another_brand(self) -> CalendarFilter:
        """The filter once the app shows another brand: channels, campaigns and pillars belong to
        a brand and are dropped; stages and owners stay."""
        return replace(self, channel_ids=(), campaign_ids=(), pillar_ids=())


@dataclass(frozen=True)
class CalendarDay:
    """One day: its first posts by time, how many there are in all, its notes and cadence gaps."""

    day: date
    posts: tuple[PostSummary, ...]
    total: int
    notes: tuple[CalendarNoteInfo, ...] = ()
    gaps: tuple[ChannelInfo, ...] = ()
    #: For listed posts whose time has come, what their deliveries most need (post by hand,
    #: retrying, unconfirmed, sending, failed).
    deliveries: tuple[tuple[int, DeliveryState], ...] = ()

    def delivery_of(self, post_id: int) -> DeliveryState | None:
        """What the post's deliveries most need, if anything."""
        return dict(self.deliveries).get(post_id)

    @property
    def more(self) -> int:
        """Posts that day beyond those listed."""
        return self.total - len(self.posts)


@dataclass(frozen=True)
class FilterOptions:
    """The values the calendar filter can choose from, for the brands the actor sees."""

    channels: tuple[ChannelInfo, ...]
    campaigns: tuple[tuple[int, str], ...]
    pillars: tuple[tuple[int, str], ...]
    owners: tuple[str, ...]
    stages: tuple[Stage, ...] = field(default_factory=lambda: tuple(Stage))


def calendar_days(
    actor: Actor,
    start: date,
    end: date,
    timezone: str,
    today: date,
    *,
    brand_id: int | None = None,
    where: CalendarFilter = CalendarFilter(),
    per_day: int = 6,
) -> list[CalendarDay]:
    """Every day in [start, end): up to `per_day` posts by publish time, the total, notes and gaps."""
    zone = ZoneInfo(timezone)
    midnights = _midnights(start, end, zone)
    with reading():
        query = (
            filtered_posts(actor, brand_id, where)
            .where((Post.publish_at >= midnights[0]) & (Post.publish_at < midnights[-1]))
            .select(Post.id, Post.publish_at)
            .order_by(Post.publish_at, Post.id)
        )
        by_day: dict[date, list[int]] = defaultdict(list)
        for post_id, publish_at in database.execute_sql(*query.sql()):
            by_day[start + timedelta(days=bisect_right(midnights, publish_at) - 1)].append(post_id)
        shown_ids = [pid for ids in by_day.values() for pid in ids[:per_day]]
        posts = {p.id: p for p in _load(shown_ids)}
        # Only posts whose time has come (or that failed) can have a delivery under way.
        until = datetime.combine(today + timedelta(days=1), time(), zone)
        going = [
            p.id
            for p in posts.values()
            if p.stage is Stage.FAILED
            or (p.stage is Stage.SCHEDULED and p.publish_at is not None and p.publish_at < until)
        ]
        urgent = most_urgent(going) if going else {}
        notes = notes_between(actor, start, end, brand_id)
        gaps = cadence_gaps(actor, today, timezone, brand_id=brand_id) if end > today else {}
    days = []
    day = start
    while day < end:
        ids = by_day.get(day, [])
        days.append(
            CalendarDay(
                day=day,
                posts=tuple(posts[pid] for pid in ids[:per_day]),
                total=len(ids),
                notes=tuple(n for n in notes if n.starts_on <= day <= n.ends_on),
                gaps=gaps.get(day, ()),
                deliveries=tuple((pid, urgent[pid]) for pid in ids[:per_day] if pid in urgent),
            )
        )
        day += timedelta(days=1)
    return days


def day_posts(
    actor: Actor,
    day: date,
    timezone: str,
    *,
    brand_id: int | None = None,
    where: CalendarFilter = CalendarFilter(),
) -> list[PostSummary]:
    """All posts of one day, by publish time (the agenda)."""
    zone = ZoneInfo(timezone)
    first = datetime.combine(day, time(), zone)
    with reading():
        query = filtered_posts(actor, brand_id, where).where(
            (Post.publish_at >= first) & (Post.publish_at < first + timedelta(days=1))
        )
        ids = [pid for (pid,) in query.select(Post.id).order_by(Post.publish_at, Post.id).tuples()]
        return _load(ids)


def cadence_gaps(
    actor: Actor, today: date, timezone: str, *, brand_id: int | None = None
) -> dict[date, tuple[ChannelInfo, ...]]:
    """Days in the next two weeks by which a channel with a cadence is overdue for a planned post.

    A channel posting n times a week should go at most ceil(7/n) days without a post; each day
    past that with nothing planned is a gap.
    """
    zone = ZoneInfo(timezone)
    channels = Channel.select().where(Channel.posts_per_week.is_null(False) & (Channel.active == 1))
    channels = list(access.scoped(channels, actor, Channel.brand, brand_id))
    if not channels:
        return {}
    horizon = today + timedelta(days=GAP_HORIZON_DAYS)
    lookback = today - timedelta(days=7)
    midnights = _midnights(lookback, horizon, zone)
    # "+ 0" keeps SQLite off the channel index: walking every variant of a busy channel is far
    # slower than taking the few weeks of posts by publish time and their variants by post.
    query = (
        Variant.select(Variant.channel, Post.publish_at)
        .join(Post)
        .where(
            (Variant.channel + 0).in_([c.id for c in channels])
            & (Post.publish_at >= midnights[0])
            & (Post.publish_at < midnights[-1])
            & Post.stage.not_in(_NOT_PLANNED)
        )
    )
    planned: dict[int, set[date]] = defaultdict(set)
    for channel_id, publish_at in database.execute_sql(*query.sql()):
        planned[channel_id].add(lookback + timedelta(days=bisect_right(midnights, publish_at) - 1))
    gaps: dict[date, list[ChannelInfo]] = defaultdict(list)
    for channel in channels:
        allowed = math.ceil(7 / channel.posts_per_week)
        days = planned[channel.id]
        last = max((d for d in days if d < today), default=lookback)
        day = today
        while day < horizon:
            if day in days:
                last = day
            elif (day - last).days >= allowed:
                gaps[day].append(channel_info(channel))
            day += timedelta(days=1)
    return {day: tuple(found) for day, found in gaps.items()}


def move_by_days(
    actor: Actor,
    post_id: int,
    days: int,
    now: datetime,
    timezone: str,
    *,
    expected_version: int | None = None,
) -> PostSummary:
    """Move a post's publish time by whole days, keeping its time of day in the user's timezone."""
    zone = ZoneInfo(timezone)
    with writing():
        post = load_post(post_id)
        require(actor, Action.POST_EDIT, post.brand_id)
        stage = Stage(post.stage)
        if stage in FINAL_STAGES:
            raise InvalidTransition(f"'{post.title}' is published; it cannot move")
        if post.publish_at is None:
            raise ValidationError("publish_at", "this post has no publish time yet; set one first")
        local = post.publish_at.astimezone(zone)
        moved = datetime.combine(local.date() + timedelta(days=days), local.time(), zone)
        if stage is Stage.SCHEDULED and moved <= now:
            raise ValidationError("publish_at", "a scheduled post cannot move into the past")
        before = post.publish_at
        post.publish_at = moved
        save_post(post, expected_version, actor, now)
        audit.record(
            actor.login,
            "post.reschedule",
            "post",
            post.id,
            {"from": before.isoformat(), "to": post.publish_at.isoformat()},
            now,
        )
    return summary_of(post)


def filter_options(actor: Actor, brand_id: int | None = None) -> FilterOptions:
    """Channels, campaigns, pillars and owners the calendar filter can offer."""
    with reading():

        def scoped(model):
            return access.scoped(model.select().order_by(model.name), actor, model.brand, brand_id)

        channels = access.scoped(
            Channel.select().where(Channel.active == 1).order_by(Channel.platform, Channel.handle),
            actor,
            Channel.brand,
            brand_id,
        )
        owners = (
            User.select(User.login)
            .where(User.role.in_(roles_allowed(Action.POST_CREATE)) & (User.active == 1))
            .order_by(User.login)
        )
        return FilterOptions(
            channels=tuple(channel_info(c) for c in channels),
            campaigns=tuple((c.id, c.name) for c in scoped(Campaign)),
            pillars=tuple((p.id, p.name) for p in scoped(Pillar)),
            owners=tuple(u.login for u in owners),
        )


def _midnights(start: date, end: date, zone: ZoneInfo) -> list[str]:
    """Each local midnight from `start` to `end` as a stored UTC stamp.

    Stored stamps sort as text, so rows fall into local days by bisecting these: no datetime is
    built for each of the thousands of posts of a busy month.
    """
    return [
        _stamp(datetime.combine(start + timedelta(days=n), time(), zone))
        for n in range((end - start).days + 1)
    ]


def filtered_posts(actor: Actor, brand_id: int | None, where: CalendarFilter):
    """The posts the actor may see, of one brand or all, narrowed by the filter."""
    query = access.scoped(Post.select(), actor, Post.brand, brand_id)
    if where.stages:
        query = query.where(Post.stage.in_([Stage(s) for s in where.stages]))
    if where.campaign_ids:
        query = query.where(Post.campaign.in_(where.campaign_ids))
    if where.pillar_ids:
        query = query.where(Post.pillar.in_(where.pillar_ids))
    if where.owner_logins:
        owners = User.select(User.id).where(User.login.in_(where.owner_logins))
        query = query.where(Post.owner.in_(owners))
    if where.channel_ids:
        on_channels = Variant.select(Variant.post).where(Variant.channel.in_(where.channel_ids))
        query = query.where(Post.id.in_(on_channels))
    return query


def _load(ids: list[int]) -> list[PostSummary]:
    if not ids:
        return []
    rows: dict[int, Post] = {}
    for chunk in range(0, len(ids), 900):
        for post in Post.select().where(Post.id.in_(ids[chunk : chunk + 900])):
            rows[post.id] = post
    return summaries([rows[pid] for pid in ids if pid in rows])
