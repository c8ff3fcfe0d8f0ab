"""The app never crashes: empty databases, tiny terminals, strangers, nonsense input."""

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


async def test_a_40_by_12_terminal_still_works(make_app):
    app = make_app()
    async with app.run_test(size=(40, 12)) as pilot:
        await settle(pilot)
        for key in ("right", "w", "enter", "escape", "m", "question_mark", "escape", "n", "escape"):
            await pilot.press(key)
            await settle(pilot)
        assert isinstance(app.screen, CalendarScreen)
        assert app.screen.view == "month"


async def test_someone_the_database_does_not_know_may_look_but_not_write(make_app):
    app = make_app("stranger")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert app.sub_title == "All brands · stranger (read only)"
        assert any(d.posts for d in app.screen.days)
        await pilot.press("n")
        await settle(pilot)
        await pilot.press(*"Sneaky")
        await pilot.press("ctrl+s")
        await settle(pilot)
        error = str(app.screen.query_one("#editor-error").render())
        assert "stranger is not a Postroom user" in error and "ines" in error


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
