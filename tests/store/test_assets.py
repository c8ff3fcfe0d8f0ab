"""The media library and a post's media: what may be added, and media as part of the content."""

import re

import pytest

import store
from store import MediaKind, ValidationError


@pytest.fixture
def photo_file(tmp_path):
    path = tmp_path / "cup.jpg"
    path.write_bytes(b"\xff\xd8\xff")
    return path


def add(team, uri, by="ed", brand=None, **fields):
    return store.add_asset(team.actor(by), brand or team.brand, str(uri), team.now, **fields)


def test_a_file_on_this_machine_is_added_with_its_kind_from_the_extension(team, photo_file):
    asset = add(team, photo_file, alt_text=" A flat white ", tags=["#cups", "winter"])
    assert asset.kind is MediaKind.IMAGE
    assert (asset.name, asset.alt_text, asset.tags) == (
        "cup.jpg",
        "A flat white",
        ("cups", "winter"),
    )
    assert store.list_assets(team.actor("rev"), team.brand) == [asset]


def test_a_link_is_taken_and_its_kind_read_from_the_path(team):
    clip = add(team, "https://cdn.example.com/v/launch.MP4?sig=abc")
    assert clip.kind is MediaKind.VIDEO
    assert clip.name == "launch.MP4?sig=abc"


@pytest.mark.parametrize(
    ("uri", "field", "message"),
    [
        ("", "file", "give a file path or a link"),
        ("media/cup.jpg", "file", "is relative"),
        ("/nowhere/cup.jpg", "file", "there is no file at /nowhere/cup.jpg"),
        ("ftp://example.com/cup.jpg", "file", "is not an http(s) link"),
        ("https://example.com/brief.pdf", "kind", "whether it is an image or a video"),
        ("https://example.com/" + "a" * 1000 + ".jpg", "file", "the most is 1000"),
    ],
)
def test_bad_references_are_refused_with_the_field_and_reason(team, uri, field, message):
    with pytest.raises(ValidationError, match=re.escape(message)) as refused:
        add(team, uri)
    assert refused.value.field == field
    assert store.list_assets(team.actor("ed"), team.brand) == []


def test_an_unknown_extension_can_be_told_its_kind(team):
    assert add(team, "https://example.com/reel", kind="video").kind is MediaKind.VIDEO
    with pytest.raises(ValidationError, match="'gif' is not image or video"):
        add(team, "https://example.com/x", kind="gif")


def test_the_same_file_is_in_a_library_once(team, photo_file):
    first = add(team, photo_file)
    with pytest.raises(ValidationError, match=f"already in the library as #{first.id}"):
        add(team, photo_file)
    assert add(team, photo_file, brand=team.other_brand).id != first.id


def test_alt_text_has_a_ceiling(team):
    with pytest.raises(ValidationError, match="1501 characters; the most is 1500"):
        add(team, "https://example.com/a.png", alt_text="a" * 1501)


@pytest.mark.parametrize("login", ["rev", "cli"])
def test_reviewers_and_clients_may_not_add_media(team, login):
    with pytest.raises(store.PermissionDenied, match="may not add media to the library"):
        add(team, "https://example.com/a.png", by=login)


def test_a_client_sees_only_its_brands_library(team):
    add(team, "https://example.com/birch.png", brand=team.other_brand)
    with pytest.raises(store.PermissionDenied):
        store.list_assets(team.actor("cli"), team.other_brand)


def test_search_matches_name_alt_text_and_tags(team):
    cup = add(team, "https://example.com/cup.png", alt_text="A flat white")
    bag = add(team, "https://example.com/bag.png", tags=["merch"])
    ed = team.actor("ed")
    assert store.list_assets(ed, team.brand) == [bag, cup]
    assert store.list_assets(ed, team.brand, "flat") == [cup]
    assert store.list_assets(ed, team.brand, "MERCH") == [bag]
    assert store.list_assets(ed, team.brand, "cup.png") == [cup]


def test_a_post_keeps_its_media_in_order(team):
    a = add(team, "https://example.com/a.png", alt_text="a")
    b = add(team, "https://example.com/b.mp4")
    post = team.draft(media_ids=[b.id, a.id, b.id])
    assert team.detail(post.id).media == (b, a)
    store.edit_post(team.actor("ed"), post.id, team.now, media_ids=[a.id])
    detail = team.detail(post.id)
    assert detail.media == (a,)
    assert [r.media for r in detail.revisions] == [("b.mp4", "a.png"), ("a.png",)]


def test_media_from_another_brand_is_refused_and_nothing_is_written(team):
    other = add(team, "https://example.com/o.png", brand=team.other_brand)
    post = team.draft()
    with pytest.raises(ValidationError, match=f"asset #{other.id} is not in this brand"):
        store.edit_post(team.actor("ed"), post.id, team.now, media_ids=[other.id], title="New")
    detail = team.detail(post.id)
    assert (detail.summary.title, detail.media, detail.summary.revision) == ("Winter blend", (), 1)


def test_changing_the_media_of_an_approved_post_sends_it_back_to_review(team):
    a = add(team, "https://example.com/a.png", alt_text="a")
    b = add(team, "https://example.com/b.png", alt_text="b")
    post = team.in_review(media_ids=[a.id])
    store.approve(team.actor("rev"), post.id, team.now)
    assert team.detail(post.id).summary.stage is store.Stage.APPROVED
    store.edit_post(team.actor("ed"), post.id, team.now, media_ids=[b.id])
    detail = team.detail(post.id)
    assert detail.summary.stage is store.Stage.IN_REVIEW
    assert detail.approval.approvals == ()
    assert detail.summary.revision == 2


def test_a_photo_on_a_video_only_channel_blocks_review(team):
    root = team.actor("root")
    youtube = store.add_channel(root, team.brand, "youtube", "@acme", team.now)
    photo = add(team, "https://example.com/a.png", alt_text="a")
    post = team.draft(channel_ids=[youtube.id], media_ids=[photo.id])
    with pytest.raises(ValidationError, match="youtube: youtube takes video only"):
        store.move(team.actor("ed"), post.id, "in_review", team.now)


def test_a_revision_remembers_overrides_by_channel(team):
    post = team.draft(overrides={team.x: "Short for X"})
    revision = team.detail(post.id).revisions[0]
    assert revision.overrides == (("x @acmecoffee", "Short for X"),)
