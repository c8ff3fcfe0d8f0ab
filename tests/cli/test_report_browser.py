"""The HTML report as a stakeholder sees it: opened in headless Chromium (the browser inside the
@sparticuz/chromium npm package, driven by puppeteer-core from tests/cli/browser), it shows the
same numbers as `--format json`, every chart draws, and it asks for nothing but itself.
Screenshots are left beside the report (tmp_path) to look at."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from .seeded import db, in_process, seeded  # noqa: F401

BROWSER = Path(__file__).parent / "browser"


def install_browser() -> None:
    """`npm ci` from the lockfile when it is not installed yet (.ci/run does it first)."""
    if (BROWSER / "node_modules" / "@sparticuz" / "chromium").is_dir():
        return
    if shutil.which("npm") is None:
        pytest.fail("npm is needed to install the test browser (Node 20)")
    done = subprocess.run(
        ["npm", "ci", "--prefer-offline", "--no-audit", "--no-fund", "--loglevel=error"],
        cwd=BROWSER,
        capture_output=True,
        text=True,
        timeout=600,
    )
    if done.returncode != 0:
        pytest.fail(f"npm ci of the test browser failed in {BROWSER}: {done.stderr[-2000:]}")


def rendered(html: Path) -> dict:
    install_browser()
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
