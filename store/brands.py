"""Brands and what belongs to them: channels, campaigns, pillars."""

from __future__ import annotations

import re
from datetime import date, datetime

from . import access, audit
from .db import reading, writing
from .db.models import Brand, Campaign, Channel, Pillar
from .domain import Actor, BrandInfo, ChannelInfo, NamedInfo, Platform
from .errors import NotFound, ValidationError
from .permissions import Action, require
from .policy import policy_of
from .text import clean

MAX_NAME = 100


def create_brand(actor: Actor, name: str, now: datetime, *, slug: str | None = None) -> BrandInfo:
    """Add a brand (a workspace for one client or business)."""
    require(actor, Action.BRANDS_MANAGE)
    name = _name(name, "brand")
    slug = re.sub(r"[^a-z0-9]+", "-", clean(slug or name).lower()).strip("-")
    if not slug:
        raise ValidationError("slug", "give the brand a slug of letters and digits")
    with writing():
        if Brand.select().where((Brand.name == name) | (Brand.slug == slug)).exists():
            raise ValidationError("name", f"a brand called {name!r} or {slug!r} exists already")
        brand = Brand.create(name=name, slug=slug)
        audit.record(actor.login, "brand.create", "brand", brand.id, {"name": name}, now)
    return _brand_info(brand)


def list_brands(actor: Actor) -> list[BrandInfo]:
    """The brands the actor may see, by name."""
    with reading():
        query = access.scoped(Brand.select(), actor, Brand.id)
        return [_brand_info(b) for b in query.order_by(Brand.name)]


def find_brand(actor: Actor, key: str | int) -> BrandInfo:
    """A brand by id, slug or name (as the store keeps text: through the gate)."""
    key = clean(str(key)).strip()
    for brand in list_brands(actor):
        if str(key) in (str(brand.id), brand.slug, brand.name):
            return brand
    raise NotFound(f"no brand {key!r} that {actor.login} can see")


def add_channel(
    actor: Actor,
    brand_id: int,
    platform: Platform | str,
    handle: str,
    now: datetime,
    *,
    name: str = "",
    posts_per_week: int | None = None,
) -> ChannelInfo:
    """Connect an account on a platform to a brand."""
    require(actor, Action.BRANDS_MANAGE)
    try:
        platform = Platform(platform)
    except ValueError:
        raise ValidationError(
            "platform", f"{platform!r} is not one of {', '.join(Platform)}"
        ) from None
    handle = clean(handle).strip()
    if not handle:
        raise ValidationError("handle", "a channel needs the account's handle")
    if len(handle) > MAX_NAME:
        raise ValidationError("handle", f"{len(handle)} characters; the most is {MAX_NAME}")
    name = clean(name).strip()[:MAX_NAME]
    if posts_per_week is not None and not 0 < posts_per_week <= 100:
        raise ValidationError("posts_per_week", "must be between 1 and 100")
    with writing():
        if Brand.get_or_none(Brand.id == brand_id) is None:
            raise NotFound(f"no brand #{brand_id}")
        duplicate = Channel.select().where(
            (Channel.brand == brand_id)
            & (Channel.platform == platform)
            & (Channel.handle == handle)
        )
        if duplicate.exists():
            raise ValidationError("handle", f"{platform.value} {handle} is already a channel")
        channel = Channel.create(
            brand=brand_id,
            platform=platform,
            handle=handle,
            name=name or handle,
            posts_per_week=posts_per_week,
        )
        audit.record(
            actor.login,
            "channel.add",
            "channel",
            channel.id,
            {"brand": brand_id, "platform": platform.value, "handle": handle},
            now,
        )
    return channel_info(channel)


def list_channels(actor: Actor, brand_id: int | None = None) -> list[ChannelInfo]:
    """Active channels the actor may see, of one brand or all, by platform."""
    with reading():
        query = access.scoped(
            Channel.select().where(Channel.active == 1), actor, Channel.brand, brand_id
        )
        return [
            channel_info(c) for c in query.order_by(Channel.brand, Channel.platform, Channel.handle)
        ]


def find_channel(actor: Actor, brand_id: int, key: str) -> ChannelInfo:
    """A brand's channel by id, by handle, or by platform name, when exactly one matches;
    several matches are refused, naming each."""
    key = clean(key).strip()
    channels = list_channels(actor, brand_id)
    by_id = [c for c in channels if str(c.id) == key]
    matches = by_id or [c for c in channels if c.handle == key]
    matches = matches or [c for c in channels if c.platform.value == key]
    if len(matches) == 1:
        return matches[0]
    if matches:
        named = ", ".join(f"#{c.id} {c.platform.value} {c.handle}" for c in matches)
        raise ValidationError(
            "channels", f"{key} is ambiguous here: it could be {named}; give the id"
        )
    raise ValidationError("channels", f"no channel {key!r} in this brand")


def add_campaign(
    actor: Actor,
    brand_id: int,
    name: str,
    now: datetime,
    *,
    starts_on: date | None = None,
    ends_on: date | None = None,
) -> int:
    """Add a campaign to a brand; returns its id."""
    require(actor, Action.POST_CREATE, brand_id)
    if starts_on and ends_on and ends_on < starts_on:
        raise ValidationError("ends_on", "a campaign cannot end before it starts")
    return _add_named(actor, Campaign, brand_id, name, now, starts_on=starts_on, ends_on=ends_on)


def add_pillar(actor: Actor, brand_id: int, name: str, now: datetime) -> int:
    """Add a content pillar to a brand; returns its id."""
    require(actor, Action.POST_CREATE, brand_id)
    return _add_named(actor, Pillar, brand_id, name, now)


def list_named(actor: Actor, model_name: str, brand_id: int | None = None) -> list[NamedInfo]:
    """A brand's campaigns or pillars (every visible brand's, without `brand_id`), by name."""
    model = _NAMED[model_name]
    with reading():
        query = access.scoped(model.select(), actor, model.brand, brand_id)
        return [
            NamedInfo(
                row.id,
                row.brand_id,
                row.name,
                getattr(row, "starts_on", None),
                getattr(row, "ends_on", None),
            )
            for row in query.order_by(model.brand, model.name)
        ]


def find_named(actor: Actor, model_name: str, brand_id: int, name: str) -> int:
    """The id of a brand's campaign or pillar by name."""
    name = clean(name).strip()
    known = list_named(actor, model_name, brand_id)
    for row in known:
        if row.name == name:
            return row.id
    names = ", ".join(row.name for row in known) or "none yet"
    raise ValidationError(model_name, f"no {model_name} {name!r} in this brand (known: {names})")


def _name(name: str, kind: str) -> str:
    name = clean(name).strip()
    if not name:
        raise ValidationError("name", f"a {kind} needs a name")
    if len(name) > MAX_NAME:
        raise ValidationError("name", f"{len(name)} characters; the most is {MAX_NAME}")
    return name


def _add_named(actor: Actor, model, brand_id: int, name: str, now: datetime, **extra) -> int:
    kind = model.__name__.lower()
    name = _name(name, kind)
    with writing():
        if model.select().where((model.brand == brand_id) & (model.name == name)).exists():
            raise ValidationError("name", f"{kind} {name!r} exists already")
        row = model.create(brand=brand_id, name=name, **extra)
        audit.record(actor.login, f"{kind}.add", kind, row.id, {"name": name}, now)
    return row.id


_NAMED = {"campaign": Campaign, "pillar": Pillar}


def _brand_info(brand: Brand) -> BrandInfo:
    return BrandInfo(brand.id, brand.name, brand.slug, policy_of(brand))


def channel_info(channel: Channel) -> ChannelInfo:
    """A channel row as a plain value."""
    return ChannelInfo(
        channel.id,
        channel.brand_id,
        Platform(channel.platform),
        channel.handle,
        channel.name,
        channel.posts_per_week,
    )
