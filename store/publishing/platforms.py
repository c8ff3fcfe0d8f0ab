"""Each platform's caption rules as data, and `check_caption`, which applies them.

Lengths are counted the way each platform counts: grapheme clusters (what a reader sees as
one character: a flag, a family emoji, a skin-toned thumb), X's weighted count, or
Mastodon's count with links as 23. Every rule names its source and the day it was checked.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

import regex

from ..domain import AssetInfo, CaptionReport, Finding, MediaKind, Platform


@dataclass(frozen=True)
class PlatformRules:
    """What one platform accepts in a post."""

    platform: Platform
    glyph: str  # one column wide, so calendar cells stay aligned
    caption_limit: int
    counting: str  # "graphemes", "x-weighted" or "mastodon"
    hashtag_limit: int | None
    media_limit: int
    needs_media: bool
    source: str
    checked: date
    note: str = ""
    media_kinds: str = "an image or video"  # what the post needs, in words
    alt_text: bool = True  # whether the platform takes alt text for images


_CHECKED = date(2026, 11, 23)

RULES: dict[Platform, PlatformRules] = {
    rule.platform: rule
    for rule in (
        PlatformRules(
            Platform.INSTAGRAM,
            "I",
            2200,
            "graphemes",
            5,
            20,
            True,
            "Instagram @creators announcement (Dec 2025): 5 hashtags per post or reel; "
            "help centre: 2,200-character captions, carousels of up to 20",
            _CHECKED,
        ),
        PlatformRules(
            Platform.TIKTOK,
            "K",
            2200,
            "graphemes",
            None,
            35,
            True,
            "TikTok Content Posting API caps captions at 2,200 (the app allows 4,000, "
            "but a scheduler posts through the API); photo mode up to 35 images",
            _CHECKED,
            alt_text=False,
        ),
        PlatformRules(
            Platform.FACEBOOK,
            "F",
            63206,
            "graphemes",
            None,
            10,
            False,
            "Facebook page posts: 63,206 characters (Sprout Social glossary); "
            "10 photos per multi-photo post through the Graph API",
            _CHECKED,
        ),
        PlatformRules(
            Platform.LINKEDIN,
            "L",
            3000,
            "graphemes",
            None,
            20,
            False,
            "LinkedIn share commentary: 3,000 characters; multi-image posts up to 20",
            _CHECKED,
        ),
        PlatformRules(
            Platform.PINTEREST,
            "P",
            500,
            "graphemes",
            None,
            5,
            True,
            "Pinterest: pin description 500 characters, title 100; carousel pins up to 5",
            _CHECKED,
        ),
        PlatformRules(
            Platform.X,
            "X",
            280,
            "x-weighted",
            None,
            4,
            False,
            "twitter-text config v3: weighted length 280, URLs count 23, emoji 2, "
            "code points outside the Latin ranges 2; 4 media per post",
            _CHECKED,
        ),
        PlatformRules(
            Platform.THREADS,
            "@",
            500,
            "graphemes",
            1,
            10,
            False,
            "Threads: 500 characters per post, one topic tag per post, 10 images",
            _CHECKED,
        ),
        PlatformRules(
            Platform.BLUESKY,
            "B",
            300,
            "graphemes",
            None,
            4,
            False,
            "Bluesky lexicon app.bsky.feed.post: text maxGraphemes 300; 4 images or 1 video",
            _CHECKED,
        ),
        PlatformRules(
            Platform.MASTODON,
            "M",
            500,
            "mastodon",
            None,
            4,
            False,
            "Mastodon default server: 500 characters, URLs count 23, remote mentions "
            "count only the user part; 4 attachments",
            _CHECKED,
            note="servers can raise the limit",
        ),
        PlatformRules(
            Platform.YOUTUBE,
            "Y",
            5000,
            "graphemes",
            60,
            1,
            True,
            "YouTube: description 5,000 characters, title 100; over 60 hashtags "
            "and YouTube ignores them all; one video per upload",
            _CHECKED,
            media_kinds="a video",
            alt_text=False,
        ),
    )
}

_GRAPHEME = regex.compile(r"\X")
_URL = regex.compile(r"(?:https?://|www\.)[^\s<>\"']+", regex.IGNORECASE)
_HASHTAG = regex.compile(r"(?<![\w&#])#(\w*[^\W\d_]\w*)")
_REMOTE_MENTION = regex.compile(r"(?<!\w)(@\w+)@[\w.-]+\w")
_EMOJI = regex.compile(r"[\p{Extended_Pictographic}\p{Regional_Indicator}]")
#: twitter-text v3: code points in these ranges weigh 1, every other code point 2.
_X_LIGHT_RANGES = ((0, 4351), (8192, 8205), (8208, 8223), (8242, 8247))
_URL_WEIGHT = 23


def rules_for(platform: Platform | str) -> PlatformRules:
    """The rules of one platform."""
    return RULES[Platform(platform)]


def graphemes(text: str) -> list[str]:
    """The text split into what a reader sees as single characters."""
    return _GRAPHEME.findall(text)


def caption_length(platform: Platform | str, text: str) -> int:
    """The caption's length as `platform` counts it."""
    counting = rules_for(platform).counting
    if counting == "x-weighted":
        return _x_weighted_length(text)
    if counting == "mastodon":
        return _mastodon_length(text)
    return len(graphemes(text))


def hashtags(text: str) -> list[tuple[int, str]]:
    """Each hashtag with its position in the text."""
    return [(m.start(), m.group(0)) for m in _HASHTAG.finditer(text)]


def check_caption(
    platform: Platform | str, text: str, media: Sequence[AssetInfo] = ()
) -> CaptionReport:
    """What `platform` would object to in this post's caption and media (errors) or what is
    risky (warnings)."""
    rules = rules_for(platform)
    media_count = len(media)
    length = caption_length(rules.platform, text)
    findings: list[Finding] = []
    if length > rules.caption_limit:
        over = length - rules.caption_limit
        findings.append(
            Finding(
                "error",
                f"{length} of {rules.caption_limit} characters: {over} over the limit",
                _position_of_limit(rules.platform, text, rules.caption_limit),
                "length",
            )
        )
    tags = hashtags(text)
    if rules.hashtag_limit is not None and len(tags) > rules.hashtag_limit:
        position, tag = tags[rules.hashtag_limit]
        findings.append(
            Finding(
                "error",
                f"{len(tags)} hashtags; {rules.platform.value} allows {rules.hashtag_limit} "
                f"({tag} is the first too many)",
                position,
            )
        )
    if media_count > rules.media_limit:
        findings.append(
            Finding(
                "error",
                f"{media_count} media; {rules.platform.value} allows {rules.media_limit}",
            )
        )
    if rules.needs_media and media_count == 0:
        findings.append(
            Finding("warning", f"{rules.platform.value} posts need {rules.media_kinds}")
        )
    elif rules.media_kinds == "a video" and any(m.kind != MediaKind.VIDEO for m in media):
        findings.append(Finding("error", f"{rules.platform.value} takes video only"))
    no_alt = [m.name for m in media if m.kind == MediaKind.IMAGE and not m.alt_text.strip()]
    if no_alt and rules.alt_text:
        findings.append(
            Finding(
                "warning",
                f"no alt text on {', '.join(no_alt[:3])}{' …' if len(no_alt) > 3 else ''}",
            )
        )
    if not text.strip():
        findings.append(Finding("warning", "the caption is empty"))
    return CaptionReport(rules.platform, length, rules.caption_limit, tuple(findings))


def _x_weighted_length(text: str) -> int:
    text = unicodedata.normalize("NFC", text)
    total = 0
    position = 0
    for match in _URL.finditer(text):
        total += _x_weight_plain(text[position : match.start()]) + _URL_WEIGHT
        position = match.end()
    return total + _x_weight_plain(text[position:])


def _x_weight_plain(text: str) -> int:
    total = 0
    for cluster in graphemes(text):
        if _EMOJI.search(cluster):
            total += 2
            continue
        for char in cluster:
            code = ord(char)
            light = any(low <= code <= high for low, high in _X_LIGHT_RANGES)
            total += 1 if light else 2
    return total


def _mastodon_length(text: str) -> int:
    text = _REMOTE_MENTION.sub(lambda m: m.group(1), text)
    urls = _URL.findall(text)
    bare = _URL.sub("", text)
    return len(graphemes(bare)) + _URL_WEIGHT * len(urls)


def _position_of_limit(platform: Platform, text: str, limit: int) -> int:
    """The offset in `text` of the first character past the limit."""
    low, high = 0, len(text)
    while low < high:
        middle = (low + high) // 2
        if caption_length(platform, text[: middle + 1]) > limit:
            high = middle
        else:
            low = middle + 1
    return low
