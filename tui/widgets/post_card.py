"""A post on the board: title; owner, channels and tier; then what matters next for its stage."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from rich.text import Text

from store import BoardCard, DeliveryState, Stage, Tier

from ..words import glyphs, overdue, when

CARD_HEIGHT = 4  # three lines and the gap before the next card


def post_card(card: BoardCard, width: int, zone: ZoneInfo, now: datetime) -> Text:
    """The card's lines, each cut to the column with an ellipsis."""
    post = card.post
    title = Text(post.title, style="bold")
    meta = Text()
    meta.append(post.owner_login, style="dim")
    marks = glyphs(post.platforms)
    if marks:
        meta.append(f"  {marks}", style="bold cyan")
    if post.tier is Tier.HIGH_STAKES:
        meta.append(f"  ‼ {post.tier.label}", style="#ff8700")
    next_up = Text()
    needs_a_person = delivery_line(card, zone)
    if needs_a_person is not None:
        next_up.append_text(needs_a_person)
    elif post.stage is Stage.IN_REVIEW:
        if card.overdue:
            next_up.append(overdue(post.review_due, now), style="bold red")
        elif post.review_due:
            next_up.append(f"due {when(post.review_due, zone)}", style="#ffaf00")
        next_up.append(f"  {card.approvals}/{card.required}", style="bold")
    elif post.publish_at:
        verb = "sent" if post.stage is Stage.PUBLISHED else "goes"
        next_up.append(f"{verb} {when(post.publish_at, zone)}", style="dim")
    else:
        next_up.append("no date", style="dim")
    card_text = Text("\n").join([title, meta, next_up, Text("")])
    card_text.no_wrap, card_text.overflow = True, "ellipsis"
    return card_text


def delivery_line(card: BoardCard, zone: ZoneInfo) -> Text | None:
    """What its deliveries need, most urgent first: failed, unconfirmed, post by hand, retrying,
    sending; None when nothing is under way or wrong."""
    D = DeliveryState
    failed = card.count(D.FAILED)
    if failed:
        return Text(
            "✗ 1 delivery failed" if failed == 1 else f"✗ {failed} deliveries failed", "red"
        )
    if card.count(D.UNCONFIRMED):
        return Text("? unconfirmed — check by hand", "bold #ffaf00")
    if card.count(D.MANUAL):
        return Text("✋ post by hand now", "bold yellow")
    if card.count(D.RETRYING):
        at = f" at {card.next_try.astimezone(zone):%H:%M}" if card.next_try else ""
        return Text(f"↻ retrying{at}", "#ffaf00")
    if card.count(D.SENDING):
        return Text("↑ sending…", "cyan")
    return None
