"""Who may do what: the one role × action table, and the checks built on it."""

from __future__ import annotations

from enum import StrEnum

from .access import member
from .domain import Actor, Role
from .errors import PermissionDenied


class Action(StrEnum):
    """Things a user can ask the store to do."""

    PLAN_VIEW = "see the calendar and the board"
    POST_CREATE = "create posts"
    POST_EDIT = "edit posts"
    POST_SUBMIT = "submit posts for review"
    POST_APPROVE = "approve posts"
    POST_REQUEST_CHANGES = "request changes"
    POST_COMMENT = "comment on posts"
    POST_SCHEDULE = "schedule posts"
    POST_PUBLISH = "publish posts"
    NOTE_CREATE = "add calendar notes"
    ASSET_ADD = "add media to the library"
    INBOX_VIEW = "read the inbox"
    INBOX_REPLY = "reply in the inbox"
    INBOX_ASSIGN = "assign inbox messages"
    METRICS_VIEW = "see metrics"
    AUDIT_VIEW = "read the audit trail"
    USERS_MANAGE = "manage users"
    BRANDS_MANAGE = "manage brands and channels"
    POLICY_EDIT = "change approval policy"


A, M, E, R, C = Role.ADMIN, Role.MANAGER, Role.EDITOR, Role.REVIEWER, Role.CLIENT

#: The whole permission table. A role not listed for an action may not take it.
PERMISSIONS: dict[Action, frozenset[Role]] = {
    Action.PLAN_VIEW: frozenset({A, M, E, R}),
    Action.POST_CREATE: frozenset({A, M, E}),
    Action.POST_EDIT: frozenset({A, M, E}),
    Action.POST_SUBMIT: frozenset({A, M, E}),
    Action.POST_APPROVE: frozenset({A, M, R, C}),
    Action.POST_REQUEST_CHANGES: frozenset({A, M, R, C}),
    Action.POST_COMMENT: frozenset({A, M, E, R, C}),
    Action.POST_SCHEDULE: frozenset({A, M, E}),
    Action.POST_PUBLISH: frozenset({A, M, E}),
    Action.NOTE_CREATE: frozenset({A, M, E}),
    Action.ASSET_ADD: frozenset({A, M, E}),
    Action.INBOX_VIEW: frozenset({A, M, E, R}),
    Action.INBOX_REPLY: frozenset({A, M, E}),
    Action.INBOX_ASSIGN: frozenset({A, M}),
    Action.METRICS_VIEW: frozenset({A, M, E, R}),
    Action.AUDIT_VIEW: frozenset({A, M}),
    Action.USERS_MANAGE: frozenset({A}),
    Action.BRANDS_MANAGE: frozenset({A}),
    Action.POLICY_EDIT: frozenset({A}),
}

_ROLE_ORDER = (A, M, E, R, C)

#: The app's screens, each with the action that lets a role have it.
SCREENS: dict[str, Action] = {
    "calendar": Action.PLAN_VIEW,
    "board": Action.PLAN_VIEW,
    "approvals": Action.POST_APPROVE,
    "inbox": Action.INBOX_VIEW,
    "metrics": Action.METRICS_VIEW,
}


def screens_for(role: Role) -> list[str]:
    """The screens someone of `role` gets, in key order (1 calendar … 5 metrics)."""
    return [name for name, action in SCREENS.items() if allowed(role, action)]


def allowed(role: Role, action: Action) -> bool:
    """Whether `role` may take `action` at all (brand limits are checked separately)."""
    return role in PERMISSIONS[action]


def may_own_posts(role: Role) -> bool:
    """Whether someone of `role` can own a post: whoever may create one."""
    return allowed(role, Action.POST_CREATE)


def roles_allowed(action: Action) -> list[Role]:
    """The roles that may take `action`, most senior first."""
    return [r for r in _ROLE_ORDER if r in PERMISSIONS[action]]


def require(actor: Actor, action: Action, brand_id: int | None = None) -> None:
    """Raise PermissionDenied, with a reason a person can act on, unless `actor` may do this."""
    user = member(actor)
    role = user.role
    if not allowed(role, action):
        who = ", ".join(r.value for r in roles_allowed(action))
        raise PermissionDenied(f"{role.value}s may not {action.value} (only: {who})")
    if brand_id is not None and not user.can_see_brand(brand_id):
        raise PermissionDenied(
            f"{actor.login} is a client of other brands and may not touch this one"
        )
