"""What the screens look like, at 80x24 and 120x40, on the seeded team with the clock frozen.

Each SVG under __snapshots__ was looked at before it was committed.
"""

import pytest

import store
from tui.screens.post_detail import PostDetailScreen

from .conftest import NOW, open_store, settle, wait_for

SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((120, 40), id="120x40")]


def settled(*keys):
    async def run_before(pilot):
        await settle(pilot)
        for key in keys:
            await pilot.press(key)
            await settle(pilot)

    return run_before


class TestCalendar:
    @pytest.mark.parametrize("size", SIZES)
    def test_month(self, snap_compare, make_app, size):
        assert snap_compare(make_app(), terminal_size=size, run_before=settled())

    @pytest.mark.parametrize("size", SIZES)
    def test_week(self, snap_compare, make_app, size):
        assert snap_compare(make_app(), terminal_size=size, run_before=settled("w"))

    @pytest.mark.parametrize("size", SIZES)
    def test_agenda(self, snap_compare, make_app, size):
        assert snap_compare(make_app(), terminal_size=size, run_before=settled("right", "enter"))

    @pytest.mark.parametrize("size", SIZES)
    def test_filtered_by_stage(self, snap_compare, make_app, size):
        async def run_before(pilot):
            await settle(pilot)
            await pilot.press("slash")
            await settle(pilot)
            pilot.app.screen.query_one("#filter-stages").select("in_review")
            await pilot.press("ctrl+s")
            await settle(pilot)

        assert snap_compare(make_app(), terminal_size=size, run_before=run_before)


class TestEditor:
    @pytest.mark.parametrize("size", SIZES)
    def test_caption_over_the_limit(self, snap_compare, make_app, size):
        async def run_before(pilot):
            await settle(pilot)
            await pilot.press("n")
            await settle(pilot)
            screen = pilot.app.screen
            screen.query_one("#editor-title").value = "Winter Blend tasting notes"
            screen.query_one("#editor-caption").load_text(
                "Our Winter Blend is here ☕ Notes of cocoa, orange peel and a long sweet finish. "
                "Find it in every shop from Friday and online at https://example.com/winter-blend "
                "— tell us what you taste! #winterblend #coffee #acmecoffee #seasonal #roastery #ugc "
                "Brewing tip: 15 g to 250 ml, 94 °C, and be patient with the bloom."
            )
            channels = screen.query_one("#editor-channels")
            for index in range(channels.option_count):
                label = str(channels.get_option_at_index(index).prompt)
                if label.startswith(("x ", "instagram", "bluesky")):
                    channels.select(channels.get_option_at_index(index).value)
            checks = screen.query_one("#editor-checks")
            await wait_for(
                pilot,
                lambda: all(
                    name in str(checks.render())
                    for name in ("bluesky", "instagram", "x @acmecoffee")
                ),
            )
            for field in screen.query("Input, TextArea"):
                field.cursor_blink = False  # a blinking cursor is caught in either phase
            screen.query_one("#editor-title").focus()
            await settle(pilot)

        assert snap_compare(make_app(), terminal_size=size, run_before=run_before)


class TestDetail:
    @pytest.mark.parametrize("size", SIZES)
    def test_with_a_diff(self, snap_compare, make_app, size):
        async def run_before(pilot):
            await settle(pilot)
            actor = open_store(pilot.app.session.db)
            revised = next(
                p for p in store.list_posts(actor, stages=[store.Stage.SCHEDULED]) if p.revision > 1
            )
            pilot.app.push_screen(PostDetailScreen(revised.id))
            await settle(pilot)

        assert snap_compare(make_app(), terminal_size=size, run_before=run_before)


async def on_board(pilot):
    await settle(pilot)
    await pilot.press("2")
    await settle(pilot)
    board = pilot.app.screen
    await wait_for(pilot, lambda: bool(board.counts))
    return board


class TestBoard:
    @pytest.mark.parametrize("size", SIZES)
    def test_columns(self, snap_compare, make_app, size):
        async def run_before(pilot):
            await on_board(pilot)
            await pilot.press("j")
            await settle(pilot)

        assert snap_compare(make_app(), terminal_size=size, run_before=run_before)

    @pytest.mark.parametrize("size", SIZES)
    def test_a_refused_move(self, snap_compare, make_app, size):
        async def run_before(pilot):
            await on_board(pilot)
            await pilot.press("L")  # in review → approved, without the approvals
            await settle(pilot)

        assert snap_compare(make_app(), terminal_size=size, run_before=run_before)


class TestApprovals:
    @pytest.mark.parametrize("size", SIZES)
    def test_queue_with_a_diff(self, snap_compare, make_app, size):
        async def run_before(pilot):
            await settle(pilot)
            await pilot.press("3")
            await settle(pilot)
            queue = pilot.app.screen
            revised = next(i for i, item in enumerate(queue.queue.items) if item.post.revision > 1)
            queue.queue.cursor = revised
            await wait_for(pilot, lambda: queue.context is not None)
            await wait_for(pilot, lambda: queue.context.detail.summary.revision > 1)

        assert snap_compare(make_app("rafa"), terminal_size=size, run_before=run_before)

    @pytest.mark.parametrize("size", SIZES)
    def test_client_view(self, snap_compare, make_app, size):
        async def run_before(pilot):
            await settle(pilot)
            queue = pilot.app.screen
            await wait_for(pilot, lambda: queue.context is not None)

        assert snap_compare(make_app("acme-client"), terminal_size=size, run_before=run_before)


def still(*keys):
    """`settled(*keys)`, then the cursors stop blinking (a blink is caught in either phase)."""

    async def run_before(pilot):
        await settled(*keys)(pilot)
        for field in pilot.app.screen.query("Input, TextArea"):
            field.cursor_blink = False
        await settle(pilot)

    return run_before


class TestDialogs:
    @pytest.mark.parametrize("size", SIZES)
    def test_help(self, snap_compare, make_app, size):
        assert snap_compare(make_app(), terminal_size=size, run_before=settled("question_mark"))

    @pytest.mark.parametrize("size", SIZES)
    def test_help_at_its_end(self, snap_compare, make_app, size):
        assert snap_compare(
            make_app(), terminal_size=size, run_before=settled("question_mark", "end")
        )

    @pytest.mark.parametrize("size", SIZES)
    def test_filter(self, snap_compare, make_app, size):
        assert snap_compare(make_app(), terminal_size=size, run_before=still("slash"))

    @pytest.mark.parametrize("size", SIZES)
    def test_brand_picker(self, snap_compare, make_app, size):
        assert snap_compare(make_app(), terminal_size=size, run_before=settled("b"))

    @pytest.mark.parametrize("size", SIZES)
    def test_note_editor(self, snap_compare, make_app, size):
        assert snap_compare(make_app(), terminal_size=size, run_before=still("N"))

    @pytest.mark.parametrize("size", SIZES)
    def test_media_picker(self, snap_compare, make_app, size):
        async def run_before(pilot):
            await settled("n")(pilot)
            pilot.app.screen.query_one("#editor-media").focus()
            await settle(pilot)
            await still("enter")(pilot)

        assert snap_compare(make_app(), terminal_size=size, run_before=run_before)


class TestDeliveries:
    """A post whose time came on a channel we cannot reach: post by hand."""

    @pytest.mark.parametrize("size", SIZES)
    def test_detail_post_by_hand(self, snap_compare, make_app, team_db, size):
        from .test_deliveries import hand_over

        post = hand_over(team_db)

        async def run_before(pilot):
            await settle(pilot)
            pilot.app.push_screen(PostDetailScreen(post.id))
            await settle(pilot)
            pilot.app.screen.query_one("#detail-deliveries").scroll_visible(animate=False)
            await settle(pilot)

        assert snap_compare(make_app(post.owner_login), terminal_size=size, run_before=run_before)

    @pytest.mark.parametrize("size", SIZES)
    def test_board_card_post_by_hand(self, snap_compare, make_app, team_db, size):
        from .test_deliveries import hand_over

        post = hand_over(team_db)

        async def run_before(pilot):
            board = await on_board(pilot)
            for _ in range(6):  # along to the scheduled column
                if board.selected_card().post.stage is store.Stage.SCHEDULED:
                    break
                await pilot.press("l")
                await settle(pilot)
            assert board.selected_card().post.stage is store.Stage.SCHEDULED

        assert snap_compare(make_app(post.owner_login), terminal_size=size, run_before=run_before)


class TestInbox:
    @pytest.mark.parametrize("size", SIZES)
    def test_queue_and_thread(self, snap_compare, make_app, size):
        async def run_before(pilot):
            await settle(pilot)
            await pilot.press("4")
            await settle(pilot)
            inbox = pilot.app.screen
            index = next(i for i, r in enumerate(inbox.list.items) if r.post_title)
            for _ in range(index):
                await pilot.press("j")
            await wait_for(
                pilot, lambda: inbox.detail and inbox.detail.row.id == inbox.current().id
            )

        assert snap_compare(make_app(), terminal_size=size, run_before=run_before)

    @pytest.mark.parametrize("size", SIZES)
    def test_reply_refused_by_a_teammates_answer(self, snap_compare, make_app, size):
        async def run_before(pilot):
            await settle(pilot)
            await pilot.press("4")
            await settle(pilot)
            inbox = pilot.app.screen
            await wait_for(pilot, lambda: inbox.detail is not None)
            await pilot.press("space", "r")
            await settle(pilot)
            await pilot.press(*"Thanks for asking! Yes we do.")
            open_store(pilot.app.session.db)
            store.inbox.queue_reply(
                store.actor_for("priya"), inbox.current().id, "Hi! We ship there.", NOW
            )
            store.close_database()
            await pilot.press("ctrl+s")
            await wait_for(
                pilot,
                lambda: "Hi! We ship there." in str(inbox.query_one("#inbox-thread").render()),
            )

        assert snap_compare(make_app(), terminal_size=size, run_before=run_before)

    @pytest.mark.parametrize("size", SIZES)
    def test_reply_with_a_saved_reply_over_the_length(self, snap_compare, make_app, size):
        async def run_before(pilot):
            await settle(pilot)
            await pilot.press("4")
            await settle(pilot)
            inbox = pilot.app.screen
            await wait_for(pilot, lambda: inbox.detail is not None)
            index = next(i for i, r in enumerate(inbox.list.items) if r.platform.value == "x")
            for _ in range(index):
                await pilot.press("j")
            await pilot.press("r")
            await wait_for(pilot, lambda: inbox.query_one("#reply-box").display)
            await pilot.press("ctrl+t")
            await settle(pilot)
            picker = pilot.app.screen
            picker.dismiss(next(k for k, label in picker.options if label.startswith("Thanks")))
            await settle(pilot)
            area = inbox.query_one("#reply-text")
            area.insert(" We roast every bean ourselves, in small batches, every morning. " * 4)
            await settle(pilot)

        assert snap_compare(make_app(), terminal_size=size, run_before=run_before)

    @pytest.mark.parametrize("size", SIZES)
    def test_a_teammate_is_replying(self, snap_compare, make_app, size):
        async def run_before(pilot):
            await settle(pilot)
            await pilot.press("4")
            await settle(pilot)
            inbox = pilot.app.screen
            await wait_for(pilot, lambda: inbox.detail is not None)
            open_store(pilot.app.session.db)
            store.inbox.start_replying(store.actor_for("priya"), inbox.current().id, NOW)
            store.close_database()
            inbox.load_detail(inbox.current().id)
            await wait_for(pilot, lambda: inbox.detail.replying == ("priya",))

        assert snap_compare(make_app(), terminal_size=size, run_before=run_before)

    @pytest.mark.parametrize("size", SIZES)
    def test_nothing_matches(self, snap_compare, make_app, size):
        async def run_before(pilot):
            await settle(pilot)
            await pilot.press("4")
            await settle(pilot)
            inbox = pilot.app.screen
            await pilot.press("slash")
            await settle(pilot)
            await pilot.press(*"zebra", "enter")
            await wait_for(
                pilot, lambda: "“zebra”" in str(inbox.query_one("#inbox-title").render())
            )
            await settle(pilot)

        assert snap_compare(make_app(), terminal_size=size, run_before=run_before)


class TestMetrics:
    @pytest.mark.parametrize("size", SIZES)
    def test_workflow(self, snap_compare, make_app, size):
        async def run_before(pilot):
            await settle(pilot)
            await pilot.press("5")
            await wait_for(pilot, lambda: pilot.app.screen.previous is not None)

        assert snap_compare(make_app(), terminal_size=size, run_before=run_before)

    @staticmethod
    async def _content(pilot):
        await settle(pilot)
        await pilot.press("5")
        await wait_for(pilot, lambda: pilot.app.screen.previous is not None)
        await pilot.press("c")
        await wait_for(pilot, lambda: pilot.app.screen.content is not None)
        await settle(pilot)

    @pytest.mark.parametrize("size", SIZES)
    def test_content(self, snap_compare, make_app, size):
        assert snap_compare(make_app(), terminal_size=size, run_before=self._content)

    @pytest.mark.parametrize("size", SIZES)
    def test_heatmap(self, snap_compare, make_app, size):
        async def run_before(pilot):
            await self._content(pilot)
            body = pilot.app.screen.query_one("#content-body")
            heatmap = pilot.app.screen.query_one("#content-heatmap")
            body.scroll_to(y=heatmap.virtual_region.y, animate=False)
            await settle(pilot)

        assert snap_compare(make_app(), terminal_size=size, run_before=run_before)

    @pytest.mark.parametrize("size", SIZES)
    def test_drill_down(self, snap_compare, make_app, size):
        async def run_before(pilot):
            await self._content(pilot)
            await pilot.press("j", "enter")
            await settle(pilot)
            await wait_for(pilot, lambda: pilot.app.screen.lines)
            await pilot.press("j")
            await settle(pilot)

        assert snap_compare(make_app(), terminal_size=size, run_before=run_before)
