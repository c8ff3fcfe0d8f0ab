"""Media in the editor: pick from the library, add a new file with alt text, remove, reorder."""

import store
from tui.screens.editor import PostEditor
from tui.screens.media_picker import MediaPicker

from .conftest import open_store, settle, wait_for
from .test_editor import open_editor, tick_channel, type_into


async def open_picker(pilot):
    pilot.app.screen.query_one("#editor-media").focus()
    await pilot.press("enter")
    await settle(pilot)
    assert isinstance(pilot.app.screen, MediaPicker)
    return pilot.app.screen


def names(editor):
    return [a.name for a in editor.query_one("#editor-media").assets]


async def test_enter_on_media_searches_the_library_and_picks_a_file(make_app):
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        editor = await open_editor(pilot)
        await type_into(pilot, "#editor-title", "Latte art reel")
        await tick_channel(pilot, "instagram")
        panel = editor.query_one("#editor-checks")
        await wait_for(pilot, lambda: "need an image or video" in str(panel.render()))
        picker = await open_picker(pilot)
        await pilot.press(*"latte")
        await wait_for(pilot, lambda: picker.query_one("#media-results").option_count == 2)
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is editor
        assert names(editor) == ["latte-art.mp4"]
        await wait_for(pilot, lambda: "need an image" not in str(panel.render()))
        await pilot.press("ctrl+s")
        await settle(pilot)
        actor = open_store(app.session.db)
        (post,) = store.search_posts(actor, "Latte art reel")
        assert [m.name for m in store.post_detail(actor, post.id).media] == ["latte-art.mp4"]


async def test_a_new_link_is_added_with_its_alt_text(make_app):
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        editor = await open_editor(pilot)
        picker = await open_picker(pilot)
        await pilot.press(*"https://cdn.example.com/new-mug.png")
        await settle(pilot)
        alt = picker.query_one("#media-alt")
        assert alt.display
        alt.focus()
        await pilot.press(*"A blue mug")
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is editor
        (mug,) = editor.query_one("#editor-media").assets
        assert (mug.name, mug.alt_text, mug.kind) == ("new-mug.png", "A blue mug", "image")
        actor = open_store(app.session.db)
        assert store.list_assets(actor, mug.brand_id, "new-mug") == [mug]


async def test_a_bad_location_is_refused_in_the_picker_and_nothing_is_added(make_app):
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await open_editor(pilot)
        picker = await open_picker(pilot)
        await pilot.press(*"/no/such/file.jpg")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is picker
        error = str(picker.query_one("#media-error").render())
        assert "there is no file at /no/such/file.jpg" in error
        assert picker.query_one("#media-search").has_class("-invalid")
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, PostEditor)
        await pilot.press("a")  # a adds too, like enter
        await settle(pilot)
        assert isinstance(app.screen, MediaPicker)


async def test_delete_removes_and_shift_arrows_reorder_and_saving_keeps_the_order(make_app):
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        actor = open_store(app.session.db)
        draft = store.list_posts(actor, stages=[store.Stage.DRAFT])[0]
        brand_assets = store.list_assets(actor, draft.brand_id)
        extra = [a for a in brand_assets if a.kind is store.MediaKind.IMAGE][:2]
        store.edit_post(actor, draft.id, app.session.now(), media_ids=[a.id for a in extra])
        app.push_screen(PostEditor(post_id=draft.id))
        await settle(pilot)
        editor = app.screen
        media = editor.query_one("#editor-media")
        assert names(editor) == [a.name for a in extra]
        media.focus()
        media.highlighted = 0
        await pilot.press("shift+down")
        assert names(editor) == [extra[1].name, extra[0].name]
        assert media.highlighted == 1
        await pilot.press("shift+up")
        assert names(editor) == [a.name for a in extra]
        await pilot.press("shift+down", "delete")
        assert names(editor) == [extra[1].name]
        assert editor.dirty
        await pilot.press("ctrl+s")
        await settle(pilot)
        detail = store.post_detail(actor, draft.id)
        assert [m.id for m in detail.media] == [extra[1].id]
        assert detail.revisions[-1].media == (extra[1].name,)
