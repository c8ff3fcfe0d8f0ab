"""Moving posts between stages: each move checked against the transition table and its own rule."""

from __future__ import annotations

from datetime import datetime, timedelta

from . import approvals
from .db import writing
from .db.models import Post
from .domain import Actor, PostSummary, Stage
from .errors import InvalidTransition, ValidationError
from .permissions import require
from .policy import approval_status
from .post_queries import summary_of
from .publishing.captions import caption_reports
from .text import clean
from .workflow import load_post, record_stage, save_post, transition_action

#: When nobody set a review due date, reviewers get this long.
DEFAULT_REVIEW_WINDOW = timedelta(hours=48)


def move(
    actor: Actor,
    post_id: int,
    to: Stage | str,
    now: datetime,
    *,
    note: str = "",
    expected_version: int | None = None,
) -> PostSummary:
    """Move a post to another stage through the transition table and the rules of that move."""
    to = Stage(to)
    note = clean(note, lines=True).strip()
    with writing():
        post = load_post(post_id)
        frm = Stage(post.stage)
        action = transition_action(frm, to)
        if to is Stage.APPROVED:
            # Approving is done by approvals; say what is missing before who may move it.
            status = approval_status(post)
            if not status.satisfied:
                raise InvalidTransition(f"'{post.title}' {status.missing()}")
        require(actor, action, post.brand_id)
        if to is Stage.IN_REVIEW:
            check_ready_for_review(post, now)
            if post.review_due is None or post.review_due <= now:
                # A new round of review gets a new due date, not the last round's lateness.
                post.review_due = now + DEFAULT_REVIEW_WINDOW
        elif to is Stage.CHANGES_REQUESTED:
            approvals.record_changes_requested(actor, post, note, now)
        elif to is Stage.SCHEDULED:
            check_ready_to_schedule(post, now)
        if to is not Stage.CHANGES_REQUESTED:
            record_stage(post, to, actor, now, note)
        save_post(post, expected_version, actor, now)
    return summary_of(post)


def check_ready_for_review(post: Post, now: datetime) -> None:
    """Refuse to submit a post without channels, with a publish time gone by, or with captions a
    platform would reject."""
    if not post.variants.exists():
        raise ValidationError("channels", "choose at least one channel before review")
    if post.publish_at is not None and post.publish_at <= now:
        raise ValidationError(
            "publish_at", "the publish time has passed; choose a later one before review"
        )
    problems = [
        f"{report.platform.value}: {finding.message}"
        for report in caption_reports(post)
        for finding in report.errors
    ]
    if problems:
        raise ValidationError("caption", "; ".join(problems))


def check_ready_to_schedule(post: Post, now: datetime) -> None:
    """A scheduled post needs channels and a publish time in the future."""
    if not post.variants.exists():
        raise ValidationError("channels", "choose at least one channel before scheduling")
    if post.publish_at is None:
        raise ValidationError("publish_at", "set a publish time before scheduling")
    if post.publish_at <= now:
        raise ValidationError("publish_at", "the publish time has passed; choose a later one")
