"""The HTML report as a stakeholder sees it: opened in headless Chromium (the browser inside the
@sparticuz/chromium npm package, driven by puppeteer-core from tests/cli/browser), it shows the
same numbers as `--format json`, every chart draws, and it asks for nothing but itself.
Screenshots are left beside the report (tmp_path) to look at."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

from ..npm import npm_ci
from .seeded import db, in_process, seeded  # noqa: F401

BROWSER = Path(__file__).parent / "browser"


def rendered(html: Path) -> dict:
    npm_ci(BROWSER, "@sparticuz/chromium", "the test browser", timeout=600)
    done = subprocess.run(
        ["node", str(BROWSER / "render.mjs"), str(html), str(html.with_suffix(""))],
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_the_html_report_in_a_browser_shows_what_the_json_says(db, monkeypatch, capsys, tmp_path):  # noqa: F811
    run = in_process(monkeypatch, capsys, db=str(db))
    code, out, _ = run("root", "report", "--format", "json", "--compare")
    assert code == 0
    report = json.loads(out)
    html = tmp_path / "report.html"
    code, _, _ = run("root", "report", "--format", "html", "--compare", "--out", str(html))
    assert code == 0
    page = rendered(html)
    text = page["text"]
    assert page["title"].startswith("Postroom report — all brands")
    assert page["requests"] == [html.as_uri()]  # nothing fetched but the file itself
    work, before = report["period"], report["previous"]
    cycle = work["approval_cycle"]
    assert f"{cycle['median']:.1f} h median · {cycle['p90']:.1f} h p90 · {cycle['count']}" in text
    shares = work["revision_rate"]
    assert f"({shares['hits']} of {shares['total']})" in text
    assert f"({before['revision_rate']['hits']} of {before['revision_rate']['total']})" in text
    assert f"Bottleneck: {work['bottleneck'].replace('_', ' ')}" in text
    content = report["content"]
    total = content["total"]
    assert f"{total['posts']} posts · {total['engagements']:,} engagements" in text
    for group in content["groups"]["channel"]:
        assert group["name"] in text and f"{group['engagements']:,}" in text
    for line in content["top"]:
        assert line["title"] in text
    # The charts drew: the stage bars, the groupings' bars, the weeks and the heatmap.
    assert page["svgs_drawn"] >= 4
    shots = sorted(tmp_path.glob("report_*.png"))
    assert len(shots) == page["slices"] >= 2
    sizes = [shot.stat().st_size for shot in shots]
    assert all(size > 20_000 for size in sizes[:-1]), sizes  # not blank pages
