"""The calendar's reads: posts by local day, +N more, notes, filters, cadence gaps, moving by days."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

import store
from store.calendar import CalendarFilter, cadence_gaps, calendar_days, day_posts, move_by_days

LONDON = ZoneInfo("Europe/London")
TODAY = date(2026, 11, 23)


def at(day: date, hour: int, minute: int = 0, zone=LONDON) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=zone)


def test_posts_land_on_their_local_day(team):
    # 23:30 in London on the 24th is already the 25th in Tokyo.
    team.draft("Late one", publish_at=at(date(2026, 11, 24), 23, 30))
    london = calendar_days(
        team.actor("ed"), date(2026, 11, 23), date(2026, 11, 27), "Europe/London", TODAY
    )
    tokyo = calendar_days(
        team.actor("ed"), date(2026, 11, 23), date(2026, 11, 27), "Asia/Tokyo", TODAY
    )
    assert [d.total for d in london] == [0, 1, 0, 0]
    assert [d.total for d in tokyo] == [0, 0, 1, 0]


def test_a_full_day_lists_the_first_posts_by_time_and_counts_the_rest(team):
    day = date(2026, 11, 26)
    for hour in (18, 9, 12, 15, 7):
        team.draft(f"At {hour}", publish_at=at(day, hour))
    (cell,) = calendar_days(
        team.actor("ed"), day, day + timedelta(days=1), "Europe/London", TODAY, per_day=3
    )
    assert [p.title for p in cell.posts] == ["At 7", "At 9", "At 12"]
    assert (cell.total, cell.more) == (5, 2)
    assert [p.title for p in day_posts(team.actor("ed"), day, "Europe/London")] == [
        "At 7",
        "At 9",
        "At 12",
        "At 15",
        "At 18",
    ]


def test_notes_cover_every_day_of_their_range(team):
    store.add_note(
        team.actor("ed"), "Black Friday", date(2026, 11, 27), team.now, ends_on=date(2026, 11, 30)
    )
    days = calendar_days(
        team.actor("ed"), date(2026, 11, 26), date(2026, 12, 2), "Europe/London", TODAY
    )
    assert [bool(d.notes) for d in days] == [False, True, True, True, True, False]


@pytest.mark.parametrize(
    ("where", "expected"),
    [
        (CalendarFilter(), ["Both", "Only X", "Mgr"]),
        (CalendarFilter(stages=(store.Stage.IN_REVIEW,)), ["Only X"]),
        (CalendarFilter(owner_logins=("mgr",)), ["Mgr"]),
        ("x-channel", ["Both", "Only X"]),
    ],
)
def test_filters(team, where, expected):
    day = date(2026, 11, 26)
    team.draft("Both", publish_at=at(day, 9))
    only_x = team.draft("Only X", publish_at=at(day, 10), channel_ids=[team.x])
    store.move(team.actor("ed"), only_x.id, "in_review", team.now)
    team.draft("Mgr", by="mgr", publish_at=at(day, 11), channel_ids=[team.bluesky])
    if where == "x-channel":
        where = CalendarFilter(channel_ids=(team.x,))
    titles = [p.title for p in day_posts(team.actor("ed"), day, "Europe/London", where=where)]
    assert titles == expected


def test_a_channel_with_a_cadence_shows_gaps_where_nothing_is_planned(team):
    # Instagram wants 3 a week: at most 3 days without a post.
    gaps = cadence_gaps(team.actor("ed"), TODAY, "Europe/London")
    first_gap_days = sorted(
        day for day, channels in gaps.items() if any(c.id == team.instagram for c in channels)
    )
    assert first_gap_days[0] == TODAY  # nothing in the past week either
    team.draft("Tue", publish_at=at(date(2026, 11, 24), 9), channel_ids=[team.instagram])
    team.draft("Thu", publish_at=at(date(2026, 11, 26), 9), channel_ids=[team.instagram])
    gaps = cadence_gaps(team.actor("ed"), TODAY, "Europe/London")
    flagged = sorted(
        day for day, channels in gaps.items() if any(c.id == team.instagram for c in channels)
    )
    assert flagged[:2] == [date(2026, 11, 23), date(2026, 11, 29)]
    assert date(2026, 11, 27) not in flagged and date(2026, 11, 28) not in flagged


def test_moving_by_a_day_keeps_the_local_time_across_a_clock_change(team):
    post = team.draft(publish_at=at(date(2026, 10, 24), 9), at=team.now - timedelta(days=40))
    moved = move_by_days(
        team.actor("ed"), post.id, 1, team.now - timedelta(days=40), "Europe/London"
    )
    assert moved.publish_at.astimezone(LONDON) == at(date(2026, 10, 25), 9)  # GMT now
    assert moved.version == post.version + 1


def test_a_published_post_cannot_move(team):
    pid = team.in_review().id
    store.approve(team.actor("rev"), pid, team.now)
    store.move(team.actor("ed"), pid, "scheduled", team.now)
    team.published(pid, team.now)
    with pytest.raises(store.InvalidTransition, match="is published; it cannot move"):
        move_by_days(team.actor("ed"), pid, 1, team.now, "Europe/London")


def test_a_scheduled_post_cannot_move_into_the_past(team):
    pid = team.in_review(publish_at=team.now + timedelta(hours=20)).id
    store.approve(team.actor("rev"), pid, team.now)
    store.move(team.actor("ed"), pid, "scheduled", team.now)
    with pytest.raises(store.ValidationError, match="into the past"):
        move_by_days(team.actor("ed"), pid, -1, team.now, "Europe/London")


def test_moving_is_an_edit_reviewers_may_not_make(team):
    post = team.draft()
    with pytest.raises(store.PermissionDenied):
        move_by_days(team.actor("rev"), post.id, 1, team.now, "Europe/London")


def test_the_month_query_uses_the_publish_time_index(team):
    from store.db import database

    plan = database.execute_sql(
        "EXPLAIN QUERY PLAN SELECT id, publish_at FROM post "
        "WHERE publish_at >= '2026-11-01' AND publish_at < '2026-12-07' ORDER BY publish_at, id"
    ).fetchall()
    assert "USING COVERING INDEX post_publish_at_id" in " ".join(row[3] for row in plan)


def test_the_calendar_marks_a_post_whose_time_came_with_what_its_deliveries_need(team):
    from datetime import timedelta

    from store.domain import DeliveryState

    at = team.now
    post = store.create_post(
        team.actor("ed"),
        team.brand,
        "By hand",
        at,
        caption="Hi",
        channel_ids=[team.instagram],
        publish_at=at + timedelta(minutes=1),
    )
    store.move(team.actor("ed"), post.id, "in_review", at)
    store.approve(team.actor("rev"), post.id, at)
    store.move(team.actor("ed"), post.id, "scheduled", at)
    later = at + timedelta(minutes=2)
    day = later.date()
    (before,) = store.calendar_days(team.actor("ed"), day, day + timedelta(days=1), "UTC", day)
    assert before.delivery_of(post.id) is None
    store.publish_due(team.actor("root"), clock=lambda: later)
    (after,) = store.calendar_days(team.actor("ed"), day, day + timedelta(days=1), "UTC", day)
    assert after.delivery_of(post.id) is DeliveryState.MANUAL
