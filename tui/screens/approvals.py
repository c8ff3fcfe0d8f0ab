"""Approvals (key 3): the review queue. What waits for my decision first, overdue first; the pane
shows the content with its checks, who approved, the thread, and what changed since I last
looked. `a` approves, `c` sends back with a note, `m` comments, `u` withdraws my approval."""

from __future__ import annotations

from dataclasses import dataclass
from zoneinfo import ZoneInfo

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.message import Message
from textual.widgets import Header, Static

import store
from store import CaptionReport, Kind, QueueEntry, QueueItem, ReviewContext

from ..session import db_work
from ..widgets.diff import revision_diff
from ..widgets.item_list import ItemList
from ..widgets.key_bar import KeyBar
from ..widgets.post_text import content_text
from ..widgets.queue_row import ROW_HEIGHT, queue_row
from ..widgets.review_thread import ReviewThread
from ..words import approvals, missing, when
from .live import LiveScreen
from .prompt import TextPrompt

PAGE = 50


@dataclass
class QueueLoaded(Message):
    """The queue's order, and the rows of its first page."""

    brand_id: int | None
    entries: list[QueueEntry]
    items: list[QueueItem]
    generation: int


@dataclass
class MoreLoaded(Message):
    """The rows of a further page."""

    items: list[QueueItem]
    generation: int


@dataclass
class ContextLoaded(Message):
    """What the pane shows for one post."""

    context: ReviewContext
    reports: list[CaptionReport]


@dataclass
class Decided(Message):
    """A decision or comment was saved."""

    words: str
    comment: bool


class ApprovalsScreen(LiveScreen):
    """The review queue and the post under the cursor."""

    BINDINGS = [
        Binding("a", "approve", "Approve", id="approvals.approve"),
        Binding("c", "request_changes", "Changes", id="approvals.changes"),
        Binding("m", "comment", "Comment", id="approvals.comment"),
        Binding("u", "unapprove", "Withdraw", id="approvals.unapprove"),
        Binding("enter,d", "open", "Details", id="approvals.open"),
        Binding("tab", "switch_pane", "List / post", show=False, id="approvals.pane"),
    ]

    def __init__(self):
        super().__init__()
        self.entries: list[QueueEntry] = []
        self.context: ReviewContext | None = None
        self._follow: int | None = None
        self._loading_more = False
        self._generation = 0  # a load started before the latest one is stale when it lands

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="queue-title")
        zone = ZoneInfo(self.app.timezone)
        now = self.app.session.now

        def draw(item: QueueItem, width: int) -> Text:
            return queue_row(item, width, zone, now())

        with Horizontal(id="queue"):
            yield ItemList(draw, ROW_HEIGHT, empty="Nothing waits for you.", id="queue-list")
            with VerticalScroll(id="queue-pane"):
                for part in ("head", "diff", "content"):
                    yield Static(id=f"queue-{part}", classes="detail-part")
                yield ReviewThread(id="queue-thread", classes="detail-part")
        yield KeyBar()

    def on_mount(self) -> None:
        self.query_one("#queue-list", ItemList).focus()
        self.reload()

    @property
    def queue(self) -> ItemList:
        return self.query_one("#queue-list", ItemList)

    def selected_item(self) -> QueueItem | None:
        """The row under the cursor."""
        return self.queue.current

    # --- loading -------------------------------------------------------------------------

    def shows(self, batch: store.ChangeBatch) -> bool:
        return bool(batch.of(Kind.POST, Kind.REVIEW, Kind.USER, Kind.BRAND))

    def changed(self, batch: store.ChangeBatch) -> None:
        super().changed(batch)
        item = self.selected_item()
        if item is not None and any(
            c.entity_id == item.post.id for c in batch.of(Kind.COMMENT, Kind.DELIVERY)
        ):
            self.load_context(item.post.id)  # the thread of the post in the pane grew

    def reload(self) -> None:
        """Load the queue again; the cursor stays on its post (or the one that took its place)."""
        item = self.selected_item()
        if self._follow is None and item is not None:
            self._follow = item.post.id
        self._generation += 1
        # As many rows as are shown now, so a refresh keeps the place in a long queue.
        self.load(self.app.brand_id, self._generation, max(PAGE, len(self.queue.items)))

    @db_work(group="queue")
    def load(self, brand_id: int | None, generation: int, rows: int) -> None:
        actor = self.app.session.actor()
        entries = store.review_queue(actor, self.app.session.now(), brand_id=brand_id)
        items = store.queue_items(actor, entries[:rows])
        self.post_message(QueueLoaded(brand_id, entries, items, generation))

    def on_queue_loaded(self, message: QueueLoaded) -> None:
        if message.brand_id != self.app.brand_id or message.generation != self._generation:
            return
        self.entries = message.entries
        self._loading_more = False
        self.app.first_data_shown()
        follow, self._follow = self._follow, None
        ids = [e.post_id for e in self.entries]
        if follow in ids[: len(message.items)]:
            self.queue.set_items(message.items, cursor=ids.index(follow))
        else:
            self.queue.set_items(message.items)
        self._paint_title()
        if not message.items:
            self.context = None
            self._show_context(None)
        elif self.selected_item() is not None:
            self.load_context(self.selected_item().post.id)

    def on_item_list_near_end(self, message: ItemList.NearEnd) -> None:
        shown = len(self.queue.items)
        if self._loading_more or shown >= len(self.entries):
            return
        self._loading_more = True
        self.load_more(self.entries[shown : shown + PAGE], self._generation)

    @db_work(group="queue-more", exclusive=False)
    def load_more(self, entries: list[QueueEntry], generation: int) -> None:
        items = store.queue_items(self.app.session.actor(), entries)
        self.post_message(MoreLoaded(items, generation))

    def on_more_loaded(self, message: MoreLoaded) -> None:
        self._loading_more = False
        if message.generation == self._generation:  # not a page of a queue since reloaded
            self.queue.extend(message.items)

    def on_item_list_highlighted(self, message: ItemList.Highlighted) -> None:
        item = self.selected_item()
        if item is not None:
            self.load_context(item.post.id)

    @db_work(group="queue-context")
    def load_context(self, post_id: int) -> None:
        context = store.review_context(self.app.session.actor(), post_id)
        self.post_message(ContextLoaded(context, store.channel_reports(context.detail)))

    def on_context_loaded(self, message: ContextLoaded) -> None:
        item = self.selected_item()
        if item is None or item.post.id != message.context.detail.summary.id:
            return  # the cursor moved on while this loaded
        self.context = message.context
        self._show_context(message)

    # --- drawing -------------------------------------------------------------------------

    def _paint_title(self) -> None:
        mine = sum(1 for e in self.entries if e.mine)
        others = len(self.entries) - mine
        title = Text()
        title.append("Approvals  ", style="bold")
        title.append(f"{mine} wait for you", style="bold #5fd7ff" if mine else "dim")
        if others:
            title.append(f" · {others} more in review", style="dim")
        overdue = sum(1 for e in self.entries if e.mine and e.overdue)
        if overdue:
            title.append(f" · {overdue} overdue", style="bold red")
        self.query_one("#queue-title", Static).update(title)

    def _show_context(self, message: ContextLoaded | None) -> None:
        zone = ZoneInfo(self.app.timezone)
        parts = {part: Text() for part in ("head", "diff", "content")}
        detail = message.context.detail if message else None
        if message is not None:
            parts["head"] = self._head(detail, zone)
            parts["diff"] = self._diff(message.context)
            parts["content"] = content_text(detail, message.reports)
        for part, text in parts.items():
            self.query_one(f"#queue-{part}", Static).update(text)
        self.query_one(ReviewThread).show(detail, zone, "Comments and reviews (m comments)")

    def _head(self, detail: store.PostDetail, zone: ZoneInfo) -> Text:
        s = detail.summary
        text = Text()
        text.append(f"#{s.id} {s.title}\n", style="bold")
        text.append(f"{detail.brand_name} · {s.tier.label} · by {s.owner_login}")
        text.append(f" · revision {s.revision}\n")
        text.append(f"review due {when(s.review_due, zone)} · publish {when(s.publish_at, zone)}\n")
        text.append(approvals(detail), style="bold")
        if missing(detail):
            text.append(f"\n{missing(detail)}", style="#ffd700")
        if detail.brief:
            text.append(f"\nbrief: {detail.brief}", style="italic")
        return text

    def _diff(self, context: ReviewContext) -> Text:
        text = Text()
        if context.baseline is None:
            text.append("First revision", style="bold underline")
            text.append("\nNothing earlier to compare with: read it all below.", style="dim")
            return text
        text.append(f"What changed {context.baseline_reason}\n", style="bold underline")
        revisions = {r.number: r for r in context.detail.revisions}
        current = revisions[context.detail.summary.revision]
        text.append_text(revision_diff(revisions[context.baseline], current))
        return text

    # --- decisions -----------------------------------------------------------------------

    def _current(self) -> ReviewContext | None:
        item, context = self.selected_item(), self.context
        if item is None or context is None or context.detail.summary.id != item.post.id:
            return None
        return context

    def _ask(self, what: str, prompt: TextPrompt) -> None:
        context = self._current()
        if context is None:
            return

        def send(note: str | None) -> None:
            if note is not None:
                self.decide(context, what, note)

        self.app.push_screen(prompt, send)

    def action_approve(self) -> None:
        if self._current():
            title = self._current().detail.summary.title
            self._ask(
                "approve",
                TextPrompt(
                    f"Approve '{title}'", "A note is optional · ctrl+s approves · esc cancels"
                ),
            )

    def action_request_changes(self) -> None:
        if self._current():
            title = self._current().detail.summary.title
            self._ask(
                "changes",
                TextPrompt(
                    f"What should change in '{title}'?",
                    "A note is required · ctrl+s sends it back · esc cancels",
                    required="say what needs to change",
                ),
            )

    def action_comment(self) -> None:
        self._ask(
            "comment", TextPrompt("Comment on this revision", required="write something first")
        )

    def action_unapprove(self) -> None:
        if self._current():
            title = self._current().detail.summary.title
            self._ask(
                "unapprove",
                TextPrompt(
                    f"Withdraw your approval of '{title}'",
                    "Say why (optional) · ctrl+s withdraws · esc cancels",
                ),
            )

    @db_work(group="queue-decide", exclusive=False, writes=True)
    def decide(self, context: ReviewContext, what: str, note: str) -> None:
        session = self.app.session
        actor, now = session.actor(), session.now()
        summary = context.detail.summary
        seen = summary.revision
        if what == "approve":
            after = store.approve(actor, summary.id, now, note=note, seen_revision=seen)
            if after.stage is store.Stage.APPROVED:
                words = f"'{summary.title}' is approved"
            else:
                words = f"Your approval of '{summary.title}' counts; it needs more"
            if after.publish_at is not None and after.publish_at <= now:
                words += f"; its publish time has passed, so {after.owner_login} picks a new one"
        elif what == "changes":
            store.request_changes(actor, summary.id, note, now, seen_revision=seen)
            words = f"Sent '{summary.title}' back to {summary.owner_login}"
        elif what == "unapprove":
            after = store.unapprove(actor, summary.id, now, note=note)
            words = f"Withdrew your approval of '{summary.title}'; it is {after.stage.label}"
        else:
            store.add_comment(actor, summary.id, note, now)
            words = "Comment added"
        self.post_message(Decided(words, comment=what == "comment"))

    def on_decided(self, message: Decided) -> None:
        self.app.notify(message.words)
        if not message.comment:
            # The next post comes up: follow whatever was below the one decided on.
            queue = self.queue
            following = (
                queue.items[queue.cursor + 1] if queue.cursor + 1 < len(queue.items) else None
            )
            self._follow = following.post.id if following else None

    def action_open(self) -> None:
        item = self.selected_item()
        if item is not None:
            self.app.open_post(item.post.id)

    def action_switch_pane(self) -> None:
        pane = self.query_one("#queue-pane")
        (self.queue if pane.has_focus else pane).focus()
