"""`postroom report --format html`: one self-contained file (no script, no fetched font or image)
with inline SVG charts: where posts wait, engagements per week, the weekday × hour heatmap. It
prints on A4 as it shows. Every text from people (titles, channel and campaign names) is escaped."""

from __future__ import annotations

from datetime import date
from html import escape
from zoneinfo import ZoneInfo

import store

from .report import _INSTANT, number, share, spread

CSS = """
body { font: 14px/1.45 system-ui, sans-serif; color: #1d2330; margin: 2em auto; max-width: 60em;
       padding: 0 1em; }
h1 { font-size: 1.6em; margin-bottom: 0; } h2 { margin-top: 2em; border-bottom: 2px solid #dde; }
.sub { color: #667; margin-top: .2em; }
table { border-collapse: collapse; margin: .6em 0; } td, th { padding: .25em .8em .25em 0;
        text-align: left; vertical-align: top; } th { color: #556; font-weight: 600; }
td.n { text-align: right; font-variant-numeric: tabular-nums; }
.prev { color: #889; } .note { color: #667; font-size: .9em; } svg { display: block; }
.bottleneck { color: #c25400; font-weight: 600; }
@media print { body { margin: 0; max-width: none; } h2 { break-after: avoid; } }
"""


def _pct(value) -> str:
    return "—" if value is None else f"{value:.1%}"


def _rate(g) -> str:
    if g.rate is None:
        return "— (no rate)"
    reach = f", {g.by_reach} on reach" if g.by_reach else ""
    return f"{g.rate:.1%} ({g.rated} rated{reach})"


def _bars(items: list[tuple[str, float, str]], width: int = 820, highlight: str | None = None):
    """Horizontal bars: (label, value, text shown after the bar)."""
    if not items:
        return "<p class=note>Nothing to draw.</p>"
    top = max(v for _, v, _ in items) or 1
    row, label_w, bar_w = 22, 250, width - 250 - 300
    out = [f'<svg width="{width}" height="{row * len(items) + 4}" role="img">']
    for i, (label, value, text) in enumerate(items):
        y = i * row + 2
        color = "#e07b00" if label == highlight else "#3c8dbc"
        w = max(1, round(bar_w * value / top)) if value else 0
        out.append(
            f'<text x="0" y="{y + 15}" font-size="13">{escape(label[:34])}</text>'
            f'<rect x="{label_w}" y="{y + 3}" width="{w}" height="15" fill="{color}"/>'
            f'<text x="{label_w + bar_w + 8}" y="{y + 15}" font-size="12" fill="#445">'
            f"{escape(text)}</text>"
        )
    out.append("</svg>")
    return "".join(out)


def _columns(weeks) -> str:
    if not weeks:
        return "<p class=note>No post was sent in the period.</p>"
    top = max(w.engagements for w in weeks) or 1
    col, height = 44, 140
    out = [f'<svg width="{col * len(weeks) + 10}" height="{height + 40}" role="img">']
    for i, w in enumerate(weeks):
        h = round(height * w.engagements / top)
        x = i * col + 4
        out.append(
            f'<rect x="{x}" y="{height - h + 14}" width="{col - 10}" height="{h}" fill="#3c8dbc">'
            f"<title>{w.engagements:,} engagements, {w.posts} posts</title></rect>"
            f'<text x="{x}" y="{height - h + 10}" font-size="10" fill="#445">{w.engagements:,}'
            f'</text><text x="{x}" y="{height + 30}" font-size="11">'
            f"{date.fromisoformat(w.name):%d %b}</text>"
        )
    out.append("</svg>")
    return "".join(out)


def _heatmap(c) -> str:
    if not c.heatmap:
        return "<p class=note>No post of the period has a rate to place.</p>"
    top = max(cell.median for cell in c.heatmap.values()) or 1
    size, left, head = 24, 40, 18
    out = [f'<svg width="{left + 24 * size + 4}" height="{head + 7 * size + 4}" role="img">']
    for hour in range(0, 24, 3):
        out.append(f'<text x="{left + hour * size}" y="12" font-size="11">{hour:02d}</text>')
    for day, name in enumerate(store.metrics.content.WEEKDAYS):
        y = head + day * size
        out.append(f'<text x="0" y="{y + 16}" font-size="12">{name}</text>')
        for hour in range(24):
            cell = c.heatmap.get((day, hour))
            x = left + hour * size
            if cell is None:
                fill, opacity, tip = "#eef0f4", 1, "no post"
            else:
                fill = "#9aa3b5" if cell.few else "#1f6fb2"
                opacity = round(0.2 + 0.8 * cell.median / top, 3)
                tip = f"{_pct(cell.median)} median of {cell.posts} posts"
            out.append(
                f'<rect x="{x}" y="{y}" width="{size - 2}" height="{size - 2}" fill="{fill}" '
                f'fill-opacity="{opacity}"><title>{name} {hour:02d}:00 — {tip}</title></rect>'
            )
    out.append("</svg>")
    return "".join(out)


def html_report(now, before, content, content_before, brand: str, timezone: str) -> str:
    zone = ZoneInfo(timezone)
    span = f"{now.start.astimezone(zone):%a %d %b %Y} – {(now.end - _INSTANT).astimezone(zone):%a %d %b %Y}"
    parts = [
        "<!doctype html><html lang=en><head><meta charset=utf-8>",
        f"<title>Postroom report — {escape(brand)}, {escape(span)}</title>",
        f"<style>{CSS}</style></head><body>",
        f"<h1>Postroom report — {escape(brand)}</h1>",
        f"<p class=sub>{escape(span)} ({escape(timezone)})"
        + (" · previous period beside it" if before else "")
        + "</p>",
        "<h2>Workflow</h2><table><tr><th>Figure</th><th>This period</th>"
        + ("<th>Previous</th>" if before else "")
        + "</tr>",
    ]
    rows = [
        ("Creation time (draft → submitted)", spread, lambda f: f.creation),
        ("Approval cycle (submitted → approved)", spread, lambda f: f.approval_cycle),
        ("Review round (submitted → decided)", spread, lambda f: f.review_round),
        ("Reviews decided on time", share, lambda f: f.review_on_time),
        ("Revision rate (sent back at least once)", share, lambda f: f.revision_rate),
        ("Rounds per approved post", lambda s: spread(s, number), lambda f: f.rounds_per_post),
        ("Published on time (within 5 min)", share, lambda f: f.publish_on_time),
        ("Failed / unconfirmed deliveries", str, lambda f: f"{f.failed} / {f.unconfirmed}"),
        ("Inbox first response", spread, lambda f: f.first_response),
        ("Answered inside the SLA", share, lambda f: f.inside_sla),
    ]
    for name, show, pick in rows:
        cells = f"<td>{escape(show(pick(now)))}</td>"
        if before:
            cells += f"<td class=prev>{escape(show(pick(before)))}</td>"
        parts.append(f"<tr><td>{escape(name)}</td>{cells}</tr>")
    parts.append("</table><h3>Where posts wait (median stay in each working stage)</h3>")
    stays = [
        (store.Stage(stage).label, s.median or 0, spread(s)) for stage, s in now.stage_time.items()
    ]
    bottleneck = store.Stage(now.bottleneck).label if now.bottleneck else None
    parts.append(_bars(stays, highlight=bottleneck))
    if bottleneck:
        parts.append(f"<p>Bottleneck: <span class=bottleneck>{escape(bottleneck)}</span></p>")
    if now.cadence:
        parts.append("<h3>Cadence (full weeks of the period)</h3><table><tr><th>Channel</th>"
                     "<th>Planned / week</th><th>Published</th><th>Weeks missed</th></tr>")  # fmt: skip
        for c in now.cadence:
            parts.append(
                f"<tr><td>{escape(c.channel)}</td><td class=n>{c.planned_per_week}</td>"
                f"<td class=n>{c.published}</td><td>{c.weeks_missed} of {c.weeks}</td></tr>"
            )
        parts.append("</table>")
    parts.append(
        "<p class=note>Median and p90 (nearest rank) with how many stand behind them; each "
        "figure counts what ended in the period.</p>"
    )
    c, t = content, content.total
    parts.append("<h2>Content</h2><p class=note>Posts sent in the period, their latest "
                 "counters (lifetime).</p>")  # fmt: skip
    parts.append(
        f"<p><b>{t.posts} posts · {t.engagements:,} engagements · rate {escape(_rate(t))}</b>"
    )
    if content_before:
        b = content_before.total
        parts.append(
            f"<br><span class=prev>Previous period: {b.posts} posts · {b.engagements:,} · "
            f"{escape(_rate(b))}</span>"
        )
    parts.append("</p><h3>Engagements by channel</h3>")
    parts.append(
        _bars(
            [
                (g.name, g.engagements, f"{g.engagements:,} · {_rate(g)}")
                for g in c.groups["channel"]
            ]
        )
    )
    for dimension in ("platform", "campaign", "pillar", "tag", "tier", "owner"):
        parts.append(
            f"<h3>By {dimension}</h3><table><tr><th>{dimension.title()}</th><th>Posts</th>"
            "<th>Engagements</th><th>Rate</th><th>Median rate</th></tr>"
        )
        for g in c.groups[dimension]:
            parts.append(
                f"<tr><td>{escape(g.name)}</td><td class=n>{g.posts}</td>"
                f"<td class=n>{g.engagements:,}</td><td>{escape(_rate(g))}</td>"
                f"<td class=n>{_pct(g.median_rate)}</td></tr>"
            )
        parts.append("</table>")
    parts.append("<h3>Engagements per week</h3>" + _columns(c.weeks))
    parts.append("<h3>Best time to post: median rate per post by weekday and hour</h3>")
    parts.append(_heatmap(c))
    parts.append(
        "<p class=note>The brand's local time. Darker: a higher median rate; grey: fewer than "
        f"{store.metrics.content.FEW} posts behind the cell (never suggested).</p>"
    )
    if c.best:
        parts.append("<table><tr><th>Channel</th><th>Best slots (posts behind each)</th></tr>")
        for channel, slots in sorted(c.best.items()):
            shown = ", ".join(
                f"{store.metrics.content.WEEKDAYS[s.weekday]} {s.hour:02d}:00 "
                f"{_pct(s.median)} ({s.posts})"
                for s in slots
            )
            parts.append(
                f"<tr><td>{escape(channel)}</td><td>{escape(shown or 'not enough posts yet')}"
                "</td></tr>"
            )
        parts.append("</table>")
    parts.append("<h3>Does review time pay? Median rate per post by how it went through review"
                 "</h3><table><tr><th>By</th><th>Posts went</th><th>Posts</th>"
                 "<th>Median rate</th></tr>")  # fmt: skip
    for by, groups in c.link.items():
        for i, g in enumerate(groups):
            parts.append(
                f"<tr><td>{escape(by) if i == 0 else ''}</td><td>{escape(g.name)}</td>"
                f"<td class=n>{g.posts}</td><td class=n>{_pct(g.median_rate)}</td></tr>"
            )
    parts.append("</table>")
    for heading, lines in (("Top posts", c.top), ("Bottom posts", c.bottom)):
        parts.append(f"<h3>{heading} by {c.ranked_by}</h3><ol>")
        for line in lines:
            rate = "" if line.rate is None else f", {line.rate:.1%}"
            parts.append(
                f"<li>#{line.post_id} {escape(line.title)} — {escape(line.channel)}, "
                f"{line.sent_at.astimezone(zone):%d %b}: {line.engagements:,} engagements"
                f"{rate}</li>"
            )
        parts.append("</ol>")
    parts.append(
        "<p class=note>Engagements = likes + comments + shares + saves + clicks. Rate = "
        "engagements ÷ impressions, or ÷ reach where there are none (“on reach”); none where "
        "the platform gives neither (Mastodon counts no impressions). A group's rate pools its "
        "rated posts.</p>"
    )
    parts.append("</body></html>\n")
    return "\n".join(parts)
