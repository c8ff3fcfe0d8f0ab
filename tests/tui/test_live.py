"""Working with others: changes from another process appear without a keypress, and the calendar
reloads only for changes it shows."""

import subprocess
import sys
import textwrap
import time
from datetime import date, timedelta

import store
from store import CalendarFilter, Change, ChangeBatch, Kind, Stage
from tui.widgets.month_grid import MonthGrid

from .conftest import open_store, settle, wait_for

ADD_POST = textwrap.dedent(
    """
    import sys
    from datetime import UTC, datetime
    import store
    store.open_database(sys.argv[1])
    maya = store.actor_for("maya")
    brand = store.find_brand(maya, "acme-coffee").id
    store.create_post(maya, brand, "From another terminal", datetime(2026, 11, 23, 10, tzinfo=UTC),
                      publish_at=datetime(2026, 11, 24, 10, 0, tzinfo=UTC))
    """
)

RETITLE = textwrap.dedent(
    """
    import sys
    from datetime import UTC, datetime
    import store
    store.open_database(sys.argv[1])
    ines = store.actor_for("ines")
    store.edit_post(ines, int(sys.argv[2]), datetime(2026, 11, 23, 10, tzinfo=UTC),
                    title="Retitled elsewhere")
    """
)


def drawn(screen) -> str:
    grid = screen.query_one(MonthGrid)
    return "\n".join(grid.render_line(y).text for y in range(grid.size.height))


def batch(*changes: tuple[Kind, int | None, str]) -> ChangeBatch:
    return ChangeBatch(
        tuple(
            Change(n, kind, entity, frozenset(fields.split(",")))
            for n, (kind, entity, fields) in enumerate(changes, 1)
        ),
        len(changes),
    )


async def test_a_post_added_by_another_process_appears_within_two_seconds(make_app, team_db):
    app = make_app(watch=True)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("right")  # select the 24th; the selection must survive the refresh
        await settle(pilot)
        subprocess.run([sys.executable, "-c", ADD_POST, team_db], check=True)
        written = time.monotonic()
        seen = None
        while time.monotonic() - written < 2.0:
            await pilot.pause(0.05)
            day = next(d for d in app.screen.days if d.day == date(2026, 11, 24))
            if any(p.title == "From another terminal" for p in day.posts):
                seen = time.monotonic() - written
                break
        assert seen is not None, "the new post did not appear within 2 s"
        await settle(pilot)
        assert "From an" in drawn(app.screen)  # its title, cut to the cell
        assert app.screen.selected == date(2026, 11, 24)
        assert app.screen.query_one(MonthGrid).selected == date(2026, 11, 24)


async def test_a_post_off_the_grid_changed_elsewhere_does_not_reload_the_calendar(
    make_app, team_db
):
    app = make_app(watch=True)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = app.screen
        actor = open_store(team_db)
        after_the_grid = [date(2026, 12, 7) + timedelta(days=n) for n in range(60)]
        off_grid = next(
            p.id
            for day in after_the_grid
            for p in store.day_posts(actor, day, "Europe/London")
            if p.stage is not Stage.PUBLISHED
        )
        reloads = screen.reloads
        subprocess.run([sys.executable, "-c", RETITLE, team_db, str(off_grid)], check=True)
        written = store.position()
        await wait_for(pilot, lambda: app.feed_position >= written)
        assert screen.reloads == reloads
        assert "Retitled elsewhere" not in drawn(screen)


async def test_the_calendar_shows_notes_times_channels_and_the_posts_on_its_grid(make_app):
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = app.screen
        shown = next(p.id for d in screen.days for p in d.posts)
        unshown = max(p.id for d in screen.days for p in d.posts) + 10_000
        for kind in (Kind.NOTE, Kind.CHANNEL, Kind.BRAND, Kind.CAMPAIGN, Kind.PILLAR):
            assert screen.shows(batch((kind, 1, "name"))), kind
        assert screen.shows(batch((Kind.POST, unshown, "publish_at")))  # may move onto the grid
        assert screen.shows(batch((Kind.POST, unshown, "channel_ids")))  # may fill a gap
        assert screen.shows(batch((Kind.POST, None, "*")))  # new, or gone
        assert screen.shows(batch((Kind.POST, shown, "title")))
        assert screen.shows(batch((Kind.REVIEW, shown, "*")))
        assert screen.shows(batch((Kind.DELIVERY, shown, "state")))
        assert not screen.shows(batch((Kind.POST, unshown, "title")))
        assert not screen.shows(batch((Kind.REVIEW, unshown, "*")))
        assert not screen.shows(batch((Kind.COMMENT, shown, "*")))
        assert not screen.shows(batch((Kind.USER, 1, "role"), (Kind.INBOX, 5, "*")))
        # Filtered by stage, a post off the grid may join it by changing stage.
        screen.where = CalendarFilter(stages=(Stage.SCHEDULED,))
        assert screen.shows(batch((Kind.POST, unshown, "stage")))


async def test_what_needs_me_is_counted_once_the_first_screen_has_its_data(make_app, monkeypatch):
    """The count is a query over every post in review: it waits for the first screen's data
    (a client's first screen is the approval queue, loaded by a worker)."""
    from tui.app import PostroomApp
    from tui.screens.approvals import ApprovalsScreen

    order: list[str] = []
    loaded, news = ApprovalsScreen.on_queue_loaded, PostroomApp.check_news
    monkeypatch.setattr(
        ApprovalsScreen, "on_queue_loaded", lambda s, m: order.append("queue") or loaded(s, m)
    )
    monkeypatch.setattr(PostroomApp, "check_news", lambda s: order.append("needs") or news(s))
    app = make_app("acme-client")
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, lambda: app.needs is not None)
        assert order[:2] == ["queue", "needs"]
        assert f"· {app.needs.to_review} to review" in app.sub_title
