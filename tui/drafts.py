"""What the post editor loads and saves, as plain values, so the screen stays about widgets."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import store
from store import ChannelInfo, PostDetail

#: The tiers as the editor offers them, from the store's vocabulary.
TIER_OPTIONS = [(tier.label, tier.value) for tier in store.Tier]


def review_hint() -> str:
    """What an empty review due time means, from the store's default window."""
    hours = int(store.DEFAULT_REVIEW_WINDOW.total_seconds() // 3600)
    return f"empty: {hours} h after submitting"


@dataclass(frozen=True)
class EditorChoices:
    """The options the editor offers for one brand."""

    brand_id: int
    channels: tuple[ChannelInfo, ...]
    pillars: tuple[tuple[int, str], ...]
    campaigns: tuple[tuple[int, str], ...]
    owners: tuple[str, ...]


@dataclass
class Draft:
    """The editor's fields as the person typed them (times still text)."""

    title: str = ""
    brief: str = ""
    caption: str = ""
    channel_ids: list[int] = field(default_factory=list)
    overrides: dict[int, str] = field(default_factory=dict)
    pillar_id: int | None = None
    campaign_id: int | None = None
    owner: str = ""
    tier: str = store.Tier.ROUTINE.value
    tags: str = ""
    publish_at: str = ""
    review_due: str = ""
    media_ids: list[int] = field(default_factory=list)


def load_choices(actor: store.Actor, brand_id: int) -> EditorChoices:
    """Channels, pillars, campaigns and possible owners of a brand."""
    options = store.filter_options(actor, brand_id)
    return EditorChoices(
        brand_id, options.channels, options.pillars, options.campaigns, options.owners
    )


def draft_of(detail: PostDetail, timezone: str) -> Draft:
    """An existing post as editor fields."""
    zone = ZoneInfo(timezone)
    s = detail.summary

    def local(moment: datetime | None) -> str:
        return moment.astimezone(zone).strftime("%Y-%m-%d %H:%M") if moment else ""

    return Draft(
        title=s.title,
        brief=detail.brief,
        caption=detail.caption,
        channel_ids=[v.channel_id for v in detail.variants],
        overrides={v.channel_id: v.caption_override for v in detail.variants if v.caption_override},
        pillar_id=detail.pillar_id,
        campaign_id=detail.campaign_id,
        owner=s.owner_login,
        tier=s.tier.value,
        tags=" ".join(detail.tags),
        publish_at=local(s.publish_at),
        review_due=local(s.review_due),
        media_ids=[m.id for m in detail.media],
    )


def new_draft(day: date | None, owner: str, now: datetime, timezone: str) -> Draft:
    """A blank post going out at 09:00 on `day`, or at the next whole hour if that has passed."""
    if day is None:
        return Draft(owner=owner)
    local_now = now.astimezone(ZoneInfo(timezone))
    publish = datetime.combine(day, time(9, 0), ZoneInfo(timezone))
    if publish <= local_now:
        publish = local_now.replace(minute=0, second=0, microsecond=0) + timedelta(hours=1)
    return Draft(owner=owner, publish_at=publish.strftime("%Y-%m-%d %H:%M"))


def fields_of(draft: Draft, now: datetime, timezone: str) -> dict:
    """The store fields for a draft; raises ValidationError naming the field that is wrong."""

    def moment(text: str, name: str):
        return store.parse_when(text, now, timezone, field=name) if text.strip() else None

    return {
        "brief": draft.brief,
        "caption": draft.caption,
        "channel_ids": list(draft.channel_ids),
        "overrides": {
            c: t for c, t in draft.overrides.items() if t.strip() and c in draft.channel_ids
        },
        "pillar_id": draft.pillar_id,
        "campaign_id": draft.campaign_id,
        "owner_login": draft.owner or None,
        "tier": store.Tier(draft.tier),
        "tags": [t for t in draft.tags.replace(",", " ").split() if t],
        "publish_at": moment(draft.publish_at, "publish_at"),
        "review_due": moment(draft.review_due, "review_due"),
        "media_ids": list(draft.media_ids),
    }
