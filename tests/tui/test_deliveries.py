"""Deliveries in the app: the detail shows each one's state and what to post by hand; `D` records
one posted by hand, `R` retries a failed one (asking first), `S` sends an approved post now; the
board card and the header say what needs a person."""

from __future__ import annotations

from datetime import timedelta

import store
from tui.screens.confirm import Confirm
from tui.screens.prompt import TextPrompt

from .conftest import open_store, settle, wait_for
from .test_detail import open_detail, part


def hand_over(db: str) -> store.PostSummary:
    """The earliest scheduled post, its time come: a scheduler pass makes it "post by hand"."""
    actor = open_store(db)
    post = min(
        store.list_posts(actor, stages=[store.Stage.SCHEDULED]), key=lambda p: (p.publish_at, p.id)
    )
    at = post.publish_at + timedelta(seconds=1)
    report = store.publish_due(actor, clock=lambda: at)
    assert report.states.get("manual", 0) >= 1
    return post


async def test_post_by_hand_shows_what_to_copy_and_d_records_the_link(make_app, team_db):
    post = hand_over(team_db)
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_detail(app, pilot, post.id)
        deliveries = part(screen, "deliveries")
        assert "post by hand" in deliveries and "Post by hand on" in deliveries
        detail = store.post_detail(store.actor_for("ines"), post.id)
        assert detail.caption.splitlines()[0] in deliveries
        for done in range(1, len(detail.variants) + 1):
            await pilot.press("D")
            await settle(pilot)
            assert isinstance(app.screen, TextPrompt)
            await pilot.press(*"https://instagram.com/p/abc")
            await pilot.press("ctrl+s")
            await wait_for(pilot, lambda n=done: part(screen, "deliveries").count("sent ·") == n)
        assert "published" in part(screen, "head"), (app.notices, part(screen, "deliveries"))
        assert "sent · https://instagram.com/p/abc" in part(screen, "deliveries")
        assert (
            store.post_detail(store.actor_for("ines"), post.id).summary.stage
            is store.Stage.PUBLISHED
        )


async def test_r_asks_then_retries_a_failed_delivery(make_app, team_db):
    actor = open_store(team_db)
    failed = store.list_posts(actor, stages=[store.Stage.FAILED])[0]
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_detail(app, pilot, failed.id)
        assert "failed — " in part(screen, "deliveries")
        await pilot.press("R")
        await settle(pilot)
        assert isinstance(app.screen, Confirm) and "again at the next scheduler pass" in str(
            app.screen.question
        )
        await pilot.press("n")
        await settle(pilot)
        assert store.post_detail(actor, failed.id).summary.stage is store.Stage.FAILED
        await pilot.press("R")
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot)
        await wait_for(pilot, lambda: "scheduled" in part(screen, "head"))
        assert "waiting" in part(screen, "deliveries")


async def test_r_with_nothing_to_retry_says_so(make_app, team_db):
    actor = open_store(team_db)
    draft = store.list_posts(actor, stages=[store.Stage.DRAFT])[0]
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await open_detail(app, pilot, draft.id)
        await pilot.press("R")
        await settle(pilot)
        assert any("No failed or unconfirmed delivery" in m for _, m in app.notices)


async def test_s_sends_an_approved_post_now(make_app, team_db):
    actor = open_store(team_db)
    approved = store.list_posts(actor, stages=[store.Stage.APPROVED])[0]
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_detail(app, pilot, approved.id)
        await pilot.press("S")
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot)
        await wait_for(pilot, lambda: "scheduled" in part(screen, "head"))
    summary = store.post_detail(actor, approved.id).summary
    assert summary.stage is store.Stage.SCHEDULED and summary.publish_at == app.session.now()


async def test_the_board_and_the_owners_header_say_post_by_hand(make_app, team_db):
    from zoneinfo import ZoneInfo

    from tui.widgets.post_card import post_card

    post = hand_over(team_db)
    app = make_app(post.owner_login)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("2")
        board = app.screen
        await wait_for(pilot, lambda: bool(board.counts))
        await wait_for(pilot, lambda: "to post by hand" in app.sub_title)
        cards = board.query_one(f"#cards-{store.Stage.SCHEDULED.value}").items
        card = next(c for c in cards if c.post.id == post.id)
        text = post_card(card, 40, ZoneInfo("UTC"), app.session.now()).plain
        assert "✋ post by hand now" in text


async def test_the_header_warns_when_posts_are_due_and_no_scheduler_runs(make_app, team_db):
    actor = open_store(team_db)
    post = min(store.list_posts(actor, stages=[store.Stage.SCHEDULED]), key=lambda p: p.publish_at)
    from tui.app import build_app

    later = post.publish_at + timedelta(minutes=25)
    app = build_app(team_db, "ines", clock=lambda: later)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await wait_for(pilot, lambda: "no scheduler has run" in app.sub_title)
    store.publish_due(actor, clock=lambda: later)
    assert store.scheduler_warning(later) is None


async def test_the_agenda_says_post_by_hand_beside_the_post(make_app, team_db):
    from zoneinfo import ZoneInfo

    from tui.screens.agenda import AgendaScreen

    post = hand_over(team_db)
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        day = post.publish_at.astimezone(ZoneInfo(app.timezone)).date()
        app.push_screen(AgendaScreen(day, store.CalendarFilter()))
        await settle(pilot)
        agenda = app.screen
        await wait_for(pilot, lambda: any(p.id == post.id for p in agenda.posts))
        options = agenda.query_one("OptionList")
        lines = [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]
        line = next(text for text in lines if post.title in text)
        assert "✋ post by hand now" in line


async def test_the_month_marks_a_post_to_do_by_hand(team_db):
    from zoneinfo import ZoneInfo

    from tui.app import build_app
    from tui.widgets.month_grid import MonthGrid

    post = hand_over(team_db)
    later = post.publish_at + timedelta(minutes=5)
    app = build_app(team_db, "ines", clock=lambda: later)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        grid = app.screen.query_one(MonthGrid)
        day = post.publish_at.astimezone(ZoneInfo(app.timezone)).date()
        await wait_for(pilot, lambda: any(d.day == day for d in grid.days))
        index = next(i for i, d in enumerate(grid.days) if d.day == day)
        assert grid.days[index].delivery_of(post.id) is store.DeliveryState.MANUAL
        lines = ["".join(t for t, _ in line) for line in grid.day_parts(index, 30, 12)]
        assert any("✋" in line and post.title[:8] in line for line in lines), lines
