"""The approval queue: order, the pane, decisions and the next item; clients; what needs me."""

import subprocess
import sys
import textwrap
import time

import store
from store import Stage, review_queue
from tui.screens.approvals import ApprovalsScreen
from tui.screens.post_detail import PostDetailScreen
from tui.screens.prompt import TextPrompt

from .conftest import NOW, open_store, settle, wait_for


async def open_queue(pilot) -> ApprovalsScreen:
    await settle(pilot)
    if not isinstance(pilot.app.screen, ApprovalsScreen):
        await pilot.press("3")
    await settle(pilot)
    queue = pilot.app.screen
    assert isinstance(queue, ApprovalsScreen)
    await wait_for(pilot, lambda: queue.context is not None or not queue.entries)
    return queue


def pane(queue) -> str:
    return "\n".join(
        str(queue.query_one(f"#queue-{p}").render()) for p in ("head", "diff", "content", "thread")
    )


async def answer(pilot, text: str) -> None:
    await settle(pilot)
    assert isinstance(pilot.app.screen, TextPrompt)
    pilot.app.screen.query_one("TextArea").load_text(text)
    await pilot.press("ctrl+s")
    await settle(pilot)


async def test_3_lists_what_waits_for_me_first_overdue_first(make_app):
    app = make_app("maya")
    async with app.run_test(size=(120, 40)) as pilot:
        queue = await open_queue(pilot)
        open_store(app.session.db)
        expected = review_queue(store.actor_for("maya"), NOW)
        assert [e.post_id for e in queue.entries] == [e.post_id for e in expected]
        mine = [e.mine for e in queue.entries]
        assert mine == sorted(mine, reverse=True) and any(mine) and not all(mine)
        waiting = [e for e in queue.entries if e.mine]
        overdue = [e.overdue for e in waiting]
        assert overdue == sorted(overdue, reverse=True) and any(overdue)
        title = str(queue.query_one("#queue-title").render())
        assert f"{len(waiting)} wait for you" in title
        first = queue.selected_item()
        assert f"#{first.post.id} {first.post.title}" in pane(queue)
        assert f"{len(first.approvers)}/{first.required}" in pane(queue)


async def test_the_pane_shows_checks_comments_and_the_change_since_my_last_review(make_app):
    app = make_app("rafa")
    async with app.run_test(size=(120, 40)) as pilot:
        open_store(app.session.db)
        actor = store.actor_for("rafa")
        jules = store.actor_for("jules")
        brand = store.find_brand(jules, "acme-coffee").id
        x = store.find_channel(jules, brand, "x").id
        post = store.create_post(
            jules, brand, "Queue diff", NOW, caption="Old words here", channel_ids=[x]
        )
        store.move(jules, post.id, "in_review", NOW)
        store.request_changes(actor, post.id, "Say it warmer", NOW)
        store.add_comment(jules, post.id, "Warmer now?", NOW)
        store.edit_post(jules, post.id, NOW, caption="New warm words here")
        store.move(jules, post.id, "in_review", NOW)
        store.close_database()
        queue = await open_queue(pilot)
        index = [i.post.id for i in queue.queue.items].index(post.id)
        queue.queue.cursor = index
        await wait_for(pilot, lambda: queue.context.detail.summary.id == post.id)
        shown = pane(queue)
        assert "What changed since you last reviewed (r1)" in shown
        assert "caption: OldNew warm words here" in shown  # "Old" struck through, "New warm" added
        assert "x @acmecoffee  19/280" in shown
        assert "rafa changes requested: Say it warmer" in shown
        assert "jules: Warmer now?" in shown


async def test_a_approves_with_a_note_and_the_next_post_comes_up(make_app):
    app = make_app("rafa")
    async with app.run_test(size=(120, 40)) as pilot:
        queue = await open_queue(pilot)
        first, second = queue.queue.items[:2]
        await pilot.press("a")
        await answer(pilot, "Lovely")
        await wait_for(pilot, lambda: queue.selected_item().post.id == second.post.id)
        await wait_for(pilot, lambda: queue.context.detail.summary.id == second.post.id)
        actor = open_store(app.session.db)
        review = store.post_detail(actor, first.post.id).reviews[-1]
        assert (review.reviewer_login, review.decision, review.note) == (
            "rafa",
            "approved",
            "Lovely",
        )
        assert first.post.id not in [e.post_id for e in queue.entries]
        said = [message for _, message in app.notices]
        assert any(
            m
            in (
                f"'{first.post.title}' is approved",
                f"Your approval of '{first.post.title}' counts; it needs more",
            )
            for m in said
        ), said


async def test_c_sends_back_with_a_note_and_refuses_without_one(make_app):
    app = make_app("rafa")
    async with app.run_test(size=(120, 40)) as pilot:
        queue = await open_queue(pilot)
        first = queue.selected_item()
        await pilot.press("c")
        await answer(pilot, "   ")
        # Refused inside the dialog, which stays open: nothing typed next reaches the queue.
        dialog = app.screen
        assert isinstance(dialog, TextPrompt)
        assert "Not sent: say what needs to change." in str(
            dialog.query_one("#prompt-error").render()
        )
        await pilot.press("a", "1", "q")
        await settle(pilot)
        assert app.screen is dialog and app.is_running
        assert "a1q" in dialog.query_one("TextArea").text
        actor = open_store(app.session.db)
        assert store.post_detail(actor, first.post.id).summary.stage is Stage.IN_REVIEW
        store.close_database()
        await answer(pilot, "The link is broken")
        await wait_for(pilot, lambda: first.post.id not in [e.post_id for e in queue.entries])
        actor = open_store(app.session.db)
        detail = store.post_detail(actor, first.post.id)
        assert detail.summary.stage is Stage.CHANGES_REQUESTED
        assert detail.reviews[-1].note == "The link is broken"


async def test_m_comments_enter_opens_and_tab_switches_pane(make_app):
    app = make_app("rafa")
    async with app.run_test(size=(120, 40)) as pilot:
        queue = await open_queue(pilot)
        item = queue.selected_item()
        await pilot.press("m")
        await answer(pilot, "Checking with legal")
        await wait_for(pilot, lambda: "rafa: Checking with legal" in pane(queue))
        await pilot.press("tab")
        assert app.focused.id == "queue-pane"
        await pilot.press("tab")
        assert app.focused.id == "queue-list"
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, PostDetailScreen) and app.screen.post_id == item.post.id


async def test_a_client_sees_only_its_brands_queue_and_nothing_else(make_app):
    app = make_app("acme-client")
    async with app.run_test(size=(120, 40)) as pilot:
        queue = await open_queue(pilot)  # the app opens on the queue
        acme = next(b for b in app.brands if b.slug == "acme-coffee")
        assert [b.id for b in app.brands] == [acme.id]
        assert queue.entries and all(e.mine for e in queue.entries)
        assert {i.post.brand_id for i in queue.queue.items} == {acme.id}
        for key in ("1", "2", "4"):
            await pilot.press(key)
            await settle(pilot)
            assert app.screen is queue
        keys = [b.binding.key for b in app.active_bindings.values() if b.binding.show]
        assert "1" not in keys and "2" not in keys
        first = queue.selected_item()
        await pilot.press("a")
        await answer(pilot, "")
        await wait_for(pilot, lambda: first.post.id not in [e.post_id for e in queue.entries])


async def test_the_header_counts_what_needs_me(make_app):
    app = make_app("rafa")
    async with app.run_test(size=(120, 40)) as pilot:
        queue = await open_queue(pilot)
        waiting = sum(1 for e in queue.entries if e.mine)
        await wait_for(pilot, lambda: f"· {waiting} to review" in app.sub_title)


async def test_my_post_approved_or_sent_back_elsewhere_is_announced(make_app):
    app = make_app("jules")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        actor = open_store(app.session.db)
        mine = [
            p for p in store.list_posts(actor, stages=["in_review"]) if p.owner_login == "jules"
        ]
        store.request_changes(store.actor_for("rafa"), mine[0].id, "Shorter, please", NOW)
        store.close_database()
        app.check_news()
        await settle(pilot)
        messages = [message for _, message in app.notices]
        assert f"'{mine[0].title}' was sent back by rafa: Shorter, please" in messages
        assert "of mine sent back" in app.sub_title
        app.check_news()  # said once, not again
        await settle(pilot)
        assert len([m for _, m in app.notices if "Shorter" in m]) == 1


APPROVE = textwrap.dedent(
    """
    import sys
    from datetime import UTC, datetime
    import store
    store.open_database(sys.argv[1])
    store.approve(store.actor_for(sys.argv[2]), int(sys.argv[3]), datetime.now(UTC))
    """
)
EDIT = textwrap.dedent(
    """
    import sys
    from datetime import UTC, datetime
    import store
    store.open_database(sys.argv[1])
    store.edit_post(store.actor_for("jules"), int(sys.argv[2]), datetime.now(UTC),
                    caption="Winter Blend: now with cocoa notes")
    """
)


async def test_two_people_sign_off_a_high_stakes_post_and_an_edit_sends_it_back(make_app, team_db):
    """The issue's acceptance, with the other people in other processes."""
    app = make_app("maya", watch=True)
    async with app.run_test(size=(120, 40)) as pilot:
        actor = open_store(team_db)
        jules = store.actor_for("jules")
        brand = store.find_brand(jules, "acme-coffee").id
        post = store.create_post(
            jules,
            brand,
            "Winter Blend launch",
            NOW,
            caption="Winter Blend is here",
            channel_ids=[store.find_channel(jules, brand, "x").id],
            tier="high_stakes",
        )
        store.move(jules, post.id, "in_review", NOW)
        store.close_database()
        queue = await open_queue(pilot)

        def row():
            return next((i for i in queue.queue.items if i.post.id == post.id), None)

        await wait_for(pilot, lambda: row() is not None)
        subprocess.run([sys.executable, "-c", APPROVE, team_db, "rafa", str(post.id)], check=True)
        written = time.monotonic()
        await wait_for(pilot, lambda: row() is not None and row().approvers == ("rafa",), 2.0)
        assert time.monotonic() - written < 2.0
        assert (row().required, row().post.stage) == (2, Stage.IN_REVIEW)
        queue.queue.cursor = queue.queue.items.index(row())
        await wait_for(pilot, lambda: queue.context.detail.summary.id == post.id)
        await pilot.press("a")
        await answer(pilot, "")
        await wait_for(pilot, lambda: row() is None)
        actor = open_store(team_db)
        assert store.post_detail(actor, post.id).summary.stage is Stage.APPROVED
        store.close_database()
        subprocess.run([sys.executable, "-c", EDIT, team_db, str(post.id)], check=True)
        await wait_for(pilot, lambda: row() is not None, 2.0)
        assert (row().approvers, row().required, row().post.stage) == ((), 2, Stage.IN_REVIEW)
        queue.queue.cursor = queue.queue.items.index(row())
        await wait_for(pilot, lambda: queue.context.detail.summary.id == post.id)
        shown = pane(queue)
        assert "What changed since you last reviewed (r1)" in shown
        assert "Winter Blend: now with cocoa notes" in shown


async def test_a_long_queue_pages_in_and_a_refresh_keeps_the_place(make_app):
    app = make_app("rafa")
    async with app.run_test(size=(120, 40)) as pilot:
        open_store(app.session.db)
        jules = store.actor_for("jules")
        brand = store.find_brand(jules, "acme-coffee").id
        x = store.find_channel(jules, brand, "x").id
        for n in range(60):
            post = store.create_post(
                jules, brand, f"Queued {n}", NOW, caption="Hi", channel_ids=[x]
            )
            store.move(jules, post.id, "in_review", NOW)
        store.close_database()
        queue = await open_queue(pilot)
        total = len(queue.entries)
        assert len(queue.queue.items) == 50 < total
        await pilot.press("end")
        await wait_for(pilot, lambda: len(queue.queue.items) == total)
        ids = [i.post.id for i in queue.queue.items]
        assert ids == [e.post_id for e in queue.entries]
        queue.queue.cursor = 60
        item = queue.selected_item()
        queue.reload()
        await settle(pilot)
        assert queue.selected_item() == item and len(queue.queue.items) == total


async def test_u_withdraws_my_approval_and_the_post_waits_again(make_app):
    app = make_app("maya")  # a manager: the queue goes on showing posts she approved
    async with app.run_test(size=(120, 40)) as pilot:
        open_store(app.session.db)
        jules = store.actor_for("jules")
        brand = store.find_brand(jules, "acme-coffee").id
        post = store.create_post(
            jules,
            brand,
            "Two to sign",
            NOW,
            caption="Hi",
            tier="high_stakes",
            channel_ids=[store.find_channel(jules, brand, "x").id],
        )
        store.move(jules, post.id, "in_review", NOW)
        store.approve(store.actor_for("maya"), post.id, NOW)
        store.close_database()
        queue = await open_queue(pilot)
        queue.queue.cursor = [i.post.id for i in queue.queue.items].index(post.id)
        await wait_for(pilot, lambda: queue.context.detail.summary.id == post.id)
        await pilot.press("u")
        await answer(pilot, "Wrong photo")
        await settle(pilot)
        assert any("Withdrew your approval" in m for _, m in app.notices), app.notices
        actor = open_store(app.session.db)
        detail = store.post_detail(actor, post.id)
        assert detail.approval.approvals == ()
        assert (detail.reviews[-1].decision, detail.reviews[-1].note) == (
            store.Decision.WITHDRAWN,
            "Wrong photo",
        )
