"""The approval rules: what a post's tier needs, what its current revision has, whose work a
person may not judge, and when a review is overdue."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from .db.models import Brand, Post, Review, User
from .domain import ApprovalPolicy, ApprovalStatus, Decision, Role, Stage, Tier


def own_work(user_id: int, owner_id: int, author_id: int | None) -> str | None:
    """Why this person may not approve or judge a post: it is theirs ("post"), or they wrote its
    current revision ("revision"); None when they may."""
    if owner_id == user_id:
        return "post"
    if author_id == user_id:
        return "revision"
    return None


def is_overdue(stage: Stage, review_due: datetime | None, now: datetime) -> bool:
    """In review past its review due time."""
    return stage is Stage.IN_REVIEW and review_due is not None and review_due < now


def standing_approvals(rows: Iterable[tuple[str, Role, str]]) -> dict[str, Role]:
    """Who approves, from (login, role, decision) rows of one revision in the order given: a
    person's approval stands until they withdraw it."""
    approvers: dict[str, Role] = {}
    for login, role, decision in rows:
        if decision == Decision.APPROVED:
            approvers.setdefault(login, Role(role))
        elif decision == Decision.WITHDRAWN:
            approvers.pop(login, None)
    return approvers


def policy_of(brand: Brand) -> ApprovalPolicy:
    """The approval policy stored on a brand."""
    return ApprovalPolicy(
        routine_approvals=brand.routine_approvals,
        high_stakes_approvals=brand.high_stakes_approvals,
        high_stakes_needs_senior=bool(brand.high_stakes_needs_senior),
    )


def approval_status(post: Post, brand: Brand | None = None) -> ApprovalStatus:
    """Approvals given on the post's current revision (one per person), against its tier's needs."""
    policy = policy_of(brand or Brand.get_by_id(post.brand_id))
    tier = Tier(post.tier)
    rows = (
        Review.select(User.login, User.role, Review.decision)
        .join(User)
        .where(
            (Review.post == post)
            & (Review.revision == post.revision)
            & Review.decision.in_([Decision.APPROVED, Decision.WITHDRAWN])
        )
        .order_by(Review.id)
        .tuples()
    )
    return _status(tier, policy, standing_approvals(rows))


def _status(tier: Tier, policy: ApprovalPolicy, approvers: dict[str, Role]) -> ApprovalStatus:
    """The rule itself: the tier's count, and a senior approver where the policy asks."""
    return ApprovalStatus(
        required=policy.required(tier),
        approvals=tuple(approvers),
        needs_senior=tier is Tier.HIGH_STAKES and policy.high_stakes_needs_senior,
        has_senior=any(role.is_senior for role in approvers.values()),
    )


def approval_statuses(posts: list[Post]) -> dict[int, ApprovalStatus]:
    """`approval_status` for a page of posts, in two queries instead of two per post."""
    if not posts:
        return {}
    brands = {
        b.id: policy_of(b) for b in Brand.select().where(Brand.id.in_({p.brand_id for p in posts}))
    }
    current = {p.id: p.revision for p in posts}
    decisions: dict[int, list[tuple[str, Role, str]]] = {p.id: [] for p in posts}
    rows = (
        Review.select(Review.post, Review.revision, User.login, User.role, Review.decision)
        .join(User)
        .where(
            Review.post.in_(list(current))
            & Review.decision.in_([Decision.APPROVED, Decision.WITHDRAWN])
        )
        .order_by(Review.id)
        .tuples()
    )
    for post_id, revision, login, role, decision in rows:
        if revision == current[post_id]:
            decisions[post_id].append((login, role, decision))
    return {
        p.id: _status(Tier(p.tier), brands[p.brand_id], standing_approvals(decisions[p.id]))
        for p in posts
    }
