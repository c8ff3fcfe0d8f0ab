"""Counters in: each sent delivery's likes, comments and shares read back from its platform into
a MetricSnapshot series, on a decaying schedule (hourly for the first 2 days after it went out,
daily to day 30, then no more), and the latest of them per delivery and per channel.

What a platform does not count is not shown as a zero: Mastodon has no impressions or reach, so
its rates cannot be had from it (`MEASURES` says what each platform gives)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

from peewee import JOIN, fn

from ..access import scoped
from ..db import reading, writing
from ..db.models import Brand, Channel, MetricSnapshot, Post, Variant
from ..domain import Actor, DeliveryState
from ..errors import NotFound
from ..permissions import Action, require
from . import rollup
from .rollup import COUNTERS, MEASURES

#: The counters each connector can read back (others are not known, not zero).
#: How often a delivery's counters are read, by how long ago it went out; after the last, never.
#: The default; each channel keeps its own (`channel counters-every`, see `schedule`).
SCHEDULE = ((timedelta(days=2), timedelta(hours=1)), (timedelta(days=30), timedelta(days=1)))
#: The days a channel's schedule may name (a year at most: platforms stop counting long before).
LONGEST = 366


def schedule(hourly_days: int, daily_days: int) -> tuple[tuple[timedelta, timedelta], ...]:
    """Hourly for the first `hourly_days` after sending, then daily until `daily_days`."""
    steps = []
    if hourly_days > 0:
        steps.append((timedelta(days=hourly_days), timedelta(hours=1)))
    if daily_days > hourly_days:
        steps.append((timedelta(days=daily_days), timedelta(days=1)))
    return tuple(steps)


@dataclass(frozen=True)
class Counters:
    """The latest counters of one delivery (None where its platform does not count it)."""

    variant_id: int
    post_id: int
    channel: str
    taken_at: datetime
    values: dict[str, int | None]

    @property
    def engagements(self) -> int:
        """Likes + comments + shares + saves + clicks (those the platform counts)."""
        keys = ("likes", "comments", "shares", "saves", "clicks")
        return sum(self.values.get(k) or 0 for k in keys)


@dataclass
class RefreshReport:
    read: int = 0
    skipped: int = 0
    failed: dict[str, str] = field(default_factory=dict)


def next_read(
    sent_at: datetime, last: datetime | None, now: datetime, steps=SCHEDULE
) -> datetime | None:
    """When a delivery sent at `sent_at`, last read at `last`, is due a read (None: no more)."""
    age = now - sent_at
    for within, every in steps:
        if age <= within:
            return sent_at if last is None else last + every
    return None


def _sent(actor: Actor, post_id: int | None, now: datetime):
    # The few channels whose counters can be read first: with none, nothing else is asked.
    channels = {
        cid: schedule(hourly, daily)
        for cid, hourly, daily in Channel.select(
            Channel.id, Channel.counters_hourly_days, Channel.counters_daily_days
        )
        .where(Channel.connector.in_(list(MEASURES)))
        .tuples()
    }
    channels = {cid: steps for cid, steps in channels.items() if steps}
    if not channels:
        return []
    longest = max(steps[-1][0] for steps in channels.values())
    query = (
        Variant.select(
            Variant.id,
            Variant.post,
            Variant.remote_id,
            Variant.sent_at,
            Channel.connector,
            Channel.platform,
            Channel.handle,
            Brand.slug,
            fn.MAX(MetricSnapshot.taken_at).alias("last"),
            Variant.channel,
        )
        .join(Channel)
        .join(Brand)
        .switch(Variant)
        .join(MetricSnapshot, on=(MetricSnapshot.variant == Variant.id), join_type=JOIN.LEFT_OUTER)
        .where(
            (Variant.state == DeliveryState.SENT.value)
            & Variant.remote_id.is_null(False)
            & (Variant.sent_at >= now - longest)
            & Variant.channel.in_(list(channels))
        )
        .group_by(Variant.id)
    )
    query = scoped(query, actor, Channel.brand)
    if post_id is not None:
        query = query.where(Variant.post == post_id)
    return [(*row[:-1], channels[row[-1]]) for row in query.tuples()]


def refresh_counters(
    actor: Actor,
    now: datetime,
    connector_of,
    *,
    post_id: int | None = None,
    only_due: bool = True,
    credentials_path: Path | None = None,
) -> RefreshReport:
    """Read the counters of sent deliveries (those due by the schedule, or all of a post's with
    `only_due=False`) and keep a snapshot of each; a platform that fails is named, the rest go
    on."""
    from ..publishing.credentials import CredentialsRefused, channel_key, for_channel

    require(actor, Action.METRICS_VIEW)
    field_ = MetricSnapshot.taken_at
    with reading():
        rows = _sent(actor, post_id, now)
    report = RefreshReport()
    due: dict[tuple, list[tuple[int, str]]] = {}
    for variant_id, _, remote_id, sent_at, kind, platform, handle, slug, last, steps in rows:
        last = field_.python_value(last) if isinstance(last, str) else last
        when = next_read(sent_at, last, now, steps) if sent_at else None
        if only_due and (when is None or when > now):
            report.skipped += 1
            continue
        due.setdefault((kind, platform, handle, slug), []).append((variant_id, remote_id))
    for (kind, platform, handle, slug), wanted in due.items():
        name = f"{platform} {handle}"
        try:
            creds = for_channel(channel_key(slug, platform, handle), kind, credentials_path)
            connector = connector_of(kind)
            if hasattr(connector, "fetch_statuses"):  # one call for many (Bluesky: 25 a call)
                found = connector.fetch_statuses(creds, [remote for _, remote in wanted])
            else:
                found = {
                    remote: connector.fetch_status(None, creds, remote) for _, remote in wanted
                }
        except CredentialsRefused as refused:
            report.failed[name] = str(refused)
            continue
        except Exception as error:  # one platform down does not stop the others
            report.failed[name] = f"{type(error).__name__}: {error}"
            continue
        with writing():
            for variant_id, remote_id in wanted:
                counts = found.get(remote_id)
                if counts is None:
                    report.skipped += 1
                    continue
                values = {k: int(counts.get(k) or 0) for k in COUNTERS if k in counts}
                MetricSnapshot.create(variant=variant_id, taken_at=now, **values)
                rollup.note(variant_id, now, values)
                report.read += 1
    return report


def refresh(actor: Actor, now: datetime, *, post_id: int | None = None, timeout: float = 15.0):
    """`postroom metrics refresh`: read now (a post's deliveries: all of them; else those due)."""
    from ..publishing import connectors

    http = connectors.client(timeout)
    made: dict[str, object] = {}

    def connector_of(kind: str):
        if kind not in made:
            made[kind] = connectors.connector_for(kind, http)
        return made[kind]

    try:
        return refresh_counters(actor, now, connector_of, post_id=post_id, only_due=post_id is None)
    finally:
        http.close()


def _counters(row: MetricSnapshot, kind: str | None, channel: str, post_id: int) -> Counters:
    known = MEASURES.get(kind or "")
    values = {k: (getattr(row, k) if known is None or k in known else None) for k in COUNTERS}
    return Counters(row.variant_id, post_id, channel, row.taken_at, values)


def latest_counters(actor: Actor, post_id: int) -> list[Counters]:
    """The latest counters of each of a post's deliveries that has any."""
    require(actor, Action.METRICS_VIEW)
    with reading():
        post = Post.get_or_none(Post.id == post_id)
        if post is None:
            raise NotFound(f"no post #{post_id}")
        scoped(Post.select(), actor, Post.brand, post.brand_id)  # refuses another's brand
        out = []
        for variant in (
            Variant.select(Variant, Channel).join(Channel).where(Variant.post == post_id)
        ):
            row = (
                MetricSnapshot.select()
                .where(MetricSnapshot.variant == variant.id)
                .order_by(MetricSnapshot.taken_at.desc())
                .first()
            )
            if row is not None:
                name = f"{variant.channel.platform} {variant.channel.handle}"
                out.append(_counters(row, variant.channel.connector, name, post_id))
        return out


def channel_totals(actor: Actor, brand_id: int | None = None) -> dict[str, Counter]:
    """Per channel, the sum of its deliveries' latest counters (what the platform counts), and
    how many posts stand behind it."""
    require(actor, Action.METRICS_VIEW)
    S = MetricSnapshot
    with reading():
        # Each delivery's latest snapshot: the newest by time, then by id (two in one second).
        ranked = S.select(
            S.id.alias("sid"),
            fn.ROW_NUMBER()
            .over(partition_by=[S.variant], order_by=[S.taken_at.desc(), S.id.desc()])
            .alias("rank"),
        ).alias("ranked")
        query = (
            S.select(Channel.platform, Channel.handle, Channel.connector, *[getattr(S, k) for k in COUNTERS])
            .join(ranked, on=((S.id == ranked.c.sid) & (ranked.c.rank == 1)))
            .switch(S)
            .join(Variant)
            .join(Channel)
        )  # fmt: skip
        query = scoped(query, actor, Channel.brand, brand_id)
        totals: dict[str, Counter] = {}
        for platform, handle, connector, *values in query.tuples():
            known = MEASURES.get(connector or "") or COUNTERS
            total = totals.setdefault(f"{platform} {handle}", Counter())
            for k, v in zip(COUNTERS, values, strict=True):
                if k in known:
                    total[k] += v
            total["posts"] += 1
        return totals


def set_counter_schedule(
    actor: Actor, channel_id: int, hourly_days: int, daily_days: int, now: datetime
) -> tuple[int, int]:
    """How long the scheduler reads a channel's sent posts' counters back (admins): hourly for
    `hourly_days`, daily until `daily_days` (0 and 0: never). Returns what it is now."""
    from .. import audit
    from ..errors import ValidationError

    if not 0 <= hourly_days <= LONGEST:
        raise ValidationError("hourly", f"a number of days from 0 to {LONGEST}")
    if not 0 <= daily_days <= LONGEST:
        raise ValidationError("daily", f"a number of days from 0 to {LONGEST}")
    if daily_days and daily_days < hourly_days:
        raise ValidationError(
            "daily", f"the daily reads end after the hourly ones ({hourly_days} days) or are 0"
        )
    with writing():
        channel = Channel.get_or_none(Channel.id == channel_id)
        if channel is None:
            raise NotFound(f"no channel #{channel_id}")
        require(actor, Action.BRANDS_MANAGE, channel.brand_id)
        before = [channel.counters_hourly_days, channel.counters_daily_days]
        Channel.update(counters_hourly_days=hourly_days, counters_daily_days=daily_days).where(
            Channel.id == channel_id
        ).execute()
        audit.record(
            actor.login,
            "channel.counters_every",
            "channel",
            channel_id,
            {"from": before, "to": [hourly_days, daily_days]},
            now,
        )
    return hourly_days, daily_days


def counter_schedule(channel_id: int) -> tuple[int, int]:
    """(hourly days, daily-until days) of a channel's counter reads."""
    with reading():
        channel = Channel.get_or_none(Channel.id == channel_id)
        if channel is None:
            raise NotFound(f"no channel #{channel_id}")
        return channel.counters_hourly_days, channel.counters_daily_days
