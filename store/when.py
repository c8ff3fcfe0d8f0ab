"""Reading the times people type (`2026-12-01 09:30`, `tomorrow 9:00`, `fri 17:00`, `+2d`) and saying them back."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from .errors import ValidationError

_WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_HINT = "try 2026-12-01 09:30, tomorrow 9:00, fri 17:00, +2d or +30min"
_TIME = re.compile(r"^(\d{1,2})(?::(\d{2}))?\s*(am|pm)?$")
_OFFSET = re.compile(r"^\+(\d{1,4})\s*(min|m|d|h|w)$")
_DEFAULT_TIME = time(9, 0)


#: Moments are planned within these years (a day either side stays representable).
FIRST_YEAR, LAST_YEAR = 1970, 9998


def parse_when(text: str, now: datetime, timezone: str, *, field: str = "publish_at") -> datetime:
    """The moment `text` names, read in `timezone`, as an aware UTC datetime."""
    try:
        moment = _parse_when(text, now, timezone, field)
    except OverflowError:
        moment = None
    if moment is None or not FIRST_YEAR <= moment.year <= LAST_YEAR:
        raise ValidationError(
            field,
            f"{text.strip()!r} is outside {FIRST_YEAR}–{LAST_YEAR}, the years Postroom plans in",
        )
    return moment


def day_bounds(
    first: date | None, last: date | None, timezone: str
) -> tuple[datetime | None, datetime | None]:
    """From the start of `first` to the end of `last`, local days in `timezone`; a bound past
    what a datetime can hold is left open (None), as a day at the end of time means no end."""
    zone = ZoneInfo(timezone)

    def midnight(day: date | None, days: int = 0) -> datetime | None:
        if day is None:
            return None
        try:
            return datetime.combine(day + timedelta(days=days), time(), zone).astimezone(UTC)
        except OverflowError:
            return None

    return midnight(first), midnight(last, 1)


def _parse_when(text: str, now: datetime, timezone: str, field: str) -> datetime:
    zone = ZoneInfo(timezone)
    local_now = now.astimezone(zone)
    words = " ".join(text.strip().lower().split())
    if not words:
        raise ValidationError(field, f"empty; {_HINT}")
    offset = _OFFSET.match(words)
    if offset:
        amount, unit = int(offset.group(1)), offset.group(2)
        delta = {
            "min": timedelta(minutes=amount),
            "m": timedelta(minutes=amount),
            "d": timedelta(days=amount),
            "h": timedelta(hours=amount),
            "w": timedelta(weeks=amount),
        }[unit]
        if unit in ("min", "m"):
            return (now + delta).replace(microsecond=0).astimezone(UTC)
        return (now + delta).replace(second=0, microsecond=0).astimezone(UTC)
    if re.match(r"^\d{4}-\d{2}-\d{2}[ t]\d", words):
        try:
            moment = datetime.fromisoformat(text.strip())
        except ValueError:
            raise ValidationError(field, f"could not read {text.strip()!r}; {_HINT}") from None
        return (moment if moment.tzinfo else moment.replace(tzinfo=zone)).astimezone(UTC)
    if _TIME.match(words):
        day_word, time_word = "today", words
    else:
        day_word, _, time_word = words.partition(" ")
    day = _read_day(day_word, local_now.date(), field)
    clock = _read_time(time_word, field) if time_word else _DEFAULT_TIME
    moment = datetime.combine(day, clock, zone)
    if moment <= local_now and (
        _is_weekday(day_word) or (day_word == "today" and not words.startswith("today"))
    ):
        # "fri 17:00" on a Friday evening, or a bare "5pm" that has passed, means the next one.
        moment += timedelta(days=7 if _is_weekday(day_word) else 1)
    return moment.astimezone(UTC)


def parse_day(text: str, today: date, *, field: str = "date") -> date:
    """A calendar day from `2026-12-01`, `today`, `tomorrow`, `fri` or `+3d`."""
    words = text.strip().lower()
    offset = re.match(r"^\+(\d{1,3})\s*d$", words)
    if offset:
        try:
            return today + timedelta(days=int(offset.group(1)))
        except OverflowError:
            raise ValidationError(
                field, f"{text.strip()!r} is past the last day there is"
            ) from None
    return _read_day(words, today, field)


def describe(moment: datetime, timezone: str, now: datetime) -> str:
    """A moment in words for the user's timezone: `Tue 1 Dec 2026, 09:30 Europe/London (in 8 days)`."""
    local = moment.astimezone(ZoneInfo(timezone))
    text = f"{local:%a} {local.day} {local:%b %Y, %H:%M} {timezone}"
    return f"{text} ({_relative(moment - now)})"


def _relative(delta: timedelta) -> str:
    seconds = delta.total_seconds()
    ahead = seconds >= 0
    seconds = abs(seconds)
    if seconds < 3600:
        amount = f"{int(seconds // 60)} min"
    elif seconds < 2 * 86400:
        amount = f"{int(seconds // 3600)} h"
    else:
        amount = f"{int(seconds // 86400)} days"
    return f"in {amount}" if ahead else f"{amount} ago"


def _is_weekday(word: str) -> bool:
    names = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
    return word in names or word in _WEEKDAYS


def _read_day(word: str, today: date, field: str) -> date:
    if word == "today":
        return today
    if word == "tomorrow":
        return today + timedelta(days=1)
    if _is_weekday(word):
        target = _WEEKDAYS.index(word[:3])
        return today + timedelta(days=(target - today.weekday()) % 7)
    try:
        return date.fromisoformat(word)
    except ValueError:
        raise ValidationError(field, f"could not read {word!r} as a day; {_HINT}") from None


def _read_time(word: str, field: str) -> time:
    match = _TIME.match(word.replace(".", ":"))
    if not match:
        raise ValidationError(field, f"could not read {word!r} as a time of day; {_HINT}")
    hour, minute, half = int(match.group(1)), int(match.group(2) or 0), match.group(3)
    if half:
        if not 1 <= hour <= 12:
            raise ValidationError(field, f"{word!r}: with am/pm the hour is 1 to 12")
        hour = hour % 12 + (12 if half == "pm" else 0)
    if hour > 23 or minute > 59:
        raise ValidationError(field, f"{word!r} is not a time of day")
    return time(hour, minute)
