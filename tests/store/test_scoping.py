"""Every read, asked by a client of brand A for brand B, by an unknown or a removed account."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import timedelta

import pytest

import store

from .test_hostile_text import texts

#: Names that look like reads but read nothing of anyone's (pure date arithmetic).
NOT_READS = {"day_bounds"}
READ_PREFIXES = (
    "list_",
    "find_",
    "search_",
    "day_",
    "calendar_",
    "board_",
    "filter_",
    "review_",
    "queue_",
    "post_detail",
    "notes_",
    "cadence_",
    "trail",
    "needs_",
    "news_",
)


@dataclass
class World:
    """Brand A (Acme) and brand B (Birch), with a post, note, asset, campaign of each."""

    team: object
    a: int
    b: int
    a_post: int
    b_posts: tuple[int, ...]
    a_asset: int
    b_asset: int

    @property
    def now(self):
        return self.team.now

    @property
    def today(self):
        return self.team.now.date()


@pytest.fixture
def world(team) -> World:
    """B's things are all called "Birch …"; ed2 owns B posts, then becomes a client of A."""
    root, ed, ed2, rev = (team.actor(x) for x in ("root", "ed", "ed2", "rev"))
    a, b = team.brand, team.other_brand
    soon = team.now + timedelta(days=2)
    a_post = team.in_review("Acme winter", channel_ids=[team.instagram], publish_at=soon)
    b_channel = store.add_channel(root, b, "bluesky", "birch.bsky", team.now, posts_per_week=3)
    for brand, name in ((a, "Acme"), (b, "Birch")):
        store.add_campaign(root, brand, f"{name} launch", team.now)
        store.add_pillar(root, brand, f"{name} craft", team.now)
        store.add_note(ed, f"{name} day", team.now.date(), team.now, brand_id=brand)
    store.add_note(ed, "Team offsite", team.now.date(), team.now)
    a_asset = store.add_asset(ed, a, "https://cdn.example.com/acme.jpg", team.now)
    b_asset = store.add_asset(ed, b, "https://cdn.example.com/birch.jpg", team.now)
    b_posts = []
    for title in ("Birch review", "Birch sent back"):
        post = store.create_post(
            ed2,
            b,
            title,
            team.now,
            channel_ids=[b_channel.id],
            publish_at=soon,
            caption="Birch trails",
            tags=["birch"],
            media_ids=[b_asset.id],
        )
        store.move(ed2, post.id, "in_review", team.now)
        b_posts.append(post.id)
    store.request_changes(rev, b_posts[1], "Birch needs work", team.now)
    store.set_role(root, "ed2", "client", team.now, brand_slugs=("acme-coffee",))
    return World(team, a, b, a_post.id, tuple(b_posts), a_asset.id, b_asset.id)


def _queue_of(w, brand_id=None):
    """The whole review queue as an admin sees it (entries a client might pass in)."""
    return store.review_queue(w.team.actor("root"), w.now, brand_id=brand_id)


#: Every read of the public surface: (asking for B explicitly, asking for nothing in particular).
READS = {
    "list_assets": (
        lambda w, me: store.list_assets(me, w.b),
        lambda w, me: store.list_assets(me, w.a),
    ),
    "find_asset": (
        lambda w, me: store.find_asset(me, w.b, str(w.b_asset), w.now),
        lambda w, me: store.find_asset(me, w.a, str(w.a_asset), w.now),
    ),
    "find_brand": (
        lambda w, me: [store.find_brand(me, "birch-outdoor"), store.find_brand(me, str(w.b))],
        lambda w, me: store.find_brand(me, "acme-coffee"),
    ),
    "find_channel": (
        lambda w, me: store.find_channel(me, w.b, "birch-outdoor"),
        lambda w, me: store.find_channel(me, w.a, "@acme"),
    ),
    "find_named": (
        lambda w, me: store.find_named(me, "campaign", w.b, "Birch launch"),
        lambda w, me: store.find_named(me, "campaign", w.a, "Acme launch"),
    ),
    "list_brands": (lambda w, me: store.list_brands(me),) * 2,
    "list_channels": (
        lambda w, me: store.list_channels(me, w.b),
        lambda w, me: store.list_channels(me),
    ),
    "list_named": (
        lambda w, me: [store.list_named(me, k, w.b) for k in ("campaign", "pillar")],
        lambda w, me: [store.list_named(me, k) for k in ("campaign", "pillar")],
    ),
    "list_deliveries": (
        lambda w, me: store.list_deliveries(me, brand_id=w.b),
        lambda w, me: store.list_deliveries(me),
    ),
    "list_posts": (
        lambda w, me: store.list_posts(me, brand_id=w.b),
        lambda w, me: store.list_posts(me),
    ),
    "list_users": (
        lambda w, me: store.list_users(me, include_inactive=True),
        lambda w, me: store.list_users(me),
    ),
    "search_posts": (
        lambda w, me: [
            store.search_posts(me, "Birch", brand_id=w.b),
            store.search_posts(me, f"#{w.b_posts[0]}"),
            store.search_posts(me, "Birch"),
        ],
        lambda w, me: store.search_posts(me, ""),
    ),
    "day_posts": (
        lambda w, me: store.day_posts(me, w.today + timedelta(days=2), "UTC", brand_id=w.b),
        lambda w, me: store.day_posts(me, w.today + timedelta(days=2), "UTC"),
    ),
    "calendar_days": (
        lambda w, me: store.calendar_days(
            me, w.today, w.today + timedelta(days=7), "UTC", w.today, brand_id=w.b
        ),
        lambda w, me: store.calendar_days(me, w.today, w.today + timedelta(days=7), "UTC", w.today),
    ),
    "cadence_gaps": (
        lambda w, me: store.cadence_gaps(me, w.today, "UTC", brand_id=w.b),
        lambda w, me: store.cadence_gaps(me, w.today, "UTC"),
    ),
    "filter_options": (
        lambda w, me: store.filter_options(me, w.b),
        lambda w, me: store.filter_options(me),
    ),
    "board_counts": (
        lambda w, me: store.board_counts(me, w.now, brand_id=w.b),
        lambda w, me: store.board_counts(me, w.now),
    ),
    "board_page": (
        lambda w, me: store.board_page(me, store.Stage.IN_REVIEW, w.now, brand_id=w.b),
        lambda w, me: [store.board_page(me, s, w.now) for s in store.Stage],
    ),
    "notes_between": (
        lambda w, me: store.notes_between(me, w.today, w.today + timedelta(days=1), w.b),
        lambda w, me: store.notes_between(me, w.today, w.today + timedelta(days=1)),
    ),
    "post_detail": (
        lambda w, me: [store.post_detail(me, p) for p in w.b_posts],
        lambda w, me: store.post_detail(me, w.a_post),
    ),
    "review_queue": (
        lambda w, me: store.review_queue(me, w.now, brand_id=w.b),
        lambda w, me: store.review_queue(me, w.now),
    ),
    "queue_items": (
        lambda w, me: store.queue_items(me, _queue_of(w, w.b)),
        lambda w, me: store.queue_items(me, _queue_of(w)),
    ),
    "review_context": (
        lambda w, me: [store.review_context(me, p) for p in w.b_posts],
        lambda w, me: store.review_context(me, w.a_post),
    ),
    "trail": (
        lambda w, me: store.trail(me, "post", w.b_posts[0]),
        lambda w, me: store.trail(me, "post", w.a_post),
    ),
    "needs_me": (lambda w, me: store.needs_me(me, w.now),) * 2,
    "news_since": (lambda w, me: store.news_since(me, 0),) * 2,
}

#: What a client of A gets asking for nothing in particular (for reads whose answer is counts).
COUNTS = {
    "board_counts": lambda w: store.board_counts(w.team.actor("root"), w.now, brand_id=w.a),
    "needs_me": lambda w: store.NeedsMe(to_review=1, sent_back=0),
}


def looks_like_a_read(name: str) -> bool:
    return callable(getattr(store, name)) and name.startswith(READ_PREFIXES)


def test_every_read_of_the_public_surface_is_in_the_table():
    """A new read in store.__all__ must join this table (and so these checks)."""
    reads = {name for name in store.__all__ if looks_like_a_read(name)} - NOT_READS
    assert reads - set(READS) == set(), "add these reads to READS"
    assert set(READS) - set(store.__all__) == set()


def leaks(value, w: World) -> list:
    """What in `value` belongs to brand B: a brand id, a post id, a name."""
    found = [t for t in texts(value) if "birch" in t.lower()]
    stack = [value]
    while stack:
        item = stack.pop()
        if dataclasses.is_dataclass(item) and not isinstance(item, type):
            fields = {f.name: getattr(item, f.name) for f in dataclasses.fields(item)}
            if fields.get("brand_id") == w.b or w.b in fields.get("brand_ids", ()):
                found.append(item)
            if fields.get("post_id") in w.b_posts:
                found.append(item)
            stack.extend(fields.values())
        elif isinstance(item, dict):
            stack.extend(item.values())
        elif isinstance(item, (list, tuple)):
            stack.extend(item)
    return found


def call(read, w: World, actor):
    """The read's answer, or the refusal it gave (PermissionDenied, NotFound, ValidationError)."""
    try:
        return read(w, actor)
    except (store.PermissionDenied, store.NotFound, store.ValidationError) as refused:
        return refused


@pytest.mark.parametrize("client", ["cli", "ed2"])
@pytest.mark.parametrize("name", sorted(READS))
def test_a_client_of_a_asking_for_b_gets_nothing_of_b(world, name, client):
    """Brand B explicitly, or a post, asset or channel of B: refused or empty, never B's data."""
    answer = call(READS[name][0], world, world.team.actor(client))
    if isinstance(answer, store.PostroomError):
        assert "birch" not in str(answer).lower() or "birch-outdoor" in str(answer), answer
    else:
        assert leaks(answer, world) == []


@pytest.mark.parametrize("client", ["cli", "ed2"])
@pytest.mark.parametrize("name", sorted(READS))
def test_a_client_of_a_asking_for_nothing_in_particular_gets_only_a(world, name, client):
    """Without a brand, a client's reads hold A's rows only."""
    answer = call(READS[name][1], world, world.team.actor(client))
    if name in COUNTS:
        assert answer == COUNTS[name](world)
    elif not isinstance(answer, store.PermissionDenied):
        assert not isinstance(answer, store.PostroomError), answer
        assert leaks(answer, world) == []


def test_a_clients_lists_hold_its_own_brands_rows(world):
    """The scoping narrows to A; it does not hide A from its own client."""
    cli = world.team.actor("cli")
    assert [b.id for b in store.list_brands(cli)] == [world.a]
    assert {p.brand_id for p in store.list_posts(cli)} == {world.a}
    assert {c.brand_id for c in store.list_channels(cli)} == {world.a}
    titles = {n.title for n in store.notes_between(cli, world.today, world.today + timedelta(1))}
    assert titles == {"Acme day", "Team offsite"}
    assert [e.post_id for e in store.review_queue(cli, world.now)] == [world.a_post]
    assert store.post_detail(cli, world.a_post).summary.title == "Acme winter"
    logins = {u.login for u in store.list_users(cli)}
    assert {"cli", "ed2", "root", "ed"} <= logins
    assert all(u.brand_ids in ((), (world.a,)) for u in store.list_users(cli))


def test_news_and_counts_of_a_former_editor_leave_out_the_other_brand(world):
    """ed2 owned B's posts before becoming a client of A: B's news and counts stay out."""
    ed2 = world.team.actor("ed2")
    assert store.news_since(ed2, 0) == []
    assert store.needs_me(ed2, world.now).sent_back == 0
    root = world.team.actor("root")
    store.set_role(root, "ed2", "editor", world.now)
    assert [n.post_id for n in store.news_since(world.team.actor("ed2"), 0)] == [world.b_posts[1]]


def strangers(world):
    """An unknown account, a removed client and a removed manager (as made now, and as a
    session holding its actor from before the removal would pass it)."""
    root = world.team.actor("root")
    stale_client, stale_manager = world.team.actor("cli"), world.team.actor("mgr")
    for login in ("cli", "mgr"):
        store.remove_user(root, login, world.now)
    return [
        ("mallory", store.actor_for("mallory"), "is not a user of this database"),
        ("cli", store.actor_for("cli"), "was removed from this team"),
        ("cli", stale_client, "was removed from this team"),
        ("mgr", store.actor_for("mgr"), "was removed from this team"),
        ("mgr", stale_manager, "was removed from this team"),
    ]


@pytest.mark.parametrize("name", sorted(READS))
def test_unknown_and_removed_accounts_are_told_who_can_add_them(world, name):
    """Every read, for B or for nothing in particular: PermissionDenied naming an admin."""
    for login, actor, words in strangers(world):
        for read in READS[name]:
            with pytest.raises(store.PermissionDenied) as refused:
                read(world, actor)
            message = str(refused.value)
            assert message == store.stranger_message(login), (login, name)
            assert words in message and "an admin (root) can add them" in message


def test_a_client_removed_after_its_actor_was_made_sees_no_posts(world):
    """The reported case: `users remove` of a client, then `post list` with the old actor."""
    cli = world.team.actor("cli")
    assert store.list_posts(cli)
    store.remove_user(world.team.actor("root"), "cli", world.now)
    with pytest.raises(store.PermissionDenied, match="cli was removed from this team"):
        store.list_posts(cli)
    assert not store.may_see(cli, world.a)


def test_filter_options_and_cadence_gaps_check_the_client(world):
    """The two reads reported to skip the check: B's channels never reach a client of A."""
    cli = world.team.actor("cli")
    with pytest.raises(store.PermissionDenied):
        store.filter_options(cli, world.b)
    with pytest.raises(store.PermissionDenied):
        store.cadence_gaps(cli, world.today, "UTC", brand_id=world.b)
    gaps = store.cadence_gaps(cli, world.today, "UTC")
    assert gaps and {c.brand_id for day in gaps.values() for c in day} == {world.a}
    assert {c.brand_id for c in store.filter_options(cli).channels} == {world.a}
