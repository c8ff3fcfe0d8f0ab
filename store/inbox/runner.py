"""The scheduler's inbox work: send the replies that are due (exactly once, like deliveries) and
pull each connected channel's new messages on its own clock (`inbox_every_minutes`)."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

from ..db import reading, writing
from ..db.models import Brand, Channel
from ..domain import Actor, DeliveryState
from ..errors import NotFound
from ..permissions import Action, require
from ..publishing.connectors import AMBIGUOUS, NotSent, Refused
from ..publishing.credentials import CredentialsRefused, channel_key, for_channel
from ..publishing.deliveries import Claimed, Outcome
from .ingest import ingest
from .model import IngestReport
from .outbox import claim_replies, finish_reply, load_reply_job

D = DeliveryState
#: Connectors that can read an inbox and send replies.
READS = ("mastodon", "bluesky")


def deliver_reply(
    actor: Actor,
    claimed: Claimed,
    owner: str,
    connector_of: Callable[[str], object],
    now: Callable[[], datetime],
    credentials_path: Path | None = None,
) -> D:
    """Carry out one claimed reply and record its outcome."""
    try:
        job = load_reply_job(claimed)
    except NotFound:
        return D.FAILED
    if job.connector not in READS:
        outcome = Outcome(D.FAILED, f"{job.connector} channels cannot send replies: answer by hand")
        return finish_reply(actor, claimed, owner, outcome, now())
    try:
        creds = for_channel(job.credentials_key, job.connector, credentials_path)
    except CredentialsRefused as refused:
        return finish_reply(actor, claimed, owner, Outcome(D.FAILED, str(refused)), now())
    connector = connector_of(job.connector)
    try:
        outcome = connector.reply(job, creds)
        if outcome.state is AMBIGUOUS:
            settled = connector.reply(job, creds)  # the same key: the first reply, or this one
            if settled.state in (D.SENT, D.FAILED):
                outcome = settled
            else:
                outcome = Outcome(
                    D.UNCONFIRMED,
                    f"{outcome.reason}; asking again did not settle it ({settled.reason}): check "
                    f"{job.platform.value} {job.handle}, then mark it done or retry",
                )
    except Exception as error:  # never a second answer because of a bug: a person checks
        outcome = Outcome(
            D.UNCONFIRMED, f"internal error ({type(error).__name__}: {error}); check by hand"
        )
    return finish_reply(actor, claimed, owner, outcome, now())


def send_due_replies(
    actor: Actor,
    owner: str,
    connector_of,
    now: Callable[[], datetime],
    *,
    credentials_path: Path | None = None,
    stop: Callable[[], bool] = lambda: False,
) -> list[D]:
    """Every reply due now, one claim at a time."""
    states = []
    while not stop():
        batch = claim_replies(actor, owner, now())
        if not batch:
            break
        for claimed in batch:
            states.append(deliver_reply(actor, claimed, owner, connector_of, now, credentials_path))
    return states


@dataclass
class SyncReport:
    """What a pull of the inboxes did, per channel (a report, or the reason it failed)."""

    channels: dict[str, IngestReport | str] = field(default_factory=dict)

    @property
    def added(self) -> int:
        return sum(r.added for r in self.channels.values() if isinstance(r, IngestReport))

    @property
    def failed(self) -> list[str]:
        return [f"{name}: {r}" for name, r in self.channels.items() if isinstance(r, str)]


def sync_channel(
    actor: Actor, channel_id: int, now: datetime, connector_of, credentials_path=None
) -> IngestReport:
    """Pull one channel's new messages once and file them; the cursor moves only after."""
    with reading():
        channel = Channel.get_or_none(Channel.id == channel_id)
        if channel is None:
            raise NotFound(f"no channel #{channel_id}")
        require(actor, Action.INBOX_VIEW, channel.brand_id)
        brand = Brand.get_by_id(channel.brand_id)
        cursor = json.loads(channel.inbox_cursor or "{}")
    if channel.connector not in READS:
        raise Refused(
            f"{channel.platform} {channel.handle} has no inbox to pull here ({channel.connector}): "
            "use postroom inbox import"
        )
    creds = for_channel(
        channel_key(brand.slug, channel.platform, channel.handle),
        channel.connector,
        credentials_path,
    )
    items, cursor = connector_of(channel.connector).inbox(creds, cursor)
    report = ingest(actor.login, channel.id, items, now)
    with writing():
        Channel.update(inbox_cursor=json.dumps(cursor), inbox_synced_at=now).where(
            Channel.id == channel.id
        ).execute()
    return report


def sync_inboxes(
    actor: Actor,
    now: datetime,
    connector_of,
    *,
    channel_id: int | None = None,
    only_due: bool = False,
    credentials_path: Path | None = None,
) -> SyncReport:
    """Pull every connected channel (or one); `only_due` skips channels pulled less than their
    `inbox_every_minutes` ago (the scheduler's clock)."""
    with reading():
        query = Channel.select().where(Channel.connector.in_(READS) & (Channel.active == 1))
        if channel_id is not None:
            query = Channel.select().where(Channel.id == channel_id)
        channels = list(query.order_by(Channel.id))
    report = SyncReport()
    for channel in channels:
        every = timedelta(minutes=channel.inbox_every_minutes)
        if (
            only_due
            and channel.inbox_synced_at is not None
            and now - channel.inbox_synced_at < every
        ):
            continue
        name = f"{channel.platform} {channel.handle}"
        try:
            report.channels[name] = sync_channel(
                actor, channel.id, now, connector_of, credentials_path
            )
        except (NotSent, Refused, CredentialsRefused) as error:
            report.channels[name] = str(error)
    return report


def sync(
    actor: Actor,
    now: datetime,
    *,
    channel_id: int | None = None,
    timeout: float = 30.0,
    credentials_path: Path | None = None,
) -> SyncReport:
    """`postroom inbox sync`: pull every connected channel (or one) once, now."""
    from ..publishing import connectors

    http = connectors.client(timeout)
    made: dict[str, object] = {}

    def connector_of(kind: str):
        if kind not in made:
            made[kind] = connectors.connector_for(kind, http)
        return made[kind]

    try:
        return sync_inboxes(
            actor, now, connector_of, channel_id=channel_id, credentials_path=credentials_path
        )
    finally:
        http.close()


#: How often a channel's inbox may be pulled, in minutes (a minute to a day).
EVERY_RANGE = (1, 24 * 60)


def set_pull_interval(actor: Actor, channel_id: int, minutes: int, now: datetime) -> int:
    """How often the scheduler pulls a channel's inbox (managers and admins); returns it."""
    from .. import audit
    from ..errors import ValidationError

    low, high = EVERY_RANGE
    if not low <= minutes <= high:
        raise ValidationError("minutes", f"between {low} and {high} (a day)")
    with writing():
        channel = Channel.get_or_none(Channel.id == channel_id)
        if channel is None:
            raise NotFound(f"no channel #{channel_id}")
        require(actor, Action.INBOX_ASSIGN, channel.brand_id)
        before = channel.inbox_every_minutes
        Channel.update(inbox_every_minutes=minutes).where(Channel.id == channel_id).execute()
        audit.record(
            actor.login,
            "channel.inbox_every",
            "channel",
            channel_id,
            {"from": before, "to": minutes},
            now,
        )
    return minutes


def pull_interval(channel_id: int) -> int:
    """How often the scheduler pulls a channel's inbox, in minutes."""
    with reading():
        channel = Channel.get_or_none(Channel.id == channel_id)
        if channel is None:
            raise NotFound(f"no channel #{channel_id}")
        return channel.inbox_every_minutes
