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
    return _status(tier, policy, approvers)


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
    approvers: dict[int, dict[str, Role]] = {p.id: {} for p in posts}
    rows = (
        Review.select(Review.post, Review.revision, User.login, User.role)
        .join(User)
        .where(Review.post.in_(list(current)) & (Review.decision == Decision.APPROVED))
        .order_by(Review.id)
        .tuples()
    )
    for post_id, revision, login, role in rows:
        if revision == current[post_id]:
            approvers[post_id].setdefault(login, Role(role))
    return {p.id: _status(Tier(p.tier), brands[p.brand_id], approvers[p.id]) for p in posts}
