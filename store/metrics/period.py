"""Which stretch of time a figure covers, as people write it: `30d` (the 30 days up to now) or
`2026-10-01..2026-10-31` (whole days in the reader's timezone, both ends included, as Sprout's
custom range is). The screen's custom period and `postroom report --period` read the same way."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

#: The longest period a figure is asked for (a year, leap day included).
LONGEST = 366

_DAYS = re.compile(r"^(\d{1,4})\s*d$")
_RANGE = re.compile(r"^(\d{4}-\d{2}-\d{2})\s*\.\.\s*(\d{4}-\d{2}-\d{2})$")


class PeriodError(ValueError):
    """A period that cannot be read, with what was wrong in words."""


@dataclass(frozen=True)
class Period:
    """[start, end) in UTC; `first` and `last` are the days named when it was written as dates."""

    start: datetime
    end: datetime
    first: date | None = None
    last: date | None = None

    @property
    def days(self) -> int:
        if self.first is not None and self.last is not None:
            return (self.last - self.first).days + 1
        return round((self.end - self.start) / timedelta(days=1))

    def shifted(self, periods: int, zone: str) -> Period:
        """The period `periods` lengths earlier (negative: later); dates stay whole local days."""
        if self.first is None or self.last is None:
            step = (self.end - self.start) * periods
            return Period(self.start - step, self.end - step)
        step = timedelta(days=self.days * periods)
        return local_days(self.first - step, self.last - step, zone)


def local_days(first: date, last: date, zone: str) -> Period:
    """From the start of `first` to the end of `last`, in `zone`."""
    tz = ZoneInfo(zone or "UTC")
    start = datetime.combine(first, time(), tzinfo=tz)
    end = datetime.combine(last + timedelta(days=1), time(), tzinfo=tz)
    return Period(start.astimezone(ZoneInfo("UTC")), end.astimezone(ZoneInfo("UTC")), first, last)


def parse_period(text: str, now: datetime, zone: str) -> Period:
    """`Nd` or `FIRST..LAST` (ISO dates); a PeriodError says what was wrong."""
    written = text.strip()
    days = _DAYS.match(written)
    if days:
        count = int(days[1])
        if not 1 <= count <= LONGEST:
            raise PeriodError(f"{written!r}: a period is 1 to {LONGEST} days")
        return Period(now - timedelta(days=count), now)
    dates = _RANGE.match(written)
    if not dates:
        raise PeriodError(
            f"{written!r} is not a period: write a number of days (30d) "
            "or two dates (2026-10-01..2026-10-31)"
        )
    try:
        first, last = date.fromisoformat(dates[1]), date.fromisoformat(dates[2])
    except ValueError as error:
        raise PeriodError(f"{written!r}: {error}") from None
    if last < first:
        raise PeriodError(f"{written!r}: the last day, {last}, is before the first, {first}")
    if (last - first).days + 1 > LONGEST:
        raise PeriodError(f"{written!r}: a period is at most {LONGEST} days")
    return local_days(first, last, zone)
