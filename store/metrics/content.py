"""What the content did, from the performance rollup: totals and engagement rate by channel,
platform, campaign, pillar, tag, tier and owner; top and bottom posts; a trend per week; a
weekday × hour heatmap of the median rate per post (the brand's local time, with how many posts
stand behind each cell) and each channel's three best slots; and the link between the workflow
and the result: the rate by approval cycle quartile, by revised or not, by tier.

"Lifetime" figures, as in the `rollup` definitions: a delivery counts in the period it was sent
in, with its latest counters. A group's rate pools its rated deliveries (their engagements over
their impressions, or reach); cells and the link give the median of the per-post rates."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from peewee import JOIN, fn

from ..access import scoped
from ..db import reading
from ..db.models import Campaign, Channel, Performance, Pillar, Post, PostTag, Tag, User
from ..domain import Actor, Tier
from ..permissions import Action, require
from .workflow import Spread, WorkflowFilter, _raw

#: The groupings of the content figures, in the order the screen and reports show them.
DIMENSIONS = ("channel", "platform", "campaign", "pillar", "tag", "tier", "owner")
#: A heatmap cell or slot with fewer posts than this is shown faint and never suggested.
FEW = 3
WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


def _median(values: list[float]) -> float | None:
    return Spread.of(values).median if values else None


@dataclass(frozen=True)
class PostLine:
    """One delivery: the post on one channel, with its latest counters."""

    variant_id: int
    post_id: int
    title: str
    channel: str
    sent_at: datetime
    engagements: int
    impressions: int | None
    rate: float | None
    rate_base: str | None


@dataclass
class Group:
    """The deliveries behind one name of a grouping."""

    name: str
    posts: int = 0
    engagements: int = 0
    rated: int = 0  # deliveries with a rate
    rated_engagements: int = 0
    base: int = 0  # their impressions (or reach)
    by_reach: int = 0  # of the rated, how many on reach
    rates: list[float] = field(default_factory=list, repr=False)

    def add(self, row: dict) -> None:
        self.posts += 1
        self.engagements += row["engagements"]
        if row["rate"] is not None:
            self.rated += 1
            self.rated_engagements += row["engagements"]
            self.base += row[row["rate_base"]]
            self.by_reach += row["rate_base"] == "reach"
            self.rates.append(row["rate"])

    @property
    def rate(self) -> float | None:
        """Engagements ÷ impressions (or reach) of the rated deliveries, pooled."""
        return self.rated_engagements / self.base if self.base else None

    @property
    def median_rate(self) -> float | None:
        return _median(self.rates)


@dataclass(frozen=True)
class Cell:
    weekday: int
    hour: int
    median: float | None
    posts: int

    @property
    def few(self) -> bool:
        return self.posts < FEW


@dataclass(frozen=True)
class ContentFigures:
    start: datetime
    end: datetime
    total: Group
    ranked_by: str  # "rate", or "engagements" when no delivery of the period has a rate
    top: tuple[PostLine, ...]
    bottom: tuple[PostLine, ...]
    groups: dict[str, list[Group]]
    weeks: tuple[Group, ...]  # name = the week's Monday, ISO
    heatmap: dict[tuple[int, int], Cell]
    best: dict[str, tuple[Cell, ...]]  # per channel, its three best slots with enough posts
    link: dict[str, list[Group]]


#: The columns the figures read, by the names their rows carry.
_COLUMNS = {
    "variant_id": Performance.variant,
    "post_id": Performance.post_id,
    "sent_at": Performance.sent_at,
    "weekday": Performance.weekday,
    "hour": Performance.hour,
    "engagements": Performance.engagements,
    "impressions": Performance.impressions,
    "reach": Performance.reach,
    "rate": Performance.rate,
    "rate_base": Performance.rate_base,
    "cycle_hours": Performance.cycle_hours,
    "revised": Performance.revised,
    "title": Post.title,
    "tier": Post.tier,
    "campaign": Campaign.name,
    "pillar": Pillar.name,
    "owner": User.login,
    "platform": Channel.platform,
    "handle": Channel.handle,
}
#: Of those, people's text, read through their fields (Line cleans: a row written behind the
#: store's back still reads clean) — raw reads skip peewee's conversion otherwise.
_TEXT = ("title", "tier", "campaign", "pillar", "owner", "platform", "handle")


def _query(actor: Actor, start: datetime, end: datetime, where: WorkflowFilter):
    """The period's rollup rows that `where` selects (columns as `_COLUMNS`)."""
    P = Performance
    query = (
        P.select(*_COLUMNS.values())
        .join(Post, on=(Post.id == P.post_id))
        .join(User, on=(Post.owner == User.id))
        .switch(Post)
        .join(Campaign, join_type=JOIN.LEFT_OUTER, on=(Post.campaign == Campaign.id))
        .switch(Post)
        .join(Pillar, join_type=JOIN.LEFT_OUTER, on=(Post.pillar == Pillar.id))
        .switch(P)
        .join(Channel, on=(Channel.id == P.channel_id))
        .where((P.sent_at >= start) & (P.sent_at < end))
    )
    query = scoped(query, actor, P.brand_id, where.brand_id)
    if where.owner:
        query = query.where(User.login == where.owner)
    if where.tier:
        query = query.where(Post.tier == where.tier)
    if where.channel_id is not None:
        query = query.where(P.channel_id == where.channel_id)
    return query


def _reader(field_):
    """`field_`'s conversion, once per distinct value (names repeat on thousands of rows)."""
    seen: dict = {}

    def read(value):
        if value is None:
            return None
        if value not in seen:
            seen[value] = field_.python_value(value)
        return seen[value]

    return read


def _rows(actor: Actor, start: datetime, end: datetime, where: WorkflowFilter, query=None):
    P = Performance
    if query is None:
        query = _query(actor, start, end, where)
    names = tuple(_COLUMNS)
    # Read raw, as the workflow figures do: a 90-day period is tens of thousands of rows and
    # peewee's per-field conversion was most of the time; only `sent_at` needs converting.
    rows = [dict(zip(names, values, strict=True)) for values in _raw(query)]
    readers = {name: _reader(_COLUMNS[name]) for name in _TEXT}
    moment = P.sent_at.python_value
    tags: dict[int, list[str]] = defaultdict(list)
    if rows:
        posts = query.select(P.post_id)  # (no DISTINCT: PostgreSQL refuses it beside ORDER BY)
        tagged = PostTag.select(PostTag.post, Tag.name).join(Tag).where(PostTag.post.in_(posts))
        tag = _reader(Tag.name)
        for post_id, name in _raw(tagged):
            tags[post_id].append(tag(name))
    for row in rows:
        for name, read in readers.items():
            row[name] = read(row[name])
        row["sent_at"] = moment(row["sent_at"])
        row["revised"] = bool(row["revised"])
        row["channel"] = f"{row['platform']} {row['handle']}"
        row["tags"] = tags.get(row["post_id"], [])
    return rows


def _names(row: dict, dimension: str) -> list[str]:
    if dimension == "tag":
        return row["tags"] or ["(no tag)"]
    if dimension == "tier":
        return [Tier(row["tier"]).value.replace("_", " ")]
    return [row[dimension] or f"(no {dimension})"]


def _line(row: dict) -> PostLine:
    return PostLine(
        row["variant_id"], row["post_id"], row["title"], row["channel"], row["sent_at"],
        row["engagements"], row["impressions"], row["rate"], row["rate_base"],
    )  # fmt: skip


def _grouped(rows, dimension) -> list[Group]:
    groups: dict[str, Group] = {}
    for row in rows:
        for name in _names(row, dimension):
            groups.setdefault(name, Group(name)).add(row)
    return sorted(groups.values(), key=lambda g: (-g.engagements, g.name))


def _link(rows) -> dict[str, list[Group]]:
    """The rate by how posts went through the workflow, with the counts."""
    reviewed = sorted(r["cycle_hours"] for r in rows if r["cycle_hours"] is not None)
    cycle: dict[str, Group] = {}
    if reviewed:
        n = len(reviewed)
        edges = [reviewed[min(n - 1, (n * q) // 4)] for q in (1, 2, 3)]
        names = (
            f"fastest quarter (≤ {edges[0]:.1f} h)",
            f"second quarter (≤ {edges[1]:.1f} h)",
            f"third quarter (≤ {edges[2]:.1f} h)",
            f"slowest quarter (> {edges[2]:.1f} h)",
        )
        for name in names:
            cycle[name] = Group(name)
    not_reviewed = Group("not reviewed")
    revised = {"approved first time": Group("approved first time"),
               "changes requested": Group("changes requested")}  # fmt: skip
    tiers = {t.value: Group(t.value.replace("_", " ")) for t in Tier}
    for row in rows:
        hours = row["cycle_hours"]
        if hours is None:
            not_reviewed.add(row)
        else:
            quarter = sum(hours > edge for edge in edges)
            cycle[names[quarter]].add(row)
            revised["changes requested" if row["revised"] else "approved first time"].add(row)
        tiers[row["tier"]].add(row)
    by_cycle = list(cycle.values()) + ([not_reviewed] if not_reviewed.posts else [])
    return {
        "approval cycle": by_cycle,
        "revisions": list(revised.values()),
        "tier": list(tiers.values()),
    }


def content_figures(
    actor: Actor, start: datetime, end: datetime, where: WorkflowFilter | None = None, top: int = 5
) -> ContentFigures:
    """The content figures of the deliveries sent in [start, end) that `where` selects."""
    require(actor, Action.METRICS_VIEW)
    where = where or WorkflowFilter()
    with reading():
        rows = _rows(actor, start, end, where)
    total = Group("all posts")
    cells: dict[tuple[int, int], list[float]] = defaultdict(list)
    per_channel: dict[str, dict[tuple[int, int], list[float]]] = defaultdict(
        lambda: defaultdict(list)
    )
    weeks: dict[str, Group] = {}
    for row in rows:
        total.add(row)
        monday = (row["sent_at"] - timedelta(days=row["sent_at"].weekday())).date().isoformat()
        weeks.setdefault(monday, Group(monday)).add(row)
        if row["rate"] is not None:
            slot = (row["weekday"], row["hour"])
            cells[slot].append(row["rate"])
            per_channel[row["channel"]][slot].append(row["rate"])
    rated = [r for r in rows if r["rate"] is not None]
    ranked_by = "rate" if rated else "engagements"
    if rated:
        order = sorted(rated, key=lambda r: (-r["rate"], -r["engagements"], r["variant_id"]))
    else:
        order = sorted(rows, key=lambda r: (-r["engagements"], r["variant_id"]))
    best = {}
    for channel, slots in per_channel.items():
        enough = [Cell(d, h, _median(v), len(v)) for (d, h), v in slots.items() if len(v) >= FEW]
        enough.sort(key=lambda c: (-c.median, -c.posts, c.weekday, c.hour))
        best[channel] = tuple(enough[:3])
    return ContentFigures(
        start=start,
        end=end,
        total=total,
        ranked_by=ranked_by,
        top=tuple(_line(r) for r in order[:top]),
        bottom=tuple(_line(r) for r in reversed(order[-top:])) if len(order) > top else (),
        groups={d: _grouped(rows, d) for d in DIMENSIONS},
        weeks=tuple(weeks[k] for k in sorted(weeks)),
        heatmap={s: Cell(s[0], s[1], _median(v), len(v)) for s, v in cells.items()},
        best=best,
        link=_link(rows),
    )


#: How the posts behind a group can be ordered: a name and the (key, tie) a page is ordered by.
POST_ORDERS = ("engagements", "rate", "newest")


def _post_key(order: str):
    P = Performance
    if order == "engagements":
        return P.engagements
    if order == "rate":
        return fn.COALESCE(P.rate, -1.0)  # the unrated last
    if order == "newest":
        return P.sent_at
    raise ValueError(f"no order {order!r}")


def post_key(line: PostLine, order: str) -> tuple:
    """The `after` of the page that follows `line` in `order`."""
    value = {"engagements": line.engagements, "newest": line.sent_at}.get(order)
    if order == "rate":
        value = -1.0 if line.rate is None else line.rate
    return value, line.variant_id


def content_posts(
    actor: Actor,
    start: datetime,
    end: datetime,
    dimension: str | None = None,
    name: str | None = None,
    where: WorkflowFilter | None = None,
    after: tuple | None = None,
    limit: int = 50,
    order: str = "engagements",
) -> list[PostLine]:
    """The deliveries behind one group (all of the period's without one), by most engagements,
    highest rate or newest first, a page at a time: `after` is `post_key` of the last shown."""
    require(actor, Action.METRICS_VIEW)
    where = where or WorkflowFilter()
    P = Performance
    key = _post_key(order)
    query = _query(actor, start, end, where)
    if dimension is not None:
        query = query.where(_in_group(dimension, name))
    if after is not None:  # keyset: the next page starts below the last row shown
        value, variant_id = after
        if order == "newest":
            value = P.sent_at.db_value(value)
        query = query.where((key < value) | ((key == value) & (P.variant < variant_id)))
    query = query.order_by(key.desc(), P.variant.desc()).limit(limit)
    with reading():
        rows = _rows(actor, start, end, where, query)
    return [_line(r) for r in rows]


def _in_group(dimension: str, name: str | None):
    """The SQL condition for the rows that `_names` puts under `name` in `dimension` (by the
    stored name: one that only reads clean after `_TEXT`'s cleaning finds no rows here)."""
    P = Performance
    if dimension == "channel":
        return Channel.platform.concat(" ").concat(Channel.handle) == name
    if dimension == "platform":
        return Channel.platform == name
    if dimension == "tier":
        return Post.tier == (name or "").replace(" ", "_")
    if dimension == "owner":
        return User.login == name
    if dimension in ("campaign", "pillar"):
        column = Campaign.name if dimension == "campaign" else Pillar.name
        return column.is_null() if name == f"(no {dimension})" else column == name
    if dimension == "tag":
        tagged = PostTag.select(PostTag.post).where(PostTag.post == P.post_id)
        if name == "(no tag)":
            return ~fn.EXISTS(tagged)
        return fn.EXISTS(tagged.join(Tag).where(Tag.name == name))
    raise ValueError(f"no grouping {dimension!r}")
