"""Metrics (key 5), the Workflow view: the store's figures for the period and the one before,
the period keys, the definitions in help; clients do not get it."""

from datetime import timedelta

import store
from tui.screens.metrics import MetricsScreen

from .conftest import NOW, open_store, settle, wait_for


async def open_metrics(pilot) -> MetricsScreen:
    await settle(pilot)
    await pilot.press("5")
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, MetricsScreen)
    await wait_for(pilot, lambda: screen.figures is not None)
    return screen


def shown(screen) -> str:
    return "\n".join(
        str(screen.query_one(f"#metrics-{part}").render())
        for part in ("title", "stages", "cadence")
    )


def table(screen) -> str:
    from rich.console import Console

    console = Console(width=120, record=True)
    console.print(screen.table)
    return console.export_text()


async def test_5_shows_the_stores_figures_for_the_last_30_days_and_the_30_before(make_app):
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_metrics(pilot)
        actor = open_store(app.session.db)
        now = store.metrics.workflow_figures(actor, NOW - timedelta(days=30), NOW)
        before = store.metrics.workflow_figures(
            actor, NOW - timedelta(days=60), NOW - timedelta(days=30)
        )
        assert screen.figures == now and screen.previous == before
        text = table(screen)
        cycle = now.approval_cycle
        assert f"p90 {cycle.p90:.1f} h · {cycle.count}" in text
        rate = now.revision_rate
        assert f"{rate.rate:.0%} · {rate.hits} of {rate.total}" in text
        assert f"{before.revision_rate.hits} of {before.revision_rate.total}" in text
        assert "30 days: Sat 24 Oct – Mon 23 Nov 2026" in shown(screen)
        assert f"{store.Stage(now.bottleneck).label}" in shown(screen)
        assert "← bottleneck" in shown(screen)
        assert "weeks missed" in shown(screen)


async def test_p_changes_the_length_and_brackets_move_the_period(make_app):
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_metrics(pilot)
        await pilot.press("p")
        await wait_for(pilot, lambda: screen.figures.start == NOW - timedelta(days=90))
        assert "90 days:" in shown(screen)
        await pilot.press("p", "p")  # 7, then back to 30
        await wait_for(pilot, lambda: screen.figures.start == NOW - timedelta(days=30))
        await pilot.press("left_square_bracket")
        await wait_for(pilot, lambda: screen.figures.end == NOW - timedelta(days=30))
        assert "Sat 24 Oct 2026" in shown(screen)
        await pilot.press("right_square_bracket", "right_square_bracket")  # never past now
        await wait_for(pilot, lambda: screen.figures.end == NOW)
        await pilot.press("left_square_bracket", "left_square_bracket", "t")
        await wait_for(pilot, lambda: screen.figures.end == NOW and screen.back == 0)


async def test_b_shows_one_brand(make_app):
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_metrics(pilot)
        everyone = screen.figures.approval_cycle.count
        acme = next(b for b in app.brands if b.slug == "acme-coffee")
        app.brand_id = acme.id
        await wait_for(pilot, lambda: screen.figures.approval_cycle.count < everyone)
        actor = open_store(app.session.db)
        expected = store.metrics.workflow_figures(
            actor, NOW - timedelta(days=30), NOW, store.metrics.WorkflowFilter(brand_id=acme.id)
        )
        assert screen.figures == expected


async def test_help_gives_the_definitions_and_clients_have_no_metrics(make_app):
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await open_metrics(pilot)
        await pilot.press("question_mark")
        await settle(pilot)
        text = str(app.screen.query_one("#help-text").render())
        assert "Approval cycle: first submitted → first approved" in text
        assert "Period" in text and "Earlier" in text
    app = make_app("acme-client")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert "metrics" not in app.MODES
        await pilot.press("5")
        await settle(pilot)
        assert not isinstance(app.screen, MetricsScreen)


async def test_a_published_posts_detail_shows_its_latest_counters(make_app):
    from tui.screens.post_detail import PostDetailScreen

    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        actor = open_store(app.session.db)
        post = store.list_posts(actor, stages=[store.Stage.PUBLISHED])[0]
        (first, *_) = store.metrics.latest_counters(actor, post.id)
        app.open_post(post.id)
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, PostDetailScreen)
        await wait_for(pilot, lambda: screen.loaded is not None)
        text = str(screen.query_one("#detail-deliveries").render())
        assert f"{first.values['likes']} likes · {first.values['comments']} comments" in text
        assert f"{first.values['impressions']} impressions" in text and "read " in text
