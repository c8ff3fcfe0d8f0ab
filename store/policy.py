"""The approval policy rule: what a post's tier needs, and what its current revision has."""

from __future__ import annotations

from .domain import ApprovalPolicy, ApprovalStatus, Decision, Role, Tier
from .models import Brand, Post, Review, User


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
        Review.select(User.login, User.role)
        .join(User)
        .where(
            (Review.post == post)
            & (Review.revision == post.revision)
            & (Review.decision == Decision.APPROVED)
        )
        .order_by(Review.id)
        .tuples()
    )
    approvers: dict[str, Role] = {}
    for login, role in rows:
        approvers.setdefault(login, Role(role))
    return ApprovalStatus(
        required=policy.required(tier),
        approvals=tuple(approvers),
        needs_senior=tier is Tier.HIGH_STAKES and policy.high_stakes_needs_senior,
        has_senior=any(role.is_senior for role in approvers.values()),
    )
