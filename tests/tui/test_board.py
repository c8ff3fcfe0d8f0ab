"""The board: columns with counts, moving between them, moving cards, opening, filtering."""

from datetime import timedelta

from textual.content import Content

import store
from store import Stage, board_counts
from tui.screens.board import FIRST_PAGE, PAGE, BoardScreen
from tui.screens.editor import PostEditor
from tui.screens.filter import FilterScreen
from tui.screens.post_detail import PostDetailScreen
from tui.screens.prompt import TextPrompt

from .conftest import NOW, open_store, settle, wait_for


async def open_board(pilot) -> BoardScreen:
    await settle(pilot)
    await pilot.press("2")
    await settle(pilot)
    board = pilot.app.screen
    assert isinstance(board, BoardScreen)
    await wait_for(pilot, lambda: bool(board.counts))
    return board


def heading(board, stage: Stage) -> str:
    return Content.from_markup(board.query_one(f"#cards-{stage.value}").border_title).plain


async def test_2_shows_a_column_per_stage_with_its_count(make_app):
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        board = await open_board(pilot)
        actor = open_store(app.session.db)
        counts = board_counts(actor, NOW)
        for stage in store.STAGE_ORDER:
            assert heading(board, stage).split()[1] == str(counts[stage])
            shown = board.query_one(f"#cards-{stage.value}").items
            assert len(shown) == min(counts[stage], FIRST_PAGE)
            assert all(card.post.stage is stage for card in shown)
        assert "14 days" in heading(board, Stage.PUBLISHED)
        assert board.selected_card().post.stage is Stage.IN_REVIEW  # the board opens on review


async def test_arrows_and_hjkl_move_between_cards_and_columns(make_app):
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        board = await open_board(pilot)
        reviews = board.lists[board.column].items
        await pilot.press("j")
        assert board.selected_card() == reviews[1]
        await pilot.press("down", "k", "up")
        assert board.selected_card() == reviews[0]
        await pilot.press("l")
        assert board.selected_card().post.stage is Stage.CHANGES_REQUESTED
        await pilot.press("left", "h")
        assert board.selected_card().post.stage is Stage.DRAFT
        await pilot.press("right")
        assert board.selected_card().post.stage is Stage.IN_REVIEW


async def test_shift_l_submits_a_draft_and_the_board_follows_it(make_app):
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        board = await open_board(pilot)
        await pilot.press("h")
        draft = board.selected_card().post
        before = dict(board.counts)
        await pilot.press("L")
        await settle(pilot)
        await wait_for(pilot, lambda: board.counts != before)
        assert board.selected_card().post.id == draft.id
        assert board.selected_card().post.stage is Stage.IN_REVIEW
        assert board.counts[Stage.DRAFT] == before[Stage.DRAFT] - 1
        actor = open_store(app.session.db)
        assert store.post_detail(actor, draft.id).summary.stage is Stage.IN_REVIEW


async def test_a_refused_move_says_why_and_changes_nothing(make_app):
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        board = await open_board(pilot)
        card = board.selected_card()
        await pilot.press("L")  # in review → approved: the policy is not met
        await settle(pilot)
        messages = [m for _, m in app.notices]
        assert any(f"'{card.post.title}' needs 1 more approval" in m for m in messages), messages
        actor = open_store(app.session.db)
        assert store.post_detail(actor, card.post.id).summary.stage is Stage.IN_REVIEW
        for _ in range(4):
            await pilot.press("l")
        assert board.selected_card().post.stage is Stage.PUBLISHED
        await pilot.press("shift+right")
        await settle(pilot)
        assert any("published cannot move forward" in m for _, m in app.notices)


async def test_shift_h_on_an_approved_post_asks_what_should_change(make_app):
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        board = await open_board(pilot)
        await pilot.press("l", "l")
        card = board.selected_card()
        assert card.post.stage is Stage.APPROVED
        await pilot.press("shift+left")
        await settle(pilot)
        assert isinstance(app.screen, TextPrompt)
        app.screen.query_one("TextArea").load_text("The price is wrong")
        await pilot.press("ctrl+s")
        await settle(pilot)
        await wait_for(pilot, lambda: board.selected_card().post.id == card.post.id)
        assert board.selected_card().post.stage is Stage.CHANGES_REQUESTED
        actor = open_store(app.session.db)
        assert store.post_detail(actor, card.post.id).reviews[-1].note == "The price is wrong"


async def test_enter_opens_e_edits_n_starts_a_post(make_app):
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        board = await open_board(pilot)
        card = board.selected_card()
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, PostDetailScreen) and app.screen.post_id == card.post.id
        await pilot.press("escape")
        await pilot.press("e")
        await settle(pilot)
        assert isinstance(app.screen, PostEditor) and app.screen.post_id == card.post.id
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("n")
        await settle(pilot)
        assert isinstance(app.screen, PostEditor) and app.screen.post_id is None


async def test_o_shows_only_my_posts_and_says_so(make_app):
    app = make_app("maya")
    async with app.run_test(size=(120, 40)) as pilot:
        board = await open_board(pilot)
        everyone = sum(board.counts.values())
        await pilot.press("o")
        await wait_for(pilot, lambda: sum(board.counts.values()) < everyone)
        owners = {c.post.owner_login for lst in board.lists for c in lst.items}
        assert owners == {"maya"}
        assert "only mine" in str(board.query_one("#board-title").render())
        await pilot.press("o")
        await wait_for(pilot, lambda: sum(board.counts.values()) == everyone)


async def test_one_brand_choice_for_the_whole_app_and_capital_p_shows_older_published(make_app):
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        board = await open_board(pilot)
        await pilot.press("slash")
        await settle(pilot)
        assert isinstance(app.screen, FilterScreen)
        assert not app.screen.query("#filter-stages")  # the columns are the stages
        assert not app.screen.query("#filter-brands")  # which brand is `b`'s choice alone
        channels = app.screen.query_one("#filter-channels")
        channels.select(channels.get_option_at_index(0).value)
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: board.where.channel_ids)
        birch = next(b for b in app.brands if b.slug == "birch-outdoor")
        app.brand_id = birch.id
        await wait_for(pilot, lambda: not board.where.channel_ids)  # Acme's channel is dropped
        await settle(pilot)
        brands = {c.post.brand_id for lst in board.lists for c in lst.items}
        assert brands == {birch.id} and sum(board.counts.values()) > 0
        assert app.sub_title.startswith("Birch Outdoor")
        recent = board.counts[Stage.PUBLISHED]
        await pilot.press("P")
        await wait_for(pilot, lambda: board.counts[Stage.PUBLISHED] > recent)
        assert "14 days" not in heading(board, Stage.PUBLISHED)


async def test_a_long_column_pages_in_as_the_cursor_goes_down(make_app):
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        actor = open_store(app.session.db)
        brand = app.brands[0].id
        channel = store.list_channels(actor, brand)[0].id
        for n in range(95):
            store.create_post(
                actor,
                brand,
                f"Bulk idea {n}",
                NOW,
                stage="idea",
                channel_ids=[channel],
                publish_at=NOW + timedelta(days=40, minutes=n),
            )
        store.close_database()
        board = await open_board(pilot)
        for _ in range(2):
            await pilot.press("h")
        ideas = board.lists[0]
        total = board.counts[Stage.IDEA]
        assert len(ideas.items) == FIRST_PAGE < total
        await pilot.press("end")
        await wait_for(pilot, lambda: len(ideas.items) == FIRST_PAGE + PAGE)
        await pilot.press("end")
        await wait_for(pilot, lambda: len(ideas.items) == min(total, FIRST_PAGE + 2 * PAGE))
        while len(ideas.items) < total:
            await pilot.press("end")
            await settle(pilot)
        assert len(ideas.items) == total
        ids = [c.post.id for c in ideas.items]
        assert len(set(ids)) == len(ids)
        # A refresh (someone changed something) keeps the place far down a long column.
        ideas.cursor = 70
        card = ideas.current
        board.reload()
        await settle(pilot)
        assert len(ideas.items) == total
        assert ideas.current == card and ideas.cursor == 70


async def test_the_other_screens_are_built_after_start_and_open_with_their_data(make_app):
    app = make_app(prepare=True)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, lambda: app.is_mode_ready("board") and app.is_mode_ready("approvals"))
        await settle(pilot)
        assert app.current_mode == "calendar"
        await pilot.press("2")
        board = app.screen
        assert isinstance(board, BoardScreen) and sum(board.counts.values()) > 0
        assert board.lists[board.column].items  # drawn from what it already holds
        await pilot.press("3")
        assert app.screen.entries


async def test_one_from_the_board_goes_to_the_calendar_not_to_a_detail_left_open(make_app):
    """Seen: calendar, a post's detail, 2, then 1 showed that old detail again."""
    from tui.screens.calendar import CalendarScreen
    from tui.screens.post_detail import PostDetailScreen

    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        post = store.list_posts(open_store(app.session.db), stages=[store.Stage.DRAFT])[0]
        app.open_post(post.id)
        await settle(pilot)
        assert isinstance(app.screen, PostDetailScreen)
        await pilot.press("2")
        await settle(pilot)
        await pilot.press("1")
        await settle(pilot)
        assert isinstance(app.screen, CalendarScreen)
        await pilot.press("2")
        await settle(pilot)
        assert app.current_mode == "board" and not isinstance(app.screen, PostDetailScreen)
