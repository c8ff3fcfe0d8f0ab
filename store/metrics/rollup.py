"""The performance rollup: one row per sent delivery with its latest counters, its engagements
and rate, and what the content figures group by (the brand's local weekday and hour it went out,
its approval cycle, whether changes were requested). Written by the same transaction as the
snapshot it comes from (`note`), or rebuilt from all snapshots at once (`rebuild`: the schema 11
migration and the demo's bulk snapshots).

Definitions (the app's `?` and the reports show them as written here):
- engagements = likes + comments + shares + saves + clicks (those the platform counts);
- engagement rate = engagements ÷ impressions; ÷ reach where there are no impressions (marked);
  none where the platform gives neither (Mastodon counts no impressions or reach);
- lifetime: a delivery counts in the period it was sent in, with its latest counters.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime
from zoneinfo import ZoneInfo

from peewee import fn

from ..db.models import Brand, Channel, MetricSnapshot, Performance, StageEvent, Variant
from ..domain import DeliveryState, Stage

COUNTERS = (
    "impressions", "reach", "likes", "comments", "shares", "saves", "clicks", "video_views",
)  # fmt: skip
ENGAGING = ("likes", "comments", "shares", "saves", "clicks")
#: The counters each connector reads back from its platform (the rest count nothing there).
MEASURES = {
    "mastodon": ("likes", "comments", "shares"),
    "bluesky": ("likes", "comments", "shares"),  # shares: reposts + quotes
}


def known_counters(connector: str | None) -> tuple[str, ...]:
    """The counters a channel's connector reads back (all of them for imports and the rest)."""
    return MEASURES.get(connector or "") or COUNTERS


def rated(values: dict[str, int | None]) -> tuple[int, float | None, str | None]:
    """Engagements, the engagement rate and what it was divided by."""
    engagements = sum(values.get(k) or 0 for k in ENGAGING)
    for base in ("impressions", "reach"):
        if values.get(base):
            return engagements, engagements / values[base], base
    return engagements, None, None


def _cycle(trail: list[tuple[datetime, str]]) -> tuple[float | None, int]:
    """First submitted → first approved (hours), and whether changes were asked before it."""
    submitted = next((at for at, to in trail if to == Stage.IN_REVIEW), None)
    if submitted is None:
        return None, 0
    approved = next((at for at, to in trail if to == Stage.APPROVED and at >= submitted), None)
    if approved is None:
        return None, 0
    revised = any(to == Stage.CHANGES_REQUESTED for at, to in trail if at <= approved)
    return (approved - submitted).total_seconds() / 3600, int(revised)


def _trails(post_ids) -> dict[int, list[tuple[datetime, str]]]:
    trails: dict[int, list] = defaultdict(list)
    ids = list(post_ids)
    for i in range(0, len(ids), 500):
        for post_id, at, to in (
            StageEvent.select(StageEvent.post, StageEvent.at, StageEvent.to_stage)
            .where(StageEvent.post.in_(ids[i : i + 500]))
            .order_by(StageEvent.post, StageEvent.at, StageEvent.id)
            .tuples()
        ):
            trails[post_id].append((at, to))
    return trails


def _local(sent_at: datetime, zone: str) -> tuple[int, int]:
    moment = sent_at.astimezone(ZoneInfo(zone or "UTC"))
    return moment.weekday(), moment.hour


def _row(variant, zone, connector, trail, taken_at, values) -> dict:
    known = known_counters(connector)
    kept = {k: (int(values.get(k) or 0) if k in known else None) for k in COUNTERS}
    engagements, rate, base = rated(kept)
    weekday, hour = _local(variant["sent_at"], zone)
    cycle, revised = _cycle(trail)
    return {
        "variant": variant["id"],
        "post_id": variant["post"],
        "brand_id": variant["brand"],
        "channel_id": variant["channel"],
        "sent_at": variant["sent_at"],
        "weekday": weekday,
        "hour": hour,
        "taken_at": taken_at,
        **kept,
        "engagements": engagements,
        "rate": rate,
        "rate_base": base,
        "cycle_hours": cycle,
        "revised": revised,
    }


def _variants(where):
    return (
        Variant.select(
            Variant.id,
            Variant.post,
            Variant.channel,
            Variant.sent_at,
            Channel.brand,
            Channel.connector,
            Brand.timezone,
        )
        .join(Channel)
        .join(Brand)
        .where(where & (Variant.state == DeliveryState.SENT.value) & Variant.sent_at.is_null(False))
        .dicts()
    )


def note(variant_id: int, taken_at: datetime, values: dict[str, int]) -> None:
    """Keep a delivery's row current with the snapshot just written (inside its transaction); an
    older snapshot than the one kept changes nothing."""
    kept = Performance.get_or_none(Performance.variant == variant_id)
    if kept is not None and kept.taken_at > taken_at:
        return
    variant = next(iter(_variants(Variant.id == variant_id)), None)
    if variant is None:  # not sent (an import names only sent ones)
        return
    trail = _trails([variant["post"]]).get(variant["post"], [])
    row = _row(variant, variant["timezone"], variant["connector"], trail, taken_at, values)
    if kept is None:
        Performance.insert(**row).execute()
    else:
        del row["variant"]
        Performance.update(**row).where(Performance.variant == variant_id).execute()


def rebuild(db=None) -> int:
    """Every sent delivery's row from its latest snapshot (inside the caller's transaction)."""
    S = MetricSnapshot
    Performance.delete().execute()
    ranked = S.select(
        S.id.alias("sid"),
        fn.ROW_NUMBER()
        .over(partition_by=[S.variant], order_by=[S.taken_at.desc(), S.id.desc()])
        .alias("rank"),
    ).alias("ranked")
    latest = {
        row["variant"]: row
        for row in S.select(S.variant, S.taken_at, *[getattr(S, k) for k in COUNTERS])
        .join(ranked, on=((S.id == ranked.c.sid) & (ranked.c.rank == 1)))
        .dicts()
    }
    if not latest:
        return 0
    field = S.taken_at
    variants = [v for v in _variants(Variant.id.in_(S.select(S.variant))) if v["id"] in latest]
    trails = _trails({v["post"] for v in variants})
    rows = []
    for v in variants:
        snap = latest[v["id"]]
        taken = snap["taken_at"]
        taken = field.python_value(taken) if isinstance(taken, str) else taken
        rows.append(_row(v, v["timezone"], v["connector"], trails.get(v["post"], []), taken, snap))
    for i in range(0, len(rows), 500):
        Performance.insert_many(rows[i : i + 500]).execute()
    return len(rows)
