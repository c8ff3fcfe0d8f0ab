"""What each channel of a post is sent: its own caption where it has one, else the post's, with
that platform's checks on it. The publisher sends exactly `delivery_caption`."""

from __future__ import annotations

from ..assets import media_of
from ..db.models import Channel, Post, Variant
from ..domain import CaptionReport, PostDetail
from .platforms import check_caption


def delivery_caption(caption: str, override: str | None) -> str:
    """The caption a channel gets: its override when it has one, else the post's caption."""
    return override if override and override.strip() else caption


def channel_reports(detail: PostDetail) -> list[CaptionReport]:
    """The platform checks of what each of the post's channels would be sent, in its order."""
    return [
        check_caption(
            v.platform, delivery_caption(detail.caption, v.caption_override), detail.media
        )
        for v in detail.variants
    ]


def caption_reports(post: Post) -> list[CaptionReport]:
    """The same checks for a post row, inside a transaction (submitting for review)."""
    media = media_of(post)
    query = Variant.select(Variant, Channel).join(Channel).where(Variant.post == post)
    return [
        check_caption(v.channel.platform, delivery_caption(post.caption, v.caption_override), media)
        for v in query
    ]
