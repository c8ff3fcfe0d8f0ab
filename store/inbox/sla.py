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
