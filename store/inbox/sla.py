"""The inbox's first-response target, counted in business hours: Monday to Friday, 09:00 to
17:00 in the brand's time zone (a message that lands on Saturday is due on Monday)."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

OPENS, CLOSES = time(9, 0), time(17, 0)
WORKDAYS = frozenset(range(5))  # Monday … Friday


def _zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name or "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def due_by(received: datetime, hours: float, zone: str = "UTC") -> datetime:
    """When a first response to a message received at `received` is due: `hours` business hours
    later (UTC, to the second)."""
    tz = _zone(zone)
    local = received.astimezone(tz)
    left = timedelta(hours=hours)
    while True:
        day = local.date()
        opens = datetime.combine(day, OPENS, tz)
        closes = datetime.combine(day, CLOSES, tz)
        if day.weekday() not in WORKDAYS or local >= closes:
            local = datetime.combine(day + timedelta(days=1), OPENS, tz)
            continue
        if local < opens:
            local = opens
        room = closes - local
        if left <= room:
            return (local + left).astimezone(UTC).replace(microsecond=0)
        left -= room
        local = datetime.combine(day + timedelta(days=1), OPENS, tz)


def overdue_by(due: datetime | None, now: datetime) -> timedelta | None:
    """How long past due a message is (None when it is not)."""
    if due is None or now <= due:
        return None
    return now - due


#: What a brand's first-response target may be, in business hours.
HOURS_RANGE = (1, 80)


def brand_sla(brand_id: int) -> tuple[int, str]:
    """A brand's first-response target (business hours) and the time zone its hours are in."""
    from ..db import reading
    from ..db.models import Brand

    with reading():
        brand = Brand.get_by_id(brand_id)
        return int(brand.sla_hours), brand.timezone or "UTC"


def set_sla(
    actor, brand_id: int, now: datetime, *, hours: int | None = None, timezone: str | None = None
) -> tuple[int, str, int]:
    """Change a brand's first-response target and/or the time zone of its business hours
    (admins). The due time of every message still new is counted again from when it arrived.
    Returns (hours, zone, messages given a new due time)."""
    from .. import audit, changes
    from ..changes import Kind
    from ..db import writing
    from ..db.models import Brand, InboxMessage
    from ..errors import NotFound, ValidationError
    from ..permissions import Action, require

    require(actor, Action.POLICY_EDIT)
    low, high = HOURS_RANGE
    if hours is not None and not low <= hours <= high:
        raise ValidationError("hours", f"between {low} and {high} business hours")
    if timezone is not None:
        try:
            ZoneInfo(timezone)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValidationError(
                "timezone", f"{timezone!r} is not a time zone (e.g. Europe/London)"
            ) from None
    with writing():
        brand = Brand.get_or_none(Brand.id == brand_id)
        if brand is None:
            raise NotFound(f"no brand #{brand_id}")
        before = {"hours": int(brand.sla_hours), "timezone": brand.timezone}
        if hours is not None:
            brand.sla_hours = hours
        if timezone is not None:
            brand.timezone = timezone
        brand.save()
        zone = brand.timezone or "UTC"
        moved = 0
        rows = (
            InboxMessage.select(InboxMessage.id, InboxMessage.received_at)
            .where(
                (InboxMessage.brand == brand_id)
                & (InboxMessage.status == "new")
                & InboxMessage.head.is_null()
            )
            .tuples()
        )
        for message_id, received in list(rows):
            due = due_by(received, int(brand.sla_hours), zone)
            InboxMessage.update(sla_due_at=due).where(InboxMessage.id == message_id).execute()
            moved += 1
        if moved:
            changes.record(Kind.INBOX, None)
        audit.record(
            actor.login,
            "brand.sla",
            "brand",
            brand.id,
            {"from": before, "to": {"hours": int(brand.sla_hours), "timezone": zone}},
            now,
        )
    return int(brand.sla_hours), zone, moved
