"""Caption rules: lengths counted as each platform counts them, hashtag and media limits."""

from datetime import date

import pytest

from store import AssetInfo, MediaKind, Platform, caption_length, check_caption
from store.publishing.platforms import RULES, graphemes

THUMB_DARK = "👍🏿"  # thumb + skin tone modifier
FAMILY = "👨‍👩‍👧‍👦"  # four people joined by ZWJ
FLAG = "🇯🇵"  # two regional indicators


def photo(name="a.jpg", alt="A cup on a table"):
    return AssetInfo(1, 1, f"/srv/media/{name}", MediaKind.IMAGE, alt)


def clip(name="a.mp4"):
    return AssetInfo(2, 1, f"/srv/media/{name}", MediaKind.VIDEO, "")


RAINBOW = "🏳️‍🌈"  # flag + variation selector + ZWJ + rainbow


@pytest.mark.parametrize("text", [THUMB_DARK, FAMILY, FLAG, RAINBOW, "é", "e\u0301"])
def test_one_visible_character_counts_as_one_grapheme(text):
    assert len(graphemes(text)) == 1
    assert caption_length(Platform.BLUESKY, text) == 1
    assert caption_length(Platform.INSTAGRAM, text) == 1


def test_cjk_and_rtl_count_per_character_on_grapheme_platforms():
    assert caption_length(Platform.THREADS, "日本語のテキスト") == 8
    assert caption_length(Platform.THREADS, "שלום עולם") == 9


def test_x_counts_wide_characters_as_two_and_emoji_sequences_as_two():
    assert caption_length(Platform.X, "hello") == 5
    assert caption_length(Platform.X, "日本語") == 6
    assert caption_length(Platform.X, FAMILY) == 2
    assert caption_length(Platform.X, THUMB_DARK) == 2
    assert caption_length(Platform.X, FLAG) == 2
    assert caption_length(Platform.X, "שלום") == 4  # Hebrew is in X's light range


def test_x_counts_every_url_as_23():
    short = "see https://a.io"
    long = "see https://example.com/" + "a" * 200
    assert caption_length(Platform.X, short) == 4 + 23
    assert caption_length(Platform.X, long) == 4 + 23


def test_x_limit_is_280_weighted():
    assert not check_caption(Platform.X, "a" * 280).errors
    assert not check_caption(Platform.X, "日" * 140).errors
    over = check_caption(Platform.X, "日" * 141)
    assert over.length == 282
    assert over.errors[0].message == "282 of 280 characters: 2 over the limit"
    assert over.errors[0].position == 140


def test_bluesky_allows_300_graphemes_of_emoji():
    assert not check_caption(Platform.BLUESKY, FAMILY * 300).errors
    assert check_caption(Platform.BLUESKY, FAMILY * 301).errors


def test_mastodon_counts_links_as_23_and_remote_mentions_by_user_part():
    text = "hi @anna@mastodon.social https://example.org/" + "x" * 100
    assert caption_length(Platform.MASTODON, text) == len("hi @anna ") + 23


def test_instagram_allows_five_hashtags_and_points_at_the_sixth():
    five = "#a #b #c #d #e"
    assert not check_caption(Platform.INSTAGRAM, five, media=[photo()]).errors
    report = check_caption(Platform.INSTAGRAM, five + " #f", media=[photo()])
    assert report.errors[0].message == "6 hashtags; instagram allows 5 (#f is the first too many)"
    assert report.errors[0].position == len(five) + 1


def test_threads_allows_one_topic_tag():
    assert check_caption(Platform.THREADS, "#one #two").errors


def test_hashtags_are_not_numbers_or_anchors():
    assert not check_caption(Platform.THREADS, "Issue #1 and #2 and &#39; #real").errors


def test_media_limits_and_needs():
    five = [photo(f"{n}.jpg") for n in range(5)]
    assert check_caption(Platform.X, "hi", five).errors[0].message == "5 media; x allows 4"
    assert not check_caption(Platform.X, "hi", five[:4]).findings
    warnings = [f.message for f in check_caption(Platform.INSTAGRAM, "hi").findings]
    assert "instagram posts need an image or video" in warnings
    assert not check_caption(Platform.INSTAGRAM, "hi", [clip()]).findings


def test_youtube_takes_a_video_only():
    assert check_caption(Platform.YOUTUBE, "hi").warnings[0].message == "youtube posts need a video"
    assert check_caption(Platform.YOUTUBE, "hi", [photo()]).errors[0].message == (
        "youtube takes video only"
    )
    assert not check_caption(Platform.YOUTUBE, "hi", [clip()]).findings


def test_images_without_alt_text_are_named_where_the_platform_takes_alt_text():
    bare = [photo("cup.jpg", alt=""), photo("bar.jpg", alt="  "), photo("ok.jpg")]
    report = check_caption(Platform.BLUESKY, "hi", bare)
    assert [f.message for f in report.warnings] == ["no alt text on cup.jpg, bar.jpg"]
    many = [photo(f"{n}.jpg", alt="") for n in range(5)]
    assert check_caption(Platform.X, "hi", many[:4]).warnings[0].message == (
        "no alt text on 0.jpg, 1.jpg, 2.jpg …"
    )
    assert not check_caption(Platform.TIKTOK, "hi", bare[:1]).findings


def test_a_long_caption_is_checked_quickly_and_correctly():
    report = check_caption(Platform.INSTAGRAM, "x" * 10_000, media=[photo()])
    assert report.length == 10_000
    assert report.errors[0].position == 2200


@pytest.mark.parametrize("platform", list(Platform))
def test_every_platform_has_rules_with_a_source_and_a_check_date(platform):
    rule = RULES[platform]
    assert rule.caption_limit > 0
    assert rule.source
    assert isinstance(rule.checked, date)
