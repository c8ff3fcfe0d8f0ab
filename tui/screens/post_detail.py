"""A post in full: content per channel with its checks, stage history, reviews, comments,
revisions with a diff between any two, deliveries and the audit trail."""

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
from store import AuditEntry, CaptionReport, PostDetail

from ..session import db_work
from ..styles import STAGE_COLOUR, STAGE_MARK
from ..widgets.diff import revision_diff
from ..widgets.key_bar import KeyBar
from ..widgets.post_text import content_text
from .live import LiveScreen


@dataclass
class DetailLoaded(Message):
    """Everything the detail screen shows."""

    detail: PostDetail
    reports: list[CaptionReport]
    trail: list[AuditEntry]


@dataclass
class Done(Message):
    """A decision or comment was saved; say so."""

    words: str


class PostDetailScreen(LiveScreen):
    """One post; `m` comments, `e` edits, `s` submits, `a` approves, `c` requests changes."""

    BINDINGS = [
        Binding("escape", "app.pop_screen", "Back", id="detail.back"),
        Binding("e", "edit", "Edit", id="detail.edit"),
        Binding("m", "comment", "Comment", id="detail.comment"),
        Binding("s", "submit", "Submit", id="detail.submit"),
        Binding("a", "approve", "Approve", id="detail.approve"),
        Binding("c", "request_changes", "Changes", id="detail.changes"),
        Binding("r", "diff_from", "Diff from", id="detail.diff_from"),
        Binding("R", "diff_to", "Diff to", key_display="R", id="detail.diff_to"),
    ]

    loaded: var[DetailLoaded | None] = var(None)

    def __init__(self, post_id: int):
        super().__init__()
        self.post_id = post_id
        self.diff_pair: tuple[int, int] | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="detail"):
            for part in (
                "head",
                "content",
                "history",
                "reviews",
                "comments",
                "diff",
                "deliveries",
                "trail",
            ):
                yield Static(id=f"detail-{part}", classes="detail-part")
        yield KeyBar()

    def on_mount(self) -> None:
        self.reload()

    def reload(self) -> None:
        """Load the post again."""
        self.load(self.post_id)

    @db_work(group="detail")
    def load(self, post_id: int) -> None:
        actor = self.app.session.actor()
        detail = store.post_detail(actor, post_id)
        reports = [
            store.check_caption(v.platform, v.caption_override or detail.caption, detail.media)
            for v in detail.variants
        ]
        may_audit = actor.role is not None and store.allowed(actor.role, store.Action.AUDIT_VIEW)
        trail = store.trail(actor, "post", post_id) if may_audit else []
        self.post_message(DetailLoaded(detail, reports, trail))

    def on_detail_loaded(self, message: DetailLoaded) -> None:
        revisions = [r.number for r in message.detail.revisions]
        if self.diff_pair is None or self.diff_pair[1] not in revisions:
            latest = revisions[-1]
            self.diff_pair = (revisions[-2] if len(revisions) > 1 else latest, latest)
        self.loaded = message

    def watch_loaded(self) -> None:
        if self.loaded is None:
            return
        detail, zone = self.loaded.detail, ZoneInfo(self.app.timezone)
        s = detail.summary

        def when(moment):
            return moment.astimezone(zone).strftime("%a %d %b %H:%M") if moment else "—"

        approval = detail.approval
        head = Text()
        head.append(f"#{s.id} {s.title}\n", style="bold")
        head.append(f"{STAGE_MARK[s.stage]} {s.stage.label}", style=STAGE_COLOUR[s.stage])
        head.append(
            f" · {s.tier.value.replace('_', '-')} · {detail.brand_name} · owner {s.owner_login}\n"
        )
        head.append(f"publish {when(s.publish_at)} · review due {when(s.review_due)} · ")
        head.append(f"approvals {len(approval.approvals)}/{approval.required}")
        if approval.approvals:
            head.append(f" ({', '.join(approval.approvals)})")
        if s.stage is store.Stage.IN_REVIEW and not approval.satisfied:
            head.append(f" — {approval.missing()}", style="gold1")
        head.append(
            f"\nrevision {s.revision} · saved by {detail.updated_by} {when(detail.updated_at)}"
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
        self._part("head", head)
        self._part("content", self._content())
        self._part(
            "history",
            self._section(
                "Stage history",
                [
                    f"{when(e.at)}  {e.from_stage.label if e.from_stage else 'new'} → {e.to_stage.label}  "
                    f"{e.actor_login}{'  — ' + e.note if e.note else ''}"
                    for e in detail.stage_history
                ],
            ),
        )
        self._part(
            "reviews",
            self._section(
                "Reviews",
                [
                    f"{when(r.at)}  r{r.revision} {r.decision.replace('_', ' ')} by {r.reviewer_login}"
                    f"{'  — ' + r.note if r.note else ''}"
                    for r in detail.reviews
                ],
                empty="No reviews yet.",
            ),
        )
        self._part(
            "comments",
            self._section(
                "Comments (m adds one)",
                [
                    f"{when(c.at)}  r{c.revision} {c.author_login}: {c.body}"
                    for c in detail.comments
                ],
                empty="No comments yet.",
            ),
        )
        self._part("diff", self._diff())
        self._part(
            "deliveries",
            self._section(
                "Deliveries",
                [
                    f"{v.platform.value} {v.handle}: {v.state.value}"
                    + (f" · {v.remote_url}" if v.remote_url else "")
                    + (f" · attempts {v.attempts}" if v.attempts else "")
                    + (f" · {v.error}" if v.error else "")
                    for v in detail.variants
                ],
                empty="No channels chosen.",
            ),
        )
        self._part(
            "trail",
            self._section(
                "Audit trail", [f"{when(e.at)}  {e.actor} {e.action}" for e in self.loaded.trail]
            ),
        )

    def _part(self, name: str, content) -> None:
        self.query_one(f"#detail-{name}", Static).update(content)

    def _section(self, title: str, lines: list[str], empty: str = "") -> Text:
        text = Text()
        text.append(title, style="bold underline")
        for line in lines or ([empty] if empty else []):
            text.append("\n" + line, style="" if lines else "dim")
        return text

    def _content(self) -> Text:
        return content_text(self.loaded.detail, self.loaded.reports)

    def _diff(self) -> Text:
        revisions = {r.number: r for r in self.loaded.detail.revisions}
        start, end = self.diff_pair
        text = Text()
        text.append(f"Revisions: r{start} → r{end}", style="bold underline")
        text.append("  (r / R pick the two)\n", style="dim")
        if start == end:
            text.append("Only one revision so far.", style="dim")
            return text
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

    def action_edit(self) -> None:
        from .editor import PostEditor

        self.app.push_screen(PostEditor(post_id=self.post_id))

    def action_comment(self) -> None:
        from .prompt import TextPrompt

        def send(text: str | None) -> None:
            if text:
                self.decide("comment", text)

        self.app.push_screen(TextPrompt("Comment on this revision"), send)

    def action_submit(self) -> None:
        self.decide("submit", "")

    def action_approve(self) -> None:
        self.decide("approve", "")

    def action_request_changes(self) -> None:
        from .prompt import TextPrompt

        def send(text: str | None) -> None:
            if text is not None:
                self.decide("request_changes", text)

        self.app.push_screen(TextPrompt("What needs to change?", "A note is required."), send)

    @db_work(group="decide", exclusive=False)
    def decide(self, what: str, text: str) -> None:
        session = self.app.session
        actor, now = session.actor(), session.now()
        seen = self.loaded.detail.summary.revision if self.loaded else None
        if what == "comment":
            store.add_comment(actor, self.post_id, text, now)
            words = "Comment added"
        elif what == "submit":
            store.move(actor, self.post_id, "in_review", now)
            words = "Submitted for review"
        elif what == "approve":
            summary = store.approve(actor, self.post_id, now, seen_revision=seen)
            words = f"Approved — now {summary.stage.label}"
        else:
            store.request_changes(actor, self.post_id, text, now, seen_revision=seen)
            words = "Sent back with your note"
        self.post_message(Done(words))

    def on_done(self, message: Done) -> None:
        self.notify(message.words)
        self.app.reload_screens()
