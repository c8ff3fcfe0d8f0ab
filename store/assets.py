"""The media library: files and links a brand's posts can use, with alt text."""

from __future__ import annotations

import os
from collections.abc import Iterable
from datetime import datetime
from pathlib import PurePosixPath
from urllib.parse import urlsplit

from . import access, audit
from .db import reading, writing
from .db.models import Asset, Brand, Post, PostAsset
from .domain import Actor, AssetInfo, MediaKind
from .errors import NotFound, ValidationError
from .permissions import Action, require
from .text import clean

MAX_URI = 1000
MAX_ALT = 1500  # Bluesky and Mastodon cap alt text at 1,500 characters, X at 1,000
MAX_MEDIA_PER_POST = 35  # the most any platform takes (TikTok photo posts)

_EXTENSIONS = {
    **dict.fromkeys(
        ("jpg", "jpeg", "png", "gif", "webp", "heic", "heif", "avif", "bmp", "tif", "tiff"),
        MediaKind.IMAGE,
    ),
    **dict.fromkeys(("mp4", "mov", "m4v", "webm", "avi", "mkv", "mpeg", "mpg"), MediaKind.VIDEO),
}


def kind_of(uri: str) -> MediaKind | None:
    """What the file's extension says it is, or None when it does not say."""
    try:
        path = urlsplit(uri).path if "://" in uri else uri
    except ValueError:
        return None
    suffix = PurePosixPath(path).suffix.lower().lstrip(".")
    return _EXTENSIONS.get(suffix)


def add_asset(
    actor: Actor,
    brand_id: int,
    uri: str,
    now: datetime,
    *,
    alt_text: str = "",
    tags: Iterable[str] = (),
    kind: MediaKind | str | None = None,
) -> AssetInfo:
    """Put a file (an absolute path on this machine) or a link into the brand's library."""
    require(actor, Action.ASSET_ADD, brand_id)
    uri = _checked_uri(uri)
    media_kind = _checked_kind(uri, kind)
    alt_text = clean(alt_text, lines=True).strip()
    if len(alt_text) > MAX_ALT:
        raise ValidationError("alt text", f"{len(alt_text)} characters; the most is {MAX_ALT}")
    tag_text = ", ".join(
        dict.fromkeys(clean(t).strip().lstrip("#") for t in tags if clean(t).strip())
    )
    with writing():
        if Brand.get_or_none(Brand.id == brand_id) is None:
            raise NotFound(f"no brand #{brand_id}")
        existing = Asset.get_or_none((Asset.brand == brand_id) & (Asset.uri == uri))
        if existing is not None:
            raise ValidationError("file", f"already in the library as #{existing.id}")
        asset = Asset.create(
            brand=brand_id,
            uri=uri,
            kind=media_kind,
            alt_text=alt_text,
            tags=tag_text,
            created_at=now,
        )
        audit.record(actor.login, "asset.add", "asset", asset.id, {"uri": uri}, now)
    return info_of(asset)


def find_asset(actor: Actor, brand_id: int, key: str, now: datetime) -> AssetInfo:
    """The asset `key` names in the brand's library (its id, path or link, or file name); a path or
    link not in the library yet is added, without alt text."""
    access.require_brand(actor, brand_id)
    key = clean(key).strip()
    with reading():
        query = Asset.select().where(Asset.brand == brand_id)
        if key.isascii() and key.isdigit():  # "²" is a digit to Python, not to int()
            found = list(query.where(Asset.id == int(key))) if len(key) < 19 else []
        elif len(key) > MAX_URI:  # no file holds it (and SQLite refuses so long a LIKE)
            found = []
        else:
            found = list(query.where(Asset.uri == key)) or [
                a for a in query.where(Asset.uri.endswith("/" + key)) if info_of(a).name == key
            ]
    if len(found) == 1:
        return info_of(found[0])
    if len(found) > 1:
        ids = ", ".join(f"#{a.id}" for a in found)
        raise ValidationError("media", f"{key!r} could be {ids}; give the id")
    if key.isdigit() or ("://" not in key and not key.startswith("/")):
        raise NotFound(f"no media {key!r} in this brand's library")
    return add_asset(actor, brand_id, key, now)


def list_assets(actor: Actor, brand_id: int, search: str = "", limit: int = 200) -> list[AssetInfo]:
    """The brand's library, newest first; `search` matches the file name, alt text or tags."""
    access.require_brand(actor, brand_id)
    search = clean(search)
    if len(search.strip()) > MAX_URI + MAX_ALT:  # nothing holds it; SQLite refuses so long a LIKE
        return []
    with reading():
        query = Asset.select().where(Asset.brand == brand_id)
        if search.strip():
            like = f"%{search.strip()}%"
            query = query.where(
                Asset.uri.contains(search.strip()) | Asset.alt_text**like | Asset.tags**like
            )
        return [info_of(a) for a in query.order_by(Asset.id.desc()).limit(limit)]


def media_of(post: Post | int) -> list[AssetInfo]:
    """The post's media, in order."""
    query = (
        Asset.select().join(PostAsset).where(PostAsset.post == post).order_by(PostAsset.position)
    )
    return [info_of(a) for a in query]


def info_of(asset: Asset) -> AssetInfo:
    """The plain value behind an Asset row."""
    tags = tuple(t.strip() for t in asset.tags.split(",") if t.strip())
    return AssetInfo(
        asset.id, asset.brand_id, asset.uri, MediaKind(asset.kind), asset.alt_text, tags
    )


def _checked_uri(uri: str) -> str:
    uri = clean(uri).strip()
    if not uri:
        raise ValidationError("file", "give a file path or a link")
    if len(uri) > MAX_URI:
        raise ValidationError("file", f"{len(uri)} characters; the most is {MAX_URI}")
    if "://" in uri:
        try:
            parsed = urlsplit(uri)
        except ValueError:  # e.g. an unclosed "[" where a host should be
            raise ValidationError("file", f"{uri!r} is not a link that can be read") from None
        if parsed.scheme not in ("http", "https") or not parsed.netloc:
            raise ValidationError("file", f"{uri!r} is not an http(s) link")
        return uri
    if not os.path.isabs(uri):
        raise ValidationError(
            "file", f"{uri!r} is relative; others open this database too, so give the full path"
        )
    if not os.path.isfile(uri):
        raise ValidationError("file", f"there is no file at {uri}")
    return uri


def _checked_kind(uri: str, kind: MediaKind | str | None) -> MediaKind:
    if kind:
        try:
            return MediaKind(kind)
        except ValueError:
            raise ValidationError("kind", f"{kind!r} is not image or video") from None
    guessed = kind_of(uri)
    if guessed is None:
        raise ValidationError(
            "kind", f"cannot tell from {uri.rsplit('/', 1)[-1]!r} whether it is an image or a video"
        )
    return guessed
