"""The app never crashes: empty databases, tiny terminals, strangers, nonsense input."""

import pytest

import store
from tui.app import build_app
from tui.screens.calendar import CalendarScreen
from tui.screens.editor import PostEditor

from ..conftest import NOW
from .conftest import settle


async def test_an_empty_database_shows_an_empty_month_and_explains(tmp_path):
    path = tmp_path / "empty.db"
    store.open_database(path, create=True)
    store.init_database("ines", NOW, "Europe/London")
    store.close_database()
    app = build_app(str(path), "ines", clock=lambda: NOW, watch=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, CalendarScreen)
        assert app.screen.days and all(d.total == 0 for d in app.screen.days)
        await pilot.press("n")
        await settle(pilot)
        await pilot.press(*"Hello")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, PostEditor)
        assert "no brand yet" in str(app.screen.query_one("#editor-error").render())
    store.close_database()


def bottom_line(app) -> str:
    """The key bar as drawn."""
    from tui.widgets.key_bar import KeyBar

    return str(app.screen.query_one(KeyBar).render())


async def test_a_40_by_12_terminal_still_works(make_app):
    app = make_app()
    async with app.run_test(size=(40, 12)) as pilot:
        await settle(pilot)
        for key in ("right", "w", "enter", "escape", "m", "question_mark", "escape", "n", "escape"):
            await pilot.press(key)
            await settle(pilot)
        assert isinstance(app.screen, CalendarScreen)
        assert app.screen.view == "month"
        assert app.screen.selected == NOW.date().replace(day=24)  # the keys did their work
        assert bottom_line(app).rstrip().endswith("? help  ^p")  # the app's keys keep their place
        await pilot.press("question_mark")
        await settle(pilot)
        help_page = app.screen.query_one("#help")
        help_page.scroll_end(animate=False)
        await settle(pilot)
        assert help_page.scroll_offset.y == help_page.max_scroll_y > 0  # its last line is reachable


def test_someone_the_database_does_not_know_sees_nothing_but_who_can_add_them(team_db):
    with pytest.raises(store.PermissionDenied) as refused:
        build_app(team_db, "stranger", clock=lambda: NOW, watch=False)
    assert str(refused.value) == (
        "stranger is not a user of this database; an admin (ines) can add them with "
        "`postroom users add stranger ROLE`"
    )


def test_postroom_tells_a_stranger_in_one_line_and_exits_1(team_db, monkeypatch, capsys):
    from tui.cli import context, main

    monkeypatch.setattr(context, "whoami", lambda: "stranger")
    assert main(["--db", team_db]) == 1
    out, err = capsys.readouterr()
    assert out == "" and err.count("\n") == 1 and "an admin (ines) can add them" in err


async def test_the_app_leaves_when_its_terminal_hangs_up(make_app, monkeypatch):
    import tui.app as app_module

    terminal = {"up": True}
    monkeypatch.setattr(app_module, "terminal_up", lambda: terminal["up"])
    monkeypatch.setattr(app_module, "ORPHAN_CHECK", 0.05)
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.pause(0.2)
        assert app.is_running  # still on its terminal
        terminal["up"] = False
        for _ in range(40):
            if not app.is_running:
                break
            await pilot.pause(0.05)
    assert app.return_code == 1


async def test_the_board_and_queue_on_an_empty_database(tmp_path):
    path = tmp_path / "empty.db"
    store.open_database(path, create=True)
    store.init_database("ines", NOW, "Europe/London")
    store.close_database()
    app = build_app(str(path), "ines", clock=lambda: NOW, watch=False, prepare=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("2")
        await settle(pilot)
        board = app.screen
        assert board.counts and not any(board.counts.values())
        for key in ("l", "L", "H", "enter", "e", "o", "o"):
            await pilot.press(key)
            await settle(pilot)
        assert app.screen is board and board.selected_card() is None
        await pilot.press("3")
        await settle(pilot)
        assert app.screen.entries == []
        assert "Nothing waits for you." in str(app.screen.query_one("#queue-list").render_line(0))
        for key in ("a", "c", "m", "enter", "tab"):
            await pilot.press(key)
            await settle(pilot)
        assert app.screen.context is None
    store.close_database()


async def test_the_board_and_queue_in_a_40_by_12_terminal(make_app):
    app = make_app()
    async with app.run_test(size=(40, 12)) as pilot:
        await settle(pilot)
        for key in ("2", "l", "L", "h", "j", "3", "j", "a", "escape", "2"):
            await pilot.press(key)
            await settle(pilot)
        assert app.current_mode == "board"
        card = app.screen.selected_card()
        assert (
            card is not None
            and card.post.stage is app.screen.lists[app.screen.column].items[0].post.stage
        )
        assert "1 2 3" in bottom_line(app) and "?" in bottom_line(app)


async def test_a_database_this_account_may_only_read_says_so_at_start_and_at_save(
    team_db, monkeypatch
):
    """Seen: 'Something went wrong / OperationalError', only at save. Root may write any file,
    so the test takes away this process's write access the way the kernel would say it."""
    import os

    real_access = os.access

    def access(path, mode, *args, **kwargs):
        if mode & os.W_OK and os.fspath(path).startswith(team_db):
            return False
        return real_access(path, mode, *args, **kwargs)

    monkeypatch.setattr(os, "access", access)
    store.close_database()
    app = build_app(team_db, "ines", clock=lambda: NOW, watch=False, prepare=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        (severity, words), *_ = [n for n in app.notices if "may not write" in n[1]]
        assert severity == "warning"
        owner = f"{team_db} is root:root 0644" if os.geteuid() == 0 else team_db
        assert words.startswith(owner) and "may not write it" in words, words  # who, and why
        assert "read only" in app.sub_title
        await pilot.press("n")
        await settle(pilot)
        await pilot.press(*"Hello")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, PostEditor)  # nothing lost: the editor stays open
        said = str(app.screen.query_one("#editor-error").render())
        assert "Read only" in said and "may not write" in said, said
    store.close_database()
