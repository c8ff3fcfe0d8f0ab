"""The private Textual APIs Postroom uses (tui/textual_internals.py) still do what it needs."""

import textual

from tui import textual_internals

from .conftest import settle, wait_for

CHECKED = f"checked on Textual {textual_internals.CHECKED_ON}, running {textual.__version__}"


async def test_a_mode_is_built_in_the_background_without_switching_to_it(make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert not textual_internals.mode_is_built(app, "board"), CHECKED
        textual_internals.build_mode(app, "board")
        await settle(pilot)
        assert textual_internals.mode_is_built(app, "board"), CHECKED
        assert app.current_mode == "calendar", CHECKED
        (board,) = textual_internals.mode_stack(app, "board")
        await wait_for(pilot, lambda: bool(board.counts))
        await pilot.press("2")
        assert app.screen is board, CHECKED  # the screen built ahead is the one shown


async def test_an_installed_screen_is_built_without_being_shown(make_app):
    from tui.screens.editor import PostEditor

    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        editor = PostEditor()
        app.install_screen(editor, name="built-ahead")
        textual_internals.build_screen(app, editor)
        await settle(pilot)
        assert editor.is_mounted and editor.query_one("#editor-title"), CHECKED
        assert app.screen is not editor, CHECKED
        app.push_screen(editor)
        await settle(pilot)
        assert app.screen is editor, CHECKED
        await pilot.press("escape")
        await settle(pilot)
        assert editor.is_mounted, CHECKED  # installed: kept when closed, for the next time


async def test_a_screen_shown_again_keeps_its_styles_unless_the_stylesheet_moved(make_app):
    from textual import events

    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("n")  # pushed, the editor is styled with the app's stylesheet
        await settle(pilot)
        screen = app.screen
        resume = events.ScreenResume()
        textual_internals.keep_styles(screen, resume)
        assert resume.refresh_styles is False, CHECKED
        app.theme = "textual-light" if app.theme != "textual-light" else "nord"
        await settle(pilot)
        screen._css_update_count = -1  # styled with an older stylesheet
        resume = events.ScreenResume()
        textual_internals.keep_styles(screen, resume)
        assert resume.refresh_styles is True, CHECKED
