"""The unified inbox: messages in (ingest, sync, import), the queue (statuses, assignment,
labels, notes, SLA), replies through the outbox exactly once, presence, and the reads."""

from .importer import COLUMNS as IMPORT_COLUMNS
from .importer import ImportResult, import_messages
from .ingest import ingest
from .model import (
    InboxCounts,
    InboxFilter,
    InboxPage,
    Incoming,
    IngestReport,
    MessageDetail,
    MessageRow,
    NoteInfo,
    ReplyInfo,
    SavedReplyInfo,
    ThreadItem,
)
from .outbox import fill, queue_reply, reply_done, reply_with_saved, retry_reply
from .presence import replying, start_replying, stop_replying
from .queries import inbox_counts, inbox_page, message_detail
from .queue import PRIORITIES, add_note, assign, close, label, reopen, set_priority
from .runner import SyncReport, sync
from .saved import add_saved_reply, list_saved_replies

__all__ = [
    "IMPORT_COLUMNS",
    "PRIORITIES",
    "ImportResult",
    "InboxCounts",
    "InboxFilter",
    "InboxPage",
    "Incoming",
    "IngestReport",
    "MessageDetail",
    "MessageRow",
    "NoteInfo",
    "ReplyInfo",
    "SavedReplyInfo",
    "SyncReport",
    "ThreadItem",
    "add_note",
    "add_saved_reply",
    "assign",
    "close",
    "fill",
    "import_messages",
    "inbox_counts",
    "inbox_page",
    "ingest",
    "label",
    "list_saved_replies",
    "message_detail",
    "queue_reply",
    "reopen",
    "reply_done",
    "reply_with_saved",
    "replying",
    "retry_reply",
    "set_priority",
    "start_replying",
    "stop_replying",
    "sync",
]
