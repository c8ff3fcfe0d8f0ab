"""The unified inbox: messages in (ingest, sync, import), the queue (statuses, assignment,
labels, notes, SLA), replies through the outbox exactly once, presence, and the reads."""

from .importer import COLUMNS as IMPORT_COLUMNS
from .importer import ImportResult, import_messages
from .ingest import ingest
from .labels import RuleInfo, add_label_rule, list_label_rules, remove_label_rule
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
from .outbox import check_reply, fill, queue_reply, reply_done, reply_with_saved, retry_reply
from .presence import BEAT, replying, start_replying, stop_replying
from .queries import inbox_counts, inbox_page, message_detail
from .queue import PRIORITIES, add_note, assign, assignees, close, label, reopen, set_priority
from .runner import SyncReport, pull_interval, set_pull_interval, sync
from .saved import add_saved_reply, list_saved_replies
from .sla import brand_sla, set_sla

__all__ = [
    "BEAT",
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
    "RuleInfo",
    "SavedReplyInfo",
    "SyncReport",
    "ThreadItem",
    "add_label_rule",
    "add_note",
    "add_saved_reply",
    "assign",
    "assignees",
    "brand_sla",
    "check_reply",
    "close",
    "fill",
    "import_messages",
    "inbox_counts",
    "inbox_page",
    "ingest",
    "label",
    "list_label_rules",
    "list_saved_replies",
    "message_detail",
    "pull_interval",
    "queue_reply",
    "remove_label_rule",
    "reopen",
    "reply_done",
    "reply_with_saved",
    "replying",
    "retry_reply",
    "set_priority",
    "set_pull_interval",
    "set_sla",
    "start_replying",
    "stop_replying",
    "sync",
]
