"""With hostile text stored, no CLI listing or refusal sends a control character to the terminal."""

from __future__ import annotations

import json
import shutil
from datetime import timedelta

import pytest
import regex

import store

from ..conftest import NOW
from ..store.test_hostile_text import CORPUS
from .seeded import in_process

#: What may not reach a terminal: C0 controls but tab and newline, DEL and C1, lone surrogates,
#: bidi embeddings, overrides and isolates.
CONTROLS = regex.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\u202a-\u202e\u2066-\u2069]")
FAMILY = "👩\u200d👩\u200d👧 family"
LISTINGS = [
    ("post", "list"),
    ("note", "list"),
    ("brand", "list"),
    ("channel", "list"),
    ("campaign", "list"),
    ("pillar", "list"),
    ("asset", "list", "--brand", "acme"),
    ("users", "list"),
]


def controls_in(text: str) -> list[str]:
    """The control characters of `text`, as code points."""
    return [f"U+{ord(m.group(0)):04X}" for m in CONTROLS.finditer(text)]


def kept(text: str) -> bool:
    """Whether the store keeps `text` as a one-line name (not empty, not over 100 characters)."""
    return 0 < len(store.clean(text).strip()) <= 100


@pytest.fixture(scope="module")
def hostile_db(tmp_path_factory):
    """A database holding every string of the corpus in every text field that takes it."""
    path = tmp_path_factory.mktemp("hostile") / "team.db"
    store.open_database(path, create=True)
    store.init_database("root", NOW, "UTC")
    root = store.actor_for("root")
    acme = store.create_brand(root, "Acme", NOW, slug="acme")
    for login, role in (("ed", "editor"), ("rev", "reviewer")):
        store.add_user(root, login, role, NOW, timezone="UTC", force=True)
    store.add_user(root, "cli", "client", NOW, brand_slugs=("acme",), force=True)
    ig = store.add_channel(root, acme.id, "instagram", "@acme", NOW)
    ed, rev = store.actor_for("ed"), store.actor_for("rev")
    publish = NOW + timedelta(days=3)
    for n, text in enumerate(CORPUS):
        store.add_user(root, f"user{n}", "editor", NOW, name=text, timezone="UTC", force=True)
        store.add_channel(root, acme.id, "mastodon", f"@m{n}", NOW, name=text)
        store.add_asset(ed, acme.id, f"https://cdn.example.com/{n}.jpg", NOW, tags=[text])
        if not kept(text):
            continue
        store.create_brand(root, text, NOW, slug=f"brand-{n}")
        store.add_channel(root, acme.id, "bluesky", text, NOW)
        store.add_campaign(root, acme.id, text, NOW)
        store.add_pillar(root, acme.id, text, NOW)
        store.add_note(ed, text, NOW.date(), NOW)
        store.add_asset(ed, acme.id, f"https://cdn.example.com/alt{n}.jpg", NOW, alt_text=text)
        post = store.create_post(
            ed,
            acme.id,
            text,
            NOW,
            brief=text,
            caption=text,
            tags=[text[:50]],
            channel_ids=[ig.id],
            overrides={ig.id: text},
            publish_at=publish,
        )
        store.add_comment(rev, post.id, text, NOW)
        store.move(ed, post.id, "in_review", NOW)
        store.request_changes(rev, post.id, text, NOW)
    store.close_database()
    return str(path)


@pytest.fixture
def run(hostile_db, tmp_path, monkeypatch, capsys):
    """Run `postroom ARGS` as `login` at NOW on a copy of the hostile database; (exit code,
    stdout, stderr)."""
    db = str(tmp_path / "team.db")
    shutil.copyfile(hostile_db, db)
    return in_process(monkeypatch, capsys, db=db, checked=False)


@pytest.mark.parametrize("login", ["root", "cli"])
@pytest.mark.parametrize("command", LISTINGS, ids=" ".join)
def test_listings_hold_no_control_character(run, command, login):
    """Every listing, as a table and as JSON, is fit for a terminal, and the JSON parses."""
    code, out, err = run(login, *command)
    assert code == 0, err
    assert controls_in(out + err) == []
    assert store.unsafe_characters(out) == []
    code, out, err = run(login, *command, "--json")
    assert code == 0, err
    assert controls_in(out + err) == []
    assert isinstance(json.loads(out), list)


def test_posts_shown_one_by_one_hold_no_control_character(run):
    """`post show` of every post, as text and JSON, holds no control character."""
    code, out, _ = run("root", "post", "list", "--json")
    ids = [row["id"] for row in json.loads(out)]
    assert len(ids) == sum(kept(text) for text in CORPUS)
    for post_id in ids:
        for extra in ((), ("--json",)):
            code, out, err = run("root", "post", "show", str(post_id), *extra)
            assert code == 0, err
            assert controls_in(out + err) == [], post_id
        detail = json.loads(out)
        assert controls_in(json.dumps(detail, ensure_ascii=False)) == []
        assert detail["caption"] == store.clean(detail["caption"], lines=True)


def test_the_visible_text_survives_literally(run):
    """Markup-like text comes out as typed; emoji keep their joiners; escapes lose their ESC."""
    _, out, _ = run("root", "post", "list")
    assert "Deals [/b]" in out and "Cafe [UK]" in out and FAMILY in out
    assert "[41mred" in out and "\x1b" not in out
    titles = {row["title"] for row in json.loads(run("root", "post", "list", "--json")[1])}
    assert {"Deals [/b]", "Cafe [UK]", FAMILY, "[41mred", "evil", "nulbyte"} <= titles
    assert "[b]bold[/b] [link=https://x]x[/link]" in titles
    brands = {row["name"] for row in json.loads(run("root", "brand", "list", "--json")[1])}
    assert {"Deals [/b]", "Cafe [UK]", FAMILY} <= brands
    assert "Deals [/b]" in run("root", "brand", "list")[1]
    notes = {row["title"] for row in json.loads(run("root", "note", "list", "--json")[1])}
    assert {"Deals [/b]", "Cafe [UK]", FAMILY, "tab and newline CRLF"} <= notes
    (post,) = [
        p for p in json.loads(run("root", "post", "list", "--json")[1]) if "CRLF" in p["title"]
    ]
    shown = json.loads(run("root", "post", "show", str(post["id"]), "--json")[1])
    assert shown["caption"] == "tab\tand\nnewline\nCRLF"


@pytest.mark.parametrize("number", range(len(CORPUS)))
def test_refusals_that_echo_input_hold_no_control_character(run, number):
    """A brand, stage, id, day or login given as hostile text is refused in words fit to show."""
    text = CORPUS[number]
    for login, args in (
        ("root", ("post", "list", "--brand", text)),
        ("cli", ("post", "list", "--brand", text)),
        ("root", ("channel", "list", "--brand", text)),
        ("root", ("asset", "list", "--brand", text)),
        ("root", ("note", "list", "--brand", text)),
        ("root", ("post", "list", "--stage", text)),
        ("root", ("post", "list", "--from", text)),
        ("root", ("post", "show", text)),
        ("root", ("users", "add", text, "editor", "--force")),
        ("root", ("channel", "add", "acme", "x", text)),
        ("ed", ("post", "add", "--brand", "acme", "--title", text, "--channel", text)),
    ):
        code, out, err = run(login, *args)
        assert code in (0, 1, 2)
        assert controls_in(out + err) == [], args
        assert "Traceback" not in err and "internal error" not in err, err[:200]
        if "--brand" in args[:3] and code == 1:
            assert store.unsafe_characters(err) == [], err[:200]


@pytest.mark.parametrize("number", range(len(CORPUS)))
def test_hostile_input_through_the_cli_is_stored_clean(run, number):
    """Titles, captions, comments and notes typed at the CLI are stored and shown clean."""
    text = CORPUS[number]
    code, out, err = run(
        "ed", "post", "add", "--brand", "acme", "--title", text, "--caption", text, "--json"
    )
    assert controls_in(out + err) == []
    titled = 0 < len(store.clean(text).strip()) <= 200
    assert code == (0 if titled else 1), err
    if code == 0:
        detail = json.loads(out)
        assert detail["summary"]["title"] == store.clean(text).strip()
        code, out, err = run("rev", "post", "comment", str(detail["summary"]["id"]), text)
        assert controls_in(out + err) == []
    code, out, err = run("ed", "note", "add", text, "--on", "today")
    assert controls_in(out + err) == []
    assert code == (0 if titled else 1), err
