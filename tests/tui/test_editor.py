"""The post editor: typing, checks while typing, saving, refusals at the field, and conflicts."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import store
from tui.screens.calendar import CalendarScreen
from tui.screens.confirm import Confirm
from tui.screens.editor import PostEditor

from .conftest import open_store, settle, wait_for


async def open_editor(pilot, keys=("n",)):
    await settle(pilot)
    await pilot.press(*keys)
    await settle(pilot)
    editor = pilot.app.screen
    assert isinstance(editor, PostEditor)
    return editor


async def type_into(pilot, selector, text):
    widget = pilot.app.screen.query_one(selector)
    widget.focus()
    await pilot.pause()
    if hasattr(widget, "load_text"):
        widget.load_text(text)
    else:
        widget.value = text
    await pilot.pause()


async def tick_channel(pilot, label_start: str):
    channels = pilot.app.screen.query_one("#editor-channels")
    for index in range(channels.option_count):
        if str(channels.get_option_at_index(index).prompt).startswith(label_start):
            channels.select(channels.get_option_at_index(index).value)
    await settle(pilot)
    await pilot.pause(0.3)
    await settle(pilot)


async def test_n_then_title_and_caption_then_ctrl_s_saves_a_post_on_that_day(make_app):
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        editor = await open_editor(pilot, ("right", "right", "n"))  # Wednesday 25th
        assert editor.query_one("#editor-publish").value == "2026-11-25 09:00"
        await pilot.press(*"Cold brew launch")
        await pilot.press("tab")
        await pilot.press(*"Cold brew is back #coldbrew")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, CalendarScreen)
        actor = open_store(app.session.db)
        (post,) = store.search_posts(actor, "Cold brew launch")
        detail = store.post_detail(actor, post.id)
        assert detail.caption == "Cold brew is back #coldbrew"
        assert post.stage is store.Stage.DRAFT
        assert post.publish_at.astimezone(ZoneInfo("Europe/London")) == datetime(
            2026, 11, 25, 9, 0, tzinfo=ZoneInfo("Europe/London")
        )
        assert any("Saved 'Cold brew launch'" in m for _, m in app.notices)
        (wednesday,) = [d for d in app.screen.days if d.day == date(2026, 11, 25)]
        expected = store.day_posts(actor, date(2026, 11, 25), "Europe/London")
        assert post.id in [p.id for p in expected]
        assert wednesday.total == len(expected)  # the calendar reloaded after the save


async def test_each_chosen_channel_is_checked_while_typing(make_app):
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await open_editor(pilot)
        await tick_channel(pilot, "x ")
        await type_into(pilot, "#editor-caption", "word " * 70)  # 350 characters
        panel = app.screen.query_one("#editor-checks")
        await wait_for(pilot, lambda: "350/280" in str(panel.render()))
        checks = str(panel.render())
        assert "✗ x @acmecoffee  350/280" in checks
        assert "70 over the limit" in checks


async def test_space_in_the_channel_list_ticks_the_first_channel(make_app):
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        editor = await open_editor(pilot)
        channels = editor.query_one("#editor-channels")
        channels.focus()
        await pilot.press("space")
        await settle(pilot)
        assert channels.selected == [channels.get_option_at_index(0).value]


async def test_a_bad_publish_time_is_marked_at_the_field(make_app):
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        editor = await open_editor(pilot)
        await type_into(pilot, "#editor-title", "Oops")
        await type_into(pilot, "#editor-publish", "next blursday")
        assert "could not read" in str(editor.query_one("#editor-publish-words").render())
        assert editor.query_one("#editor-publish-input").has_class("-invalid")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, PostEditor)
        assert "Publish: could not read 'next' as a day" in str(
            editor.query_one("#editor-error").render()
        )
        await type_into(pilot, "#editor-publish", "fri 17:00")
        assert "Fri 27 Nov 2026, 17:00 Europe/London" in str(
            editor.query_one("#editor-publish-words").render()
        )


async def test_ctrl_r_saves_and_submits_or_says_why_not(make_app):
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await open_editor(pilot)
        await type_into(pilot, "#editor-title", "Too long for X")
        await type_into(pilot, "#editor-caption", "word " * 70)
        await tick_channel(pilot, "x ")
        await pilot.press("ctrl+r")
        await settle(pilot)
        messages = [m for _, m in app.notices]
        assert any("not submitted: caption: x: 350 of 280" in m for m in messages), messages
        actor = open_store(app.session.db)
        (post,) = store.search_posts(actor, "Too long for X")
        assert post.stage is store.Stage.DRAFT


async def test_escape_with_unsaved_changes_asks_first(make_app):
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await open_editor(pilot)
        await pilot.press(*"Half a thought")
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, Confirm)
        await pilot.press("n")
        await settle(pilot)
        assert isinstance(app.screen, PostEditor)
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot)
        assert isinstance(app.screen, CalendarScreen)


async def test_escape_without_changes_just_closes(make_app):
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await open_editor(pilot)
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, CalendarScreen)


async def test_saving_over_someone_elses_change_offers_a_reload(make_app):
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        actor = open_store(app.session.db)
        draft = store.list_posts(actor, stages=[store.Stage.DRAFT])[0]
        app.push_screen(PostEditor(post_id=draft.id))
        await settle(pilot)
        editor = app.screen
        store.edit_post(
            store.actor_for("maya"), draft.id, datetime.now(ZoneInfo("UTC")), caption="Maya's words"
        )
        await type_into(pilot, "#editor-caption", "My words")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, Confirm)
        assert "was changed by maya" in str(app.screen.query_one("Label").render())
        await pilot.press("y")
        await settle(pilot)
        assert app.screen is editor
        assert editor.query_one("#editor-caption").text == "Maya's words"
        assert store.post_detail(actor, draft.id).caption == "Maya's words"


async def test_a_10000_character_caption_with_emoji_cjk_and_rtl_is_checked_and_saved(make_app):
    app = make_app()
    caption = ("👨‍👩‍👧‍👦 日本語 שלום عربى " * 500)[:10_000]
    async with app.run_test(size=(120, 40)) as pilot:
        await open_editor(pilot)
        await type_into(pilot, "#editor-title", "Big one")
        await type_into(pilot, "#editor-caption", caption)
        await tick_channel(pilot, "bluesky")
        panel = app.screen.query_one("#editor-checks")
        await wait_for(pilot, lambda: "bluesky" in str(panel.render()))
        assert "/300" in str(panel.render())
        await pilot.press("ctrl+s")
        await settle(pilot)
        actor = open_store(app.session.db)
        (post,) = store.search_posts(actor, "Big one")
        assert store.post_detail(actor, post.id).caption == caption


async def test_the_editor_is_built_once_and_opens_empty_on_a_new_post(make_app):
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        actor = open_store(app.session.db)
        draft = store.list_posts(actor, stages=[store.Stage.DRAFT])[0]
        detail = store.post_detail(actor, draft.id)
        await settle(pilot)
        app.edit_post(draft)
        await settle(pilot)
        editor = app.screen
        assert editor.query_one("#editor-caption").text == detail.caption
        assert f"Edit post #{draft.id}" in str(editor.query_one("#editor-heading").render())
        editor.query_one("#editor-error").update("stale words")
        await pilot.press("escape")
        await settle(pilot)
        again = await open_editor(pilot)
        assert again is editor  # the same screen, emptied, not built again
        assert "New post" in str(again.query_one("#editor-heading").render())
        assert again.query_one("#editor-title").value == ""
        assert again.query_one("#editor-caption").text == ""
        assert again.query_one("#editor-publish").value.startswith("2026-11-23")
        assert not again.query_one("#editor-error").display
        assert not again.dirty
        assert again.focused is again.query_one("#editor-title")


async def test_after_a_pause_the_editor_is_ready_before_n(make_app):
    app = make_app(prepare=True)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, lambda: app._kept_editor is not None and app._kept_editor.is_mounted)
        built = app._kept_editor
        editor = await open_editor(pilot)
        assert editor is built
        assert editor.choices is not None and editor.choices.channels
