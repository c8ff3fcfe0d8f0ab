"""Brands and what belongs to them: channels, campaigns, pillars."""

from __future__ import annotations

import re
from datetime import date, datetime

from . import audit
from .db import reading, writing
from .domain import Actor, BrandInfo, ChannelInfo, Platform
from .errors import NotFound, ValidationError
from .models import Brand, Campaign, Channel, Pillar
from .permissions import Action, require
from .policy import policy_of


def create_brand(actor: Actor, name: str, now: datetime, *, slug: str | None = None) -> BrandInfo:
    """Add a brand (a workspace for one client or business)."""
    require(actor, Action.BRANDS_MANAGE)
    name = name.strip()
    if not name:
        raise ValidationError("name", "a brand needs a name")
    slug = slug or re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")
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
        brands = [_brand_info(b) for b in Brand.select().order_by(Brand.name)]
    if actor.user is None:
        return brands
    return [b for b in brands if actor.user.can_see_brand(b.id)]


def find_brand(actor: Actor, key: str | int) -> BrandInfo:
    """A brand by id, slug or name."""
    for brand in list_brands(actor):
        if str(key) in (str(brand.id), brand.slug, brand.name):
            return brand
    raise NotFound(f"no brand {key!r}")


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
    handle = handle.strip()
    if not handle:
        raise ValidationError("handle", "a channel needs the account's handle")
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


def list_channels(brand_id: int | None = None) -> list[ChannelInfo]:
    """Active channels, of one brand or all, by platform."""
    with reading():
        query = Channel.select().where(Channel.active == 1)
        if brand_id is not None:
            query = query.where(Channel.brand == brand_id)
        return [
            channel_info(c) for c in query.order_by(Channel.brand, Channel.platform, Channel.handle)
        ]


def find_channel(brand_id: int, key: str) -> ChannelInfo:
    """A brand's channel by id, handle, or platform name (when the brand has one on it)."""
    channels = list_channels(brand_id)
    for channel in channels:
        if key in (str(channel.id), channel.handle):
            return channel
    on_platform = [c for c in channels if c.platform.value == key]
    if len(on_platform) == 1:
        return on_platform[0]
    if on_platform:
        handles = ", ".join(c.handle for c in on_platform)
        raise ValidationError("channels", f"{key} is ambiguous here; name the handle ({handles})")
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


def find_named(model_name: str, brand_id: int, name: str) -> int:
    """The id of a brand's campaign or pillar by name."""
    model = {"campaign": Campaign, "pillar": Pillar}[model_name]
    row = model.get_or_none((model.brand == brand_id) & (model.name == name))
    if row is None:
        known = (
            ", ".join(m.name for m in model.select().where(model.brand == brand_id)) or "none yet"
        )
        raise ValidationError(
            model_name, f"no {model_name} {name!r} in this brand (known: {known})"
        )
    return row.id


def _add_named(actor: Actor, model, brand_id: int, name: str, now: datetime, **extra) -> int:
    name = name.strip()
    kind = model.__name__.lower()
    if not name:
        raise ValidationError("name", f"a {kind} needs a name")
    with writing():
        if model.select().where((model.brand == brand_id) & (model.name == name)).exists():
            raise ValidationError("name", f"{kind} {name!r} exists already")
        row = model.create(brand=brand_id, name=name, **extra)
        audit.record(actor.login, f"{kind}.add", kind, row.id, {"name": name}, now)
    return row.id


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
