"""A period as people write it: `Nd` up to now, or two dates as whole days in their timezone
(both ends included), at most a year; anything else refused in words; earlier periods keep
whole local days across a clock change."""

from datetime import UTC, date, datetime, timedelta

import pytest

from store.metrics import PeriodError, parse_period

NOW = datetime(2026, 11, 23, 10, 30, tzinfo=UTC)


def test_days_up_to_now():
    period = parse_period(" 30d ", NOW, "Europe/Paris")
    assert (period.start, period.end, period.days) == (NOW - timedelta(days=30), NOW, 30)
    earlier = period.shifted(1, "Europe/Paris")
    assert (earlier.start, earlier.end) == (NOW - timedelta(days=60), NOW - timedelta(days=30))


def test_dates_are_whole_local_days_with_both_ends():
    period = parse_period("2026-10-01..2026-10-31", NOW, "Europe/Paris")
    # Paris is UTC+2 in October (summer time) …
    assert period.start == datetime(2026, 9, 30, 22, tzinfo=UTC)
    # … and UTC+1 from 25 October: the end is midnight of 1 November, Paris time.
    assert period.end == datetime(2026, 10, 31, 23, tzinfo=UTC)
    assert (period.first, period.last, period.days) == (date(2026, 10, 1), date(2026, 10, 31), 31)


def test_the_period_before_a_date_range_is_as_many_whole_days():
    period = parse_period("2026-10-25..2026-10-31", NOW, "Europe/Paris")
    earlier = period.shifted(1, "Europe/Paris")
    assert (earlier.first, earlier.last) == (date(2026, 10, 18), date(2026, 10, 24))
    assert earlier.start == datetime(2026, 10, 17, 22, tzinfo=UTC)  # summer time still
    assert earlier.end == period.start  # no gap, no overlap across the clock change
    later = period.shifted(-1, "Europe/Paris")
    assert (later.first, later.last) == (date(2026, 11, 1), date(2026, 11, 7))


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("month", "is not a period: write a number of days (30d) or two dates"),
        ("0d", "a period is 1 to 366 days"),
        ("367d", "a period is 1 to 366 days"),
        ("2026-10-31..2026-10-01", "the last day, 2026-10-01, is before the first, 2026-10-31"),
        ("2026-02-30..2026-03-01", "day is out of range for month"),
        ("2025-01-01..2026-01-02", "a period is at most 366 days"),
        ("2026-10-01", "is not a period"),
    ],
)
def test_what_is_not_a_period_is_said(text, words):
    with pytest.raises(PeriodError) as refused:
        parse_period(text, NOW, "UTC")
    assert words in str(refused.value)
