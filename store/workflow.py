"""The workflow's rules: the one transition table, and the row primitives every move is made of."""

from __future__ import annotations

from datetime import datetime

from . import audit
from .db.models import Post, StageEvent, User
from .domain import Actor, Stage
from .errors import Conflict, InvalidTransition, NotFound
from .permissions import Action
from .publishing.due import sync_due

#: The board's left-to-right order (failed sits at the end).
STAGE_ORDER = (
    Stage.IDEA,
    Stage.DRAFT,
    Stage.IN_REVIEW,
    Stage.CHANGES_REQUESTED,
    Stage.APPROVED,
    Stage.SCHEDULED,
    Stage.PUBLISHED,
    Stage.FAILED,
)

S = Stage
#: Every move a person may make, and the permission it takes. Anything else is refused.
TRANSITIONS: dict[tuple[Stage, Stage], Action] = {
    (S.IDEA, S.DRAFT): Action.POST_EDIT,
    (S.DRAFT, S.IDEA): Action.POST_EDIT,
    (S.DRAFT, S.IN_REVIEW): Action.POST_SUBMIT,
    (S.CHANGES_REQUESTED, S.IN_REVIEW): Action.POST_SUBMIT,
    (S.CHANGES_REQUESTED, S.DRAFT): Action.POST_EDIT,
    (S.IN_REVIEW, S.DRAFT): Action.POST_EDIT,
    (S.IN_REVIEW, S.APPROVED): Action.POST_APPROVE,
    (S.IN_REVIEW, S.CHANGES_REQUESTED): Action.POST_REQUEST_CHANGES,
    (S.APPROVED, S.CHANGES_REQUESTED): Action.POST_REQUEST_CHANGES,
    (S.APPROVED, S.SCHEDULED): Action.POST_SCHEDULE,
    (S.SCHEDULED, S.APPROVED): Action.POST_SCHEDULE,
    (S.SCHEDULED, S.CHANGES_REQUESTED): Action.POST_REQUEST_CHANGES,
    (S.FAILED, S.SCHEDULED): Action.POST_SCHEDULE,
}
#: Published and failed are reached only through deliveries (publishing/deliveries.py): a post is
#: published when every channel has it, failed when one delivery failed; no one moves it there.
BY_DELIVERIES = frozenset({Stage.PUBLISHED, Stage.FAILED})

#: Stages whose approval lapses when the content changes: the post goes back to review.
APPROVED_STAGES = frozenset({Stage.APPROVED, Stage.SCHEDULED})
#: Stages in which a post can no longer be edited.
FINAL_STAGES = frozenset({Stage.PUBLISHED})


def targets(stage: Stage) -> list[Stage]:
    """The stages a post in `stage` may move to, in board order."""
    reachable = {to for (frm, to) in TRANSITIONS if frm == stage}
    return [s for s in STAGE_ORDER if s in reachable]


def transition_action(frm: Stage, to: Stage) -> Action:
    """The permission a move takes; InvalidTransition if the workflow has no such move."""
    try:
        return TRANSITIONS[(frm, to)]
    except KeyError:
        if to in BY_DELIVERIES:
            raise InvalidTransition(
                f"a post becomes {to.label} through its deliveries, not by hand: the scheduler "
                "sends it (`postroom publish --due`), and `postroom delivery done` records one "
                "posted by hand"
            ) from None
        allowed = ", ".join(s.label for s in targets(frm)) or "nowhere"
        raise InvalidTransition(
            f"a post cannot go from {frm.label} to {to.label} (from {frm.label} it can go to: {allowed})"
        ) from None


def load_post(post_id: int) -> Post:
    """The post row, or NotFound."""
    post = Post.get_or_none(Post.id == post_id)
    if post is None:
        raise NotFound(f"no post #{post_id}")
    return post


def save_post(post: Post, expected_version: int | None, actor: Actor, now: datetime) -> None:
    """Write `post` back if nobody saved since `expected_version`; otherwise raise Conflict."""
    seen = post.version if expected_version is None else expected_version
    post.updated_at = now
    post.updated_by = actor.user.id
    values = {
        field: getattr(post, field)
        for field in (
            "title",
            "brief",
            "caption",
            "pillar",
            "campaign",
            "owner",
            "stage",
            "tier",
            "review_due",
            "publish_at",
            "revision",
            "updated_at",
            "updated_by",
        )
    }
    values["version"] = Post.version + 1
    changed = Post.update(values).where((Post.id == post.id) & (Post.version == seen)).execute()
    if changed != 1:
        raise conflict_for(post.id, seen)
    post.version = seen + 1
    sync_due(post)


def conflict_for(post_id: int, seen: int) -> Conflict:
    """A Conflict naming who saved the post after version `seen`, and when."""
    current = (
        Post.select(Post, User)
        .join(User, on=(Post.updated_by == User.id))
        .where(Post.id == post_id)
        .get()
    )
    when = current.updated_at.strftime("%Y-%m-%d %H:%M UTC")
    error = Conflict(
        f"'{current.title}' was changed by {current.updated_by.login} at {when} "
        f"(you had version {seen}, it is now {current.version}); reload and try again"
    )
    error.changed_by = current.updated_by.login
    error.changed_at = current.updated_at
    error.current_version = current.version
    return error


def record_stage(post: Post, to: Stage, actor: Actor, now: datetime, note: str = "") -> None:
    """Write the stage event and audit event of a move; the caller saves `post.stage`."""
    frm = Stage(post.stage)
    StageEvent.create(
        post=post, from_stage=frm, to_stage=to, actor=actor.user.id, at=now, note=note
    )
    detail = {"from": frm.value, "to": to.value}
    if note:
        detail["note"] = note
    audit.record(actor.login, "post.stage", "post", post.id, detail, now)
    post.stage = to
