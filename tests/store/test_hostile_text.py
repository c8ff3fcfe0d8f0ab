"""Hostile text through every text field of the store: refused with a clean reason, or kept clean."""

from __future__ import annotations

import dataclasses
from datetime import timedelta

import pytest

import store

#: Strings people (and, soon, strangers on social networks) could type or paste.
CORPUS = [
    "\x1b]0;pwned\x07\x1b[2J",
    "\x1b[41mred",
    "Deals [/b]",
    "Cafe [UK]",
    "[b]bold[/b] [link=https://x]x[/link]",
    "\u202eevil\u202c",
    "\u2066isolate\u2069",
    "👩\u200d👩\u200d👧 family",
    "e" + "\u0301" * 10000,
    "nul\x00byte",
    "lone \ud800 surrogate",
    "\x9b31m C1 CSI",
    "tab\tand\nnewline\r\nCRLF",
    "\u200b\u200d zero width",
    "\x7f\x85\x8d\x90\x9c\x9d\x9e\x9f DEL and C1",
    "\x1b\x9b\x00\u202e\r",
    "²",
    "#²",
    "9" * 30,
    "",
    "   ",
    "A" * 250,
    "🙂" * 5000,
    "B" * 100_001,
]

#: The most each field takes, after cleaning (None: no limit).
LIMITS = {"name": 100, "handle": 100, "title": 200, "caption": 100_000, "comment": 100_000}
LIMITS.update({"file": 1000, "alt text": 1500, "tags": 50, "brief": 100_000, "note": None})


def texts(value):
    """Every string inside a store value: fields, properties, items, keys."""
    if isinstance(value, str):
        yield value
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        for field in dataclasses.fields(value):
            yield from texts(getattr(value, field.name))
        for name, member in vars(type(value)).items():
            if isinstance(member, property):
                yield from texts(getattr(value, name))
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from texts(key)
            yield from texts(item)
    elif isinstance(value, (list, tuple, set, frozenset)):
        for item in value:
            yield from texts(item)


def assert_clean(value) -> None:
    """No string inside `value` holds a character a screen may not show."""
    for text in texts(value):
        assert store.unsafe_characters(text) == [], (store.unsafe_characters(text)[:3], text[:60])


def expected(text: str, *, lines: bool = False) -> str:
    """What the store keeps of `text`."""
    return store.clean(text, lines=lines).strip()


def attempt(field: str, call, text: str, *, lines: bool = False, optional: bool = False):
    """The call's result; or, for text over the field's limit (or empty once cleaned, unless the
    field is `optional`), None after checking it was refused naming the field, in words fit to show."""
    kept = expected(text, lines=lines)
    limit = LIMITS[field]
    if (kept or optional) and (limit is None or len(kept) <= limit):
        return call()
    with pytest.raises(store.ValidationError) as refused:
        call()
    assert refused.value.field == field
    assert store.unsafe_characters(str(refused.value)) == []
    return None


def refusal_is_clean(call) -> None:
    """Whatever the call does, a refusal it gives is fit to show."""
    try:
        call()
    except store.PostroomError as refused:
        assert store.unsafe_characters(str(refused)) == [], str(refused)[:80]


def everything_read(team) -> list:
    """What every read of the store returns, for the people who may read it."""
    root, mgr, ed, rev = (team.actor(login) for login in ("root", "mgr", "ed", "rev"))
    today = team.now.date()
    start, end = today - timedelta(days=3), today + timedelta(days=30)
    brands = store.list_brands(root)
    posts = store.list_posts(root)
    entries = store.review_queue(mgr, team.now)
    found = [brands, posts, store.list_channels(root), store.list_users(root, True)]
    found += [store.list_named(root, "campaign"), store.list_named(root, "pillar")]
    found += [store.notes_between(root, start, end), store.filter_options(root)]
    found += [store.post_detail(root, p.id) for p in posts]
    found += [store.review_context(rev, p.id) for p in posts]
    found += [store.trail(root, "post", p.id) for p in posts]
    found += [store.trail(root, "brand", b.id) for b in brands]
    found += [store.list_assets(root, b.id) for b in brands]
    found += [store.board_page(root, stage, team.now) for stage in store.Stage]
    found += [entries, store.queue_items(mgr, entries), store.news_since(ed, 0)]
    found += [store.calendar_days(root, start, end, "UTC", today)]
    found += [store.day_posts(root, today + timedelta(days=5), "UTC")]
    found += [store.cadence_gaps(root, today, "UTC"), store.search_posts(root, "")]
    return found


@pytest.mark.parametrize("number", range(len(CORPUS)))
def test_brands_channels_campaigns_pillars_and_users(team, number):
    """Names, handles and slugs are kept clean or refused; logins that are not clean are refused."""
    text, root = CORPUS[number], team.actor("root")
    slug = f"hostile-{number}"
    brand = attempt("name", lambda: store.create_brand(root, text, team.now, slug=slug), text)
    if brand is not None:
        assert brand.name == expected(text)
    refusal_is_clean(lambda: store.create_brand(root, f"Slug {number}", team.now, slug=text))
    channel = attempt(
        "handle",
        lambda: store.add_channel(root, team.brand, "mastodon", text, team.now, name=text),
        text,
    )
    if channel is not None:
        assert channel.handle == expected(text)
    named = store.add_channel(root, team.brand, "threads", "@named", team.now, name=text)
    assert named.name == (expected(text)[:100] or "@named")
    for kind, add in (("campaign", store.add_campaign), ("pillar", store.add_pillar)):
        row_id = attempt("name", lambda add=add: add(root, team.brand, text, team.now), text)
        if row_id is not None:
            assert store.find_named(root, kind, team.brand, text) == row_id
        refusal_is_clean(lambda kind=kind: store.find_named(root, kind, team.brand, text))
    if store.clean(text) != text or not text.strip() or any(c.isspace() for c in text):
        with pytest.raises(store.ValidationError) as refused:
            store.add_user(root, text, "editor", team.now, force=True)
        assert refused.value.field == "login"
    user = store.add_user(root, f"hostile{number}", "editor", team.now, name=text, force=True)
    assert user.name == expected(text)
    refusal_is_clean(lambda: store.find_brand(root, text))
    refusal_is_clean(lambda: store.find_channel(root, team.brand, text))
    assert_clean(everything_read(team))


@pytest.mark.parametrize("number", range(len(CORPUS)))
def test_posts_comments_and_tags(team, number):
    """Titles, briefs, captions, overrides, tags and comments are kept clean or refused."""
    text, ed = CORPUS[number], team.actor("ed")
    post = attempt("title", lambda: store.create_post(ed, team.brand, text, team.now), text)
    if post is not None:
        assert post.title == expected(text)
    post = team.draft("Hostile fields", publish_at=None)
    for name in ("brief", "caption"):
        attempt(
            name,
            lambda name=name: store.edit_post(ed, post.id, team.now, **{name: text}),
            text,
            lines=True,
            optional=True,
        )
    attempt("title", lambda: store.edit_post(ed, post.id, team.now, title=text), text)
    tag = expected(text).lstrip("#")
    if attempt(
        "tags", lambda: store.edit_post(ed, post.id, team.now, tags=[text]), tag, optional=True
    ):
        assert team.detail(post.id).tags == ((tag,) if tag else ())
    store.edit_post(ed, post.id, team.now, overrides={team.instagram: text})
    attempt("comment", lambda: store.add_comment(ed, post.id, text, team.now), text, lines=True)
    detail = team.detail(post.id)
    assert_clean(detail)
    kept = expected(text, lines=True)
    if kept and len(kept) <= LIMITS["caption"]:
        assert detail.caption == store.clean(text, lines=True)
        assert detail.comments[-1].body == kept
    override = next(v.caption_override for v in detail.variants if v.channel_id == team.instagram)
    assert override == (store.clean(text, lines=True) if kept else None)
    refusal_is_clean(lambda: store.search_posts(ed, text))
    assert_clean(store.search_posts(ed, text))
    assert_clean(everything_read(team))


@pytest.mark.parametrize("number", range(len(CORPUS)))
def test_review_notes_moves_calendar_notes_and_media(team, number):
    """Review and move notes, calendar notes, links, alt text and media tags stay clean."""
    text = CORPUS[number]
    ed, rev, rev2 = team.actor("ed"), team.actor("rev"), team.actor("rev2")
    post = team.in_review("Review me", channel_ids=[team.instagram])
    store.approve(rev, post.id, team.now, note=text)
    store.unapprove(rev, post.id, team.now, note=text)
    sent = attempt(
        "note", lambda: store.request_changes(rev2, post.id, text, team.now), text, lines=True
    )
    assert (sent is None) or sent.stage is store.Stage.CHANGES_REQUESTED
    note = attempt(
        "title", lambda: store.add_note(ed, text, team.now.date(), team.now), text, lines=False
    )
    if note is not None:
        assert note.title == expected(text)
    uri = f"https://cdn.example.com/{number}/{text}.jpg"
    asset = attempt(
        "file", lambda: store.add_asset(ed, team.brand, uri, team.now, kind="image"), uri
    )
    if asset is not None:
        assert asset.uri == expected(uri)
    link = f"https://cdn.example.com/alt{number}.jpg"
    described = attempt(
        "alt text",
        lambda: store.add_asset(ed, team.brand, link, team.now, alt_text=text),
        text,
        lines=True,
        optional=True,
    )
    assert described is None or described.alt_text == expected(text, lines=True)
    tagged = store.add_asset(ed, team.brand, link + "?t", team.now, tags=[text])
    assert tagged.tags == ((expected(text).lstrip("#"),) if expected(text).lstrip("#") else ())
    refusal_is_clean(lambda: store.add_asset(ed, team.brand, text, team.now))
    refusal_is_clean(lambda: store.find_asset(ed, team.brand, text, team.now))
    assert_clean(store.list_assets(ed, team.brand, text))
    assert_clean(team.detail(post.id))
    assert_clean(everything_read(team))


@pytest.mark.parametrize("number", range(len(CORPUS)))
def test_a_move_note_is_kept_clean(team, number):
    """A note on a stage move reaches the history and the audit trail clean (never a crash)."""
    text, ed = CORPUS[number], team.actor("ed")
    post = team.in_review("Moved", channel_ids=[team.instagram])
    store.move(ed, post.id, "draft", team.now, note=text)
    detail = team.detail(post.id)
    assert detail.stage_history[-1].note.strip() == store.clean(text, lines=True).strip()
    assert_clean(detail)
    assert_clean(store.trail(team.actor("root"), "post", post.id))


@pytest.mark.parametrize(
    ("typed", "one_line", "with_lines"),
    [
        ("Deals [/b]", "Deals [/b]", "Deals [/b]"),
        ("Cafe [UK]", "Cafe [UK]", "Cafe [UK]"),
        ("[b]bold[/b] [link=https://x]x[/link]",) * 3,
        ("👩\u200d👩\u200d👧 family",) * 3,
        ("\u200b\u200d zero width",) * 3,
        ("\x1b[41mred", "[41mred", "[41mred"),
        ("\x1b]0;pwned\x07\x1b[2J", "]0;pwned[2J", "]0;pwned[2J"),
        ("\u202eevil\u202c", "evil", "evil"),
        ("\u2066isolate\u2069", "isolate", "isolate"),
        ("nul\x00byte", "nulbyte", "nulbyte"),
        ("lone \ud800 surrogate", "lone \ufffd surrogate", "lone \ufffd surrogate"),
        ("\x9b31m C1 CSI", "31m C1 CSI", "31m C1 CSI"),
        ("tab\tand\nnewline\r\nCRLF", "tab and newline CRLF", "tab\tand\nnewline\nCRLF"),
        ("e" + "\u0301" * 10000, "e" + "\u0301" * 8, "e" + "\u0301" * 8),
    ],
)
def test_the_visible_text_survives_and_the_controls_go(team, typed, one_line, with_lines):
    """Markup-like text is kept literally, emoji keep their joiners, controls are dropped."""
    post = team.draft(typed, caption=typed, brief=typed)
    detail = team.detail(post.id)
    shown = (detail.summary.title, detail.caption, detail.brief)
    assert shown == (one_line, with_lines, with_lines)
    note = store.add_note(team.actor("ed"), typed, team.now.date(), team.now)
    assert note.title == one_line
    assert store.search_posts(team.actor("ed"), typed)[0].id == post.id


def test_a_login_with_controls_or_bidi_is_refused(team):
    """A login must be a clean Unix login: no escape, bidi override or NUL gets in."""
    for login in ("ro\x1bot", "evil\u202e", "nul\x00", "a\x9bb", "e\u0301" + "\u0301" * 9):
        with pytest.raises(store.ValidationError, match="login"):
            store.add_user(team.actor("root"), login, "editor", team.now, force=True)
