"""`postroom demo`: a believable team, built through the same services people use, relative to today."""

from __future__ import annotations

import os
import random
import re
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

from .. import approvals, assets, brands, notes, posts, stages, users
from ..db import close_database, database, open_database, writing
from ..db.files import side_files
from ..db.models import Variant
from ..domain import Stage
from ..errors import ValidationError
from ..publishing import deliveries
from ..publishing.platforms import rules_for
from .bulk import weighted_choice
from .content import (
    BRANDS,
    CAPTION_FORMS,
    CHANGE_NOTES,
    COMMENTS,
    FAILURES,
    TITLE_FORMS,
    USERS,
)

SIZES = {"small": 270, "large": 100_000}
DAYS_BACK, DAYS_AHEAD = 60, 30


@dataclass(frozen=True)
class DemoResult:
    """What was built, and how long it took."""

    path: str
    size: str
    counts: dict[str, int]
    seconds: float
    megabytes: float

    def summary(self) -> str:
        """One paragraph for the terminal."""
        parts = ", ".join(f"{n:,} {name}" for name, n in self.counts.items())
        return (
            f"built the {self.size} demo in {self.path} in {self.seconds:.1f} s "
            f"({self.megabytes:.1f} MB): {parts}"
        )


def build_demo(
    path: str | os.PathLike,
    *,
    size: str = "small",
    seed: int = 7,
    now: datetime | None = None,
    login: str | None = None,
    timezone: str | None = None,
) -> DemoResult:
    """Build a fresh demo database at `path` (refused if it exists); the runner becomes its admin."""
    from . import bulk as demo_bulk
    from . import inbox as demo_inbox

    if size not in SIZES:
        raise ValidationError("size", f"{size!r} is not small or large")
    target = Path(path)
    if target.exists():
        raise ValidationError(
            "db", f"{target} exists; the demo builds a new database, choose another path"
        )
    now = (now or datetime.now(UTC)).replace(microsecond=0)
    login = login or users.current_login()
    building = target.with_name(target.name + ".building")
    for leftover in building.parent.glob(building.name + "*"):
        leftover.unlink()
    started = time.perf_counter()
    rng = random.Random(seed)
    open_database(building, create=True)
    try:
        cast = _cast(login, now, timezone)
        _team_posts(cast, rng, now)
        demo_inbox.inbox(cast, rng, now, 1_000_000 if size == "large" else 2_400)
        if size == "large":
            demo_bulk.posts(cast, rng, now, SIZES["large"] - posts.post_count())
        demo_bulk.snapshots(rng, now, 2_000_000 if size == "large" else None)
        counts = _counts()
        database.execute_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    except BaseException:
        close_database()
        for leftover in building.parent.glob(building.name + "*"):
            leftover.unlink()
        raise
    close_database()
    # The WAL was checkpointed into the file; its (empty, persistent) side files stay behind
    # under the building name and would never be used again.
    for side in side_files(building):
        side.unlink(missing_ok=True)
    building.rename(target)
    return DemoResult(
        str(target), size, counts, time.perf_counter() - started, target.stat().st_size / 1e6
    )


@dataclass
class Cast:
    """The demo's people, brands and channels, by the names the builder uses."""

    admin: str
    editors: list[str]
    reviewers: list[str]
    managers: list[str]
    brands: dict[str, int]
    channels: dict[str, list[int]]
    pillars: dict[str, list[int]]
    campaigns: dict[str, list[int]]
    platforms: dict[int, str]
    media: dict[tuple[str, str], tuple[int, int]] = field(default_factory=dict)

    def media_for(self, slug: str, subject: str, channel_ids: list[int]) -> list[int]:
        """A subject's clip where a channel wants video (TikTok, YouTube), else its photo."""
        image, video = self.media[slug, subject]
        wants_video = any(self.platforms[c] in ("tiktok", "youtube") for c in channel_ids)
        return [video] if wants_video else [image]


def _cast(login: str, now: datetime, timezone: str | None) -> Cast:
    start = now - timedelta(days=DAYS_BACK + 20)
    users.init_database(login, start, timezone)
    admin = users.actor_for(login)
    cast = Cast(login, [], [], [], {}, {}, {}, {}, {})
    for slug, spec in BRANDS.items():
        brand = brands.create_brand(admin, spec["name"], start, slug=slug)
        cast.brands[slug] = brand.id
        cast.channels[slug] = []
        for platform, handle, cadence in spec["channels"]:
            channel = brands.add_channel(
                admin, brand.id, platform, handle, start, posts_per_week=cadence
            )
            cast.channels[slug].append(channel.id)
            cast.platforms[channel.id] = platform
        cast.pillars[slug] = [brands.add_pillar(admin, brand.id, p, start) for p in spec["pillars"]]
        cast.campaigns[slug] = [
            brands.add_campaign(
                admin,
                brand.id,
                name,
                start,
                starts_on=(now + timedelta(days=a)).date(),
                ends_on=(now + timedelta(days=b)).date(),
            )
            for name, a, b in spec["campaigns"]
        ]
        for number, subject in enumerate(spec["subjects"]):
            stem = f"https://media.example.com/{slug}/{re.sub(r'[^a-z0-9]+', '-', subject.lower())}"
            # Every fifth photo lacks alt text, as in real libraries; the checks point it out.
            alt = "" if number % 5 == 4 else f"Photo: {subject}, {spec['name']} house style"
            image = assets.add_asset(admin, brand.id, stem + ".jpg", start, alt_text=alt)
            video = assets.add_asset(
                admin, brand.id, stem + ".mp4", start, alt_text=f"Clip: {subject}"
            )
            cast.media[slug, subject] = (image.id, video.id)
    roles: dict[str, list[str]] = {}
    for name, real_name, role, tz in USERS:
        if name == login:
            continue
        users.add_user(
            admin,
            name,
            role,
            start,
            name=real_name,
            timezone=tz,
            brand_slugs=(_client_brand(name),) if role == "client" else (),
            force=True,  # the demo's people are not accounts of this machine
        )
        roles.setdefault(role, []).append(name)
    cast.editors, cast.reviewers, cast.managers = (
        roles["editor"],
        roles["reviewer"],
        roles["manager"],
    )
    _notes(admin, cast, now, start)
    return cast


def _client_brand(login: str) -> str:
    return next(slug for slug, spec in BRANDS.items() if spec["client"] == login)


def _notes(admin, cast: Cast, now: datetime, at: datetime) -> None:
    today = now.date()
    for year in (today.year - 1, today.year, today.year + 1):
        for month, day, title in (
            (12, 25, "Christmas Day"),
            (12, 26, "Boxing Day"),
            (1, 1, "New Year's Day"),
            (2, 14, "Valentine's Day"),
            (10, 31, "Halloween"),
        ):
            day_date = today.replace(year=year, month=month, day=day)
            if -DAYS_BACK <= (day_date - today).days <= DAYS_AHEAD + 30:
                notes.add_note(admin, title, day_date, at, kind="holiday")
    relative = [
        ("Winter Blend launch", 7, 7, "acme-coffee", "launch"),
        ("Leeds shop opening", -12, -12, "acme-coffee", "event"),
        ("Trail season wrap-up", 10, 12, "birch-outdoor", "campaign"),
        ("Black Friday sale", -2, 3, "birch-outdoor", "campaign"),
        ("Q1 content planning", 21, 21, None, "milestone"),
        ("Brand photo shoot", 3, 4, "acme-coffee", "event"),
        ("Outdoor trade show", -25, -23, "birch-outdoor", "event"),
    ]
    for title, a, b, slug, kind in relative:
        notes.add_note(
            admin,
            title,
            today + timedelta(days=a),
            at,
            ends_on=today + timedelta(days=b),
            brand_id=cast.brands[slug] if slug else None,
            kind=kind,
        )


def _team_posts(cast: Cast, rng: random.Random, now: datetime) -> None:
    """About three posts a day around today, each walked through the workflow by the team."""
    first_day = now - timedelta(days=DAYS_BACK)
    failures = list(FAILURES)
    for index in range(SIZES["small"]):
        slug = rng.choice(list(BRANDS))
        day = first_day + timedelta(days=(index * (DAYS_BACK + DAYS_AHEAD)) / SIZES["small"])
        publish_at = day.replace(
            hour=rng.choice((8, 9, 11, 12, 15, 17, 18, 19)),
            minute=rng.choice((0, 15, 30, 45)),
            second=0,
        )
        fail = (
            bool(failures)
            and timedelta(days=2) < now - publish_at < timedelta(days=4)
            and rng.random() < 0.5
        )
        _one_post(cast, rng, now, slug, publish_at, failures.pop() if fail else None)


def _one_post(
    cast: Cast,
    rng: random.Random,
    now: datetime,
    slug: str,
    publish_at: datetime,
    failure: str | None,
) -> None:
    spec = BRANDS[slug]
    subject = rng.choice(spec["subjects"])
    owner = rng.choice(cast.editors + cast.managers[:1])
    high_stakes = rng.random() < 0.15
    channels = rng.sample(cast.channels[slug], rng.choice((1, 1, 2, 2, 3)))
    tags = rng.sample(spec["tags"], _hashtags_allowed(channels, cast.platforms))
    caption = rng.choice(CAPTION_FORMS).format(
        subject=subject, tags=" ".join(f"#{t}" for t in tags)
    )
    caption = caption[0].upper() + caption[1:]
    target = _target_stage(rng, publish_at - now)
    start = min(publish_at, now) - timedelta(days=rng.uniform(6, 12))
    clock = _Clock(start, min(publish_at, now) - timedelta(minutes=10), rng)
    actor = users.actor_for
    fields = dict(
        caption=caption,
        brief=f"Show {subject} the way our community sees it.",
        channel_ids=channels,
        media_ids=[] if target is Stage.IDEA else cast.media_for(slug, subject, channels),
        pillar_id=rng.choice(cast.pillars[slug]),
        campaign_id=rng.choice(cast.campaigns[slug]) if rng.random() < 0.4 else None,
        tags=tags,
        tier="high_stakes" if high_stakes else "routine",
        publish_at=publish_at,
        owner_login=owner,
    )
    first = Stage.IDEA if target is Stage.IDEA or rng.random() < 0.2 else Stage.DRAFT
    title = rng.choice(TITLE_FORMS).format(subject=subject)
    title = title[0].upper() + title[1:]
    post = posts.create_post(
        actor(owner), cast.brands[slug], title, clock.tick(), stage=first, **fields
    )
    pid = post.id
    if target is Stage.IDEA:
        return
    if first is Stage.IDEA:
        stages.move(actor(owner), pid, Stage.DRAFT, clock.tick(hours=6))
    _comments(cast, rng, pid, clock)
    if target is Stage.DRAFT:
        return
    submitted = clock.tick()
    if target is Stage.IN_REVIEW:
        # Half the posts waiting for review are overdue (due a day after submission, or soon
        # before now); the rest are due in the next few days.
        if rng.random() < 0.5:
            due = max(submitted + timedelta(hours=4), now - timedelta(hours=rng.randint(3, 40)))
            due = min(due, submitted + timedelta(days=1))
        else:
            due = now + timedelta(hours=rng.randint(4, 72))
        posts.edit_post(actor(owner), pid, submitted, review_due=due.replace(microsecond=0))
    stages.move(actor(owner), pid, Stage.IN_REVIEW, submitted)
    if target is Stage.CHANGES_REQUESTED or rng.random() < 0.3:
        reviewer = rng.choice(cast.reviewers)
        approvals.request_changes(actor(reviewer), pid, rng.choice(CHANGE_NOTES), clock.tick())
        if target is Stage.CHANGES_REQUESTED:
            return
        posts.edit_post(
            actor(owner), pid, clock.tick(), caption=caption.replace(".", "!", 1) + " ✅"
        )
        stages.move(actor(owner), pid, Stage.IN_REVIEW, clock.tick(hours=2))
    if target is Stage.IN_REVIEW:
        if high_stakes and rng.random() < 0.5:
            approvals.approve(actor(rng.choice(cast.reviewers)), pid, clock.tick())
        return
    for approver in _approvers(cast, rng, owner, high_stakes):
        approvals.approve(actor(approver), pid, clock.tick())
    if target is Stage.APPROVED:
        return
    stages.move(actor(owner), pid, Stage.SCHEDULED, clock.tick(hours=3))
    if target is Stage.SCHEDULED:
        return
    if failure:
        deliveries.record_history(actor(owner), pid, publish_at, failure=failure)
        _attempted(pid)
        return
    deliveries.record_history(actor(owner), pid, publish_at)
    _delivered(pid)


def _hashtags_allowed(channel_ids: list[int], platforms: dict[int, str]) -> int:
    """Two hashtags, or fewer where a chosen platform allows fewer (Threads allows one)."""
    limits = [rules_for(platforms[c]).hashtag_limit for c in channel_ids]
    return min([2, *(limit for limit in limits if limit is not None)])


def _target_stage(rng: random.Random, ahead: timedelta) -> Stage:
    days = ahead.total_seconds() / 86400
    if days < 0:
        return Stage.PUBLISHED
    if days < 3:
        table = (
            (Stage.SCHEDULED, 0.7),
            (Stage.APPROVED, 0.1),
            (Stage.IN_REVIEW, 0.15),
            (Stage.CHANGES_REQUESTED, 0.05),
        )
    elif days < 10:
        table = (
            (Stage.SCHEDULED, 0.3),
            (Stage.APPROVED, 0.15),
            (Stage.IN_REVIEW, 0.3),
            (Stage.CHANGES_REQUESTED, 0.1),
            (Stage.DRAFT, 0.15),
        )
    else:
        table = ((Stage.IN_REVIEW, 0.15), (Stage.DRAFT, 0.45), (Stage.IDEA, 0.4))
    return weighted_choice(rng, table)


def _approvers(cast: Cast, rng: random.Random, owner: str, high_stakes: bool) -> list[str]:
    reviewer = rng.choice(cast.reviewers)
    if not high_stakes:
        return [reviewer]
    return [reviewer, rng.choice([m for m in cast.managers if m != owner])]


def _comments(cast: Cast, rng: random.Random, pid: int, clock: _Clock) -> None:
    for _ in range(rng.choice((0, 0, 0, 1, 2))):
        author = rng.choice(cast.reviewers + cast.editors)
        posts.add_comment(users.actor_for(author), pid, rng.choice(COMMENTS), clock.tick())


def _attempted(pid: int) -> None:
    with writing():
        Variant.update(attempts=4).where(
            (Variant.post == pid) & (Variant.state == "failed")
        ).execute()


def _delivered(pid: int) -> None:
    with writing():
        for variant in Variant.select().where(Variant.post == pid):
            variant.remote_id = f"{pid}{variant.channel_id:03d}"
            variant.remote_url = f"https://social.example/{variant.channel_id}/{variant.remote_id}"
            variant.attempts = 1
            variant.save()


def _counts() -> dict[str, int]:
    tables = [
        ("users", "user"),
        ("brands", "brand"),
        ("channels", "channel"),
        ("posts", "post"),
        ("revisions", "revision"),
        ("reviews", "review"),
        ("notes", "calendar_note"),
        ("inbox messages", "inbox_message"),
        ("metric snapshots", "metric_snapshot"),
        ("audit events", "audit_event"),
    ]
    return {
        name: database.execute_sql(f'SELECT count(*) FROM "{table}"').fetchone()[0]
        for name, table in tables
    }


class _Clock:
    """Simulated time for one post's history: every step a little after the one before."""

    def __init__(self, start: datetime, limit: datetime, rng: random.Random):
        self.now = start
        self.limit = limit
        self.rng = rng

    def tick(self, hours: float | None = None) -> datetime:
        """A later moment, never past the limit (before publishing, and before the real now)."""
        step = timedelta(hours=hours if hours is not None else self.rng.uniform(0.5, 20))
        self.now = max(self.now, min(self.now + step, self.limit))
        return self.now.replace(microsecond=0)
