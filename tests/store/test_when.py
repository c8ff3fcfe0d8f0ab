"""Reading the times people type, in their own timezone."""

from datetime import UTC, date, datetime

import pytest

import store
from store.when import describe, parse_day, parse_when

MONDAY_NOON = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)
LONDON = "Europe/London"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-12-01 09:30", datetime(2026, 12, 1, 9, 30, tzinfo=UTC)),
        ("tomorrow 9:00", datetime(2026, 11, 24, 9, 0, tzinfo=UTC)),
        ("fri 17:00", datetime(2026, 11, 27, 17, 0, tzinfo=UTC)),
        ("friday", datetime(2026, 11, 27, 9, 0, tzinfo=UTC)),
        ("mon 9:00", datetime(2026, 11, 30, 9, 0, tzinfo=UTC)),  # this Monday's 9:00 has passed
        ("mon 13:00", datetime(2026, 11, 23, 13, 0, tzinfo=UTC)),
        ("+2d", datetime(2026, 11, 25, 12, 0, tzinfo=UTC)),
        ("+3h", datetime(2026, 11, 23, 15, 0, tzinfo=UTC)),
        ("5pm", datetime(2026, 11, 23, 17, 0, tzinfo=UTC)),
        ("9am", datetime(2026, 11, 24, 9, 0, tzinfo=UTC)),  # passed today, so tomorrow
        ("2026-12-01T09:30+01:00", datetime(2026, 12, 1, 8, 30, tzinfo=UTC)),
    ],
)
def test_forms_people_type(text, expected):
    assert parse_when(text, MONDAY_NOON, LONDON) == expected


def test_times_are_read_in_the_users_timezone():
    assert parse_when("2026-07-01 09:30", MONDAY_NOON, LONDON) == datetime(
        2026, 7, 1, 8, 30, tzinfo=UTC
    )
    assert parse_when("2026-12-01 09:30", MONDAY_NOON, "Asia/Tokyo") == datetime(
        2026, 12, 1, 0, 30, tzinfo=UTC
    )


@pytest.mark.parametrize("text", ["", "blah", "2026-13-01 10:00", "25:00", "tomorrow 9:61", "13pm"])
def test_nonsense_is_refused_with_the_field_and_a_hint(text):
    with pytest.raises(store.ValidationError) as refused:
        parse_when(text, MONDAY_NOON, LONDON, field="publish_at")
    assert refused.value.field == "publish_at"


def test_days():
    today = date(2026, 11, 23)
    assert parse_day("today", today) == today
    assert parse_day("+3d", today) == date(2026, 11, 26)
    assert parse_day("fri", today) == date(2026, 11, 27)
    assert parse_day("2026-12-25", today) == date(2026, 12, 25)


def test_describe_says_it_back_in_words():
    moment = datetime(2026, 12, 1, 9, 30, tzinfo=UTC)
    assert (
        describe(moment, LONDON, MONDAY_NOON) == "Tue 1 Dec 2026, 09:30 Europe/London (in 7 days)"
    )
