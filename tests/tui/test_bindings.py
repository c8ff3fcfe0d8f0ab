"""The remaining bindings, each pressed once: agenda, detail, editor, filter and the mode key."""

from datetime import date

import store
from tui.screens.agenda import AgendaScreen
from tui.screens.calendar import CalendarScreen
from tui.screens.editor import PostEditor
from tui.screens.filter import FilterScreen
from tui.screens.post_detail import PostDetailScreen
from tui.screens.prompt import TextPrompt

from .conftest import open_store, settle


async def open_agenda(pilot, keys=("right", "enter")):
    await settle(pilot)
    await pilot.press(*keys)
    await settle(pilot)
    assert isinstance(pilot.app.screen, AgendaScreen)
    return pilot.app.screen


async def test_agenda_d_e_n_and_brackets(make_app):
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        agenda = await open_agenda(pilot)
        first = agenda.selected_post()
        await pilot.press("d")
        await settle(pilot)
        assert isinstance(app.screen, PostDetailScreen) and app.screen.post_id == first.id
        await pilot.press("escape")
        await pilot.press("e")
        await settle(pilot)
        assert isinstance(app.screen, PostEditor) and app.screen.post_id == first.id
        assert app.screen.query_one("#editor-title").value == first.title
        await pilot.press("escape")
        await pilot.press("n")
        await settle(pilot)
        assert app.screen.query_one("#editor-publish").value == "2026-11-24 09:00"
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("right_square_bracket")
        await settle(pilot)
        assert agenda.day == date(2026, 11, 25)
        await pilot.press("left_square_bracket", "left_square_bracket")
        await settle(pilot)
        assert agenda.day == date(2026, 11, 23)


async def test_detail_e_s_and_c(make_app):
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        actor = open_store(app.session.db)
        draft = next(
            p
            for p in store.list_posts(actor, stages=[store.Stage.DRAFT])
            if p.platforms
            and not any(
                r.errors
                for v in store.post_detail(actor, p.id).variants
                for r in [store.check_caption(v.platform, store.post_detail(actor, p.id).caption)]
            )
        )
        app.open_post(draft.id)
        await settle(pilot)
        await pilot.press("e")
        await settle(pilot)
        assert isinstance(app.screen, PostEditor)
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("s")
        await settle(pilot)
        assert store.post_detail(actor, draft.id).summary.stage is store.Stage.IN_REVIEW
        await pilot.press("c")
        await settle(pilot)
        assert isinstance(app.screen, TextPrompt)
        await pilot.press(*"Needs a photo")
        await pilot.press("ctrl+s")
        await settle(pilot)
        detail = store.post_detail(actor, draft.id)
        assert detail.summary.stage is store.Stage.CHANGES_REQUESTED
        assert detail.reviews[-1].note == "Needs a photo"


async def test_one_returns_to_the_calendar_and_escape_leaves_the_filter_as_it_was(make_app):
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await open_agenda(pilot)
        await pilot.press("1")
        await settle(pilot)
        assert isinstance(app.screen, CalendarScreen)
        await pilot.press("slash")
        await settle(pilot)
        assert isinstance(app.screen, FilterScreen)
        app.screen.query_one("#filter-stages").select("draft")
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, CalendarScreen)
        assert not app.screen.where.active


async def test_ctrl_e_without_editor_or_suspend_says_what_to_do(make_app, monkeypatch):
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("n")
        await settle(pilot)
        monkeypatch.delenv("VISUAL", raising=False)
        monkeypatch.delenv("EDITOR", raising=False)
        monkeypatch.setenv("PATH", "/nonexistent")  # no editor, nano or vi to fall back on
        await pilot.press("ctrl+e")
        await settle(pilot)
        monkeypatch.setenv("EDITOR", "true")
        await pilot.press("ctrl+e")  # the test terminal cannot hand over: say so, keep going
        await settle(pilot)
        messages = [m for _, m in app.notices]
        assert any("No editor found: set $EDITOR" in m for m in messages), messages
        assert any("cannot hand over to $EDITOR" in m for m in messages), messages
        assert isinstance(app.screen, PostEditor)


def test_without_editor_or_visual_the_first_of_editor_nano_vi_is_used(monkeypatch, tmp_path):
    from tui.external_editor import editor_command

    monkeypatch.delenv("VISUAL", raising=False)
    monkeypatch.delenv("EDITOR", raising=False)
    for name in ("nano", "vi"):
        tool = tmp_path / name
        tool.write_text("#!/bin/sh\n")
        tool.chmod(0o755)
    monkeypatch.setenv("PATH", str(tmp_path))
    assert editor_command() == "nano"
    (tmp_path / "nano").unlink()
    assert editor_command() == "vi"
    monkeypatch.setenv("EDITOR", "emacs -nw")
    assert editor_command() == "emacs -nw"
