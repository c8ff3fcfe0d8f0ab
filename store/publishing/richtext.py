"""Bluesky rich text: links, mentions and hashtags found in a caption, as facets whose offsets are
UTF-8 byte positions (not characters: an é is 2 bytes, an emoji 4, a CJK character 3)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import regex

_LINK = regex.compile(r"https?://[^\s<>\"']+", regex.IGNORECASE)
_MENTION = regex.compile(
    r"(?<![\w@])@((?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]*[a-z0-9])",
    regex.IGNORECASE,
)
_TAG = regex.compile(r"(?<![\w&#])#(\w*[^\W\d_]\w*)")
#: Punctuation that ends a sentence rather than a link.
_TRAILING = ".,;:!?)]}'\""


@dataclass(frozen=True)
class Span:
    """Where a facet sits, in characters of the caption."""

    start: int
    end: int
    feature: dict


def _byte(text: str, position: int) -> int:
    return len(text[:position].encode("utf-8"))


def spans(text: str, resolve: Callable[[str], str | None]) -> list[Span]:
    """Each link, mention (when `resolve` finds the handle's DID) and hashtag, in order."""
    found: list[Span] = []
    for match in _LINK.finditer(text):
        url = match.group(0).rstrip(_TRAILING)
        if url.count("(") > url.count(")") and match.group(0)[len(url) :].startswith(")"):
            url += ")"
        found.append(
            Span(
                match.start(),
                match.start() + len(url),
                {"$type": "app.bsky.richtext.facet#link", "uri": url},
            )
        )
    taken = [(s.start, s.end) for s in found]

    def free(start: int, end: int) -> bool:
        return all(end <= a or start >= b for a, b in taken)

    for match in _MENTION.finditer(text):
        if not free(match.start(), match.end()):
            continue
        did = resolve(match.group(1).lower())
        if did:
            found.append(
                Span(
                    match.start(),
                    match.end(),
                    {"$type": "app.bsky.richtext.facet#mention", "did": did},
                )
            )
    for match in _TAG.finditer(text):
        tag = match.group(1)
        if free(match.start(), match.end()) and len(tag) <= 64:
            found.append(
                Span(
                    match.start(), match.end(), {"$type": "app.bsky.richtext.facet#tag", "tag": tag}
                )
            )
    return sorted(found, key=lambda s: s.start)


def facets(text: str, resolve: Callable[[str], str | None] = lambda handle: None) -> list[dict]:
    """The facets of a caption, as app.bsky.feed.post wants them."""
    return [
        {
            "index": {"byteStart": _byte(text, s.start), "byteEnd": _byte(text, s.end)},
            "features": [s.feature],
        }
        for s in spans(text, resolve)
    ]
