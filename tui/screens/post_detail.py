"""A post in full: content per channel with its checks, stage history, the thread of reviews and
comments, revisions with a diff between any two, deliveries and (for those who may) the audit
trail."""

from __future__ import annotations

from dataclasses import dataclass
from zoneinfo import ZoneInfo

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.message import Message
from textual.reactive import var
from textual.widgets import Header, Static

import store
from store import AuditEntry, CaptionReport, Kind, PostDetail, Stage

from ..session import db_work
from ..styles import STAGE_COLOUR, STAGE_MARK
from ..widgets.diff import revision_diff
from ..widgets.key_bar import KeyBar
from ..widgets.post_text import content_text
from ..widgets.review_thread import ReviewThread
from ..words import approvals, delivery, missing, stage_move, when
from .confirm import Confirm
from .live import LiveScreen
from .prompt import TextPrompt

PARTS = ("head", "content", "deliveries", "history", "diff", "trail")
#: Deliveries `R` retries, and those `D` records as posted by hand.
RETRYABLE = (store.DeliveryState.FAILED, store.DeliveryState.UNCONFIRMED)
DONE_BY_HAND = (
    store.DeliveryState.MANUAL,
    store.DeliveryState.UNCONFIRMED,
    store.DeliveryState.FAILED,
)


@dataclass
class DetailLoaded(Message):
    """Everything the detail screen shows."""

    detail: PostDetail
    reports: list[CaptionReport]
    trail: list[AuditEntry] | None  # None for those who may not read the audit trail
    counters: tuple = ()  # the latest counters of each sent delivery (store.metrics.Counters)


@dataclass
class Done(Message):
    """A decision or comment was saved; say so."""

    words: str


def section(title: str, lines: list[str], empty: str = "") -> Text:
    """A heading, then a line each (or a dim line saying there is nothing)."""
    text = Text()
    text.append(title, style="bold underline")
    for line in lines or ([empty] if empty else []):
        text.append("\n" + line, style="" if lines else "dim")
    return text


def counters_line(c, zone: ZoneInfo) -> str:
    """`365 likes · 45 comments · 30 shares · 6564 impressions · read Tue 03 Nov 11:45`: what the
    platform counts (what it does not is left out, not shown as 0)."""
    keys = ("likes", "comments", "shares", "saves", "clicks", "impressions", "reach", "video_views")
    words = [
        f"{c.values[k]} {k.replace('_', ' ')}"
        for k in keys
        if c.values.get(k) is not None and (c.values[k] or k != "video_views")
    ]
    return " · ".join([*words, f"read {when(c.taken_at, zone)}"])


class PostDetailScreen(LiveScreen):
    """One post; `m` comments, `e` edits, `s` submits, `a` approves, `c` requests changes,
    `u` withdraws my approval; `S` sends an approved post now, `R` retries a failed or
    unconfirmed delivery, `D` records one posted by hand."""

    BINDINGS = [
        Binding("escape", "app.pop_screen", "Back", id="detail.back"),
        Binding("e", "edit", "Edit", id="detail.edit"),
        Binding("m", "comment", "Comment", id="detail.comment"),
        Binding("s", "submit", "Submit", id="detail.submit"),
        Binding("a", "approve", "Approve", id="detail.approve"),
        Binding("c", "request_changes", "Changes", id="detail.changes"),
        Binding("u", "unapprove", "Withdraw", id="detail.unapprove"),
        Binding("S", "send_now", "Send now", key_display="S", id="detail.send_now"),
        Binding("R", "retry", "Retry", key_display="R", id="detail.retry"),
        Binding("D", "done_by_hand", "Done by hand", key_display="D", id="detail.done"),
        Binding("[", "diff_from", "Diff from", id="detail.diff_from"),
        Binding("]", "diff_to", "Diff to", id="detail.diff_to"),
    ]

    loaded: var[DetailLoaded | None] = var(None)

    def __init__(self, post_id: int):
        super().__init__()
        self.post_id = post_id
        self.diff_pair: tuple[int, int] | None = None
        self._latest: int | None = None  # the newest revision when the pair was chosen

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="detail"):
            for part in PARTS[:4]:
                yield Static(id=f"detail-{part}", classes="detail-part")
            yield ReviewThread(id="detail-thread", classes="detail-part")
            for part in PARTS[4:]:
                yield Static(id=f"detail-{part}", classes="detail-part")
        yield KeyBar()

    def on_mount(self) -> None:
        self.reload()

    def shows(self, batch: store.ChangeBatch) -> bool:
        mine = batch.of(Kind.POST, Kind.REVIEW, Kind.COMMENT, Kind.DELIVERY)
        return any(c.entity_id == self.post_id for c in mine) or bool(batch.of(Kind.USER))

    def reload(self) -> None:
        """Load the post again."""
        self.load(self.post_id)

    @db_work(group="detail")
    def load(self, post_id: int) -> None:
        actor = self.app.session.actor()
        detail = store.post_detail(actor, post_id)
        may_audit = store.allowed(actor.role, store.Action.AUDIT_VIEW)
        trail = store.trail(actor, "post", post_id) if may_audit else None
        counters = ()
        if store.allowed(actor.role, store.Action.METRICS_VIEW):
            counters = tuple(store.metrics.latest_counters(actor, post_id))
        self.post_message(DetailLoaded(detail, store.channel_reports(detail), trail, counters))

    def on_detail_loaded(self, message: DetailLoaded) -> None:
        revisions = [r.number for r in message.detail.revisions]
        latest = revisions[-1]
        if self.diff_pair is None or latest != self._latest:
            # A new revision since the pair was picked: compare it with the one before.
            self.diff_pair = (revisions[-2] if len(revisions) > 1 else latest, latest)
            self._latest = latest
        self.loaded = message

    def watch_loaded(self) -> None:
        if self.loaded is None:
            return
        detail, zone = self.loaded.detail, ZoneInfo(self.app.timezone)
        self._part("head", self._head(detail, zone))
        self._part("content", content_text(detail, self.loaded.reports))
        history = [f"{when(e.at, zone)}  {stage_move(e)}" for e in detail.stage_history]
        self._part("history", section("Stage history", history))
        self.query_one(ReviewThread).show(detail, zone, "Reviews and comments (m adds one)")
        self._part("diff", self._diff())
        counted = {c.variant_id: c for c in self.loaded.counters}
        lines = []
        for v in detail.variants:
            lines.append(delivery(v, zone))
            if v.delivery_id in counted:
                lines.append("    " + counters_line(counted[v.delivery_id], zone))
        title = "Deliveries"
        if self._delivery(RETRYABLE) or self._delivery(DONE_BY_HAND):
            title += " (R retries · D records one posted by hand)"
        self._part("deliveries", section(title, lines, empty="No channels chosen."))
        if self._delivery((store.DeliveryState.MANUAL,)):
            self._part("deliveries", self._by_hand(detail, lines, title))
        trail = self.loaded.trail
        self._part(
            "trail",
            Text()
            if trail is None
            else section(
                "Audit trail", [f"{when(e.at, zone)}  {e.actor} {e.action}" for e in trail]
            ),
        )

    def _head(self, detail: PostDetail, zone: ZoneInfo) -> Text:
        s = detail.summary
        head = Text()
        head.append(f"#{s.id} {s.title}\n", style="bold")
        head.append(f"{STAGE_MARK[s.stage]} {s.stage.label}", style=STAGE_COLOUR[s.stage])
        head.append(f" · {s.tier.label} · {detail.brand_name} · owner {s.owner_login}\n")
        head.append(
            f"publish {when(s.publish_at, zone)} · review due {when(s.review_due, zone)} · "
        )
        head.append(approvals(detail))
        if missing(detail):
            head.append(f" — {missing(detail)}", style="gold1")
        head.append(
            f"\nrevision {s.revision} · saved by {detail.updated_by} {when(detail.updated_at, zone)}"
        )
        extra = [
            f"pillar {detail.pillar}" if detail.pillar else "",
            f"campaign {detail.campaign}" if detail.campaign else "",
            ("tags " + " ".join("#" + t for t in detail.tags)) if detail.tags else "",
        ]
        if any(extra):
            head.append("\n" + " · ".join(x for x in extra if x), style="dim")
        if detail.brief:
            head.append(f"\nbrief: {detail.brief}", style="italic")
        return head

    def _delivery(self, states) -> store.VariantInfo | None:
        """The post's first delivery in one of `states`."""
        if not self.loaded:
            return None
        return next((v for v in self.loaded.detail.variants if v.state in states), None)

    def _by_hand(self, detail: PostDetail, lines: list[str], title: str) -> Text:
        """The deliveries, then exactly what to post by hand: each channel's caption and media."""
        text = section(title, lines)
        manual = [v for v in detail.variants if v.state is store.DeliveryState.MANUAL]
        for variant in manual:
            text.append(
                f"\nPost by hand on {variant.platform.value} {variant.handle}:", style="bold yellow"
            )
            text.append("\n" + store.delivery_caption(detail.caption, variant.caption_override))
            for medium in detail.media:
                text.append(
                    f"\n  {medium.kind.value} {medium.uri}"
                    + (f" — alt: {medium.alt_text}" if medium.alt_text else ""),
                    style="dim",
                )
        return text

    def _part(self, name: str, content) -> None:
        self.query_one(f"#detail-{name}", Static).update(content)

    def _diff(self) -> Text:
        revisions = {r.number: r for r in self.loaded.detail.revisions}
        start, end = self.diff_pair
        text = Text()
        text.append(f"Revisions: r{start} → r{end}", style="bold underline")
        text.append("  ([ / ] pick the two)\n", style="dim")
        if len(revisions) == 1:
            text.append("Only one revision so far.", style="dim")
        elif start == end:
            text.append(f"r{start} against itself: press [ for an earlier one.", style="dim")
        else:
            text.append_text(revision_diff(revisions[start], revisions[end]))
        return text

    def _cycle(self, position: int) -> None:
        if not self.loaded:
            return
        numbers = [r.number for r in self.loaded.detail.revisions]
        pair = list(self.diff_pair)
        pair[position] = numbers[(numbers.index(pair[position]) - 1) % len(numbers)]
        self.diff_pair = tuple(pair)
        self._part("diff", self._diff())

    def action_diff_from(self) -> None:
        self._cycle(0)

    def action_diff_to(self) -> None:
        self._cycle(1)

    def action_send_now(self) -> None:
        if not self.loaded:
            return
        title = self.loaded.detail.summary.title

        def answer(yes: bool) -> None:
            if yes:
                self.decide("send_now", "")

        self.app.push_screen(
            Confirm(
                f"Send '{title}' at the next scheduler pass, on every channel?", yes="Send now"
            ),
            answer,
        )

    def action_retry(self) -> None:
        variant = self._delivery(RETRYABLE)
        if variant is None:
            self.app.notify("No failed or unconfirmed delivery to retry", severity="warning")
            return
        where = f"{variant.platform.value} {variant.handle}"
        if variant.state is store.DeliveryState.UNCONFIRMED:
            question = (
                f"Is the post on {where}? If it is, answer no and press D to paste its link. "
                "Retry sends it again under the same key (no duplicate)."
            )
        else:
            question = f"Send it to {where} again at the next scheduler pass?"

        def answer(yes: bool) -> None:
            if yes:
                self.decide("retry", str(variant.delivery_id))

        self.app.push_screen(Confirm(question, yes="Retry"), answer)

    def action_done_by_hand(self) -> None:
        variant = self._delivery(DONE_BY_HAND)
        if variant is None:
            self.app.notify("No delivery waits to be posted by hand", severity="warning")
            return
        prompt = TextPrompt(
            f"The link of the post on {variant.platform.value} {variant.handle}",
            "paste it · ctrl+s records it as sent · esc cancels",
            required="paste the post's link (https://…)",
        )

        def send(url: str | None) -> None:
            if url is not None:
                self.decide("done", f"{variant.delivery_id} {url.strip()}")

        self.app.push_screen(prompt, send)

    def action_edit(self) -> None:
        if self.loaded:
            self.app.edit_post(self.loaded.detail.summary)

    def _ask(self, what: str, prompt: TextPrompt) -> None:
        def send(text: str | None) -> None:
            if text is not None:
                self.decide(what, text)

        self.app.push_screen(prompt, send)

    def action_comment(self) -> None:
        self._ask(
            "comment", TextPrompt("Comment on this revision", required="write something first")
        )

    def action_submit(self) -> None:
        self.decide("submit", "")

    def action_approve(self) -> None:
        self.decide("approve", "")

    def action_unapprove(self) -> None:
        self.decide("unapprove", "")

    def action_request_changes(self) -> None:
        self._ask(
            "request_changes",
            TextPrompt(
                "What needs to change?",
                "A note is required · ctrl+s sends it back · esc cancels",
                required="say what needs to change",
            ),
        )

    @db_work(group="decide", exclusive=False, writes=True)
    def decide(self, what: str, text: str) -> None:
        session = self.app.session
        actor, now = session.actor(), session.now()
        seen = self.loaded.detail.summary.revision if self.loaded else None
        if what == "comment":
            store.add_comment(actor, self.post_id, text, now)
            words = "Comment added"
        elif what == "submit":
            store.move(actor, self.post_id, Stage.IN_REVIEW, now)
            words = "Submitted for review"
        elif what == "approve":
            summary = store.approve(actor, self.post_id, now, seen_revision=seen)
            words = (
                "Approved"
                if summary.stage is Stage.APPROVED
                else "Your approval counts; it needs more"
            )
        elif what == "unapprove":
            summary = store.unapprove(actor, self.post_id, now)
            words = f"Withdrew your approval; it is {summary.stage.label}"
        elif what == "send_now":
            store.send_now(actor, self.post_id, now)
            words = "It goes out at the next scheduler pass"
        elif what == "retry":
            d = store.delivery_retry(actor, int(text), now)
            words = f"{d.platform.value} {d.handle} goes again at the next pass"
        elif what == "done":
            delivery_id, url = text.split(" ", 1)
            d = store.delivery_done(actor, int(delivery_id), url, now)
            words = f"Recorded as sent on {d.platform.value} {d.handle}"
        else:
            store.request_changes(actor, self.post_id, text, now, seen_revision=seen)
            words = "Sent back with your note"
        self.post_message(Done(words))

    def on_done(self, message: Done) -> None:
        self.app.notify(message.words)
