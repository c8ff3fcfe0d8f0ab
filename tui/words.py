"""How Postroom says the things several places say — screens and the command line alike — as
plain text (the screens add the colour)."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import store


def ago(delta: timedelta) -> str:
    """A lateness in a few characters: `5h`, or `3d` from two days on."""
    hours = int(delta.total_seconds() // 3600)
    return f"{hours // 24}d" if hours >= 48 else f"{max(hours, 1)}h"


def overdue(review_due: datetime, now: datetime) -> str:
    """`⚠ overdue 3d`: how late a review is."""
    return f"⚠ overdue {ago(now - review_due)}"


def when(moment: datetime | None, zone: ZoneInfo) -> str:
    """`Tue 01 Dec 09:30` in the user's timezone, or a dash."""
    return moment.astimezone(zone).strftime("%a %d %b %H:%M") if moment else "—"


def glyphs(platforms) -> str:
    """The one-letter marks of some platforms, as the calendar shows them."""
    return "".join(store.rules_for(p).glyph for p in platforms)


def thread(detail: store.PostDetail) -> list[tuple[datetime, str]]:
    """Comments and review decisions of a post, oldest first: `r2 rafa: …`, `r2 rafa approved`."""
    lines = [(c.at, f"r{c.revision} {c.author_login}: {c.body}") for c in detail.comments]
    lines += [
        (
            r.at,
            f"r{r.revision} {r.reviewer_login} {r.decision.label}"
            + (f": {r.note}" if r.note else ""),
        )
        for r in detail.reviews
    ]
    return sorted(lines, key=lambda pair: pair[0])


def stage_move(event: store.StageEventInfo) -> str:
    """`draft → in review  ed — note`."""
    frm = event.from_stage.label if event.from_stage else "new"
    note = f"  — {event.note}" if event.note else ""
    return f"{frm} → {event.to_stage.label}  {event.actor_login}{note}"


def delivery(variant: store.VariantInfo, zone: ZoneInfo | None = None) -> str:
    """`#12 mastodon @acme: sent · https://… · 2 attempts`, `…: retrying at 14:05 (reason)`,
    `…: failed — reason`."""
    state = variant.words
    if variant.state is store.DeliveryState.RETRYING and variant.next_try_at and zone:
        state = f"retrying at {variant.next_try_at.astimezone(zone):%H:%M}" + (
            f" ({variant.error})" if variant.error else ""
        )
    tries = variant.attempts
    return (
        f"#{variant.delivery_id} {variant.platform.value} {variant.handle}: {state}"
        + (f" · {variant.remote_url}" if variant.remote_url else "")
        + (f" · {tries} attempt{'s' if tries != 1 else ''}" if tries else "")
    )


def approvals(detail: store.PostDetail) -> str:
    """`approvals 1/2 (rafa)`, and what is missing while it is in review."""
    approval = detail.approval
    words = f"approvals {len(approval.approvals)}/{approval.required}"
    if approval.approvals:
        words += f" ({', '.join(approval.approvals)})"
    return words


def missing(detail: store.PostDetail) -> str:
    """What a post in review still needs, or nothing."""
    if detail.summary.stage is store.Stage.IN_REVIEW and not detail.approval.satisfied:
        return detail.approval.missing()
    return ""


def sentence(text: str) -> str:
    """A message as people read it: starting with a capital."""
    return text[:1].upper() + text[1:]
