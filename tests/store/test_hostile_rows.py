"""Rows written behind the store's back (an older version, the sqlite3 shell) still read clean."""

from __future__ import annotations

import json
import sqlite3
from datetime import timedelta

import pytest

import store

from .test_hostile_text import assert_clean, everything_read

#: What an attacker with the sqlite3 shell would write: escapes, 8-bit controls, bidi, NUL.
EVIL = "\x1b]0;pwned\x07\x1b[2J\x9b31m\u202eevil\u202c\x00 " + "e" + "\u0301" * 50
SHOWN = "]0;pwned[2J31mevil e" + "\u0301" * 8


def behind_the_back(path: str, *statements: tuple[str, tuple]) -> None:
    """Run SQL on the file through a connection of its own, as the sqlite3 shell would."""
    connection = sqlite3.connect(path, timeout=5)
    try:
        with connection:
            for sql, params in statements:
                connection.execute(sql, params)
    finally:
        connection.close()


@pytest.fixture
def tampered(team):
    """A team whose post, note, comment, review, names and media were rewritten with EVIL."""
    ed, rev = team.actor("ed"), team.actor("rev")
    post = team.in_review("Honest title", channel_ids=[team.instagram])
    store.add_comment(rev, post.id, "fine", team.now)
    store.request_changes(rev, post.id, "please fix", team.now)
    asset = store.add_asset(ed, team.brand, "https://cdn.example.com/a.jpg", team.now)
    store.edit_post(ed, post.id, team.now, media_ids=[asset.id], tags=["winter"])
    store.add_campaign(team.actor("mgr"), team.brand, "Launch", team.now)
    store.add_pillar(team.actor("mgr"), team.brand, "Craft", team.now)
    note = store.add_note(ed, "Honest note", team.now.date(), team.now)
    overrides = json.dumps({str(team.instagram): EVIL})
    day = team.now.date().isoformat()
    behind_the_back(
        team.path,
        (
            "UPDATE post SET title = ?, brief = ?, caption = ? WHERE id = ?",
            (EVIL,) * 3 + (post.id,),
        ),
        ("UPDATE revision SET title = ?, caption = ?, overrides = ?", (EVIL, EVIL, overrides)),
        ("UPDATE calendar_note SET title = ?, kind = ? WHERE id = ?", (EVIL, EVIL, note.id)),
        (
            "INSERT INTO calendar_note (brand_id, title, starts_on, ends_on, kind, created_by_id,"
            " created_at) VALUES (?, ?, ?, ?, 'holiday', 1, '2026-11-23 10:00:00')",
            (team.brand, EVIL, day, day),
        ),
        ("UPDATE comment SET body = ?", (EVIL,)),
        ("UPDATE review SET note = ?", (EVIL,)),
        ("UPDATE stage_event SET note = ?", (EVIL,)),
        ("UPDATE variant SET caption_override = ?, last_error = ?", (EVIL, EVIL)),
        ("UPDATE brand SET name = ? WHERE id = ?", (EVIL, team.brand)),
        ("UPDATE channel SET handle = ?, name = ? WHERE id = ?", (EVIL, EVIL, team.instagram)),
        ("UPDATE campaign SET name = ?", (EVIL,)),
        ("UPDATE pillar SET name = ?", (EVIL,)),
        ("UPDATE tag SET name = ?", (EVIL,)),
        ("UPDATE user SET name = ? WHERE login = 'ed'", (EVIL,)),
        ("UPDATE asset SET alt_text = ?, tags = ?", (EVIL, EVIL)),
        (
            "INSERT INTO audit_event (at, actor, action, entity, entity_id, detail, prev_hash, hash)"
            " VALUES ('2026-11-23 10:00:00', ?, ?, 'post', ?, ?, 'x', 'x')",
            (EVIL, EVIL, post.id, json.dumps({EVIL: [EVIL, {"note": EVIL}]})),
        ),
    )
    return team, post.id


def test_every_read_returns_rewritten_rows_clean(tampered):
    """Post, note, revision, comment, review, channel, brand, user, media: all come back clean."""
    team, _ = tampered
    assert_clean(everything_read(team))


def test_a_rewritten_title_reads_as_the_gate_keeps_it(tampered):
    """The visible part of the rewritten text survives; the controls do not."""
    team, post_id = tampered
    root = team.actor("root")
    detail = store.post_detail(root, post_id)
    assert (detail.summary.title, detail.caption, detail.brand_name) == (SHOWN,) * 3
    assert detail.revisions[-1].overrides[0][1] == SHOWN
    assert detail.variants[0].caption_override == SHOWN
    (found,) = store.search_posts(root, "pwned")
    assert found.title == SHOWN
    today = team.now.date()
    titles = [n.title for n in store.notes_between(root, today, today + timedelta(days=1))]
    assert titles == [SHOWN, SHOWN]


def test_the_calendar_board_queue_and_news_read_rewritten_rows_clean(tampered):
    """The views that pick columns themselves (not whole rows) are clean too."""
    team, post_id = tampered
    root, ed = team.actor("root"), team.actor("ed")
    today = team.now.date()
    days = store.calendar_days(root, today, today + timedelta(days=7), "UTC", today)
    assert [n.title for n in days[0].notes] == [SHOWN, SHOWN]
    assert [p.title for d in days for p in d.posts] == [SHOWN]
    (card,) = store.board_page(root, store.Stage.CHANGES_REQUESTED, team.now)
    assert card.post.title == SHOWN
    (news,) = store.news_since(ed, 0)
    assert (news.post_id, news.title, news.note) == (post_id, SHOWN, SHOWN)
    options = store.filter_options(root)
    assert [name for _, name in options.campaigns] == [SHOWN]
    assert_clean([days, card, news, options, store.trail(root, "post", post_id)])


def test_the_content_figures_read_rewritten_names_clean(tampered):
    """The figures read the rollup raw for speed: titles, tags, handles still come back clean."""
    from store.db import writing
    from store.db.models import Variant
    from store.metrics import content_figures, content_posts, rollup, workflow_figures

    team, post_id = tampered
    root = team.actor("root")
    with writing():
        Variant.update(state="sent", sent_at=team.now, remote_id="r").where(
            Variant.post == post_id
        ).execute()
        (variant,) = Variant.select().where(Variant.post == post_id)
        rollup.note(variant.id, team.now, {"impressions": 100, "likes": 5})
    start, end = team.now - timedelta(days=1), team.now + timedelta(days=1)
    figures = content_figures(root, start, end)
    assert [line.title for line in figures.top] == [SHOWN]
    assert [g.name for g in figures.groups["tag"]] == [SHOWN]
    assert [g.name for g in figures.groups["channel"]] == [f"instagram {SHOWN}"]
    lines = content_posts(root, start, end)
    assert [line.title for line in lines] == [SHOWN]
    assert_clean([figures, lines, workflow_figures(root, start, end)])
