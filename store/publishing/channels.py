"""Connecting a channel to its platform: the channel row records which connector and server it
uses; the secret goes to the running account's credentials file, after the server has said the
credentials work."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from urllib.parse import urlsplit

from .. import audit
from ..db import reading, writing
from ..db.models import Brand, Channel
from ..domain import Actor, Platform
from ..errors import NotFound, ValidationError
from ..permissions import Action, require
from ..text import clean
from . import connectors
from .connectors import Refused
from .credentials import FIELDS, CredentialsRefused, channel_key, for_channel, save

#: Which platforms each connector can post to.
PLATFORMS = {
    "mastodon": {Platform.MASTODON},
    "bluesky": {Platform.BLUESKY},
    "webhook": set(Platform),
    "manual": set(Platform),
}
VISIBILITIES = ("public", "unlisted", "private", "direct")
DEFAULT_BLUESKY = "https://bsky.social"


def _channel(channel_id: int) -> tuple[Channel, str]:
    row = Channel.select(Channel, Brand).join(Brand).where(Channel.id == channel_id).first()
    if row is None:
        raise NotFound(f"no channel #{channel_id}")
    return row, channel_key(row.brand.slug, row.platform, row.handle)


def checked_url(text: str, field: str) -> str:
    """An http(s) URL with a host, without a trailing slash."""
    url = clean(text).strip().rstrip("/")
    try:
        parts = urlsplit(url)
    except ValueError:
        parts = None
    if parts is None or parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValidationError(field, f"{text!r} is not a server address (https://host)")
    return url


def connect_channel(
    actor: Actor,
    channel_id: int,
    connector: str,
    entry: dict[str, str],
    now: datetime,
    *,
    visibility: str | None = None,
    language: str | None = None,
    timeout: float = 15.0,
    path: Path | None = None,
) -> str:
    """Point a channel at `connector`, after checking the credentials with the server; the
    credentials go to this account's file, never the database. Returns as whom they act."""
    if connector not in connectors.KINDS:
        raise ValidationError(
            "connector", f"{connector!r} is not one of {', '.join(connectors.KINDS)}"
        )
    if visibility is not None and visibility not in VISIBILITIES:
        raise ValidationError("visibility", f"one of {', '.join(VISIBILITIES)}")
    with reading():
        row, key = _channel(channel_id)
    require(actor, Action.BRANDS_MANAGE, row.brand_id)
    platform = Platform(row.platform)
    if platform not in PLATFORMS[connector]:
        raise ValidationError(
            "connector", f"a {platform.value} channel cannot be connected through {connector}"
        )
    entry = {k: clean(v).strip() for k, v in entry.items() if v is not None}
    server = entry.get("server") or entry.get("url")
    who = "by hand"
    if connector != "manual":
        for needed in FIELDS.get(connector, ()):
            if not entry.get(needed):
                raise ValidationError(needed, f"{connector} needs {needed.replace('_', ' ')}")
        with connectors.client(timeout) as http:
            try:
                who = connectors.connector_for(connector, http).verify(entry)
            except Refused as refused:
                raise ValidationError("credentials", str(refused)) from None
        save(key, {"connector": connector, **entry}, path)
    with writing():
        row, _ = _channel(channel_id)
        row.connector = connector
        row.server = server if connector != "manual" else None
        if visibility is not None:
            row.visibility = visibility
        if language is not None:
            row.language = clean(language).strip()[:10] or None
        row.save()
        audit.record(
            actor.login,
            "channel.connect",
            "channel",
            row.id,
            {"connector": connector, "server": row.server or ""},
            now,
        )
    return who


def check_connection(
    actor: Actor, channel_id: int, *, timeout: float = 15.0, path: Path | None = None
) -> str:
    """Check a channel's credentials against its server; says as whom they act."""
    with reading():
        row, key = _channel(channel_id)
    require(actor, Action.PLAN_VIEW, row.brand_id)
    if row.connector == "manual":
        return f"{row.platform} {row.handle} is posted by hand: nothing to test"
    try:
        creds = for_channel(key, row.connector, path)
    except CredentialsRefused as refused:
        raise ValidationError("credentials", str(refused)) from None
    with connectors.client(timeout) as http:
        try:
            who = connectors.connector_for(row.connector, http).verify(creds)
        except Refused as refused:
            raise ValidationError("credentials", str(refused)) from None
    return f"{row.platform} {row.handle}: {row.connector} as {who}"


def mastodon_authorize(server: str, *, timeout: float = 15.0):
    """Start the OAuth flow: register the app; returns (authorize URL, finish), where
    finish(code) gives the access token."""
    from .connectors.mastodon import Mastodon

    server = checked_url(server, "server")
    with connectors.client(timeout) as http:
        try:
            client_id, secret, url = Mastodon(http).register(server)
        except Refused as refused:
            raise ValidationError("server", str(refused)) from None

    def finish(code: str) -> str:
        with connectors.client(timeout) as http:
            try:
                return Mastodon(http).exchange(server, client_id, secret, clean(code).strip())
            except Refused as refused:
                raise ValidationError("code", str(refused)) from None

    return url, finish
