"""Inbox (key 4): every comment, mention and DM of every channel in one queue, overdue first.

The list pages by keyset from the store (50 rows at a time, never one widget per message); the
pane shows the thread with the team's replies, the post it answers, the author's earlier
messages, notes, and who else is replying. `r` opens a reply box under the thread: the
platform's length check runs as you type, `ctrl+t` inserts a saved reply, and while it is open
everyone else sees that you are replying. The store refuses a send when a teammate answered
after you opened the thread, and shows their reply; the box keeps your text.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from zoneinfo import ZoneInfo

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.message import Message
from textual.widgets import Header, Label, Static, TextArea

import store
from store import DeliveryState, InboxKind, InboxStatus, Kind

from ..session import db_work
from ..widgets.inbox_row import KIND_MARK, ROW_HEIGHT, age, inbox_row
from ..widgets.item_list import ItemList
from ..widgets.key_bar import KeyBar
from ..words import when
from .choice import ChoicePicker, LinePrompt
from .live import LiveScreen
from .prompt import TextPrompt

InboxCounts = store.inbox.InboxCounts
InboxFilter = store.inbox.InboxFilter
MessageDetail = store.inbox.MessageDetail
MessageRow = store.inbox.MessageRow

PAGE = 50
STATUSES = ("new", "pending", "closed", "all")
WHO = ("all", "mine", "unassigned")
WHO_WORDS = {"all": "everyone's", "mine": "mine", "unassigned": "unassigned"}
KINDS = (None, "comment", "mention", "dm")
KIND_WORDS = {None: "every kind", "comment": "comments", "mention": "mentions", "dm": "DMs"}
#: How often the pane looks again while someone else is replying (their heartbeat may stop).
PRESENCE_LOOK = 10.0
NOBODY = "-"
#: The screen's keys that act on the list (not offered while a reply is being written).
LIST_ACTIONS = frozenset(
    {
        "reply",
        "close",
        "take",
        "assign",
        "label",
        "note",
        "reopen",
        "select",
        "select_all",
        "cycle_status",
        "cycle_who",
        "cycle_kind",
        "pick_channel",
        "filter_label",
        "search",
        "open",
        "retry",
        "reply_done",
        "clear",
    }
)

D = DeliveryState
REPLY_WORDS = {
    D.PENDING: ("queued: the scheduler sends it at its next pass", "#ffaf00"),
    D.SENDING: ("sending…", "#ffaf00"),
    D.SENT: ("sent", "green"),
    D.RETRYING: ("retrying", "#ffaf00"),
    D.UNCONFIRMED: (
        "unconfirmed: check on the platform (R sends again, same key; D records its link)",
        "bold red",
    ),
    D.FAILED: ("failed (R retries)", "bold red"),
    D.MANUAL: ("post it by hand, then D records its link", "#ffaf00"),
}


@dataclass
class PageLoaded(Message):
    where: InboxFilter
    rows: list[MessageRow]
    after: tuple | None
    counts: InboxCounts | None
    generation: int
    more: bool  # a further page, not the first


@dataclass
class DetailLoaded(Message):
    detail: MessageDetail


@dataclass
class Done(Message):
    words: str
    follow_next: bool = False


@dataclass
class ReplySent(Message):
    words: str


class ReplyBox(Vertical):
    """The reply under the thread: text, the platform's live check, what went wrong."""

    BINDINGS = [
        Binding("ctrl+s", "screen.send_reply", "Send", id="inbox.send"),
        Binding("ctrl+t", "screen.saved_reply", "Saved reply", id="inbox.saved"),
        Binding("escape", "screen.cancel_reply", "Cancel", id="inbox.cancel_reply"),
    ]

    def compose(self) -> ComposeResult:
        yield Label("", id="reply-to", classes="dialog-title")
        yield TextArea(id="reply-text", soft_wrap=True)
        yield Static(id="reply-check")
        yield Label("", id="reply-error", classes="error")
        yield Label("ctrl+s sends · ctrl+t saved reply · esc cancels", classes="hint")


class InboxScreen(LiveScreen):
    """The queue of messages and the thread under the cursor."""

    #: What the list's marks mean (the help page shows it; no-break spaces inside each entry).
    LEGEND = "  ".join(
        entry.replace(" ", "\u00a0")
        for entry in (
            "● new", "◐ pending", "✓ closed", "⚠ first answer overdue", "▪ selected",
            "↑ priority", "↩ comment", "@ mention", "✉ DM", "#label", "✎ a teammate is replying",
        )
    )  # fmt: skip

    BINDINGS = [
        Binding("r", "reply", "Reply", id="inbox.reply"),
        Binding("x", "close", "Close", id="inbox.close"),
        Binding("A", "take", "Take", id="inbox.take"),
        Binding("a", "assign", "Assign", id="inbox.assign"),
        Binding("l", "label", "Label", id="inbox.label"),
        Binding("n", "note", "Note", id="inbox.note"),
        Binding("u", "reopen", "Reopen", id="inbox.reopen", show=False),
        Binding("space", "select", "Select", id="inbox.select"),
        Binding(
            "asterisk",
            "select_all",
            "Select all",
            key_display="*",
            id="inbox.select_all",
            show=False,
        ),
        Binding("s", "cycle_status", "Status", id="inbox.status"),
        Binding("w", "cycle_who", "Whose", id="inbox.who", show=False),
        Binding("t", "cycle_kind", "Kind", id="inbox.kind", show=False),
        Binding("c", "pick_channel", "Channel", id="inbox.channel", show=False),
        Binding("L", "filter_label", "By label", id="inbox.by_label", show=False),
        Binding("slash", "search", "Search", key_display="/", id="inbox.search"),
        Binding("enter", "open", "Open post", id="inbox.open"),
        Binding("R", "retry", "Retry reply", id="inbox.retry", show=False),
        Binding("D", "reply_done", "Reply sent by hand", id="inbox.reply_done", show=False),
        Binding("escape", "clear", "Clear selection", show=False, id="inbox.clear"),
        Binding("tab", "switch_pane", "List / thread", show=False, id="inbox.pane"),
    ]

    def __init__(self):
        super().__init__()
        self.where = InboxFilter()
        self.after: tuple | None = None
        self.counts: InboxCounts | None = None
        self.detail: MessageDetail | None = None
        self.selected: set[int] = set()
        self.channels: list[store.ChannelInfo] = []
        self.replying_to: MessageDetail | None = None
        self._beat = None
        self._look = None
        self._follow: int | None = None
        self._reply_when_loaded: int | None = None
        self._told_of_reply = False
        self._loading_more = False
        self._generation = 0

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="inbox-title")
        now = self.app.session.now

        def draw(row: MessageRow, width: int) -> Text:
            return inbox_row(row, width, now(), selected=row.id in self.selected)

        with Horizontal(id="inbox"):
            yield ItemList(
                draw,
                ROW_HEIGHT,
                empty="Nothing matches the filters.",
                id="inbox-list",
            )
            with Vertical(id="inbox-right"):
                with VerticalScroll(id="inbox-pane"):
                    for part in ("head", "thread", "notes", "earlier"):
                        yield Static(id=f"inbox-{part}", classes="detail-part")
                yield ReplyBox(id="reply-box")
        yield KeyBar()

    def on_mount(self) -> None:
        super().on_mount()
        self.query_one("#reply-box").display = False
        self.list.focus()
        self.reload()

    def on_unmount(self) -> None:
        super().on_unmount()
        self._stop_beating()

    @property
    def list(self) -> ItemList:
        return self.query_one("#inbox-list", ItemList)

    def current(self) -> MessageRow | None:
        return self.list.current

    # --- loading -------------------------------------------------------------------------

    def shows(self, batch: store.ChangeBatch) -> bool:
        return bool(batch.of(Kind.INBOX, Kind.USER, Kind.BRAND, Kind.CHANNEL))

    def brand_changed(self) -> None:
        self.selected.clear()
        super().brand_changed()

    def reload(self) -> None:
        """Load the first pages again; the cursor stays on its message where it still shows."""
        row = self.current()
        if self._follow is None and row is not None:
            self._follow = row.id
        self._generation += 1
        self.where = replace(self.where, brand_id=self.app.brand_id)
        self.load(self.where, self._generation, max(PAGE, len(self.list.items)))

    @db_work(group="inbox")
    def load(self, where: InboxFilter, generation: int, rows: int) -> None:
        session = self.app.session
        actor, now = session.actor(), session.now()
        page = store.inbox.inbox_page(actor, now, where, limit=rows)
        counts = store.inbox.inbox_counts(actor, where.brand_id)
        self.channels = store.list_channels(actor, where.brand_id)
        self.post_message(
            PageLoaded(where, list(page.rows), page.after, counts, generation, more=False)
        )

    @db_work(group="inbox-more", exclusive=False)
    def load_more(self, where: InboxFilter, after: tuple, generation: int) -> None:
        session = self.app.session
        page = store.inbox.inbox_page(session.actor(), session.now(), where, after=after)
        self.post_message(PageLoaded(where, list(page.rows), page.after, None, generation, True))

    def on_page_loaded(self, message: PageLoaded) -> None:
        if message.generation != self._generation or message.where != self.where:
            return
        self.after = message.after
        self._loading_more = False
        if message.more:
            self.list.extend(message.rows)
            return
        self.counts = message.counts
        self.app.first_data_shown()
        follow, self._follow = self._follow, None
        ids = [r.id for r in message.rows]
        self.selected &= set(ids)
        self.list.set_items(message.rows, cursor=ids.index(follow) if follow in ids else None)
        self._paint_title()
        if not message.rows and self.replying_to is None:
            self.detail = None
            self._show_detail()
        elif self.replying_to is not None:
            self.load_detail(self.replying_to.row.id)
        elif self.current() is not None:
            self.load_detail(self.current().id)

    def on_item_list_near_end(self, message: ItemList.NearEnd) -> None:
        if self._loading_more or self.after is None:
            return
        self._loading_more = True
        self.load_more(self.where, self.after, self._generation)

    def on_item_list_highlighted(self, message: ItemList.Highlighted) -> None:
        if self.replying_to is not None:
            return  # the pane stays on the message being answered
        row = self.current()
        if row is not None and (self.detail is None or self.detail.row.id != row.id):
            self.load_detail(row.id)

    @db_work(group="inbox-detail")
    def load_detail(self, message_id: int) -> None:
        session = self.app.session
        detail = store.inbox.message_detail(session.actor(), message_id, session.now())
        self.post_message(DetailLoaded(detail))

    def on_detail_loaded(self, message: DetailLoaded) -> None:
        # While a reply is being written the pane keeps its message, wherever the list moved
        # (a teammate's change can take the message out of the list under the cursor).
        row = self.replying_to.row if self.replying_to is not None else self.current()
        if row is None or row.id != message.detail.row.id:
            return  # the cursor moved on while this loaded
        self.detail = message.detail
        if self.replying_to is not None and self.replying_to.row.id == row.id:
            self._keep_replying(message.detail)
        self._show_detail()
        if self.replying_to is not None:
            self.query_one("#inbox-pane").scroll_end(animate=False)
        if self._reply_when_loaded == row.id and self.replying_to is None:
            self._open_box(message.detail)
        if self._look is not None:
            self._look.stop()
            self._look = None
        if message.detail.replying:  # their heartbeat may stop: look again in a while
            self._look = self.set_timer(PRESENCE_LOOK, lambda: self.load_detail(row.id))

    # --- drawing -------------------------------------------------------------------------

    def _paint_title(self) -> None:
        title = Text()
        title.append("Inbox  ", style="bold")
        if self.counts is not None:
            c = self.counts
            title.append(f"{c.new} new", style="bold #5fd7ff" if c.new else "dim")
            title.append(f" · {c.pending} pending · {c.closed} closed", style="dim")
            if c.new_for_me:
                title.append(f" · {c.new_for_me} for you", style="bold")
        w = self.where
        shown = [w.status, WHO_WORDS[w.who], KIND_WORDS[w.kind]]
        brand = next((b.name for b in self.app.brands if b.id == w.brand_id), None)
        if brand is not None:
            shown.insert(0, brand)
        channel = next((c for c in self.channels if c.id == w.channel_id), None)
        if channel is not None:
            shown.append(f"{channel.platform.value} {channel.handle}")
        if w.label:
            shown.append(f"#{w.label}")
        if w.search:
            shown.append(f"“{w.search}”")
        title.append("   showing: ", style="dim")
        title.append(" · ".join(shown), style="#d7afff")
        if self.selected:
            title.append(f"   {len(self.selected)} selected", style="bold #ff5fd7")
        self.query_one("#inbox-title", Static).update(title)

    def _show_detail(self) -> None:
        parts = {part: Text() for part in ("head", "thread", "notes", "earlier")}
        d = self.detail
        if d is not None:
            zone = ZoneInfo(self.app.timezone)
            parts["head"] = self._head(d, zone)
            parts["thread"] = self._thread(d, zone)
            parts["notes"] = self._notes(d, zone)
            parts["earlier"] = self._earlier(d, zone)
        elif not self.list.items:
            parts["head"] = Text(
                "No message matches what the heading shows: s, w, t, c, L and / change it.",
                style="dim",
            )
        for part, text in parts.items():
            static = self.query_one(f"#inbox-{part}", Static)
            static.update(text)
            static.display = bool(text.plain)  # an empty part takes no room (nor its margin)

    def _head(self, d: MessageDetail, zone: ZoneInfo) -> Text:
        r = d.row
        now = self.app.session.now()
        text = Text()
        text.append(f"{r.author_handle}", style="bold")
        if d.author_name and d.author_name != r.author_handle:
            text.append(f" ({d.author_name})")
        text.append(f"  {KIND_MARK[r.kind]} {r.kind.value} on {r.platform.value} {r.channel}\n")
        text.append(f"{r.status.value}", style="bold")
        text.append(f" · {r.assignee or 'unassigned'} · received {when(r.received_at, zone)}")
        if r.priority:
            text.append(f" · {store.inbox.PRIORITIES[r.priority]} priority", style="#ff8700")
        text.append("\n")
        if r.overdue:
            text.append(
                f"⚠ first answer was due {when(r.sla_due_at, zone)} "
                f"({age(r.sla_due_at, now)} ago)\n",
                style="bold red",
            )
        elif r.status is InboxStatus.NEW and r.sla_due_at is not None:
            text.append(f"answer by {when(r.sla_due_at, zone)}\n", style="#ffaf00")
        if r.labels:
            text.append(" ".join(f"#{label}" for label in r.labels) + "\n", style="#d7afff")
        if d.post_id is not None:
            text.append(
                f"about post #{d.post_id} “{r.post_title}” (enter opens it)\n", style="cyan"
            )
        for login in d.replying:
            text.append(f"✎ {login} is replying\n", style="bold #ffd700")
        return text

    def _thread(self, d: MessageDetail, zone: ZoneInfo) -> Text:
        entries: list[tuple[datetime, int, Text]] = []
        for item in d.thread:
            t = Text()
            t.append(f"{item.author_handle} · {when(item.received_at, zone)}\n", style="bold")
            t.append(f"{item.body}\n")
            entries.append((item.received_at, 0, t))
        for reply in d.replies:
            words, style = REPLY_WORDS[reply.state]
            t = Text()
            t.append(f"↳ {reply.author} replied", style="bold green")
            t.append(" privately" if reply.private else "")
            t.append(f" · {when(reply.created_at, zone)} · ")
            t.append(words, style=style)
            if reply.state is D.RETRYING and reply.next_try is not None:
                t.append(f" at {when(reply.next_try, zone)}", style=style)
            if reply.state is D.SENT and reply.remote_url:
                t.append(f" {reply.remote_url}", style="underline")
            t.append("\n")
            if reply.error and reply.state is not D.SENT:
                t.append(f"  {reply.error}\n", style=style)
            t.append(f"  {reply.body}\n")
            entries.append((reply.created_at, 1, t))
        text = Text("Thread\n", style="bold underline")
        for _, _, t in sorted(entries, key=lambda e: (e[0], e[1])):
            text.append_text(t)
        return text

    def _notes(self, d: MessageDetail, zone: ZoneInfo) -> Text:
        if not d.notes:
            return Text()
        text = Text("Notes (the team's only, never sent)\n", style="bold underline")
        for note in d.notes:
            text.append(f"{note.author} · {when(note.created_at, zone)}: ", style="bold")
            text.append(f"{note.body}\n")
        return text

    def _earlier(self, d: MessageDetail, zone: ZoneInfo) -> Text:
        if not d.earlier:
            return Text()
        text = Text(f"Earlier from {d.row.author_handle}\n", style="bold underline")
        for item in d.earlier:
            first = next((line for line in item.body.splitlines() if line.strip()), "")
            text.append(f"{when(item.received_at, zone)}  ", style="dim")
            text.append(f"{first}\n")
        return text

    # --- selection and filters -----------------------------------------------------------

    def targets(self) -> list[int]:
        """The selected messages, else the one under the cursor."""
        if self.selected:
            return sorted(self.selected)
        row = self.current()
        return [row.id] if row is not None else []

    def _redraw_rows(self) -> None:
        self.list.redraw()
        self._paint_title()

    def action_select(self) -> None:
        row = self.current()
        if row is not None:
            self.selected ^= {row.id}
            self._redraw_rows()
            self.list.action_cursor(1)

    def action_select_all(self) -> None:
        ids = {r.id for r in self.list.items}
        self.selected = set() if ids <= self.selected else ids
        self._redraw_rows()

    def action_clear(self) -> None:
        if self.selected:
            self.selected.clear()
            self._redraw_rows()

    def _refilter(self, **changes) -> None:
        self.where = replace(self.where, **changes)
        self.selected.clear()
        self.after = None
        self._follow = None
        self.list.set_items([], cursor=0)
        self.detail = None
        self._paint_title()
        self.reload()

    @staticmethod
    def _next(options: tuple, current):
        return options[(options.index(current) + 1) % len(options)]

    def action_cycle_status(self) -> None:
        self._refilter(status=self._next(STATUSES, self.where.status))

    def action_cycle_who(self) -> None:
        self._refilter(who=self._next(WHO, self.where.who))

    def action_cycle_kind(self) -> None:
        self._refilter(kind=self._next(KINDS, self.where.kind))

    def action_pick_channel(self) -> None:
        """Pick the channel to show (or every channel)."""
        options = [("all", "every channel")] + [
            (str(c.id), f"{c.platform.value} {c.handle}") for c in self.channels
        ]

        def chosen(key: str | None) -> None:
            if key is not None:
                self._refilter(channel_id=None if key == "all" else int(key))

        self.app.push_screen(ChoicePicker("Show which channel?", options), chosen)

    def action_filter_label(self) -> None:
        def chosen(words: str | None) -> None:
            if words is not None:
                self._refilter(label=words.strip().lstrip("#") or None)

        self.app.push_screen(
            LinePrompt("Show messages with which label?", self.where.label or "", "empty: any"),
            chosen,
        )

    def action_search(self) -> None:
        def chosen(words: str | None) -> None:
            if words is not None:
                self._refilter(search=words.strip())

        self.app.push_screen(
            LinePrompt(
                "Search bodies and authors", self.where.search, "enter searches · empty: all"
            ),
            chosen,
        )

    # --- acting on messages --------------------------------------------------------------

    def _follow_next(self) -> None:
        """After a message leaves the list, the cursor goes to the one below it."""
        items, cursor = self.list.items, self.list.cursor
        gone = set(self.targets())
        below = [r for r in items[cursor + 1 :] if r.id not in gone]
        above = [r for r in reversed(items[:cursor]) if r.id not in gone]
        following = (below or above or [None])[0]
        self._follow = following.id if following else None

    @db_work(group="inbox-act", exclusive=False, writes=True)
    def act(self, what: str, ids: list[int], value: str | None = None) -> None:
        session = self.app.session
        actor, now = session.actor(), session.now()
        inbox = store.inbox
        many = "messages" if len(ids) != 1 else "message"
        if what == "close":
            n = inbox.close(actor, ids, now)
            words = f"Closed {n} {many}" if n else "Already closed"
        elif what == "reopen":
            n = inbox.reopen(actor, ids, now)
            words = f"Reopened {n} {many}" if n else "Already new"
        elif what == "assign":
            n = inbox.assign(actor, ids, value, now)
            words = f"Gave {n} {many} to {value}" if value else f"Unassigned {n} {many}"
        elif what == "label":
            remove = value.startswith("-")
            n = inbox.label(actor, ids, value.lstrip("-#"), now, remove=remove)
            words = f"{'Removed' if remove else 'Added'} #{value.lstrip('-#')} on {n} {many}"
        elif what == "note":
            inbox.add_note(actor, ids[0], value, now)
            words = "Note added (the team's only)"
        elif what == "done":
            reply_id, url = value.split(" ", 1)
            inbox.reply_done(actor, int(reply_id), url, now)
            words = "Recorded the reply as sent"
        else:  # retry
            inbox.retry_reply(actor, int(value), now)
            words = "The reply goes again at the next pass, under the same key"
        self.post_message(Done(words, follow_next=what == "close" and self.where.status != "all"))

    def on_done(self, message: Done) -> None:
        self.app.notify(message.words)
        self.selected.clear()
        self._paint_title()
        row = self.current()
        if row is not None:
            self.load_detail(row.id)

    def _act(self, what: str, value: str | None = None) -> None:
        ids = self.targets()
        if not ids:
            return
        if what == "close" and self.where.status in ("new", "pending"):
            self._follow_next()
        self.act(what, ids, value)

    def action_close(self) -> None:
        self._act("close")

    def action_reopen(self) -> None:
        self._act("reopen")

    def action_take(self) -> None:
        self._act("assign", self.app.actor.login)

    def action_assign(self) -> None:
        if self.targets():
            self.pick_assignee()

    @db_work(group="inbox-people")
    def pick_assignee(self) -> None:
        logins = store.inbox.assignees(self.app.session.actor())
        self.app.call_from_thread(self._ask_assignee, logins)

    def _ask_assignee(self, logins: list[str]) -> None:
        me = self.app.actor.login
        options = [(login, f"{login} (me)" if login == me else login) for login in logins]
        options.append((NOBODY, "nobody"))
        n = len(self.targets())

        def chosen(login: str | None) -> None:
            if login is not None:
                self._act("assign", None if login == NOBODY else login)

        title = f"Give {n} messages to" if n > 1 else "Give this message to"
        self.app.push_screen(ChoicePicker(title, options), chosen)

    def action_label(self) -> None:
        if not self.targets():
            return

        def chosen(words: str | None) -> None:
            if words and words.strip().lstrip("-#"):
                self._act("label", words.strip())

        self.app.push_screen(
            LinePrompt("Label", "", "a word or two · -label removes it · esc cancels"), chosen
        )

    def action_note(self) -> None:
        row = self.current()
        if row is None:
            return

        def chosen(body: str | None) -> None:
            if body is not None:
                self.act("note", [row.id], body)

        self.app.push_screen(
            TextPrompt(
                f"A note on {row.author_handle}'s message",
                "The team sees it; it is never sent · ctrl+s saves · esc cancels",
                required="write the note first",
            ),
            chosen,
        )

    def action_retry(self) -> None:
        d = self.detail
        stuck = [r for r in d.replies if r.state in (D.FAILED, D.UNCONFIRMED)] if d else []
        if not stuck:
            self.app.notify("No failed or unconfirmed reply on this message", severity="warning")
            return
        self.act("retry", [d.row.id], str(stuck[-1].id))

    def action_reply_done(self) -> None:
        d = self.detail
        waiting = (D.MANUAL, D.UNCONFIRMED, D.FAILED)
        open_ones = [r for r in d.replies if r.state in waiting] if d else []
        if not open_ones:
            self.app.notify(
                "No reply on this message waits to be posted by hand", severity="warning"
            )
            return
        reply = open_ones[-1]

        def chosen(url: str | None) -> None:
            if url:
                self.act("done", [d.row.id], f"{reply.id} {url.strip()}")

        self.app.push_screen(
            LinePrompt(
                f"Where is {reply.author}'s reply on {d.row.platform.value}?",
                "",
                "its link (https://…) · enter records it as sent · esc cancels",
            ),
            chosen,
        )

    def check_action(self, action: str, parameters: tuple) -> bool | None:
        # While the reply box is open, the keys that act on the list are not offered (typing
        # goes to the reply), only the box's own.
        return not (self.replying_to is not None and action in LIST_ACTIONS)

    def action_open(self) -> None:
        d = self.detail
        if d is not None and d.post_id is not None:
            self.app.open_post(d.post_id)
        elif d is not None:
            self.query_one("#inbox-pane").focus()

    def action_switch_pane(self) -> None:
        pane = self.query_one("#inbox-pane")
        (self.list if pane.has_focus else pane).focus()

    # --- replying ------------------------------------------------------------------------

    def action_reply(self) -> None:
        d = self.detail
        row = self.current()
        if row is None:
            return
        if d is None or d.row.id != row.id:
            self._reply_when_loaded = row.id  # pressed before the thread arrived
            return
        self._open_box(d)

    def _open_box(self, d: MessageDetail) -> None:
        self._reply_when_loaded = None
        self._told_of_reply = False
        self.replying_to = d
        box = self.query_one("#reply-box")
        how = "privately" if d.row.kind is InboxKind.DM else "in the thread"
        self.query_one("#reply-to", Label).update(
            Content(f"Reply to {d.row.author_handle} {how} on {d.row.platform.value}")
        )
        self.query_one("#reply-error", Label).display = False
        area = self.query_one("#reply-text", TextArea)
        area.load_text("")
        box.display = True
        self.query_one("#inbox-pane").scroll_end(animate=False)  # the latest of the thread
        area.focus()
        self.refresh_bindings()
        self._check_reply()
        self.beat()
        self._beat = self.set_interval(store.inbox.BEAT.total_seconds(), self.beat)

    def _stop_beating(self) -> None:
        if self._beat is not None:
            self._beat.stop()
            self._beat = None

    @db_work(group="inbox-presence", exclusive=False)
    def beat(self) -> None:
        d = self.replying_to
        if d is not None:
            session = self.app.session
            store.inbox.start_replying(session.actor(), d.row.id, session.now())

    @db_work(group="inbox-presence-stop", exclusive=False)
    def stop(self, message_id: int) -> None:
        store.inbox.stop_replying(self.app.session.actor(), message_id)

    def _close_box(self) -> None:
        d, self.replying_to = self.replying_to, None
        self._stop_beating()
        if d is not None:
            self.stop(d.row.id)
        self.query_one("#reply-box").display = False
        self.refresh_bindings()
        self.list.focus()
        row = self.current()
        if row is not None and (self.detail is None or self.detail.row.id != row.id):
            self.load_detail(row.id)  # the list may have moved on while the reply was open

    def action_cancel_reply(self) -> None:
        self._close_box()

    def on_text_area_changed(self, event: TextArea.Changed) -> None:
        if event.text_area.id == "reply-text":
            self._check_reply()

    def _check_reply(self) -> None:
        """The platform's length check, as the store will apply it (pure and quick: no
        database, so it runs at each keystroke)."""
        d = self.replying_to
        if d is None:
            return
        report = store.inbox.check_reply(d.row.platform, self.query_one(TextArea).text)
        colour = "red" if report.errors else "green"
        text = Text()
        text.append("✗ " if report.errors else "✓ ", style=colour)
        text.append(f"{d.row.platform.value} {d.row.channel}  ", style="bold")
        text.append(f"{report.length}/{report.limit}", style=colour)
        if report.errors:
            text.append(f" · {report.length - report.limit} over the limit", style="red")
        self.query_one("#reply-check", Static).update(text)

    def action_saved_reply(self) -> None:
        if self.replying_to is not None:
            self.pick_saved(self.replying_to.row.brand_id)

    @db_work(group="inbox-saved")
    def pick_saved(self, brand_id: int) -> None:
        saved = store.inbox.list_saved_replies(self.app.session.actor(), brand_id)
        self.app.call_from_thread(self._ask_saved, saved)

    def _ask_saved(self, saved: list) -> None:
        d = self.replying_to
        if d is None:
            return
        if not saved:
            self.app.notify("No saved replies yet: postroom saved-reply add NAME --text …")
            return
        bodies = {str(s.id): s.body for s in saved}

        def chosen(key: str | None) -> None:
            area = self.query_one("#reply-text", TextArea)
            if key is not None and self.replying_to is d:
                area.insert(store.inbox.fill(bodies[key], d.row.author_handle, d.author_name))
            area.focus()

        options = [(str(s.id), f"{s.title} — {s.body}") for s in saved]
        self.app.push_screen(ChoicePicker("Insert a saved reply", options), chosen)

    def action_send_reply(self) -> None:
        d = self.replying_to
        if d is None:
            return
        self.send(d, self.query_one("#reply-text", TextArea).text)

    @db_work(group="inbox-send", exclusive=False, writes=True)
    def send(self, d: MessageDetail, text: str) -> None:
        session = self.app.session
        store.inbox.queue_reply(
            session.actor(), d.row.id, text, session.now(), seen_reply=d.seen_reply
        )
        self.post_message(ReplySent(f"Reply to {d.row.author_handle} queued; it goes out once"))

    def on_reply_sent(self, message: ReplySent) -> None:
        self.app.notify(message.words)
        self._close_box()
        row = self.current()
        if row is not None:
            self.load_detail(row.id)

    def _keep_replying(self, detail: MessageDetail) -> None:
        """The thread being answered, loaded again. A teammate's reply that arrived meanwhile
        is said in the box; it counts as seen only once the store has refused a send over it
        (the traffic cop: nobody sends past an answer they were not shown)."""
        seen = detail.seen_reply if self._told_of_reply else self.replying_to.seen_reply
        self._told_of_reply = False
        self.replying_to = replace(detail, seen_reply=seen)
        me = self.app.actor.login
        others = [r for r in detail.replies if r.id > seen and r.author != me]
        if others:
            label = self.query_one("#reply-error", Label)
            label.update(
                Content(f"{others[-1].author} replied while you were writing: “{others[-1].body}”")
            )
            label.display = True

    def refused(self, error: Exception) -> None:
        """A refusal while the reply box is open is said in it (the text stays); else a notice."""
        if self.replying_to is not None and self.query_one("#reply-box").display:
            label = self.query_one("#reply-error", Label)
            label.update(Content(f"Not sent: {error}"))
            label.display = True
            if isinstance(error, store.Conflict):
                self._told_of_reply = True  # told now: the next send goes
                self.load_detail(self.replying_to.row.id)  # their reply shows in the thread
            return
        self.app.report_error(error)
