"""Plain values the store hands out: enums of the team's vocabulary and frozen records."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum


class Role(StrEnum):
    """What a user may do; the permission table in `permissions.py` says exactly what."""

    ADMIN = "admin"
    MANAGER = "manager"
    EDITOR = "editor"
    REVIEWER = "reviewer"
    CLIENT = "client"

    @property
    def is_senior(self) -> bool:
        """Managers and admins count as the senior approval of a high-stakes post."""
        return self in (Role.ADMIN, Role.MANAGER)


class Stage(StrEnum):
    """Where a post is in the workflow."""

    IDEA = "idea"
    DRAFT = "draft"
    IN_REVIEW = "in_review"
    CHANGES_REQUESTED = "changes_requested"
    APPROVED = "approved"
    SCHEDULED = "scheduled"
    PUBLISHED = "published"
    FAILED = "failed"

    @property
    def label(self) -> str:
        """The stage as people say it."""
        return self.value.replace("_", " ")

    @classmethod
    def parse(cls, text: str) -> Stage:
        """A stage however it is written: `in_review`, `in-review`, `In review`."""
        key = "_".join(str(text).strip().lower().replace("-", " ").replace("_", " ").split())
        try:
            return cls(key)
        except ValueError:
            names = ", ".join(s.value.replace("_", "-") for s in cls)
            raise ValueError(f"{text!r} is not a stage ({names})") from None


class Tier(StrEnum):
    """How much sign-off a post needs (the brand's approval policy says how many)."""

    ROUTINE = "routine"
    HIGH_STAKES = "high_stakes"

    @property
    def label(self) -> str:
        """The tier as people say it."""
        return self.value.replace("_", "-")


class Decision(StrEnum):
    """A reviewer's verdict on one revision of a post."""

    APPROVED = "approved"
    CHANGES_REQUESTED = "changes_requested"
    WITHDRAWN = "withdrawn"  # the reviewer took their approval back

    @property
    def label(self) -> str:
        """The decision as people say it."""
        return {"withdrawn": "withdrew approval"}.get(self.value, self.value.replace("_", " "))


class Platform(StrEnum):
    """Social networks a channel can live on."""

    INSTAGRAM = "instagram"
    TIKTOK = "tiktok"
    FACEBOOK = "facebook"
    LINKEDIN = "linkedin"
    PINTEREST = "pinterest"
    X = "x"
    THREADS = "threads"
    BLUESKY = "bluesky"
    MASTODON = "mastodon"
    YOUTUBE = "youtube"


class DeliveryState(StrEnum):
    """Where one post's delivery to one channel stands (the moves between them are in
    publishing/deliveries.py)."""

    PENDING = "pending"
    SENDING = "sending"
    SENT = "sent"
    RETRYING = "retrying"
    UNCONFIRMED = "unconfirmed"
    FAILED = "failed"
    MANUAL = "manual"

    @property
    def label(self) -> str:
        """How a person reads it."""
        return _DELIVERY_LABELS[self]


_DELIVERY_LABELS = {
    DeliveryState.PENDING: "waiting",
    DeliveryState.SENDING: "sending",
    DeliveryState.SENT: "sent",
    DeliveryState.RETRYING: "retrying",
    DeliveryState.UNCONFIRMED: "unconfirmed — check by hand",
    DeliveryState.FAILED: "failed",
    DeliveryState.MANUAL: "post by hand",
}


class InboxKind(StrEnum):
    """What sort of message reached the inbox."""

    COMMENT = "comment"
    MENTION = "mention"
    DM = "dm"


class InboxStatus(StrEnum):
    """Whether an inbox message still needs someone (as in Hootsuite Inbox): new until the team
    answers, pending once it has (until the person writes again), closed when done."""

    NEW = "new"
    PENDING = "pending"
    CLOSED = "closed"


@dataclass(frozen=True)
class UserInfo:
    """A person known to the database, with the brands a client is limited to."""

    id: int
    login: str
    name: str
    role: Role
    timezone: str
    brand_ids: tuple[int, ...] = ()

    def can_see_brand(self, brand_id: int) -> bool:
        """Clients see only their brands; everyone else sees every brand."""
        return self.role is not Role.CLIENT or brand_id in self.brand_ids


@dataclass(frozen=True)
class Actor:
    """Who is acting: the Unix login, and the user row if the database knows it."""

    login: str
    user: UserInfo | None

    @property
    def role(self) -> Role | None:
        """The role, or None for an account the database does not know."""
        return self.user.role if self.user else None


@dataclass(frozen=True)
class ApprovalPolicy:
    """How many approvals each tier needs in a brand, and whether one must be senior."""

    routine_approvals: int = 1
    high_stakes_approvals: int = 2
    high_stakes_needs_senior: bool = True

    def required(self, tier: Tier) -> int:
        """Approvals a post of `tier` needs."""
        return self.high_stakes_approvals if tier is Tier.HIGH_STAKES else self.routine_approvals


@dataclass(frozen=True)
class BrandInfo:
    """A workspace: one client or business."""

    id: int
    name: str
    slug: str
    policy: ApprovalPolicy


@dataclass(frozen=True)
class ChannelInfo:
    """An account on a platform that posts go out to."""

    id: int
    brand_id: int
    platform: Platform
    handle: str
    name: str
    posts_per_week: int | None


@dataclass(frozen=True)
class NamedInfo:
    """A brand's campaign or pillar: how posts are classified before they go live."""

    id: int
    brand_id: int
    name: str
    starts_on: date | None = None
    ends_on: date | None = None


@dataclass(frozen=True)
class PostSummary:
    """A post as lists and calendars show it."""

    id: int
    brand_id: int
    title: str
    stage: Stage
    tier: Tier
    owner_login: str
    publish_at: datetime | None
    review_due: datetime | None
    platforms: tuple[Platform, ...]
    version: int
    revision: int


class MediaKind(StrEnum):
    """What a media asset is, as far as a platform cares."""

    IMAGE = "image"
    VIDEO = "video"


@dataclass(frozen=True)
class AssetInfo:
    """A media file in a brand's library: where it lives, what it is, what it shows."""

    id: int
    brand_id: int
    uri: str
    kind: MediaKind
    alt_text: str
    tags: tuple[str, ...] = ()

    @property
    def name(self) -> str:
        """The last part of the path or URL, which is how people call a file."""
        return self.uri.rstrip("/").rsplit("/", 1)[-1] or self.uri


@dataclass(frozen=True)
class VariantInfo:
    """A post on one channel: its caption there and how its delivery stands."""

    channel_id: int
    platform: Platform
    handle: str
    caption_override: str | None
    state: DeliveryState
    remote_url: str | None
    attempts: int
    error: str | None
    delivery_id: int = 0
    next_try_at: datetime | None = None

    @property
    def words(self) -> str:
        """The state as the board and the detail say it: "sent", "retrying at 14:05 UTC",
        "failed — <reason>"."""
        return delivery_words(self.state, self.next_try_at, self.error)


def delivery_words(state: DeliveryState, next_try_at: datetime | None, reason: str | None) -> str:
    """One delivery's state in a few words, with the time of the next try or the reason."""
    if state is DeliveryState.RETRYING and next_try_at is not None:
        return f"retrying at {next_try_at.strftime('%H:%M')} UTC" + (
            f" ({reason})" if reason else ""
        )
    if state in (DeliveryState.FAILED, DeliveryState.UNCONFIRMED) and reason:
        return f"{state.label} — {reason}"
    return state.label


@dataclass(frozen=True)
class DeliveryInfo:
    """One delivery as `postroom delivery list` and the screens show it."""

    id: int
    post_id: int
    post_title: str
    brand_id: int
    channel_id: int
    platform: Platform
    handle: str
    connector: str
    state: DeliveryState
    attempts: int
    publish_at: datetime | None
    next_try_at: datetime | None
    remote_url: str | None
    remote_id: str | None
    reason: str | None
    owner_login: str

    @property
    def words(self) -> str:
        """The state in a few words (see `delivery_words`)."""
        return delivery_words(self.state, self.next_try_at, self.reason)


@dataclass(frozen=True)
class ReviewInfo:
    """One decision on one revision of a post."""

    reviewer_login: str
    reviewer_role: Role
    decision: Decision
    revision: int
    note: str
    at: datetime


@dataclass(frozen=True)
class CommentInfo:
    """Feedback on a post, pinned to the revision it was written about."""

    author_login: str
    revision: int
    body: str
    at: datetime


@dataclass(frozen=True)
class StageEventInfo:
    """One move of a post between stages."""

    from_stage: Stage | None
    to_stage: Stage
    actor_login: str
    at: datetime
    note: str


@dataclass(frozen=True)
class RevisionInfo:
    """An immutable snapshot of a post's content."""

    number: int
    title: str
    brief: str
    caption: str
    author_login: str
    at: datetime
    overrides: tuple[tuple[str, str], ...] = ()  # (channel label, caption there)
    media: tuple[str, ...] = ()  # asset names in order


@dataclass(frozen=True)
class ApprovalStatus:
    """Where a post stands against its brand's approval policy for its current revision."""

    required: int
    approvals: tuple[str, ...]
    needs_senior: bool
    has_senior: bool

    @property
    def satisfied(self) -> bool:
        """Enough approvals, and a senior one where the policy asks for it."""
        return len(self.approvals) >= self.required and (self.has_senior or not self.needs_senior)

    def missing(self) -> str:
        """What is still missing, in words (empty when satisfied)."""
        if self.satisfied:
            return ""
        short = self.required - len(self.approvals)
        if short > 0:
            who = (
                " (one from a manager or admin)"
                if self.needs_senior and not self.has_senior
                else ""
            )
            return f"needs {short} more approval{'s' if short > 1 else ''}{who}"
        return "needs 1 more approval from a manager or admin"


@dataclass(frozen=True)
class PostDetail:
    """Everything about one post: content, variants, history and conversation."""

    summary: PostSummary
    brand_name: str
    brief: str
    caption: str
    pillar: str | None
    campaign: str | None
    tags: tuple[str, ...]
    updated_at: datetime
    updated_by: str
    variants: tuple[VariantInfo, ...]
    approval: ApprovalStatus
    reviews: tuple[ReviewInfo, ...] = ()
    comments: tuple[CommentInfo, ...] = ()
    stage_history: tuple[StageEventInfo, ...] = ()
    revisions: tuple[RevisionInfo, ...] = ()
    pillar_id: int | None = None
    campaign_id: int | None = None
    media: tuple[AssetInfo, ...] = ()


@dataclass(frozen=True)
class CalendarNoteInfo:
    """A milestone or event on the calendar over a range of days."""

    id: int
    brand_id: int | None
    title: str
    starts_on: date
    ends_on: date
    kind: str


@dataclass(frozen=True)
class Finding:
    """One thing a platform check found in a caption."""

    severity: str  # "error" or "warning"
    message: str
    position: int | None = None
    #: What kind of finding ("length" for one over the limit), for callers that weigh it.
    code: str = ""


@dataclass(frozen=True)
class CaptionReport:
    """The outcome of checking a caption for one platform."""

    platform: Platform
    length: int
    limit: int
    findings: tuple[Finding, ...] = field(default_factory=tuple)

    @property
    def errors(self) -> tuple[Finding, ...]:
        """Findings that block submitting for review."""
        return tuple(f for f in self.findings if f.severity == "error")

    @property
    def warnings(self) -> tuple[Finding, ...]:
        """Findings worth a look that do not block anything."""
        return tuple(f for f in self.findings if f.severity == "warning")
