"""Hostile text on every screen: names, titles, captions, comments and notes holding escape
sequences, markup, bidi overrides and worse are shown as text, never obeyed, and the app keeps
running. Some are written through the store, some behind its back (as the sqlite3 shell would)."""

import html
import re
import sqlite3
from datetime import timedelta

import store
from store import Stage

from .conftest import NOW, open_store, settle, wait_for

ESCAPES = "\x1b]0;pwned\x07\x1b[2J"
HOSTILE_TITLE = f"Deals [/b] {ESCAPES} \u202eevil\u202c [b]bold"
RAW_NOTE = "Raw \x1b[41mred\x9b31m note [/i]"


def seed(path: str) -> int:
    """A hostile brand, channel, post in review (with a comment) and note; returns the post."""
    actor = open_store(path)
    brand = store.create_brand(actor, "Cafe [UK] \x1b[2J", NOW)
    channel = store.add_channel(actor, brand.id, "x", "@[b]cafe\x1b[0m", NOW)
    store.add_user(actor, "hostile-ed", "editor", NOW, name="Ed [/b]", force=True)
    editor = store.actor_for("hostile-ed")
    post = store.create_post(
        editor,
        brand.id,
        HOSTILE_TITLE,
        NOW,
        caption=f"Caption {ESCAPES} with [link=x]markup[/link] and 👩‍👩‍👧" + "e\u0301" * 50,
        brief="[red]brief[/red]\x00",
        tags=["[b]tag"],
        channel_ids=[channel.id],
        publish_at=NOW + timedelta(days=1),
    )
    store.move(editor, post.id, Stage.IN_REVIEW, NOW)
    store.add_comment(actor, post.id, f"Comment {ESCAPES} [/b]", NOW)
    store.add_note(actor, "Note [/b] \x1b[41m", NOW.date(), NOW, brand_id=brand.id)
    store.close_database()
    with sqlite3.connect(path) as raw:  # behind the store's back: the gate works on the way out
        raw.execute("UPDATE calendar_note SET title = ? WHERE title LIKE 'Note%'", (RAW_NOTE,))
    return post.id


def screen_text(app) -> str:
    """Every character the screen shows, from its screenshot."""
    svg = app.export_screenshot()
    texts = re.findall(r"<text[^>]*>(.*?)</text>", svg)
    return "".join(html.unescape(t) for t in texts).replace("\xa0", " ")


def assert_clean(app, where: str) -> str:
    assert app.is_running, where
    text = screen_text(app)
    assert store.unsafe_characters(text) == [], (where, store.unsafe_characters(text))
    return text


async def test_every_screen_shows_hostile_text_as_text(make_app):
    app = make_app(prepare=False)
    post_id = seed(app.session.db)
    app = make_app(prepare=False)  # built again, so it knows the new brand
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert_clean(app, "calendar")
        await pilot.press("enter")
        await settle(pilot)
        assert "◆ Raw [41mred31m note [/i]" in assert_clean(app, "agenda")  # the raw row, cleaned
        for keys, where in [
            (("escape", "w"), "week"),
            (("m", "2"), "board"),
            (("3",), "approvals"),
        ]:
            await pilot.press(*keys)
            await settle(pilot)
            assert_clean(app, where)
        queue = app.screen
        index = [i.post.id for i in queue.queue.items].index(post_id)
        queue.queue.cursor = index
        await wait_for(pilot, lambda: queue.context and queue.context.detail.summary.id == post_id)
        shown = assert_clean(app, "approvals pane")
        assert "Deals [/b]" in shown and "[link=x]markup[/link]" in shown
        assert "Comment ]0;pwned[2J [/b]" in shown
        app.open_post(post_id)
        await settle(pilot)
        shown = assert_clean(app, "detail")
        assert "[red]brief[/red]" in shown and "#[b]tag" in shown
        await pilot.press("e")
        await settle(pilot)
        assert_clean(app, "editor")
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("escape", "1", "b")
        await settle(pilot)
        assert "Cafe [UK] [2J" in assert_clean(app, "brand picker")
        await pilot.press("down", "down", "down", "enter")  # All, Acme, Birch, Cafe [UK] …
        await settle(pilot)
        assert_clean(app, "calendar of the hostile brand")
        assert app.sub_title.startswith("Cafe [UK]")
        for keys, where in [
            (("slash",), "filter"),
            (("escape", "question_mark"), "help"),
            (("escape", "N"), "note editor"),
        ]:
            await pilot.press(*keys)
            await settle(pilot)
            assert_clean(app, where)
        await pilot.press("escape")
        await pilot.press("ctrl+p")
        await pilot.press(*"Deals")
        await pilot.pause(0.5)
        await settle(pilot)
        assert "Deals [/b]" in assert_clean(app, "palette")
        await pilot.press("escape")
        await settle(pilot)
        assert app.is_running
