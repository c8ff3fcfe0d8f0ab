"""Bluesky facets sit at UTF-8 byte offsets: é is 2 bytes, ☕ 3, 🎉 4, 冬 3."""

from store.publishing.images import dimensions
from store.publishing.richtext import facets
from store.publishing.tid import encode, is_tid, new_tid


def spans(text, **kw):
    raw = text.encode()
    return [
        (
            f["features"][0]["$type"].split("#")[1],
            raw[f["index"]["byteStart"] : f["index"]["byteEnd"]].decode(),
        )
        for f in facets(text, **kw)
    ]


def test_offsets_are_bytes_after_accents_emoji_and_cjk():
    text = "é🎉冬 see https://x.example/a?b=1. #café @bob.test"
    found = facets(text, resolve=lambda h: "did:plc:bob" if h == "bob.test" else None)
    assert found[0]["index"] == {
        "byteStart": len("é🎉冬 see ".encode()),
        "byteEnd": len("é🎉冬 see https://x.example/a?b=1".encode()),
    }
    assert spans(text, resolve=lambda h: "did:plc:bob") == [
        ("link", "https://x.example/a?b=1"),
        ("tag", "#café"),
        ("mention", "@bob.test"),
    ]
    assert found[2]["features"][0]["did"] == "did:plc:bob"


def test_an_unresolved_mention_and_a_number_tag_are_not_facets():
    assert spans("@nobody.test #2026 #ok") == [("tag", "#ok")]


def test_tids_are_13_sortable_characters_and_never_repeat():
    keys = [new_tid() for _ in range(1000)]
    assert all(is_tid(k) for k in keys) and len(set(keys)) == 1000
    assert keys == sorted(keys)
    assert encode(0) == "2222222222222" and not is_tid("Invalid-TID!!")


def test_image_dimensions_from_their_headers(tmp_path):
    from tests.publishing.posts import png

    assert dimensions(png(tmp_path / "a.png", 40, 30)) == (40, 30)
    (tmp_path / "b.gif").write_bytes(b"GIF89a\x05\x00\x07\x00" + b"\0" * 10)
    assert dimensions(tmp_path / "b.gif") == (5, 7)
    (tmp_path / "c.txt").write_text("no image")
    assert dimensions(tmp_path / "c.txt") is None
