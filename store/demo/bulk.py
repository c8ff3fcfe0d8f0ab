"""Demo volume: metric snapshots and the large size's 100k posts, inserted in bulk.

Rows go in with executemany inside long write transactions; every bulk post still has its
revision, variants, stage events, approvals and an audit event on the hash chain.
"""

from __future__ import annotations

import json
import math
import random
from datetime import datetime, timedelta

from .. import audit
from ..db import database, writing
from ..db.fields import UTCDateTimeField
from ..metrics import rollup
from ..publishing.tid import new_tid
from .content import (
    BRANDS,
    CAPTION_FORMS,
    TITLE_FORMS,
)

_stamp = UTCDateTimeField().db_value
BATCH = 50_000


def _ids(sql: str, *params) -> list:
    return [row[0] for row in database.execute_sql(sql, params)]


def _insert(table: str, columns: tuple[str, ...], rows) -> int:
    sql = f'INSERT INTO "{table}" ({", ".join(columns)}) VALUES ({", ".join("?" * len(columns))})'
    connection = database.connection()
    batch, total = [], 0
    for row in rows:
        batch.append(row)
        if len(batch) >= BATCH:
            connection.executemany(sql, batch)
            total += len(batch)
            batch.clear()
    if batch:
        connection.executemany(sql, batch)
        total += len(batch)
    return total


_SNAPSHOT_OFFSETS_HOURS = (1, 3, 6, 12, 24, 48, 72, 120, 168, 336, 720)
_AUDIENCE_SIZE = {
    "instagram": 9000,
    "tiktok": 20000,
    "x": 3000,
    "bluesky": 1200,
    "linkedin": 2500,
    "facebook": 5000,
    "pinterest": 4000,
    "youtube": 7000,
    "mastodon": 800,
    "threads": 1500,
}


def snapshots(rng: random.Random, now: datetime, total: int | None) -> None:
    """Engagement counters for every delivered variant, growing after it went out."""
    delivered = database.execute_sql(
        "SELECT v.id, v.sent_at, c.platform FROM variant v JOIN channel c ON c.id = v.channel_id "
        "WHERE v.state = 'sent' ORDER BY v.id"
    ).fetchall()
    if not delivered:
        return
    per_variant = len(_SNAPSHOT_OFFSETS_HOURS)
    if total is not None:
        per_variant = max(1, math.ceil(total / len(delivered)))
    offsets = list(_SNAPSHOT_OFFSETS_HOURS)
    while len(offsets) < per_variant:
        offsets.append(offsets[-1] + 24)
    offsets = offsets[:per_variant]
    budget = total

    def rows():
        nonlocal budget
        for variant_id, sent_at, platform in delivered:
            sent = UTCDateTimeField().python_value(sent_at)
            reach_cap = _AUDIENCE_SIZE[platform] * rng.lognormvariate(0, 0.6)
            like_rate = rng.uniform(0.02, 0.08)
            for hours in offsets:
                taken = sent + timedelta(hours=hours)
                if taken > now and total is None:
                    break
                if budget is not None:
                    if budget <= 0:
                        return
                    budget -= 1
                grown = 1 - math.exp(-hours / 30)
                reach = int(reach_cap * grown)
                likes = int(reach * like_rate)
                yield (
                    variant_id,
                    _stamp(taken),
                    int(reach * 1.4),
                    reach,
                    likes,
                    likes // 8,
                    likes // 12,
                    likes // 10,
                    int(reach * 0.01),
                )

    with writing():
        _insert(
            "metric_snapshot",
            (
                "variant_id",
                "taken_at",
                "impressions",
                "reach",
                "likes",
                "comments",
                "shares",
                "saves",
                "clicks",
            ),
            rows(),
        )
        rollup.rebuild()


def posts(cast, rng: random.Random, now: datetime, count: int) -> None:
    """The large size's volume: posts over two years back and three months ahead."""
    if count <= 0:
        return
    users = dict(database.execute_sql('SELECT login, id FROM "user"').fetchall())
    owners = cast.editors + cast.managers[:1]
    first_id = (database.execute_sql("SELECT max(id) FROM post").fetchone()[0] or 0) + 1
    span = timedelta(days=820)
    start = now - timedelta(days=730)
    post_rows, revision_rows, variant_rows, event_rows, review_rows, audit_events = (
        [],
        [],
        [],
        [],
        [],
        [],
    )
    media_rows = []
    for offset in range(count):
        pid = first_id + offset
        slug = rng.choice(list(BRANDS))
        spec = BRANDS[slug]
        subject = rng.choice(spec["subjects"])
        owner = rng.choice(owners)
        publish = (start + span * rng.random()).replace(second=0, microsecond=0)
        created = min(publish, now) - timedelta(days=rng.uniform(3, 12))
        stage, path = _bulk_path(rng, publish - now)
        high_stakes = rng.random() < 0.15
        title = rng.choice(TITLE_FORMS).format(subject=subject)
        caption = rng.choice(CAPTION_FORMS).format(
            subject=subject, tags=f"#{rng.choice(spec['tags'])}"
        )
        moments = [
            created + (min(publish, now) - created) * (i + 1) / (len(path) + 1)
            for i in range(len(path))
        ]
        if stage == "published":
            moments[-1] = publish
        updated = moments[-1] if moments else created
        post_rows.append(
            (
                pid,
                cast.brands[slug],
                title[0].upper() + title[1:],
                "",
                caption,
                rng.choice(cast.pillars[slug]),
                None,
                users[owner],
                stage,
                "high_stakes" if high_stakes else "routine",
                _stamp(min(publish, created + timedelta(days=2))) if "in_review" in path else None,
                _stamp(publish),
                1 + len(path),
                1,
                _stamp(created),
                _stamp(updated),
                users[owner],
            )
        )
        channel_ids = rng.sample(cast.channels[slug], rng.choice((1, 1, 2)))
        media = cast.media_for(slug, subject, channel_ids)
        media_rows.extend((pid, asset_id, n) for n, asset_id in enumerate(media))
        revision_rows.append(
            (
                pid,
                1,
                post_rows[-1][2],
                "",
                caption,
                "{}",
                json.dumps(media),
                users[owner],
                _stamp(created),
            )
        )
        for channel_id in channel_ids:
            state = "sent" if stage == "published" else "failed" if stage == "failed" else "pending"
            variant_rows.append(
                (
                    pid,
                    channel_id,
                    state,
                    f"demo-{pid}-{channel_id}",
                    _stamp(publish) if state == "sent" else None,
                    1 if state != "pending" else 0,
                    new_tid(),
                    _stamp(publish) if stage == "scheduled" else None,
                )
            )
        event_rows.append((pid, None, "draft", users[owner], _stamp(created), ""))
        previous = "draft"
        for to, at in zip(path, moments, strict=True):
            actor = users[owner]
            if to == "approved":
                approvers = [rng.choice(cast.reviewers)] + (
                    [rng.choice(cast.managers)] if high_stakes else []
                )
                for approver in approvers:
                    review_rows.append((pid, 1, users[approver], "approved", "", _stamp(at)))
                actor = users[approvers[-1]]
            event_rows.append((pid, previous, to, actor, _stamp(at), ""))
            previous = to
        audit_events.append(
            (
                created,
                owner,
                "post.create",
                "post",
                pid,
                {"title": post_rows[-1][2], "stage": stage, "bulk": True},
            )
        )
    with writing():
        _insert(
            "post",
            (
                "id",
                "brand_id",
                "title",
                "brief",
                "caption",
                "pillar_id",
                "campaign_id",
                "owner_id",
                "stage",
                "tier",
                "review_due",
                "publish_at",
                "version",
                "revision",
                "created_at",
                "updated_at",
                "updated_by_id",
            ),
            post_rows,
        )
        _insert(
            "revision",
            (
                "post_id",
                "number",
                "title",
                "brief",
                "caption",
                "overrides",
                "media",
                "author_id",
                "created_at",
            ),
            revision_rows,
        )
        _insert("post_asset", ("post_id", "asset_id", "position"), media_rows)
        _insert(
            "variant",
            (
                "post_id",
                "channel_id",
                "state",
                "idempotency_key",
                "sent_at",
                "attempts",
                "record_key",
                "due_at",
            ),
            variant_rows,
        )
        _insert(
            "stage_event",
            ("post_id", "from_stage", "to_stage", "actor_id", "at", "note"),
            event_rows,
        )
        _insert(
            "review",
            ("post_id", "revision", "reviewer_id", "decision", "note", "created_at"),
            review_rows,
        )
        last_id, last_hash = audit.chain_head()
        _insert("audit_event", audit.COLUMNS, audit.chain(audit_events, last_id, last_hash))


def _bulk_path(rng: random.Random, ahead: timedelta) -> tuple[str, list[str]]:
    """A post's final stage and the moves after draft that got it there."""
    full = ["in_review", "approved", "scheduled"]
    days = ahead.total_seconds() / 86400
    if days < 0:
        if rng.random() < 0.004:
            return "failed", [*full, "failed"]
        return "published", [*full, "published"]
    if days < 7:
        choices = (
            ("scheduled", 0.7),
            ("approved", 0.1),
            ("in_review", 0.15),
            ("changes_requested", 0.05),
        )
    else:
        choices = (("scheduled", 0.2), ("approved", 0.1), ("in_review", 0.2), ("draft", 0.5))
    stage = weighted_choice(rng, choices)
    paths = {
        "scheduled": full,
        "approved": full[:2],
        "in_review": full[:1],
        "changes_requested": ["in_review", "changes_requested"],
        "draft": [],
    }
    return stage, paths[stage]


def weighted_choice(rng: random.Random, table):
    """One value from (value, share) pairs whose shares add up to 1."""
    roll = rng.random()
    for value, share in table:
        roll -= share
        if roll < 0:
            return value
    return table[-1][0]
