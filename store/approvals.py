"""Tiered approval: the brand's policy, approving, requesting changes, and where a post stands."""

from __future__ import annotations

from datetime import datetime

from . import audit
from .db import writing
from .db.models import Brand, Post, Review, Revision
from .domain import Actor, ApprovalPolicy, Decision, PostSummary, Stage
from .errors import Conflict, InvalidTransition, NotFound, PermissionDenied, ValidationError
from .permissions import Action, require
from .policy import approval_status, own_work, policy_of
from .post_queries import summary_of
from .text import clean
from .workflow import APPROVED_STAGES, load_post, record_stage, save_post, transition_action

#: While a post is in these stages, a reviewer may take an approval back.
WITHDRAWABLE = frozenset({Stage.IN_REVIEW, *APPROVED_STAGES})


def approve(
    actor: Actor,
    post_id: int,
    now: datetime,
    *,
    note: str = "",
    seen_revision: int | None = None,
) -> PostSummary:
    """Approve the revision the reviewer saw; the post moves to approved once the policy is met."""
    with writing():
        post = load_post(post_id)
        require(actor, Action.POST_APPROVE, post.brand_id)
        if Stage(post.stage) is not Stage.IN_REVIEW:
            raise InvalidTransition(
                f"only posts in review can be approved; '{post.title}' is {Stage(post.stage).label}"
            )
        _refuse_own(actor, post, "approve")
        _refuse_stale(post, seen_revision)
        if actor.login in approval_status(post).approvals:
            raise InvalidTransition(f"you already approved revision {post.revision}")
        _review(actor, post, Decision.APPROVED, clean(note, lines=True).strip(), now)
        status = approval_status(post)
        audit.record(
            actor.login,
            "post.approve",
            "post",
            post.id,
            {
                "revision": post.revision,
                "approvals": len(status.approvals),
                "required": status.required,
            },
            now,
        )
        if status.satisfied:
            record_stage(post, Stage.APPROVED, actor, now)
        save_post(post, None, actor, now)
    return summary_of(post)


def request_changes(
    actor: Actor,
    post_id: int,
    note: str,
    now: datetime,
    *,
    seen_revision: int | None = None,
) -> PostSummary:
    """Send a post back to its author with a note saying what to change."""
    with writing():
        post = load_post(post_id)
        require(actor, transition_action(Stage(post.stage), Stage.CHANGES_REQUESTED), post.brand_id)
        _refuse_stale(post, seen_revision)
        record_changes_requested(actor, post, note, now)
        save_post(post, None, actor, now)
    return summary_of(post)


def unapprove(actor: Actor, post_id: int, now: datetime, *, note: str = "") -> PostSummary:
    """Withdraw my approval of the post's current revision, while it is not yet published; an
    approved or scheduled post that no longer meets its policy goes back to review."""
    with writing():
        post = load_post(post_id)
        require(actor, Action.POST_APPROVE, post.brand_id)
        stage = Stage(post.stage)
        if stage not in WITHDRAWABLE:
            raise InvalidTransition(
                f"'{post.title}' is {stage.label}; an approval can be withdrawn only before it "
                "is published"
            )
        if actor.login not in approval_status(post).approvals:
            raise InvalidTransition(
                f"you have not approved revision {post.revision} of '{post.title}'"
            )
        note = clean(note, lines=True).strip()
        _review(actor, post, Decision.WITHDRAWN, note, now)
        status = approval_status(post)
        audit.record(
            actor.login,
            "post.unapprove",
            "post",
            post.id,
            {"revision": post.revision, "approvals": len(status.approvals)},
            now,
        )
        if stage in APPROVED_STAGES and not status.satisfied:
            record_stage(post, Stage.IN_REVIEW, actor, now, f"{actor.login} withdrew approval")
        save_post(post, None, actor, now)
    return summary_of(post)


def record_changes_requested(actor: Actor, post: Post, note: str, now: datetime) -> None:
    """The review row, stage move and audit of a change request (inside the caller's transaction)."""
    note = clean(note, lines=True).strip()
    if not note:
        raise ValidationError("note", "say what needs to change")
    _review(actor, post, Decision.CHANGES_REQUESTED, note, now)
    audit.record(
        actor.login,
        "post.request_changes",
        "post",
        post.id,
        {"revision": post.revision},
        now,
    )
    record_stage(post, Stage.CHANGES_REQUESTED, actor, now, note)


def set_policy(
    actor: Actor,
    brand_id: int,
    now: datetime,
    *,
    routine_approvals: int | None = None,
    high_stakes_approvals: int | None = None,
    high_stakes_needs_senior: bool | None = None,
) -> ApprovalPolicy:
    """Change a brand's approval policy (admins only)."""
    require(actor, Action.POLICY_EDIT)
    for field, value in (
        ("routine_approvals", routine_approvals),
        ("high_stakes_approvals", high_stakes_approvals),
    ):
        if value is not None and not 1 <= value <= 5:
            raise ValidationError(field, "must be between 1 and 5")
    with writing():
        brand = Brand.get_or_none(Brand.id == brand_id)
        if brand is None:
            raise NotFound(f"no brand #{brand_id}")
        before = policy_of(brand)
        if routine_approvals is not None:
            brand.routine_approvals = routine_approvals
        if high_stakes_approvals is not None:
            brand.high_stakes_approvals = high_stakes_approvals
        if high_stakes_needs_senior is not None:
            brand.high_stakes_needs_senior = high_stakes_needs_senior
        brand.version += 1
        brand.save()
        after = policy_of(brand)
        audit.record(
            actor.login,
            "brand.policy",
            "brand",
            brand.id,
            {"from": before.__dict__, "to": after.__dict__},
            now,
        )
    return after


def _refuse_own(actor: Actor, post: Post, verb: str) -> None:
    author = (
        Revision.select(Revision.author)
        .where((Revision.post == post) & (Revision.number == post.revision))
        .scalar()
    )
    whose = own_work(actor.user.id, post.owner_id, author)
    if whose == "post":
        raise PermissionDenied(f"nobody may {verb} their own post; '{post.title}' is yours")
    if whose == "revision":
        raise PermissionDenied(
            f"nobody may {verb} their own work; you wrote revision {post.revision}"
        )


def _refuse_stale(post: Post, seen_revision: int | None) -> None:
    if seen_revision is not None and seen_revision != post.revision:
        raise Conflict(
            f"'{post.title}' changed since you read it (you saw revision {seen_revision}, "
            f"it is now {post.revision}); read the new revision first"
        )


def _review(actor: Actor, post: Post, decision: Decision, note: str, now: datetime) -> None:
    """A reviewer's decision on the post's current revision."""
    Review.create(
        post=post,
        revision=post.revision,
        reviewer=actor.user.id,
        decision=decision,
        note=note,
        created_at=now,
    )
