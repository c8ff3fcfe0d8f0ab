"""The calendar as people use it: keys pressed, what the screen and the store then hold."""

from datetime import date

import store
from store import Stage
from tui.screens.agenda import AgendaScreen
from tui.screens.calendar import CalendarScreen
from tui.widgets.day_cell import DayCell

from .conftest import open_store, settle

TODAY = date(2026, 11, 23)


def cell_for(screen, day: date) -> DayCell:
    return next(c for c in screen.query(DayCell) if c.day is not None and c.day.day == day)


def title_of(screen) -> str:
    return str(screen.query_one("#calendar-title").render())


async def test_opens_on_this_month_with_posts_notes_and_today_selected(make_app):
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, CalendarScreen)
        assert title_of(screen).startswith("November 2026")
        today = cell_for(screen, TODAY)
        assert today.has_class("-today") and today.has_class("-selected")
        assert any(c.day.posts for c in screen.query(DayCell) if c.day)
        assert any(
            "Black Friday" in n.title for c in screen.query(DayCell) if c.day for n in c.day.notes
        )
        assert app.sub_title.startswith("All brands · ines (admin) · ")  # then what needs me


async def test_arrows_and_vim_keys_move_the_selected_day(make_app):
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = app.screen
        for key, expected in [
            ("right", 24),
            ("l", 25),
            ("left", 24),
            ("h", 23),
            ("down", 30),
            ("k", 23),
            ("j", 30),
            ("up", 23),
        ]:
            await pilot.press(key)
            assert screen.selected == date(2026, 11, expected), key
        await settle(pilot)
        assert cell_for(screen, TODAY).has_class("-selected")


async def test_brackets_page_months_and_t_comes_back(make_app):
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = app.screen
        await pilot.press("right_square_bracket")
        await settle(pilot)
        assert title_of(screen).startswith("December 2026")
        assert screen.days[0].day == date(2026, 11, 30)  # the Monday before 1 December
        await pilot.press("left_square_bracket", "left_square_bracket")
        await settle(pilot)
        assert title_of(screen).startswith("October 2026")
        await pilot.press("t")
        await settle(pilot)
        assert screen.selected == TODAY
        assert title_of(screen).startswith("November 2026")


async def test_w_shows_the_week_and_m_the_month(make_app):
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = app.screen
        await pilot.press("w")
        await settle(pilot)
        assert title_of(screen).startswith("Week of 23 Nov – 29 Nov 2026")
        assert [c.day.day for c in screen.query(DayCell) if c.display] == [
            date(2026, 11, d) for d in range(23, 30)
        ]
        await pilot.press("right_square_bracket")
        await settle(pilot)
        assert title_of(screen).startswith("Week of 30 Nov – 06 Dec 2026")
        await pilot.press("m")
        await settle(pilot)
        assert screen.selected == date(2026, 11, 30)
        assert title_of(screen).startswith("November 2026")
        assert len([c for c in screen.query(DayCell) if c.display]) == 42  # Oct 26 to Dec 6


async def test_a_full_day_says_how_many_more_there_are(make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        busy = [c for c in app.screen.query(DayCell) if c.day and c.day.total >= 3]
        assert busy
        text = str(busy[0].render())
        assert "more" in text or "posts" in text


async def test_enter_opens_the_agenda_of_the_selected_day(make_app):
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("right", "enter")
        await settle(pilot)
        agenda = app.screen
        assert isinstance(agenda, AgendaScreen)
        assert agenda.day == date(2026, 11, 24)
        actor = open_store(app.session.db)
        expected = [p.id for p in store.day_posts(actor, date(2026, 11, 24), "Europe/London")]
        assert [p.id for p in agenda.posts] == expected and expected
        await pilot.press("escape")
        assert isinstance(app.screen, CalendarScreen)


async def test_in_the_agenda_L_and_H_move_a_post_by_a_day_keeping_its_time(make_app):
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press(
            "right", "right", "right", "enter"
        )  # Thursday 26th: nothing published yet
        await settle(pilot)
        agenda = app.screen
        post = next(p for p in agenda.posts if p.stage is not Stage.PUBLISHED)
        agenda.keep = post.id
        agenda.watch_posts()
        await pilot.press("L")
        await settle(pilot)
        assert agenda.day == date(2026, 11, 27)
        assert agenda.selected_post().id == post.id
        actor = open_store(app.session.db)
        moved = store.post_detail(actor, post.id).summary
        assert moved.publish_at - post.publish_at == (date(2026, 11, 27) - date(2026, 11, 26))
        await pilot.press("shift+left")
        await settle(pilot)
        assert store.post_detail(actor, post.id).summary.publish_at == post.publish_at


async def test_a_published_post_refuses_to_move_and_says_why(make_app):
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("up", "enter")  # a week ago: published posts
        await settle(pilot)
        agenda = app.screen
        published = next(p for p in agenda.posts if p.stage is Stage.PUBLISHED)
        agenda.keep = published.id
        agenda.watch_posts()
        await pilot.press("L")
        await settle(pilot)
        assert agenda.day == date(2026, 11, 16)
        messages = [n.message for n in app._notifications]
        assert any("is published; it cannot move" in m for m in messages), messages


async def test_slash_filters_by_stage_and_shows_the_filter(make_app):
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("slash")
        await settle(pilot)
        stages = app.screen.query_one("#filter-stages")
        stages.select(Stage.SCHEDULED.value)
        await pilot.press("ctrl+s")
        await settle(pilot)
        screen = app.screen
        assert "filter: stage scheduled" in title_of(screen)
        shown = [p.stage for c in screen.query(DayCell) if c.day for p in c.day.posts]
        assert shown and set(shown) == {Stage.SCHEDULED}
        await pilot.press("slash")
        await settle(pilot)
        await pilot.press("ctrl+x")
        await settle(pilot)
        assert "filter" not in title_of(screen)


async def test_b_switches_brand_and_the_header_says_so(make_app):
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("b")
        await settle(pilot)
        await pilot.press("down", "enter")  # All brands, then Acme Coffee
        await settle(pilot)
        assert app.sub_title.startswith("Acme Coffee · ines (admin)")
        acme = app.brand_id
        brands = {p.brand_id for c in app.screen.query(DayCell) if c.day for p in c.day.posts}
        assert brands == {acme}


async def test_question_mark_lists_the_keys_of_the_screen_and_the_app(make_app):
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("question_mark")
        await settle(pilot)
        table = app.screen.query_one("#keys")
        rows = [tuple(str(c) for c in table.get_row_at(i)) for i in range(table.row_count)]
        assert ("w", "Week", "screen") in rows
        assert ("N", "New note", "screen") in rows
        assert ("?", "Help", "app") in rows
        await pilot.press("escape")
        assert isinstance(app.screen, CalendarScreen)


async def test_N_adds_a_note_that_appears_on_the_calendar(make_app):
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("right", "N")
        await settle(pilot)
        await pilot.press(*"Press day")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, CalendarScreen)
        notes = [n.title for n in cell_for(app.screen, date(2026, 11, 24)).day.notes]
        assert "Press day" in notes


async def test_the_palette_goes_to_a_post_by_title(make_app):
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+p")
        await pilot.press(*"Leeds shop")
        await pilot.pause(0.5)
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        from tui.screens.post_detail import PostDetailScreen

        assert isinstance(app.screen, PostDetailScreen)
        assert "leeds shop" in app.screen.loaded.detail.summary.title.lower()
