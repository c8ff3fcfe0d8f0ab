"""When a delivery is next due, kept in step with its post: a scheduled post's waiting deliveries
are due at its publish time; any other post's are not due at all. Called by every post save."""

from __future__ import annotations

from ..db.models import Post, Variant
from ..domain import DeliveryState, Stage


def sync_due(post: Post) -> None:
    """Point the post's waiting deliveries at its publish time, or at nothing when it is not
    scheduled (a retry of a post taken back out of the schedule stops too)."""
    waiting = (Variant.post == post.id) & (
        Variant.state.in_([DeliveryState.PENDING, DeliveryState.RETRYING])
    )
    if post.stage == Stage.SCHEDULED and post.publish_at is not None:
        Variant.update(due_at=post.publish_at).where(
            waiting & (Variant.state == DeliveryState.PENDING)
        ).execute()
    else:
        Variant.update(state=DeliveryState.PENDING, due_at=None).where(waiting).execute()
