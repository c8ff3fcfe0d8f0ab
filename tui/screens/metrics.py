"""Metrics (key 5), the Workflow view: how the team worked over a period, beside the period
before — creation time, approval cycle, review rounds, where posts wait (bars, the bottleneck
named), on-time rates, revision rate, first response, cadence per channel. Every figure is a
median and p90 with its count, or a share with its counts. `p` changes the length of the period
(7, 30, 90 days), `[` and `]` move it. Content performance is not built yet, so not shown."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.message import Message
from textual.widgets import Header, Static

import store
from store import Kind

from ..session import db_work
from ..widgets.key_bar import KeyBar
from .live import LiveScreen

LENGTHS = (7, 30, 90)
BAR = 24  # cells of the longest bar


@dataclass
class FiguresLoaded(Message):
    figures: object
    previous: object
    generation: int


def hours(value: float | None) -> str:
    if value is None:
        return "—"
    if value < 1:
        return f"{round(value * 60)} min"
    if value < 48:
        return f"{value:.1f} h"
    return f"{value / 24:.1f} d"


def spread(s, unit=hours) -> str:
    return "— none" if not s.count else f"{unit(s.median)} · p90 {unit(s.p90)} · {s.count}"


def share(s) -> str:
    return "— none" if not s.total else f"{s.rate:.0%} · {s.hits} of {s.total}"


def count(value: float | None) -> str:
    return "—" if value is None else f"{value:g}"


class MetricsScreen(LiveScreen):
    """The workflow figures of a period and the one before."""

    LEGEND = (
        "Each figure counts what ended in the period. Durations: median · p90 (nearest rank) · "
        "how many. Shares: rate · hits of total. Creation: first draft → first submitted. "
        "Approval cycle: first submitted → first approved. Review round: a submission → its "
        "decision; on time when decided by the review date (or within 48 h). Revision rate: "
        "approved posts that were sent back at least once. Published on time: within 5 minutes "
        "of the planned time. Bottleneck: the working stage with the longest median stay."
    )

    BINDINGS = [
        Binding("p", "length", "Period", id="metrics.length"),
        Binding("left_square_bracket", "move(-1)", "Earlier", key_display="[", id="metrics.back"),
        Binding("right_square_bracket", "move(1)", "Later", key_display="]", id="metrics.on"),
        Binding("t", "today", "Up to now", id="metrics.today"),
    ]

    def __init__(self):
        super().__init__()
        self.days = 30
        self.back = 0  # how many periods before the latest one
        self.figures = None
        self.previous = None
        self._generation = 0

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="metrics-title")
        with VerticalScroll(id="metrics-body"):
            yield Static(id="metrics-table", classes="detail-part")
            yield Static(id="metrics-stages", classes="detail-part")
            yield Static(id="metrics-cadence", classes="detail-part")
        yield KeyBar()

    def on_mount(self) -> None:
        super().on_mount()
        self.query_one("#metrics-body").focus()
        self.reload()

    # --- the period ----------------------------------------------------------------------

    def period(self) -> tuple[datetime, datetime]:
        end = self.app.session.now() - timedelta(days=self.days * self.back)
        return end - timedelta(days=self.days), end

    def action_length(self) -> None:
        self.days = LENGTHS[(LENGTHS.index(self.days) + 1) % len(LENGTHS)]
        self.back = 0
        self.reload()

    def action_move(self, step: int) -> None:
        self.back = max(0, self.back - step)
        self.reload()

    def action_today(self) -> None:
        self.back = 0
        self.reload()

    # --- loading -------------------------------------------------------------------------

    def shows(self, batch: store.ChangeBatch) -> bool:
        return bool(batch.of(Kind.POST, Kind.REVIEW, Kind.DELIVERY, Kind.INBOX, Kind.BRAND))

    def reload(self) -> None:
        self._generation += 1
        self._paint_title(loading=True)
        self.load(*self.period(), self.app.brand_id, self._generation)

    @db_work(group="metrics")
    def load(self, start: datetime, end: datetime, brand_id: int | None, generation: int) -> None:
        actor = self.app.session.actor()
        where = store.metrics.WorkflowFilter(brand_id=brand_id)
        figures = store.metrics.workflow_figures(actor, start, end, where)
        previous = store.metrics.workflow_figures(actor, start - (end - start), start, where)
        self.post_message(FiguresLoaded(figures, previous, generation))

    def on_figures_loaded(self, message: FiguresLoaded) -> None:
        if message.generation != self._generation:
            return
        self.figures, self.previous = message.figures, message.previous
        self.app.first_data_shown()
        self._paint_title()
        self._paint()

    # --- drawing -------------------------------------------------------------------------

    def _paint_title(self, loading: bool = False) -> None:
        zone = ZoneInfo(self.app.timezone)
        start, end = (moment.astimezone(zone) for moment in self.period())
        text = Text()
        text.append("Metrics · Workflow  ", style="bold")
        text.append(f"{self.days} days: {start:%a %d %b} – {end:%a %d %b %Y}", style="#d7afff")
        text.append(f"  vs the {self.days} days before", style="dim")
        if loading:
            text.append("  …", style="dim")
        self.query_one("#metrics-title", Static).update(text)

    def _paint(self) -> None:
        f, before = self.figures, self.previous
        table = Table(box=None, pad_edge=False, expand=False, show_edge=False)
        table.add_column("Figure", style="bold", no_wrap=True)
        table.add_column("This period", no_wrap=True)
        table.add_column("Before", style="dim", no_wrap=True)
        rows = [
            ("Creation time", spread, lambda x: x.creation),
            ("Approval cycle", spread, lambda x: x.approval_cycle),
            ("Review round", spread, lambda x: x.review_round),
            ("Reviews on time", share, lambda x: x.review_on_time),
            ("Revision rate", share, lambda x: x.revision_rate),
            ("Rounds per post", lambda s: spread(s, count), lambda x: x.rounds_per_post),
            ("Published on time", share, lambda x: x.publish_on_time),
            ("Failed / unconfirmed", str, lambda x: f"{x.failed} / {x.unconfirmed}"),
            ("Inbox first response", spread, lambda x: x.first_response),
            ("Inside the SLA", share, lambda x: x.inside_sla),
        ]
        for name, show, pick in rows:
            table.add_row(name, show(pick(f)), show(pick(before)))
        self.table = table  # kept for the tests to read
        self.query_one("#metrics-table", Static).update(table)
        self.query_one("#metrics-stages", Static).update(self._stages(f))
        self.query_one("#metrics-cadence", Static).update(self._cadence(f))

    def _stages(self, f) -> Text:
        text = Text("Where posts wait (median stay)\n", style="bold underline")
        longest = max((s.median or 0 for s in f.stage_time.values()), default=0) or 1
        bar = max(6, min(BAR, self.size.width - 64))  # room for the figures at 80 columns
        for name, s in f.stage_time.items():
            label = store.Stage(name).label
            width = round(bar * (s.median or 0) / longest)
            bottleneck = name == f.bottleneck
            text.append(f"{label:<18}", style="bold" if bottleneck else "")
            text.append("█" * width, style="#ff8700" if bottleneck else "#5fd7ff")
            text.append(" " * (bar - width + 1))
            text.append(spread(s))
            if bottleneck:
                text.append("  ← bottleneck", style="bold #ff8700")
            text.append("\n")
        return text

    def _cadence(self, f) -> Text:
        if not f.cadence:
            text = Text("Cadence\n", style="bold underline")
            text.append("No channel has a planned posts-per-week, or the period is under a week.")
            return text
        text = Text("Cadence (full weeks of the period)\n", style="bold underline")
        for c in f.cadence:
            missed = "#ff5f5f" if c.weeks_missed else "green"
            text.append(f"{c.channel:<28}", style="bold")
            text.append(f" {c.planned_per_week}/week planned · {c.published} published · ")
            text.append(f"{c.weeks_missed} of {c.weeks} weeks missed\n", style=missed)
        return text
