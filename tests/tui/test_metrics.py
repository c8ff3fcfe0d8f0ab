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
    await wait_for(pilot, lambda: screen.figures is not None and screen.previous is not None)
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
        await pilot.press("P")  # a custom period is asked for …
        await settle(pilot)
        await pilot.press("escape")  # … and escape keeps 90 days
        await settle(pilot)
        assert app.screen is screen and screen.days == 90
        await pilot.press("p", "p")  # 7, then back to 30
        await wait_for(pilot, lambda: screen.figures.start == NOW - timedelta(days=30))
        await pilot.press("left_square_bracket")
        await wait_for(pilot, lambda: screen.figures.end == NOW - timedelta(days=30))
        assert "Sat 24 Oct 2026" in shown(screen)
        await pilot.press("right_square_bracket", "right_square_bracket")  # never past now
        await wait_for(pilot, lambda: screen.figures.end == NOW)
        await pilot.press("left_square_bracket", "left_square_bracket", "t")
        await wait_for(pilot, lambda: screen.figures.end == NOW and screen.back == 0)


async def test_a_custom_period_is_whole_days_in_your_timezone_and_moves_by_its_length(make_app):
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from textual.widgets import Input

    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_metrics(pilot)
        await pilot.press("P")
        await settle(pilot)
        field = app.screen.query_one(Input)
        assert field.value == "2026-10-01..2026-10-31"  # last month is offered
        field.value = "2026-10-31..2026-10-01"
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is screen and screen.days == 30  # refused, said, nothing changed
        assert any("is before the first" in n.message for n in app._notifications)
        await pilot.press("P")
        await settle(pilot)
        app.screen.query_one(Input).value = "2026-10-05..2026-10-18"
        await pilot.press("enter")
        zone = ZoneInfo(app.timezone)
        start = datetime(2026, 10, 5, tzinfo=zone)
        end = datetime(2026, 10, 19, tzinfo=zone)
        await wait_for(
            pilot,
            lambda: (
                screen.figures.start == start
                and screen.figures.end == end
                and screen.previous is not None
            ),
        )
        assert "14 days: Mon 05 Oct – Sun 18 Oct 2026  vs the 14 days before" in shown(screen)
        actor = open_store(app.session.db)
        assert screen.figures == store.metrics.workflow_figures(actor, start, end)
        assert screen.previous.start == datetime(2026, 9, 21, tzinfo=zone)
        await pilot.press("left_square_bracket")  # fourteen days earlier
        await wait_for(pilot, lambda: screen.figures.end == start)
        await pilot.press("c")
        await wait_for(pilot, lambda: screen.content is not None and screen.content.end == start)
        await pilot.press("t", "p")  # back to the chosen days; p starts again at 7
        await wait_for(pilot, lambda: screen.content.start == NOW - timedelta(days=7))


async def test_what_the_keys_reach_next_is_computed_ahead_and_a_change_drops_it(
    make_app, monkeypatch
):
    from tui.messages import Changed

    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_metrics(pilot)
        ahead = [("content", 30, 0), ("content", 30, 1), ("workflow", 90, 0),
                 ("workflow", 90, 1), ("workflow", 30, 2)]  # fmt: skip
        await wait_for(pilot, lambda: all(screen._cached(*key) is not None for key in ahead))
        actor = open_store(app.session.db)
        expected = store.metrics.workflow_figures(actor, NOW - timedelta(days=90), NOW)
        content = store.metrics.content_figures(actor, NOW - timedelta(days=90), NOW)
        calls = []
        real = store.metrics.workflow_figures
        monkeypatch.setattr(
            store.metrics, "workflow_figures", lambda *a, **k: calls.append(a) or real(*a, **k)
        )
        await pilot.press("p")  # painted from what was computed ahead: no worker, no wait
        assert screen.figures == expected and "90 days:" in shown(screen)
        asked = [call[1:3] for call in calls]  # what was asked next is the look-ahead's
        assert (NOW - timedelta(days=90), NOW) not in asked
        await pilot.press("c")  # 90 days of content: computed now, then it is at hand
        await wait_for(pilot, lambda: screen.content == content)
        # Someone's change makes everything computed ahead stale: it is dropped and recomputed.
        brand = store.list_brands(actor)[0].id
        store.create_post(actor, brand, "Written elsewhere", NOW)
        app.post_message(Changed(store.changes_since(app.feed_position)))
        await wait_for(pilot, lambda: screen._cached("workflow", 90, 0) is None)
        await pilot.press("w")
        await wait_for(pilot, lambda: screen._loaded.get("workflow") == screen._key())
        assert (NOW - timedelta(days=90), NOW) in [call[1:3] for call in calls]
        assert screen.figures == real(actor, NOW - timedelta(days=90), NOW)


async def test_b_shows_one_brand(make_app):
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_metrics(pilot)
        everyone = screen.figures.approval_cycle.count
        acme = next(b for b in app.brands if b.slug == "acme-coffee")
        await pilot.press("b")
        await settle(pilot)
        await pilot.press("down", "enter")  # All brands, then Acme Coffee
        await settle(pilot)
        assert app.screen is screen and app.brand_id == acme.id
        await wait_for(pilot, lambda: screen.figures.approval_cycle.count < everyone)
        assert "Acme Coffee" in shown(screen) or app.sub_title.startswith("Acme Coffee")
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
        assert (
            "Period" in text and "Earlier" in text and "Custom period" in text and "Filter" in text
        )
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


def content_text(screen) -> str:
    from rich.console import Console

    console = Console(width=120, record=True)
    console.print(screen.content_table)
    console.print(screen.link_table)
    for part in ("total", "heatmap", "posts"):
        console.print(screen.query_one(f"#content-{part}").render())
    return console.export_text()


async def open_content(pilot) -> MetricsScreen:
    screen = await open_metrics(pilot)
    await pilot.press("c")
    await wait_for(pilot, lambda: screen.content is not None)
    await settle(pilot)
    return screen


async def test_c_shows_the_content_figures_and_w_goes_back(make_app):
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_content(pilot)
        actor = open_store(app.session.db)
        figures = store.metrics.content_figures(actor, NOW - timedelta(days=30), NOW)
        assert screen.content == figures and figures.total.posts > 0
        text = content_text(screen)
        assert f"{figures.total.posts} posts · {figures.total.engagements:,} engagements" in text
        first = figures.groups["channel"][0]
        assert f"{first.engagements:,}" in text and first.name in text
        assert "Mon " in text and "Sun " in text and "fewer than 3 posts" in text
        assert "approved first time" in text and "Top posts by rate" in text
        assert screen.query_one("#content-body").display
        assert not screen.query_one("#metrics-body").display
        workflow = screen.figures
        await pilot.press("w")
        await settle(pilot)
        assert screen.tab == "workflow" and screen.query_one("#metrics-body").display
        assert screen.figures is workflow  # nothing changed: shown again, not computed again
        # The content keys are not offered on the Workflow tab.
        assert screen.check_action("grouping", ()) is False


async def test_g_groups_o_orders_and_j_k_move(make_app):
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_content(pilot)
        assert store.metrics.DIMENSIONS[screen.grouping] == "channel"
        await pilot.press("g")
        assert store.metrics.DIMENSIONS[screen.grouping] == "platform"
        names = {g.name for g in screen.groups()}
        assert "instagram" in names and "By platform" in content_text(screen)
        await pilot.press("o")  # by rate
        rates = [g.rate for g in screen.groups() if g.rate is not None]
        assert rates == sorted(rates, reverse=True)
        await pilot.press("o", "o")  # by name
        shown = [g.name.casefold() for g in screen.groups()]
        assert shown == sorted(shown)
        await pilot.press("j", "j")
        assert screen.row == 2
        await pilot.press("k")
        assert screen.row == 1
        await pilot.press("down", "down")  # the arrows move as j and k do
        assert screen.row == 3
        await pilot.press("up")
        assert screen.row == 2
        for _ in range(40):
            await pilot.press("j")
        assert screen.row == len(screen.groups()) - 1


async def test_enter_drills_down_to_the_posts_and_to_a_post(make_app):
    from tui.screens.metrics_posts import ContentPostsScreen
    from tui.screens.post_detail import PostDetailScreen

    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_content(pilot)
        group = screen.groups()[0]
        await pilot.press("enter")
        await settle(pilot)
        drill = app.screen
        assert isinstance(drill, ContentPostsScreen)
        await wait_for(pilot, lambda: drill.lines)
        actor = open_store(app.session.db)
        expected = store.metrics.content_posts(
            actor, NOW - timedelta(days=30), NOW, "channel", group.name, limit=50
        )
        assert drill.lines == expected and len(drill.lines) == group.posts
        await pilot.press("j")
        assert drill.row == 1
        await pilot.press("k", "enter")
        await settle(pilot)
        assert isinstance(app.screen, PostDetailScreen)
        assert app.screen.post_id == expected[0].post_id
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is screen


async def test_a_drill_down_pages_when_the_cursor_reaches_the_end(make_app):
    from tui.screens import metrics_posts

    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_content(pilot)
        metrics_posts.PAGE, before = 5, metrics_posts.PAGE
        try:
            await pilot.press("g", "g", "g", "g", "g")  # tier: every post is in one of two
            biggest = max(range(len(screen.groups())), key=lambda i: screen.groups()[i].posts)
            screen.row = biggest
            total = screen.groups()[biggest].posts
            await pilot.press("enter")
            await settle(pilot)
            drill = app.screen
            await wait_for(pilot, lambda: drill.lines)
            assert len(drill.lines) == 5 and drill.more
            for _ in range(4):
                await pilot.press("j")
            await settle(pilot)
            assert len(drill.lines) == min(10, total)
            row = drill.row
            await pilot.press("down", "down", "up")  # the arrows move as j and k do
            assert drill.row == row + 1
            ids = [line.variant_id for line in drill.lines]
            assert len(set(ids)) == len(ids)  # no row twice across pages
        finally:
            metrics_posts.PAGE = before


async def test_on_the_workflow_tab_the_arrows_scroll_the_figures(make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_metrics(pilot)
        body = screen.query_one("#metrics-body")
        await settle(pilot)
        assert body.max_scroll_y > 0
        await pilot.press("down", "down")
        await settle(pilot)
        assert body.scroll_y == 2
        await pilot.press("up")
        await settle(pilot)
        assert body.scroll_y == 1


async def test_f_narrows_to_one_owner_tier_or_channel_and_the_drill_down_follows(make_app):
    from textual.widgets import OptionList

    from tui.screens.metrics_posts import ContentPostsScreen

    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_metrics(pilot)
        everyone = screen.figures

        async def choose(label: str) -> None:
            await pilot.press("f")
            await settle(pilot)
            options = app.screen.query_one(OptionList)
            labels = [
                str(options.get_option_at_index(i).prompt) for i in range(options.option_count)
            ]
            for _ in range(labels.index(label)):
                await pilot.press("down")
            await pilot.press("enter")
            await settle(pilot)

        await choose("Tier: high stakes")
        actor = open_store(app.session.db)
        high = store.metrics.WorkflowFilter(tier="high_stakes")
        expected = store.metrics.workflow_figures(actor, NOW - timedelta(days=30), NOW, high)
        await wait_for(pilot, lambda: screen.figures == expected)
        assert expected.approval_cycle.count < everyone.approval_cycle.count
        assert "· high stakes" in shown(screen)
        channel = store.list_channels(actor)[0]
        await choose(f"Channel: {channel.platform.value} {channel.handle}")
        await pilot.press("c")
        one = store.metrics.WorkflowFilter(channel_id=channel.id)
        content = store.metrics.content_figures(actor, NOW - timedelta(days=30), NOW, one)
        await wait_for(pilot, lambda: screen.content == content)
        assert [g.name for g in screen.groups()] == [f"{channel.platform.value} {channel.handle}"]
        await pilot.press("g")  # by platform, then the posts behind the one row
        await pilot.press("enter")
        await settle(pilot)
        drill = app.screen
        assert isinstance(drill, ContentPostsScreen)
        await wait_for(pilot, lambda: drill.lines)
        assert len(drill.lines) == min(content.total.posts, 50)
        await pilot.press("escape")
        await settle(pilot)
        await choose("All posts")
        await wait_for(pilot, lambda: screen.content.total.posts > content.total.posts)
        assert f"· {channel.platform.value}" not in shown(screen)


async def test_the_period_paints_first_and_the_one_before_fills_in(make_app, monkeypatch):
    import threading

    real = store.metrics.workflow_figures
    release = threading.Event()

    def slow_before(actor, start, end, where=None):
        if end == NOW - timedelta(days=30):  # the period before: held until released
            release.wait(10)
        return real(actor, start, end, where)

    monkeypatch.setattr(store.metrics, "workflow_figures", slow_before)
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, rounds=0)
        await pilot.press("5")
        screen = app.screen
        for _ in range(100):  # not wait_for: it settles, i.e. waits for the held worker too
            if screen.figures is not None:
                break
            await pilot.pause(0.05)
        assert screen.figures is not None and screen.previous is None
        cycle = screen.figures.approval_cycle
        text = table(screen)
        row = next(line for line in text.splitlines() if line.startswith("Approval cycle"))
        assert f"p90 {cycle.p90:.1f} h · {cycle.count}" in row and row.rstrip().endswith("…")
        release.set()
        await wait_for(pilot, lambda: screen.previous is not None)
        actor = open_store(app.session.db)
        before = real(actor, NOW - timedelta(days=60), NOW - timedelta(days=30))
        assert screen.previous == before
        assert f"{before.revision_rate.hits} of {before.revision_rate.total}" in table(screen)


async def test_a_key_that_asks_for_what_is_being_computed_ahead_waits_for_it(make_app, monkeypatch):
    import time
    from collections import Counter

    real = store.metrics.workflow_figures
    calls = Counter()

    def slow(actor, start, end, where=None):
        calls[(start, end)] += 1
        time.sleep(0.2)
        return real(actor, start, end, where)

    monkeypatch.setattr(store.metrics, "workflow_figures", slow)
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("5")
        screen = app.screen
        while screen.previous is None:  # not wait_for: that would let the look-ahead finish
            await pilot.pause(0.02)
        await pilot.pause(0.3)  # the look-ahead is under way: 90 days is among its keys
        await pilot.press("p")
        await wait_for(pilot, lambda: screen.figures.start == NOW - timedelta(days=90))
        assert screen.previous is not None
        assert calls[(NOW - timedelta(days=90), NOW)] == 1
        assert max(calls.values()) == 1, calls


async def test_choosing_a_brand_drops_a_channel_filter(make_app):
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_metrics(pilot)
        actor = open_store(app.session.db)
        birch = next(b for b in app.brands if b.slug == "birch-outdoor")
        channel = next(c for c in store.list_channels(actor) if c.brand_id != birch.id)
        screen.narrow = ("channel_id", channel.id, f"{channel.platform.value} {channel.handle}")
        screen.reload()
        await settle(pilot)
        assert f"· {channel.platform.value} {channel.handle}" in shown(screen)
        app.brand_id = birch.id
        await wait_for(pilot, lambda: screen.narrow is None)
        expected = store.metrics.workflow_figures(
            actor, NOW - timedelta(days=30), NOW, store.metrics.WorkflowFilter(brand_id=birch.id)
        )
        await wait_for(pilot, lambda: screen.figures == expected)
        screen.narrow = ("owner", "ed", "owner ed")  # an owner stays across brands
        app.brand_id = None
        await settle(pilot)
        assert screen.narrow == ("owner", "ed", "owner ed")
        assert "a channel's: f to pick a channel" in shown(screen)


async def test_a_hidden_tabs_figures_computed_before_a_change_are_not_kept(make_app, monkeypatch):
    import threading

    from tui.messages import Changed

    real = store.metrics.content_figures
    held, release, calls = threading.Event(), threading.Event(), []

    def slow(actor, start, end, where=None):
        calls.append((start, end))
        if not release.is_set():
            held.set()
            release.wait(10)
        return real(actor, start, end, where)

    monkeypatch.setattr(store.metrics, "content_figures", slow)
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("5")
        screen = app.screen
        while screen.previous is None:
            await pilot.pause(0.02)
        await pilot.press("c")  # the Content tab's load starts and is held …
        while not held.is_set():
            await pilot.pause(0.02)
        await pilot.press("w")  # … while the Workflow tab is shown again
        actor = open_store(app.session.db)
        store.create_post(actor, store.list_brands(actor)[0].id, "Written elsewhere", NOW)
        app.post_message(Changed(store.changes_since(app.feed_position)))
        await pilot.pause(0.2)
        before = len(calls)
        release.set()  # the held figures come in, computed before the change
        await settle(pilot)
        assert screen._loaded.get("content") is None  # not kept as current
        await pilot.press("c")
        await wait_for(pilot, lambda: screen._loaded.get("content") == screen._key())
        assert len(calls) > before  # computed again, after the change


async def test_o_orders_a_drill_down_by_rate_then_newest(make_app):
    from tui.screens.metrics_posts import ContentPostsScreen

    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_content(pilot)
        group = screen.groups()[0]
        await pilot.press("enter")
        await settle(pilot)
        drill = app.screen
        assert isinstance(drill, ContentPostsScreen)
        await wait_for(pilot, lambda: drill.lines)
        title = lambda: str(drill.query_one("#drill-title").render())  # noqa: E731
        assert "most engagements first" in title()
        await pilot.press("o")
        await wait_for(pilot, lambda: drill.lines and drill.order == "rate")
        actor = open_store(app.session.db)
        expected = store.metrics.content_posts(
            actor, NOW - timedelta(days=30), NOW, "channel", group.name, limit=50, order="rate"
        )
        assert drill.lines == expected and "highest rate first" in title()
        rates = [-1 if line.rate is None else line.rate for line in drill.lines]
        assert rates == sorted(rates, reverse=True)
        await pilot.press("o")
        await wait_for(pilot, lambda: drill.lines and drill.order == "newest")
        sent = [line.sent_at for line in drill.lines]
        assert sent == sorted(sent, reverse=True) and "newest first" in title()
        assert len(drill.lines) == min(group.posts, 50) and drill.row == 0


async def test_the_arrows_move_a_long_drill_downs_cursor(make_app):
    """At 80×24 a page of 50 posts scrolls: the arrows still move the cursor (j and k do)."""
    from tui.screens.metrics_posts import ContentPostsScreen

    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_content(pilot)
        await pilot.press("g", "g", "g", "g", "g")  # tier: two big groups
        screen.row = max(range(len(screen.groups())), key=lambda i: screen.groups()[i].posts)
        await pilot.press("enter")
        await settle(pilot)
        drill = app.screen
        assert isinstance(drill, ContentPostsScreen)
        await wait_for(pilot, lambda: drill.lines)
        assert drill.query_one("#drill-body").max_scroll_y > 0
        await pilot.press("down", "down", "down", "up")
        assert drill.row == 2
