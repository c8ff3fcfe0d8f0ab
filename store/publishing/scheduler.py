"""The scheduler: claim what is due, check it locally, send it through its channel's connector,
record what happened. `publish_due` is one pass (cron, `postroom publish --due`); `run` keeps
passing until told to stop, waking every few seconds and at once when the database changes.

Several schedulers on one database are safe: each delivery is claimed by one compare-and-swap
statement under a lease, and every attempt reuses the delivery's own keys."""

from __future__ import annotations

import json
import os
import secrets
import socket
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

from ..assets import info_of
from ..changes import data_version
from ..db import reading, writing
from ..db.models import Asset, Brand, Channel, Post, Revision, SchedulerBeat, Variant
from ..domain import Actor, DeliveryState, MediaKind, Platform
from ..errors import NotFound
from ..permissions import Action, require
from . import connectors
from .captions import delivery_caption
from .connectors import AMBIGUOUS, Job, NotSent, Refused
from .credentials import CredentialsRefused, channel_key, for_channel
from .deliveries import CLAIMABLE, LEASE, Claimed, Outcome, claim, finish
from .delivery_queries import delivery
from .platforms import check_caption

D = DeliveryState
#: The largest file each connector uploads, by kind (Bluesky: its blob limit for images).
MEDIA_BYTES = {
    "bluesky": {MediaKind.IMAGE: 1_000_000, MediaKind.VIDEO: 50_000_000},
    "mastodon": {MediaKind.IMAGE: 16 * 1024 * 1024, MediaKind.VIDEO: 99 * 1024 * 1024},
}
#: Connectors that upload files (a link to media will not do for them).
UPLOADS = frozenset(MEDIA_BYTES)
#: A scheduler that has not beaten for this long counts as not running.
SILENT_AFTER = timedelta(minutes=2)


def _now() -> datetime:
    return datetime.now(UTC).replace(microsecond=0)


def make_owner() -> str:
    """A name for this scheduler process that no other shares."""
    return f"{socket.gethostname()}:{os.getpid()}:{secrets.token_hex(3)}"


@dataclass
class PassReport:
    """What one pass did: how many deliveries ended in each state, and how long it took."""

    states: Counter = field(default_factory=Counter)
    seconds: float = 0.0
    #: Deliveries that ended failed or unconfirmed in this pass: a person must look.
    trouble: list = field(default_factory=list)
    #: Inbox replies sent in this pass, by the state they ended in.
    replies: Counter = field(default_factory=Counter)
    #: What pulling the inboxes did (None when no pull was due).
    inbox: object = None
    #: What reading the sent posts' counters did (None when not asked).
    counters: object = None

    @property
    def handled(self) -> int:
        return sum(self.states.values())

    def words(self) -> str:
        if not self.handled:
            return "nothing was due"
        parts = ", ".join(f"{n} {D(s).label}" for s, n in sorted(self.states.items()))
        return f"{self.handled} deliveries: {parts}"

    def reply_words(self) -> str | None:
        if not self.replies:
            return None
        parts = ", ".join(f"{n} {D(s).label}" for s, n in sorted(self.replies.items()))
        return f"{sum(self.replies.values())} inbox replies: {parts}"


def load_job(claimed: Claimed) -> Job:
    """What the delivery sends: the approved revision's caption for this channel and its media."""
    with reading():
        row = (
            Variant.select(Variant, Post, Channel, Brand)
            .join(Post)
            .join(Brand)
            .switch(Variant)
            .join(Channel)
            .where(Variant.id == claimed.id)
            .first()
        )
        if row is None:
            raise NotFound(f"no delivery #{claimed.id}")
        post, channel = row.post, row.channel
        revision = Revision.get_or_none(
            (Revision.post == post.id) & (Revision.number == post.revision)
        )
        if revision is not None:
            caption = revision.caption
            overrides = json.loads(revision.overrides or "{}")
            media_ids = json.loads(revision.media or "[]")
        else:
            caption, overrides, media_ids = post.caption, {}, []
        assets = {a.id: a for a in Asset.select().where(Asset.id.in_(media_ids or [0]))}
        media = tuple(info_of(assets[i]) for i in media_ids if i in assets)
        return Job(
            delivery_id=row.id,
            post_id=post.id,
            title=post.title,
            channel_id=channel.id,
            platform=Platform(channel.platform),
            handle=channel.handle,
            connector=channel.connector or "manual",
            server=channel.server,
            visibility=channel.visibility or "public",
            language=channel.language,
            caption=delivery_caption(caption, overrides.get(str(channel.id))),
            media=media,
            publish_at=post.publish_at,
            idempotency_key=row.idempotency_key,
            record_key=row.record_key or "",
            attempt=claimed.attempt,
            credentials_key=channel_key(post.brand.slug, channel.platform, channel.handle),
        )


def local_problem(job: Job) -> str | None:
    """Whatever can be found wrong without the network (the caption by the platform's checks, the
    media files and their sizes); None when the delivery may be sent."""
    report = check_caption(job.platform, job.caption, job.media)
    errors = [
        f
        for f in report.errors
        # A Mastodon server says its own limit; the connector checks it against that.
        if not (f.code == "length" and job.connector == "mastodon")
    ]
    if errors:
        return f"{job.platform.value}: {errors[0].message}"
    for asset in job.media:
        if "://" in asset.uri:
            if job.connector in UPLOADS:
                return f"{asset.name} is a link; {job.connector} needs the file on this server"
            continue
        path = Path(asset.uri)
        if not path.is_file():
            return f"media file {asset.uri} is missing"
        limit = MEDIA_BYTES.get(job.connector, {}).get(asset.kind)
        size = path.stat().st_size
        if limit is not None and size > limit:
            return f"{path.name} is {size:,} bytes; {job.connector} takes {asset.kind.value}s up to {limit:,}"
    return None


def attempt(job: Job, connector, creds: dict[str, str]) -> Outcome:
    """One attempt: look first when an earlier one may have gone through, prepare, publish, and
    settle an answer that does not say whether the post exists. `Refused` and `NotSent` are only
    raised before a post request goes out (a session refused, an upload failed)."""
    try:
        if job.attempt > 1:
            seen = connector.look(job, creds)
            if seen is not None and seen.state is D.SENT:
                return seen
        media = connector.prepare(job, creds)
        outcome = connector.publish(job, creds, media)
        if outcome.state is not AMBIGUOUS:
            return outcome
        settled = connector.reconcile(job, creds, media)
    except Refused as refused:
        return Outcome(D.FAILED, str(refused))
    except NotSent as not_sent:
        return Outcome(D.RETRYING, str(not_sent), retry_after=not_sent.retry_after)
    if settled is not None and settled.state in (D.SENT, D.FAILED):
        return settled
    later = f"; asking again did not settle it ({settled.reason})" if settled else ""
    return Outcome(
        D.UNCONFIRMED,
        f"{outcome.reason}{later}: check {job.platform.value} {job.handle}, then mark it done "
        "or retry (same key, no duplicate)",
    )


class Connectors:
    """The connectors of one pass, made when first needed (an HTTP client costs milliseconds to
    make; a pass with nothing due makes none) and kept for the pass (a server's limits are read
    once)."""

    def __init__(self, timeout: float):
        self.timeout = timeout
        self._http = None
        self._made: dict[str, object] = {}

    def __call__(self, kind: str):
        if kind not in self._made:
            if self._http is None:
                self._http = connectors.client(self.timeout)
            self._made[kind] = connectors.connector_for(kind, self._http)
        return self._made[kind]

    def close(self) -> None:
        if self._http is not None:
            self._http.close()


def deliver(
    actor: Actor,
    claimed: Claimed,
    owner: str,
    connector_of: Callable[[str], object],
    *,
    clock: Callable[[], datetime] = _now,
    credentials_path: Path | None = None,
) -> D:
    """Carry out one claimed delivery and record its outcome; returns its state."""
    try:
        job = load_job(claimed)
    except NotFound:
        return D.FAILED
    problem = local_problem(job)
    creds: dict[str, str] = {}
    if problem is None and job.connector != "manual":
        try:
            creds = for_channel(job.credentials_key, job.connector, credentials_path)
        except CredentialsRefused as refused:
            problem = str(refused)
    if problem is not None:
        return finish(actor, claimed, owner, Outcome(D.FAILED, problem), clock())
    connector = connector_of(job.connector)
    try:
        outcome = attempt(job, connector, creds)
    except Exception as error:  # a bug must not turn into a second post: a person checks
        outcome = Outcome(
            D.UNCONFIRMED,
            f"internal error ({type(error).__name__}: {error}); check the platform, then mark it "
            "done or retry",
        )
    return finish(actor, claimed, owner, outcome, clock())


def publish_due(
    actor: Actor,
    *,
    owner: str | None = None,
    clock: Callable[[], datetime] = _now,
    lease: timedelta = LEASE,
    timeout: float = 30.0,
    credentials_path: Path | None = None,
    stop: Callable[[], bool] = lambda: False,
    inbox: bool = True,
    counters: bool = True,
) -> PassReport:
    """One pass: every delivery due now, one claim at a time, until none is left (or `stop`);
    then the inbox replies due, and (with `inbox`) the channels whose inbox pull is due."""
    from ..inbox.runner import send_due_replies, sync_inboxes

    require(actor, Action.POST_PUBLISH)
    owner = owner or make_owner()
    started = time.perf_counter()
    report = PassReport()
    beat(actor, owner, clock())
    made = Connectors(timeout)
    try:
        while not stop():
            batch = claim(actor, owner, clock(), limit=1, lease=lease)
            if not batch:
                break
            for claimed in batch:
                state = deliver(
                    actor, claimed, owner, made, clock=clock, credentials_path=credentials_path
                )
                report.states[state.value] += 1
                if state in (D.FAILED, D.UNCONFIRMED):
                    report.trouble.append(delivery(actor, claimed.id))
        for state in send_due_replies(
            actor, owner, made, clock, credentials_path=credentials_path, stop=stop
        ):
            report.replies[state.value] += 1
        if inbox and not stop():
            report.inbox = sync_inboxes(
                actor, clock(), made, only_due=True, credentials_path=credentials_path
            )
        if counters and not stop():
            from ..metrics.counters import refresh_counters

            report.counters = refresh_counters(
                actor, clock(), made, only_due=True, credentials_path=credentials_path
            )
    finally:
        made.close()
    report.seconds = time.perf_counter() - started
    return report


def next_due(now: datetime) -> datetime | None:
    """When the next delivery or inbox reply comes due (None when nothing waits)."""
    from ..db.models import Reply

    states = [s.value for s in CLAIMABLE]
    with reading():
        found = [
            Variant.select(Variant.due_at)
            .where(Variant.due_at.is_null(False) & Variant.state.in_(states))
            .order_by(Variant.due_at)
            .scalar(),
            Reply.select(Reply.due_at)
            .where(Reply.due_at.is_null(False) & Reply.state.in_(states))
            .order_by(Reply.due_at)
            .scalar(),
        ]
    found = [f for f in found if f is not None]
    return min(found) if found else None


def run(
    actor: Actor,
    *,
    stop: Callable[[], bool],
    interval: float = 5.0,
    on_pass: Callable[[PassReport], None] = lambda report: None,
    **options,
) -> None:
    """Pass after pass until `stop()`: between passes, wake every `interval` seconds, when the next
    delivery comes due, or at once when another process changes the database."""
    owner = options.pop("owner", None) or make_owner()
    clock = options.get("clock", _now)
    try:
        while not stop():
            on_pass(publish_due(actor, owner=owner, stop=stop, **options))
            seen = data_version()
            wake = time.monotonic() + interval
            upcoming = next_due(clock())
            if upcoming is not None:
                wait = (upcoming - clock()).total_seconds()
                wake = min(wake, time.monotonic() + max(0.0, wait))
            while not stop() and time.monotonic() < wake:
                time.sleep(0.2)
                if data_version() != seen:
                    break
    finally:
        beat(actor, owner, clock(), stopped=True)


def beat(actor: Actor, owner: str, now: datetime, *, stopped: bool = False) -> None:
    """Write this scheduler's heartbeat."""
    with writing():
        changed = (
            SchedulerBeat.update(beat_at=now, stopped_at=now if stopped else None)
            .where(SchedulerBeat.owner == owner)
            .execute()
        )
        if not changed:
            SchedulerBeat.create(
                owner=owner,
                login=actor.login,
                host=socket.gethostname(),
                pid=os.getpid(),
                started_at=now,
                beat_at=now,
                stopped_at=now if stopped else None,
            )
        SchedulerBeat.delete().where(SchedulerBeat.beat_at < now - timedelta(days=7)).execute()


def scheduler_warning(now: datetime) -> str | None:
    """What the header says when deliveries are due and no scheduler has run lately."""
    with reading():
        due = (
            Variant.select()
            .where(
                (Variant.due_at <= now - timedelta(minutes=1))
                & Variant.state.in_([D.PENDING.value, D.RETRYING.value])
            )
            .exists()
        )
        if not due:
            return None
        last = (
            SchedulerBeat.select(SchedulerBeat.beat_at)
            .order_by(SchedulerBeat.beat_at.desc())
            .scalar()
        )
    if last is None:
        return "no scheduler has run yet"
    silent = now - last
    if silent <= SILENT_AFTER:
        return None
    minutes = int(silent.total_seconds() // 60)
    span = f"{minutes} min" if minutes < 120 else f"{minutes // 60} h"
    return f"no scheduler has run for {span}"
