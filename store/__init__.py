"""Postroom's store: the data, every rule of the workflow, and the services the TUI and CLI call.

Import from here (the UI may not reach past this surface); the modules behind it may move.
Nothing here imports textual.
"""

from . import inbox, metrics
from .access import admin_logins, may_see, stranger_message
from .approvals import approve, request_changes, set_policy, unapprove
from .assets import add_asset, find_asset, kind_of, list_assets
from .audit import AuditEntry, trail
from .board import BoardCard, board_counts, board_page, delivery_states, move_card, neighbour
from .brands import (
    add_campaign,
    add_channel,
    add_pillar,
    create_brand,
    find_brand,
    find_channel,
    find_named,
    list_brands,
    list_channels,
    list_named,
)
from .calendar import (
    CalendarDay,
    CalendarFilter,
    FilterOptions,
    cadence_gaps,
    calendar_days,
    day_posts,
    filter_options,
    move_by_days,
)
from .changes import Change, ChangeBatch, Kind, changes_since, data_version, position
from .db import (
    backup_to,
    close_database,
    default_location,
    demo_location,
    open_database,
    read_only_reason,
    resolve_location,
    upgrade_database,
)
from .db.connection import failure_words
from .demo import SIZES, build_demo
from .doctor import Check, doctor
from .domain import (
    Actor,
    ApprovalPolicy,
    ApprovalStatus,
    AssetInfo,
    BrandInfo,
    CalendarNoteInfo,
    CaptionReport,
    ChannelInfo,
    CommentInfo,
    Decision,
    DeliveryInfo,
    DeliveryState,
    Finding,
    InboxKind,
    InboxStatus,
    MediaKind,
    NamedInfo,
    Platform,
    PostDetail,
    PostSummary,
    ReviewInfo,
    RevisionInfo,
    Role,
    Stage,
    StageEventInfo,
    Tier,
    UserInfo,
    VariantInfo,
)
from .errors import (
    Conflict,
    DatabaseRefused,
    FileRefused,
    InvalidTransition,
    NotFound,
    PermissionDenied,
    PostroomError,
    ReadOnly,
    StorageFull,
    ValidationError,
)
from .notes import KINDS as NOTE_KINDS
from .notes import add_note, notes_between
from .permissions import Action, allowed, may_own_posts, screens_for
from .policy import is_overdue
from .post_queries import list_posts, post_detail, search_posts
from .posts import add_comment, create_post, edit_post, edit_refusal
from .publishing.captions import channel_reports, delivery_caption
from .publishing.channels import (
    check_connection,
    checked_url,
    connect_channel,
    mastodon_authorize,
)
from .publishing.credentials import CredentialsRefused
from .publishing.credentials import check_file as check_credentials_file
from .publishing.credentials import location as credentials_location
from .publishing.deliveries import LEASE as _LEASE
from .publishing.deliveries import done as delivery_done
from .publishing.deliveries import late_window, send_now, set_late_window
from .publishing.deliveries import retry as delivery_retry
from .publishing.delivery_queries import delivery, list_deliveries
from .publishing.platforms import RULES, caption_length, check_caption, rules_for
from .publishing.scheduler import PassReport, publish_due, scheduler_warning
from .publishing.scheduler import run as run_scheduler
from .queue import (
    NeedsMe,
    News,
    QueueEntry,
    QueueItem,
    ReviewContext,
    latest_event_id,
    needs_me,
    news_since,
    queue_items,
    review_context,
    review_queue,
)
from .stages import DEFAULT_REVIEW_WINDOW, move
from .text import clean, unsafe_characters
from .users import (
    actor_for,
    add_user,
    current_login,
    init_database,
    list_users,
    remove_user,
    set_role,
    system_timezone,
)
from .verify import VerifyReport, check_anchor_place, verify_database
from .when import day_bounds, describe, parse_day, parse_when
from .workflow import STAGE_ORDER, TRANSITIONS, targets

__version__ = "0.2.0"


def publishing_lease():
    """How long a scheduler's claim holds by default."""
    return _LEASE


__all__ = [
    "DEFAULT_REVIEW_WINDOW",
    "NOTE_KINDS",
    "RULES",
    "SIZES",
    "STAGE_ORDER",
    "TRANSITIONS",
    "Action",
    "Actor",
    "ApprovalPolicy",
    "ApprovalStatus",
    "AssetInfo",
    "AuditEntry",
    "BoardCard",
    "BrandInfo",
    "CalendarDay",
    "CalendarFilter",
    "CalendarNoteInfo",
    "CaptionReport",
    "Change",
    "ChangeBatch",
    "ChannelInfo",
    "Check",
    "CommentInfo",
    "Conflict",
    "CredentialsRefused",
    "DatabaseRefused",
    "Decision",
    "DeliveryInfo",
    "DeliveryState",
    "FileRefused",
    "FilterOptions",
    "Finding",
    "InboxKind",
    "InboxStatus",
    "InvalidTransition",
    "Kind",
    "MediaKind",
    "NamedInfo",
    "NeedsMe",
    "News",
    "NotFound",
    "PassReport",
    "PermissionDenied",
    "Platform",
    "PostDetail",
    "PostSummary",
    "PostroomError",
    "QueueEntry",
    "QueueItem",
    "ReadOnly",
    "ReviewContext",
    "ReviewInfo",
    "RevisionInfo",
    "Role",
    "Stage",
    "StageEventInfo",
    "StorageFull",
    "Tier",
    "UserInfo",
    "ValidationError",
    "VariantInfo",
    "VerifyReport",
    "__version__",
    "actor_for",
    "add_asset",
    "add_campaign",
    "add_channel",
    "add_comment",
    "add_note",
    "add_pillar",
    "add_user",
    "admin_logins",
    "allowed",
    "approve",
    "backup_to",
    "board_counts",
    "board_page",
    "build_demo",
    "cadence_gaps",
    "calendar_days",
    "caption_length",
    "changes_since",
    "channel_reports",
    "check_anchor_place",
    "check_caption",
    "check_connection",
    "check_credentials_file",
    "checked_url",
    "clean",
    "close_database",
    "connect_channel",
    "create_brand",
    "create_post",
    "credentials_location",
    "current_login",
    "data_version",
    "day_bounds",
    "day_posts",
    "default_location",
    "delivery",
    "delivery_caption",
    "delivery_done",
    "delivery_retry",
    "delivery_states",
    "demo_location",
    "describe",
    "doctor",
    "edit_post",
    "edit_refusal",
    "failure_words",
    "filter_options",
    "find_asset",
    "find_brand",
    "find_channel",
    "find_named",
    "inbox",
    "init_database",
    "is_overdue",
    "kind_of",
    "late_window",
    "latest_event_id",
    "list_assets",
    "list_brands",
    "list_channels",
    "list_deliveries",
    "list_named",
    "list_posts",
    "list_users",
    "mastodon_authorize",
    "may_own_posts",
    "may_see",
    "metrics",
    "move",
    "move_by_days",
    "move_card",
    "needs_me",
    "neighbour",
    "news_since",
    "notes_between",
    "open_database",
    "parse_day",
    "parse_when",
    "position",
    "post_detail",
    "publish_due",
    "publishing_lease",
    "queue_items",
    "read_only_reason",
    "remove_user",
    "request_changes",
    "resolve_location",
    "review_context",
    "review_queue",
    "rules_for",
    "run_scheduler",
    "scheduler_warning",
    "screens_for",
    "search_posts",
    "send_now",
    "set_late_window",
    "set_policy",
    "set_role",
    "stranger_message",
    "system_timezone",
    "targets",
    "trail",
    "unapprove",
    "unsafe_characters",
    "upgrade_database",
    "verify_database",
]
