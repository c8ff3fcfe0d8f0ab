"""Messages in, idempotently: a message is unique per (channel, remote id), so syncing or
importing twice adds nothing. Each new message is cleaned (the text gate of the fields), linked to
the delivery it answers, filed into its thread, labelled by the brand's rules and given the time
its first response is due. A later message from the same person in a thread already in the queue
folds into that thread's head, which goes back to new (Hootsuite Inbox's rule)."""

from __future__ import annotations

from datetime import datetime

from .. import audit, changes
from ..changes import Kind
from ..db import writing
from ..db.models import Brand, Channel, InboxLabel, InboxMessage, Reply, Variant
from ..domain import InboxKind, InboxStatus
from ..errors import NotFound, ValidationError
from ..text import clean
from .labels import labels_for, rules_for
from .model import Incoming, IngestReport
from .sla import due_by

S = InboxStatus
#: The longest body kept; the rest is cut with a mark (a platform's own limits are far lower).
MAX_BODY = 10_000


def _cut(text: str | None, limit: int = 255) -> str | None:
    return None if text is None else clean(text)[:limit]


def ingest(
    login: str, channel_id: int, items: list[Incoming], now: datetime, *, source: str = "sync"
) -> IngestReport:
    """File `items` for one channel in one transaction; returns what was added."""
    report = IngestReport()
    with writing():
        channel = Channel.get_or_none(Channel.id == channel_id)
        if channel is None:
            raise NotFound(f"no channel #{channel_id}")
        brand = Brand.get_by_id(channel.brand_id)
        rules = rules_for(brand.id)
        for item in sorted(items, key=lambda i: (i.received_at, i.remote_id)):
            _one(channel, brand, rules, item, now, report)
        if report.added:
            audit.record(
                login,
                f"inbox.{source}",
                "inbox",
                None,
                {"channel": channel.id, "added": report.added, "folded": report.folded},
                now,
            )
    return report


def _one(channel, brand, rules, item: Incoming, now: datetime, report: IngestReport) -> None:
    remote_id = _cut(item.remote_id)
    if not remote_id:
        raise ValidationError("remote_id", "every message needs the id its platform gave it")
    known = InboxMessage.get_or_none(
        (InboxMessage.channel == channel.id) & (InboxMessage.remote_id == remote_id)
    )
    if known is not None:
        report.known += 1
        return
    kind = InboxKind(item.kind)
    handle = _cut(item.author_handle) or "?"
    body = clean(item.body or "", lines=True)
    if len(body) > MAX_BODY:
        body = body[: MAX_BODY - 1] + "…"
    received = item.received_at.replace(microsecond=0)
    parent_refs = [r for r in (_cut(item.in_reply_to), _cut(item.root)) if r]
    variant_id, thread = _link(channel.id, parent_refs)
    thread = _cut(item.thread) or thread or (parent_refs[-1] if parent_refs else remote_id)
    if variant_id is not None:
        report.linked += 1
    head = (
        InboxMessage.select()
        .where(
            (InboxMessage.channel == channel.id)
            & (InboxMessage.thread_key == thread)
            & (InboxMessage.author_handle == handle)
            & InboxMessage.head.is_null()
        )
        .order_by(InboxMessage.id.desc())
        .first()
    )
    labels = labels_for(body, rules)
    row = InboxMessage.create(
        brand=brand.id,
        channel=channel.id,
        variant=variant_id if variant_id is not None else (head.variant_id if head else None),
        kind=kind.value,
        author_handle=handle,
        author_name=_cut(item.author_name) or "",
        body=body,
        received_at=received,
        last_at=received,
        status=S.NEW.value,
        remote_id=remote_id,
        remote_url=_cut(item.remote_url),
        in_reply_to=_cut(item.in_reply_to),
        thread_key=thread,
        head=head.id if head else None,
        sla_due_at=None if head else due_by(received, brand.sla_hours, brand.timezone),
        labels=", ".join(labels),
    )
    for label in labels:
        InboxLabel.create(message=row.id, label=label, automatic=True)
    report.added += 1
    report.ids.append(row.id)
    changes.record(Kind.INBOX, row.id)
    if head is not None:
        report.folded += 1
        _reopen(head, received, brand, labels)


def _reopen(head: InboxMessage, at: datetime, brand, labels: list[str]) -> None:
    """The person wrote again in a thread the queue holds: it needs someone again."""
    values = {
        InboxMessage.last_at: max(head.last_at or at, at),
        InboxMessage.version: InboxMessage.version + 1,
    }
    if head.status != S.NEW:
        values[InboxMessage.status] = S.NEW.value
        values[InboxMessage.sla_due_at] = due_by(at, brand.sla_hours, brand.timezone)
    have = {
        label
        for (label,) in InboxLabel.select(InboxLabel.label)
        .where(InboxLabel.message == head.id)
        .tuples()
    }
    added = [label for label in labels if label not in have]
    for label in added:
        InboxLabel.create(message=head.id, label=label, automatic=True)
    if added:
        values[InboxMessage.labels] = ", ".join(
            [*(head.labels.split(", ") if head.labels else []), *added]
        )[:255]
    InboxMessage.update(values).where(InboxMessage.id == head.id).execute()
    changes.record(Kind.INBOX, head.id)


def _link(channel_id: int, refs: list[str]) -> tuple[int | None, str | None]:
    """The delivery a message answers and the thread it belongs to, from what it replies to: one
    of our posts on this channel, a message already in, or one of our replies."""
    if not refs:
        return None, None
    variant = (
        Variant.select(Variant.id, Variant.remote_id)
        .where((Variant.channel == channel_id) & Variant.remote_id.in_(refs))
        .first()
    )
    parent = (
        InboxMessage.select(InboxMessage.variant, InboxMessage.thread_key)
        .where((InboxMessage.channel == channel_id) & InboxMessage.remote_id.in_(refs))
        .first()
    )
    if parent is None:
        answered = Reply.select(Reply.message).where(Reply.remote_id.in_(refs)).first()
        if answered is not None:
            parent = InboxMessage.get_or_none(InboxMessage.id == answered.message_id)
    if variant is not None:
        return variant.id, parent.thread_key if parent else variant.remote_id
    if parent is not None:
        return parent.variant_id, parent.thread_key
    return None, None
