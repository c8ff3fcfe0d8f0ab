"""What the inbox shows: value objects the TUI and CLI get from the store."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from ..domain import DeliveryState, InboxKind, InboxStatus, Platform


@dataclass(frozen=True)
class Incoming:
    """One message as a source gives it, before the store has cleaned and filed it.

    `thread` groups a conversation (a Mastodon conversation id, a Bluesky root URI); without it
    the thread is found from `in_reply_to` (a message or delivery already known) or is the
    message itself. `root` is the conversation's first post where the source says it."""

    remote_id: str
    kind: InboxKind
    author_handle: str
    body: str
    received_at: datetime
    author_name: str = ""
    in_reply_to: str | None = None
    root: str | None = None
    thread: str | None = None
    remote_url: str | None = None


@dataclass
class IngestReport:
    """What an ingest did: how many messages were added, already known, or folded into an open
    thread (which then went back to new)."""

    added: int = 0
    known: int = 0
    folded: int = 0
    linked: int = 0
    ids: list[int] = field(default_factory=list)

    def words(self) -> str:
        parts = [f"{self.added} new message{'s' if self.added != 1 else ''}"]
        if self.folded:
            parts.append(f"{self.folded} in a thread already open")
        if self.known:
            parts.append(f"{self.known} already in")
        return ", ".join(parts)


@dataclass(frozen=True)
class MessageRow:
    """One line of the queue."""

    id: int
    status: InboxStatus
    kind: InboxKind
    platform: Platform
    channel: str
    brand_id: int
    author_handle: str
    first_line: str
    received_at: datetime
    last_at: datetime
    assignee: str | None
    labels: tuple[str, ...]
    sla_due_at: datetime | None
    overdue: bool
    priority: int
    post_title: str | None
    follow_ups: int = 0


@dataclass(frozen=True)
class ReplyInfo:
    id: int
    author: str
    body: str
    created_at: datetime
    state: DeliveryState
    private: bool
    remote_url: str | None
    error: str | None
    next_try: datetime | None


@dataclass(frozen=True)
class NoteInfo:
    author: str
    body: str
    created_at: datetime


@dataclass(frozen=True)
class ThreadItem:
    """A message in the thread pane (the head, its follow-ups, others in the conversation)."""

    id: int
    author_handle: str
    body: str
    received_at: datetime
    remote_url: str | None


@dataclass(frozen=True)
class MessageDetail:
    row: MessageRow
    body: str
    author_name: str
    remote_url: str | None
    version: int
    post_id: int | None
    thread: tuple[ThreadItem, ...]
    earlier: tuple[ThreadItem, ...]
    notes: tuple[NoteInfo, ...]
    replies: tuple[ReplyInfo, ...]
    replying: tuple[str, ...]
    #: The newest reply's id when this was read: a send is refused if another came since.
    seen_reply: int


@dataclass(frozen=True)
class InboxFilter:
    """What the queue shows: a status ("new", "pending", "closed" or "all"); whose ("mine",
    "unassigned" or "all"); and optionally a brand, channel, kind, label and search words."""

    status: str = "new"
    who: str = "all"
    brand_id: int | None = None
    channel_id: int | None = None
    kind: str | None = None
    label: str | None = None
    search: str = ""


@dataclass(frozen=True)
class InboxPage:
    rows: tuple[MessageRow, ...]
    #: Where the next page starts (None at the end).
    after: tuple | None


@dataclass(frozen=True)
class InboxCounts:
    """The heads per status for what the actor may see, and how many new ones are theirs."""

    new: int
    pending: int
    closed: int
    new_for_me: int


@dataclass(frozen=True)
class SavedReplyInfo:
    id: int
    title: str
    body: str
    brand_id: int | None
