"""Metrics (key 5), two tabs over one period, beside the period before.

Workflow (`w`): creation time, approval cycle, review rounds, where posts wait (bars, the
bottleneck named), on-time rates, revision rate, first response, cadence per channel. Every figure
is a median and p90 with its count, or a share with its counts.

Content (`c`): totals and engagement rate, a table grouped by channel, platform, campaign,
pillar, tag, tier or owner (`g` changes it, `o` the order, `j`/`k` move, `enter` shows the posts
behind a row), the trend per week, a weekday × hour heatmap of the median rate per post with the
best slots per channel, the link between how posts went through review and how they did, and
the top and bottom posts.

`p` changes the length of the period (7, 30, 90 days), `[` and `]` move it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.message import Message
from textual.widgets import Header, Sparkline, Static

import store
from store import Kind

from ..session import db_work
from ..widgets.key_bar import KeyBar
from .figures_cache import FiguresCache
from .live import LiveScreen

LENGTHS = (7, 30, 90)  # p cycles them; P asks for a custom period


def _longer(days) -> int:
    """The length `p` moves to (a custom period goes back to the first)."""
    if days in LENGTHS:
        return LENGTHS[(LENGTHS.index(days) + 1) % len(LENGTHS)]
    return LENGTHS[0]


BAR = 24  # cells of the longest bar


@dataclass
class FiguresLoaded(Message):
    figures: object
    previous: object
    generation: int
    key: tuple = ()
    epoch: int | None = None  # what the data was when computed (None: just now, from the cache)


@dataclass
class NarrowingOptions(Message):
    options: list  # (key, label)


@dataclass
class ContentLoaded(Message):
    content: object
    previous: object
    generation: int
    key: tuple = ()
    epoch: int | None = None  # what the data was when computed (None: just now, from the cache)


#: How the content table can be ordered (`o` cycles): a name and the key to sort groups by.
ORDERS = (
    ("engagements", lambda g: (-g.engagements, g.name)),
    ("rate", lambda g: (-(g.rate if g.rate is not None else -1), g.name)),
    ("posts", lambda g: (-g.posts, g.name)),
    ("name", lambda g: (g.name.casefold(),)),
)
SHADES = " ░▒▓█"


def percent(value: float | None) -> str:
    return "—" if value is None else f"{value:.1%}"


def group_rate(g) -> str:
    """A group's pooled rate, with how many posts stand behind it and whether on reach."""
    if g.rate is None:
        return "— no rate"
    reach = f", {g.by_reach} on reach" if g.by_reach else ""
    return f"{g.rate:.1%} of {g.rated}{reach}"


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
        "of the planned time. Bottleneck: the working stage with the longest median stay. "
        "Content — lifetime: posts sent in the period, with their latest counters. "
        "Engagements: likes + comments + shares + saves + clicks (those the platform counts). "
        "Engagement rate: engagements ÷ impressions, or ÷ reach where there are no impressions "
        '("on reach"); none where the platform gives neither (Mastodon counts no impressions). '
        "A group's rate pools its rated posts; heatmap cells and the link give the median rate "
        "per post, with how many posts stand behind each (fewer than 3: faint, never suggested)."
    )

    BINDINGS = [
        Binding("p", "length", "Period", id="metrics.length"),
        Binding("P", "custom", "Custom period", show=False, id="metrics.custom"),  # in ? help
        Binding("left_square_bracket", "move(-1)", "Earlier", key_display="[", id="metrics.back"),
        Binding("right_square_bracket", "move(1)", "Later", key_display="]", id="metrics.on"),
        Binding("t", "today", "Up to now", id="metrics.today"),
        Binding("f", "narrow", "Filter", show=False, id="metrics.filter"),  # in ? help
        Binding("w", "tab('workflow')", "Workflow", id="metrics.workflow"),
        Binding("c", "tab('content')", "Content", id="metrics.content"),
        Binding("g", "grouping", "Group by", id="metrics.grouping"),
        Binding("o", "order", "Order", id="metrics.order"),
        Binding("j", "cursor(1)", "Down", show=False, id="metrics.down"),
        Binding("k", "cursor(-1)", "Up", show=False, id="metrics.up"),
        # Ahead of the focused body's scrolling on the Content tab (on the Workflow tab the
        # cursor is not offered, so the arrows scroll as before).
        Binding("down", "cursor(1)", "Down", show=False, priority=True),
        Binding("up", "cursor(-1)", "Up", show=False, priority=True),
        Binding("enter", "drill", "Posts", id="metrics.drill"),
    ]
    CONTENT_ONLY = {"grouping", "order", "cursor", "drill"}

    def __init__(self):
        super().__init__()
        self.days: int | store.metrics.Period = 30  # a number of days up to now, or custom
        # One more filter than the app's brand (f): (field of WorkflowFilter, value, label).
        self.narrow: tuple[str, object, str] | None = None
        self.back = 0  # how many periods before the latest one
        self.figures = None
        self.previous = None
        self._generation = 0
        self.tab = "workflow"
        self.content = None
        self.content_before = None
        self._content_generation = 0
        self.grouping = 0  # index into store.metrics.DIMENSIONS
        self.order = 0  # index into ORDERS
        self.row = 0  # the selected group
        self._loaded: dict[str, tuple] = {}  # per tab: the (days, back, brand) its figures are of
        # (tab, days, back, filter) → that one period's figures: what the keys reach next is
        # computed ahead in a worker, so `p`, `[`, `]`, `w` and `c` paint at once.
        self._figures = FiguresCache()
        self._ahead_generation = 0  # a newer look-ahead stops an older one between periods

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="metrics-title")
        with VerticalScroll(id="metrics-body"):
            yield Static(id="metrics-table", classes="detail-part")
            yield Static(id="metrics-stages", classes="detail-part")
            yield Static(id="metrics-cadence", classes="detail-part")
        with VerticalScroll(id="content-body"):
            yield Static(id="content-total", classes="detail-part")
            yield Static(id="content-groups", classes="detail-part")
            yield Static("Engagements per week", id="content-trend-title")
            yield Sparkline([], id="content-trend")
            yield Static(id="content-trend-figures")
            yield Static(id="content-heatmap", classes="detail-part")
            yield Static(id="content-link", classes="detail-part")
            yield Static(id="content-posts", classes="detail-part")
        yield KeyBar()

    def on_mount(self) -> None:
        super().on_mount()
        self.query_one("#content-body").display = False
        self.query_one("#metrics-body").focus()
        self.reload()

    def check_action(self, action: str, parameters: tuple) -> bool | None:
        # The content table's keys are offered on the Content tab only.
        return self.tab == "content" or action not in self.CONTENT_ONLY

    # --- the tabs ------------------------------------------------------------------------

    def action_tab(self, tab: str) -> None:
        if tab == self.tab:
            return
        self.tab = tab
        self.query_one("#metrics-body").display = tab == "workflow"
        self.query_one("#content-body").display = tab == "content"
        self.query_one("#metrics-body" if tab == "workflow" else "#content-body").focus()
        self.refresh_bindings()
        if self._loaded.get(tab) != self._key():
            self.reload()  # else what it showed is still current: switching costs a frame
        else:
            self._paint_title()

    def where(self) -> store.metrics.WorkflowFilter:
        """Whose figures: the app's brand, and one owner, tier or channel if `f` chose one."""
        extra = {self.narrow[0]: self.narrow[1]} if self.narrow else {}
        return store.metrics.WorkflowFilter(brand_id=self.app.brand_id, **extra)

    def action_narrow(self) -> None:
        self.narrowing_options()

    @db_work(group="metrics-narrow")
    def narrowing_options(self) -> None:
        actor = self.app.session.actor()
        options = [("all", "All posts")]
        options += [(f"tier:{t.value}", f"Tier: {t.value.replace('_', ' ')}") for t in store.Tier]
        writers = {store.Role.ADMIN, store.Role.MANAGER, store.Role.EDITOR}
        options += [
            (f"owner:{u.login}", f"Owner: {u.name} ({u.login})")
            for u in store.list_users(actor)
            if u.role in writers
        ]
        options += [
            (f"channel_id:{c.id}", f"Channel: {c.platform.value} {c.handle}")
            for c in store.list_channels(actor, self.app.brand_id)
        ]
        self.post_message(NarrowingOptions(options))

    def on_narrowing_options(self, message: NarrowingOptions) -> None:
        from .choice import ChoicePicker

        labels = dict(message.options)

        def chosen(key: str | None) -> None:
            if key is None:
                return
            if key == "all":
                self.narrow = None
            else:
                field_, value = key.split(":", 1)
                short = {
                    "owner": f"owner {value}",
                    "tier": value.replace("_", " "),
                    "channel_id": labels[key].removeprefix("Channel: "),
                }[field_]
                self.narrow = (field_, int(value) if field_ == "channel_id" else value, short)
            self.row = 0
            self.reload()

        self.app.push_screen(
            ChoicePicker("Show the figures of", message.options, "enter · esc keeps it"), chosen
        )

    def _key(self) -> tuple:
        return (self.days, self.back, self.where())

    def changed(self, batch) -> None:
        if not batch.complete or self.shows(batch):
            self._loaded.clear()  # the hidden tab reloads when it is shown again
            self._forget()
        super().changed(batch)

    def action_grouping(self) -> None:
        self.grouping = (self.grouping + 1) % len(store.metrics.DIMENSIONS)
        self.row = 0
        self._paint_content()

    def action_order(self) -> None:
        self.order = (self.order + 1) % len(ORDERS)
        self.row = 0
        self._paint_content()

    def action_cursor(self, step: int) -> None:
        groups = self.groups()
        if groups:
            self.row = max(0, min(len(groups) - 1, self.row + step))
            self._paint_groups()

    def action_drill(self) -> None:
        groups = self.groups()
        if not groups:
            return
        from .metrics_posts import ContentPostsScreen

        dimension = store.metrics.DIMENSIONS[self.grouping]
        start, end = self.content.start, self.content.end  # the rows' own period, as shown
        self.app.push_screen(
            ContentPostsScreen(dimension, groups[self.row].name, start, end, self.where())
        )

    def groups(self) -> list:
        """The content table's rows as shown: the grouping's groups in the chosen order."""
        if self.content is None:
            return []
        dimension = store.metrics.DIMENSIONS[self.grouping]
        return sorted(self.content.groups[dimension], key=ORDERS[self.order][1])

    # --- the period ----------------------------------------------------------------------

    def period(self, days=None, back: int | None = None) -> tuple[datetime, datetime]:
        days = self.days if days is None else days
        back = self.back if back is None else back
        if isinstance(days, store.metrics.Period):  # whole days in the reader's timezone
            chosen = days.shifted(back, self.app.timezone)
            return chosen.start, chosen.end
        end = self.app.session.now() - timedelta(days=days * back)
        return end - timedelta(days=days), end

    def action_length(self) -> None:
        self.days = _longer(self.days)
        self.back = 0
        self.reload()

    def action_custom(self) -> None:
        from .choice import LinePrompt

        zone = ZoneInfo(self.app.timezone)
        today = self.app.session.now().astimezone(zone).date()
        last_month = today.replace(day=1) - timedelta(days=1)
        offer = f"{last_month.replace(day=1)}..{last_month}"

        def chosen(text: str | None) -> None:
            if text is None or not text.strip():
                return  # escape: the period stays as it was
            try:
                period = store.metrics.parse_period(text, self.app.session.now(), self.app.timezone)
            except store.metrics.PeriodError as error:
                self.notify(str(error), title="Not a period", severity="warning")
                return
            self.days = period if period.first is not None else period.days
            self.back = 0
            self.reload()

        self.app.push_screen(
            LinePrompt(
                "Custom period: first..last day, or days",
                offer,
                "both days count · 45d: 45 days to now · esc cancels",
            ),
            chosen,
        )

    def action_move(self, step: int) -> None:
        self.back = max(0, self.back - step)
        self.reload()

    def action_today(self) -> None:
        self.back = 0
        self.reload()

    # --- loading -------------------------------------------------------------------------

    def shows(self, batch: store.ChangeBatch) -> bool:
        return bool(batch.of(Kind.POST, Kind.REVIEW, Kind.DELIVERY, Kind.INBOX, Kind.BRAND))

    def _forget(self) -> None:
        self._figures.forget()

    @property
    def _epoch(self) -> int:
        return self._figures.epoch

    def _stale(self, message) -> bool:
        """Computed before a change that came since: a hidden tab's load must not be kept."""
        return message.epoch is not None and message.epoch != self._epoch

    def brand_changed(self) -> None:
        if self.narrow and self.narrow[0] == "channel_id" and self.app.brand_id is not None:
            self.narrow = None  # a channel of the brand left behind would show only zeros
        super().brand_changed()

    def _cached(self, tab: str, days, back: int, where=None):
        return self._figures.get((tab, days, back, self.where() if where is None else where))

    def _compute(self, tab: str, days, back: int, where, epoch: int):
        """One period's figures (in a worker thread), from the cache when it holds them."""

        def make():
            figures = (
                store.metrics.workflow_figures
                if tab == "workflow"
                else store.metrics.content_figures
            )
            return figures(self.app.session.actor(), *self.period(days, back), where)

        return self._figures.compute((tab, days, back, where), epoch, make)

    def reload(self) -> None:
        days, back, where = key = self._key()
        current, before = self._cached(self.tab, days, back), self._cached(self.tab, days, back + 1)
        if current is not None and before is not None:  # computed ahead: no wait at all
            if self.tab == "content":
                self._content_generation += 1
                self.on_content_loaded(
                    ContentLoaded(current, before, self._content_generation, key)
                )
            else:
                self._generation += 1
                self.on_figures_loaded(FiguresLoaded(current, before, self._generation, key))
            return
        self._paint_title(loading=True)
        if self.tab == "content":
            self._content_generation += 1
            self.load_content(days, back, where, self._content_generation, self._epoch, key)
        else:
            self._generation += 1
            self.load(days, back, where, self._generation, self._epoch, key)

    def _ahead(self) -> None:
        """Compute, in the background, what the next key is likely to ask for."""
        days, back, where = self._key()
        other = "content" if self.tab == "workflow" else "workflow"
        wanted = [
            (other, days, back), (other, days, back + 1),  # w / c
            (self.tab, days, back + 2),  # [
        ]  # fmt: skip
        longer = _longer(days)
        wanted += [(self.tab, longer, 0), (self.tab, longer, 1)]  # p
        if back:
            wanted.append((self.tab, days, back - 1))  # ]
        missing = [w for w in wanted if self._cached(*w) is None]
        if missing:
            self._ahead_generation += 1
            self.compute_ahead(missing, where, self._epoch, self._ahead_generation)

    @db_work(group="metrics-ahead")
    def compute_ahead(self, wanted: list, where, epoch: int, generation: int) -> None:
        for tab, days, back in wanted:
            if epoch != self._epoch or generation != self._ahead_generation:
                return
            self._compute(tab, days, back, where, epoch)

    @db_work(group="metrics-content")
    def load_content(self, days, back, where, generation: int, epoch: int, key=()) -> None:
        content = self._compute("content", days, back, where, epoch)
        if self._cached("content", days, back + 1, where) is None:  # as the Workflow tab does
            self.post_message(ContentLoaded(content, None, generation, key, epoch))
        previous = self._compute("content", days, back + 1, where, epoch)
        self.post_message(ContentLoaded(content, previous, generation, key, epoch))

    def on_content_loaded(self, message: ContentLoaded) -> None:
        if message.generation != self._content_generation or self._stale(message):
            return
        self.content, self.content_before = message.content, message.previous
        self._loaded["content"] = message.key
        self.row = min(self.row, max(0, len(self.groups()) - 1))
        self.app.first_data_shown()
        self._paint_title()
        self._paint_content()
        if message.previous is not None:
            self._ahead()

    @db_work(group="metrics")
    def load(self, days, back, where, generation: int, epoch: int, key: tuple = ()) -> None:
        figures = self._compute("workflow", days, back, where, epoch)
        if self._cached("workflow", days, back + 1, where) is None:
            # The period first, the one before when it is there: the figures paint in half
            # the time, and the "Before" column says it is coming.
            self.post_message(FiguresLoaded(figures, None, generation, key, epoch))
        previous = self._compute("workflow", days, back + 1, where, epoch)
        self.post_message(FiguresLoaded(figures, previous, generation, key, epoch))

    def on_figures_loaded(self, message: FiguresLoaded) -> None:
        if message.generation != self._generation or self._stale(message):
            return
        self.figures, self.previous = message.figures, message.previous
        self._loaded["workflow"] = message.key
        self.app.first_data_shown()
        self._paint_title()
        self._paint()
        if message.previous is not None:  # not while the one before is still computed
            self._ahead()

    # --- drawing -------------------------------------------------------------------------

    def _paint_title(self, loading: bool = False) -> None:
        zone = ZoneInfo(self.app.timezone)
        start, end = (moment.astimezone(zone) for moment in self.period())
        text = Text(no_wrap=True, overflow="ellipsis")  # one line, whatever the filter's name
        text.append("Metrics · ", style="bold")
        for name in ("workflow", "content"):
            style = "bold reverse" if name == self.tab else "dim"
            text.append(f" {name.title()} ", style=style)
        text.append("  ")
        count = self.days if isinstance(self.days, int) else self.days.days
        last = end - timedelta(microseconds=1)  # a period of dates ends at midnight after it
        if self.narrow and self.size.width < 100:  # room for the filter's name at 80 columns
            text.append(f"{count} days: {start:%d %b} – {last:%d %b %Y}", style="#d7afff")
        else:
            text.append(f"{count} days: {start:%a %d %b} – {last:%a %d %b %Y}", style="#d7afff")
        if self.narrow:
            text.append(f"  · {self.narrow[2]}", style="bold #ffaf5f")
        if self.size.width >= 100:
            text.append(f"  vs the {count} days before", style="dim")
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
            table.add_row(name, show(pick(f)), "…" if before is None else show(pick(before)))
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
            if self.narrow and self.narrow[0] in ("owner", "tier"):
                text.append("Planned posts per week are a channel's: f to pick a channel or all.")
            else:
                text.append(
                    "No channel has a planned posts-per-week, or the period is under a week."
                )
            return text
        text = Text("Cadence (full weeks of the period)\n", style="bold underline")
        for c in f.cadence:
            missed = "#ff5f5f" if c.weeks_missed else "green"
            text.append(f"{c.channel:<28}", style="bold")
            text.append(f" {c.planned_per_week}/week planned · {c.published} published · ")
            text.append(f"{c.weeks_missed} of {c.weeks} weeks missed\n", style=missed)
        return text

    # --- the Content tab -----------------------------------------------------------------

    def _paint_content(self) -> None:
        c, before = self.content, self.content_before
        if c is None:
            return
        t = c.total
        text = Text()
        text.append("Lifetime: posts sent in the period, their latest counters\n", style="dim")
        text.append(f"{t.posts} posts · {t.engagements:,} engagements · rate ", style="bold")
        text.append(group_rate(t), style="bold #5fd7ff")
        text.append(
            "   before: …"
            if before is None
            else f"   before: {before.total.posts} posts · {before.total.engagements:,} · "
            f"{group_rate(before.total)}",
            style="dim",
        )
        if t.posts and not t.rated:
            text.append("\nNo rate: these platforms give no impressions or reach.", style="dim")
        self.query_one("#content-total", Static).update(text)
        self._paint_groups()
        weeks = [w.engagements for w in c.weeks]
        self.query_one("#content-trend", Sparkline).data = weeks or [0]
        self.query_one("#content-trend-title", Static).update(
            Text(f"Engagements per week ({len(weeks)} weeks)", style="bold underline")
        )
        figures = Text(style="dim")
        if c.weeks:
            peak = max(c.weeks, key=lambda w: w.engagements)
            first, last = c.weeks[0], c.weeks[-1]
            day = lambda w: f"{date.fromisoformat(w.name):%d %b}"  # noqa: E731
            figures.append(
                f"week of {day(first)}: {first.engagements:,} · peak {day(peak)}: "
                f"{peak.engagements:,} · week of {day(last)}: {last.engagements:,} "
                "(first and last weeks may be partial)"
            )
        self.query_one("#content-trend-figures", Static).update(figures)
        self.query_one("#content-heatmap", Static).update(self._heatmap(c))
        self.query_one("#content-link", Static).update(self._link(c))
        self.query_one("#content-posts", Static).update(self._top(c))

    def _paint_groups(self) -> None:
        c = self.content
        dimension = store.metrics.DIMENSIONS[self.grouping]
        table = Table(
            box=None, pad_edge=False, show_edge=False, expand=False,
            title=f"By {dimension} · ordered by {ORDERS[self.order][0]}",
            title_justify="left", title_style="bold underline",
        )  # fmt: skip
        table.add_column(dimension.title(), no_wrap=True, max_width=30)
        table.add_column("Posts", justify="right")
        table.add_column("Engagements", justify="right")
        table.add_column("Rate", no_wrap=True)
        table.add_column("Median", justify="right")
        for i, g in enumerate(self.groups()):
            table.add_row(
                g.name, str(g.posts), f"{g.engagements:,}", group_rate(g), percent(g.median_rate),
                style="reverse" if i == self.row else "",
            )  # fmt: skip
        if not c.groups[dimension]:
            table.add_row("No post was sent in the period.", "", "", "", "")
        self.content_table = table  # kept for the tests to read
        self.query_one("#content-groups", Static).update(table)

    def _heatmap(self, c) -> Text:
        text = Text(
            "Median rate per post by weekday and hour (brand's time)\n", style="bold underline"
        )
        cells = c.heatmap
        if not cells:
            text.append("No post of the period has a rate to place.")
            return text
        ranked = sorted(cell.median for cell in cells.values())
        top = ranked[-1] or 1
        step = 3 if self.size.width >= 80 else 2
        text.append("     ")
        for hour in range(0, 24):
            text.append(f"{hour:<{step}}" if hour % 3 == 0 else " " * step, style="dim")
        text.append("\n")
        for day, name in enumerate(store.metrics.content.WEEKDAYS):
            text.append(f"{name}  ", style="bold")
            for hour in range(24):
                cell = cells.get((day, hour))
                if cell is None:
                    text.append("·".ljust(step), style="#444444")
                    continue
                shade = SHADES[max(1, round(4 * cell.median / top))]
                style = "#5f5f87" if cell.few else "#5fd7ff"
                text.append((shade * (step - 1)).ljust(step), style=style)
            text.append("\n")
        text.append("█ best median · faint: fewer than 3 posts · · none\n", style="dim")
        for channel, slots in sorted(c.best.items()):
            name = channel if len(channel) < 26 else channel[:24] + "…"
            text.append(f"{name:<26}", style="bold")
            if not slots:
                text.append("not enough posts yet (3 in a slot)\n", style="dim")
                continue
            text.append(
                "  ".join(
                    f"{store.metrics.content.WEEKDAYS[s.weekday]} {s.hour:02d}:00 "
                    f"{percent(s.median)} ({s.posts})"
                    for s in slots
                )
                + "\n"
            )
        return text

    def _link(self, c) -> Table:
        table = Table(
            box=None, pad_edge=False, show_edge=False, expand=False,
            title="Does review time pay? Median rate per post by how it went through review",
            title_justify="left", title_style="bold underline",
        )  # fmt: skip
        table.add_column("By", style="dim", no_wrap=True)
        table.add_column("Posts went", no_wrap=True)
        table.add_column("Posts", justify="right")
        table.add_column("Median rate", justify="right")
        for by, groups in c.link.items():
            for i, g in enumerate(groups):
                table.add_row(by if i == 0 else "", g.name, str(g.posts), percent(g.median_rate))
        self.link_table = table  # kept for the tests to read
        return table

    def _top(self, c) -> Text:
        text = Text()
        zone = ZoneInfo(self.app.timezone)
        for heading, lines in (("Top posts", c.top), ("Bottom posts", c.bottom)):
            text.append(f"{heading} by {c.ranked_by}\n", style="bold underline")
            if not lines:
                text.append("—\n", style="dim")
            for line in lines:
                when = line.sent_at.astimezone(zone)
                rate = "" if line.rate is None else f" · {line.rate:.1%}"
                text.append(f"#{line.post_id} ", style="dim")
                text.append(Text(line.title[:40]))  # the store cleaned it; never markup
                text.append(f"  {line.channel} · {when:%d %b} · {line.engagements:,}{rate}\n")
        return text
