"""The calendar as people use it: keys pressed, what the grid then draws and the store holds."""

import re
from datetime import date

from textual.widget import Widget

import store
from store import CalendarFilter, Stage
from tui.screens.agenda import AgendaScreen
from tui.screens.calendar import CalendarScreen
from tui.widgets.month_grid import MonthGrid

from ..conftest import NOW
from .conftest import open_store, settle

TODAY = date(2026, 11, 23)
#: A line of a day's cell that lists a post: its hour (and minutes, when there is room) first.
POST_LINE = re.compile(r"^\d{1,2}(:\d\d)? ")


def grid_of(screen) -> MonthGrid:
    return screen.query_one(MonthGrid)


def drawn(screen) -> list[str]:
    """Every line the grid draws, as text."""
    grid = grid_of(screen)
    return [grid.render_line(y).text for y in range(grid.size.height)]


def weeks_drawn(screen) -> list[str]:
    """The heading of each drawn week's Monday (each week ends in a rule)."""
    mondays, starting = [], True
    for line in drawn(screen)[1:]:
        if line.startswith("▁"):
            starting = True
        elif starting:
            mondays.append(line.split("▕")[0].strip())
            starting = False
    return mondays


def cell_lines(screen, day: date) -> list[str]:
    """The text of one day's cell, line by line, without its padding and rule."""
    grid = grid_of(screen)
    region = grid.geometry.cell((day - grid.page.first).days)
    lines = [grid.render_line(y).crop(region.x, region.right).text for y in region.line_range]
    return [line[1:-1].rstrip() for line in lines if line.strip("▁")]


def cell_background(screen, day: date):
    """The background colour the grid paints under a day's heading."""
    grid = grid_of(screen)
    region = grid.geometry.cell((day - grid.page.first).days)
    strip = grid.render_line(region.y).crop(region.x, region.right)
    return {segment.style.bgcolor for segment in strip if segment.style}


def selected_colour(screen):
    return grid_of(screen).get_component_rich_style("month-grid--selected").bgcolor


def day_of(screen, day: date) -> store.CalendarDay:
    return next(d for d in screen.days if d.day == day)


def title_of(screen) -> str:
    return str(screen.query_one("#calendar-title").render())


async def test_opens_on_this_month_with_posts_notes_and_today_selected(make_app):
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, CalendarScreen)
        assert title_of(screen).startswith("November 2026")
        assert cell_lines(screen, TODAY)[0] == " 23 today"
        assert cell_background(screen, TODAY) == {selected_colour(screen)}
        assert selected_colour(screen) not in cell_background(screen, date(2026, 11, 24))
        assert any(POST_LINE.match(line) for line in cell_lines(screen, date(2026, 11, 24)))
        assert "◆ Black Friday" in "\n".join(cell_lines(screen, TODAY))
        assert app.sub_title.startswith("All brands · ines (admin) · ")  # then what needs me


async def test_today_is_in_the_title_when_its_cell_is_too_narrow_to_say_so(make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert "today Mon 23 Nov" in title_of(screen)
        assert cell_lines(screen, TODAY)[0] == " 23"  # marked, but no room for the word


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
        await pilot.press("right")
        await settle(pilot)
        assert cell_background(screen, date(2026, 11, 24)) == {selected_colour(screen)}
        assert selected_colour(screen) not in cell_background(screen, TODAY)


def spy_on_layouts(monkeypatch) -> list[Widget]:
    """The widgets that ask for a layout from now on."""
    asked: list[Widget] = []
    refresh = Widget.refresh

    def spied(self, *regions, **options):
        if options.get("layout"):
            asked.append(self)
        return refresh(self, *regions, **options)

    monkeypatch.setattr(Widget, "refresh", spied)
    return asked


async def test_moving_the_selection_redraws_two_cells_and_lays_nothing_out(make_app, monkeypatch):
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = app.screen
        grid = grid_of(screen)
        region = grid.region
        redrawn: list[int] = []
        draw = grid.render_line
        grid.render_line = lambda y: redrawn.append(y) or draw(y)
        layouts = spy_on_layouts(monkeypatch)
        await pilot.press("right")  # 23 to 24: the same week
        await settle(pilot)
        week = grid.geometry.cell((TODAY - grid.page.first).days)
        assert redrawn and set(redrawn) <= set(week.line_range)
        assert layouts == [] and grid.region == region
        assert cell_background(screen, date(2026, 11, 24)) == {selected_colour(screen)}


async def test_brackets_page_months_and_t_comes_back(make_app):
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = app.screen
        await pilot.press("right_square_bracket")
        await settle(pilot)
        assert title_of(screen).startswith("December 2026")
        assert screen.days[0].day == date(2026, 11, 30)  # the Monday before 1 December
        assert cell_lines(screen, date(2026, 12, 1))[0] == "1 Dec"
        await pilot.press("left_square_bracket", "left_square_bracket")
        await settle(pilot)
        assert title_of(screen).startswith("October 2026")
        await pilot.press("t")
        await settle(pilot)
        assert screen.selected == TODAY
        assert title_of(screen).startswith("November 2026")


async def test_a_five_week_month_after_a_six_week_one_draws_five_weeks(make_app, monkeypatch):
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = app.screen
        grid = grid_of(screen)
        region = grid.region
        layouts = spy_on_layouts(monkeypatch)
        assert weeks_drawn(screen) == ["26", "2", "9", "16", "23 today", "30"]
        await pilot.press("right_square_bracket")  # December 2026: 30 Nov to 3 Jan
        await settle(pilot)
        assert weeks_drawn(screen) == ["30", "7", "14", "21", "28"]
        assert len(screen.days) == 35
        assert drawn(screen)[-1].startswith("▁▁▁")  # the five weeks fill the grid
        await pilot.press("left_square_bracket")
        await settle(pilot)
        assert weeks_drawn(screen) == ["26", "2", "9", "16", "23 today", "30"]
        # A month of another height is a repaint: nothing on the screen lays out again.
        assert grid.region == region and layouts == []


async def test_w_shows_the_week_and_m_the_month(make_app):
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = app.screen
        await pilot.press("w")
        await settle(pilot)
        assert title_of(screen).startswith("Week of 23 Nov – 29 Nov 2026")
        assert [d.day for d in screen.days] == [date(2026, 11, d) for d in range(23, 30)]
        headings = drawn(screen)[1].split("▕")
        assert [h.strip() for h in headings[:7]] == ["23 today", *map(str, range(24, 30))]
        # Roomy: a post's time, channels and stage mark on one line, its title below.
        lines = cell_lines(screen, date(2026, 11, 24))
        meta = next(n for n, line in enumerate(lines) if POST_LINE.match(line))
        post = day_of(screen, date(2026, 11, 24)).posts[0]
        assert lines[meta + 1] in post.title
        await pilot.press("right_square_bracket")
        await settle(pilot)
        assert title_of(screen).startswith("Week of 30 Nov – 06 Dec 2026")
        await pilot.press("m")
        await settle(pilot)
        assert screen.selected == date(2026, 11, 30)
        assert title_of(screen).startswith("November 2026")
        assert len(screen.days) == 42  # Oct 26 to Dec 6


async def test_a_full_day_always_says_how_many_more_there_are(make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = app.screen
        counted = none_fit = 0
        for day in screen.days:
            lines = cell_lines(screen, day.day)
            listed = sum(bool(POST_LINE.match(line)) for line in lines[1:])
            assert not any(re.search(r"\d+ posts?\b", line) for line in lines), lines
            if day.total > listed:
                assert f"+{day.total - listed} more" in lines, (day.day, lines)
                counted += 1
                none_fit += listed == 0
        assert counted and none_fit  # also when not one post has room, it says "+N more"


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
        await pilot.press("right", "right", "right", "enter")  # Thursday 26th: none published
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
        shown = [p.stage for d in screen.days for p in d.posts]
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
        assert {p.brand_id for d in app.screen.days for p in d.posts} == {acme}


async def test_names_and_titles_that_look_like_markup_show_as_written(make_app, team_db):
    actor = open_store(team_db)
    deals = store.create_brand(actor, "Deals [/b]", NOW)
    store.add_note(actor, "[b]x", date(2026, 11, 24), NOW, brand_id=deals.id)
    store.close_database()
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("b")
        await settle(pilot)
        picker = app.screen.query_one("OptionList")
        for _ in range(picker.get_option_index(str(deals.id))):
            await pilot.press("down")
        await pilot.press("enter")
        await settle(pilot)
        screen = app.screen
        assert app.sub_title.startswith("Deals [/b] · ines (admin)")
        assert "◆ [b]x" in cell_lines(screen, date(2026, 11, 24))
        screen.where = CalendarFilter(owner_logins=("[/b]odd",))
        screen.reload()
        await settle(pilot)
        assert "filter: owner [/b]odd" in title_of(screen)


async def test_question_mark_lists_the_keys_of_the_screen_and_the_app(make_app):
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("question_mark")
        await settle(pilot)
        rows = app.screen.rows
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
        screen = app.screen
        assert isinstance(screen, CalendarScreen)
        notes = day_of(screen, date(2026, 11, 24)).notes
        assert "Press day" in [n.title for n in notes]
        # The cell names the day's first note and counts the others, however narrow it is.
        note_line = next(line for line in cell_lines(screen, date(2026, 11, 24)) if "◆" in line)
        assert note_line.startswith(f"◆ {notes[0].title[:5]}") and note_line.endswith(" +1")


async def test_a_click_on_a_day_selects_it(make_app):
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = app.screen
        grid = grid_of(screen)
        cell = grid.geometry.cell((date(2026, 11, 26) - grid.page.first).days)
        await pilot.click(MonthGrid, offset=(cell.x + 3, cell.y + 1))
        await settle(pilot)
        assert screen.selected == date(2026, 11, 26)
        assert cell_background(screen, date(2026, 11, 26)) == {selected_colour(screen)}


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
