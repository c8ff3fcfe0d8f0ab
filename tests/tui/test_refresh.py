"""Refresh what changed, once: a write reloads the screens that show it, and only those; the
watcher does not reload again for the app's own commit."""

from datetime import timedelta

import store
from store import Stage

from .conftest import NOW, open_store, settle, wait_for


async def on_board_with_calendar_built(pilot):
    await settle(pilot)
    calendar = pilot.app.screen
    await pilot.press("2")
    board = pilot.app.screen
    await wait_for(pilot, lambda: bool(board.counts))
    return calendar, board


def far_off_idea(actor):
    """An idea of mine whose publish time is on no day the calendar shows now."""
    brand = store.list_brands(actor)[0].id
    channel = store.list_channels(actor, brand)[0].id
    post = store.create_post(
        actor,
        brand,
        "Far off",
        NOW,
        stage=Stage.IDEA,
        channel_ids=[channel],
        publish_at=NOW + timedelta(days=120),
    )
    store.close_database()
    return post


async def test_a_card_move_reloads_the_board_once_and_not_the_calendar(make_app):
    app = make_app(watch=True)  # the watcher runs too: it must not reload a second time
    async with app.run_test(size=(120, 40)) as pilot:
        post = far_off_idea(open_store(app.session.db))
        calendar, board = await on_board_with_calendar_built(pilot)
        await pilot.press("o")  # only mine: the new idea is the one card in its column
        await wait_for(pilot, lambda: [c.post.id for c in board.lists[0].items] == [post.id])
        board._focus_column(0)
        await settle(pilot)
        assert post.id not in {p.id for d in calendar.days for p in d.posts}
        before = (board.reloads, calendar.reloads)
        await pilot.press("L")
        await wait_for(pilot, lambda: board.selected_card().post.stage is Stage.DRAFT)
        await pilot.pause(1.2)  # two watcher rounds
        await settle(pilot)
        assert (board.reloads, calendar.reloads) == (before[0] + 1, before[1])
        assert board.selected_card().post.id == post.id  # the board follows the card


async def test_moving_a_date_reloads_the_calendar_too(make_app):
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        post = far_off_idea(open_store(app.session.db))
        calendar, _ = await on_board_with_calendar_built(pilot)
        before = calendar.reloads
        actor = open_store(app.session.db)
        store.move_by_days(actor, post.id, -100, NOW, "Europe/London")  # into this month
        store.close_database()
        app.post_message(_changed(app))
        await wait_for(pilot, lambda: calendar.reloads == before + 1)


async def test_the_counts_are_right_as_soon_as_the_move_lands(make_app):
    """Board counts lagged a second or two after H/L: they come with the move's own reload."""
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        _, board = await on_board_with_calendar_built(pilot)
        board._focus_column(1)  # drafts
        await settle(pilot)
        drafts, in_review = board.counts[Stage.DRAFT], board.counts[Stage.IN_REVIEW]
        card = board.selected_card()
        await pilot.press("L")
        await settle(pilot)
        moved = store.post_detail(open_store(app.session.db), card.post.id).summary.stage
        if moved is Stage.IN_REVIEW:
            assert (board.counts[Stage.DRAFT], board.counts[Stage.IN_REVIEW]) == (
                drafts - 1,
                in_review + 1,
            )
        else:  # refused (a caption a platform rejects): nothing moved, and it said why
            assert (board.counts[Stage.DRAFT], board.counts[Stage.IN_REVIEW]) == (drafts, in_review)
            assert app.notices


def _changed(app):
    from tui.messages import Changed

    store.open_database(app.session.db)
    try:
        return Changed(store.changes_since(app.feed_position))
    finally:
        store.close_database()
