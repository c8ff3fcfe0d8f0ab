"""Post detail: history, reviews, comments and a diff between revisions; decisions from here."""

from datetime import datetime
from zoneinfo import ZoneInfo

import store
from tui.screens.post_detail import PostDetailScreen
from tui.screens.prompt import TextPrompt

from .conftest import open_store, settle


def part(screen, name):
    return str(screen.query_one(f"#detail-{name}").render())


async def open_detail(app, pilot, post_id):
    await settle(pilot)
    app.open_post(post_id)
    await settle(pilot)
    assert isinstance(app.screen, PostDetailScreen)
    return app.screen


def sent_back_post(actor):
    for post in store.list_posts(actor, stages=[store.Stage.PUBLISHED, store.Stage.SCHEDULED]):
        detail = store.post_detail(actor, post.id)
        if len(detail.revisions) > 1:
            return detail
    raise AssertionError("the demo has no revised post")


async def test_detail_shows_history_reviews_and_a_diff(make_app):
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        detail = sent_back_post(open_store(app.session.db))
        screen = await open_detail(app, pilot, detail.summary.id)
        assert part(screen, "head").startswith(f"#{detail.summary.id} {detail.summary.title}")
        assert "draft → in review" in part(screen, "history")
        assert " changes requested: " in part(screen, "thread")
        assert "Revisions: r1 → r2" in part(screen, "diff")
        assert "caption:" in part(screen, "diff")
        assert "post.create" in part(screen, "trail")


async def test_brackets_choose_the_revisions_to_compare(make_app):
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        actor = open_store(app.session.db)
        post = store.list_posts(actor, stages=[store.Stage.DRAFT])[0]
        now = datetime(2026, 11, 23, 10, tzinfo=ZoneInfo("UTC"))
        store.edit_post(actor, post.id, now, caption="second words")
        store.edit_post(actor, post.id, now, caption="third words")
        screen = await open_detail(app, pilot, post.id)
        assert "r2 → r3" in part(screen, "diff")
        await pilot.press("left_square_bracket")
        assert "r1 → r3" in part(screen, "diff")
        await pilot.press("right_square_bracket")
        assert "r1 → r2" in part(screen, "diff")


async def test_m_adds_a_comment(make_app):
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        actor = open_store(app.session.db)
        post = store.list_posts(actor, stages=[store.Stage.DRAFT])[0]
        screen = await open_detail(app, pilot, post.id)
        await pilot.press("m")
        await settle(pilot)
        assert isinstance(app.screen, TextPrompt)
        await pilot.press(*"Love the hook")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "ines: Love the hook" in part(screen, "thread")
        assert store.post_detail(actor, post.id).comments[-1].body == "Love the hook"


async def test_a_refused_decision_is_explained(make_app):
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        actor = open_store(app.session.db)
        draft = store.list_posts(actor, stages=[store.Stage.DRAFT])[0]
        await open_detail(app, pilot, draft.id)
        await pilot.press("a")
        await settle(pilot)
        messages = [m for _, m in app.notices]
        assert any("Only posts in review can be approved" in m for m in messages), messages


async def test_a_reviewer_approves_from_the_detail(make_app):
    app = make_app("rafa")
    async with app.run_test(size=(120, 40)) as pilot:
        actor = open_store(app.session.db)
        waiting = next(
            p
            for p in store.list_posts(actor, stages=[store.Stage.IN_REVIEW])
            if p.tier is store.Tier.ROUTINE and p.owner_login != "rafa"
        )
        screen = await open_detail(app, pilot, waiting.id)
        await pilot.press("a")
        await settle(pilot)
        assert store.post_detail(actor, waiting.id).summary.stage is store.Stage.APPROVED
        assert "✓ approved" in part(screen, "head")


async def test_a_new_revision_resets_the_diff_to_it(make_app):
    """The header said "revision 2" while the diff said "r1 → r1": a reload follows the newest."""
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        actor = open_store(app.session.db)
        post = next(
            p for p in store.list_posts(actor, stages=[store.Stage.DRAFT]) if p.revision == 1
        )
        screen = await open_detail(app, pilot, post.id)
        assert "Only one revision so far." in part(screen, "diff")
        now = datetime(2026, 11, 23, 10, tzinfo=ZoneInfo("UTC"))
        store.edit_post(actor, post.id, now, caption="brand new words")
        screen.reload()
        await settle(pilot)
        assert "revision 2" in part(screen, "head")
        assert "Revisions: r1 → r2" in part(screen, "diff")
        await pilot.press("left_square_bracket")
        assert "r2 → r2" in part(screen, "diff") and "against itself" in part(screen, "diff")


async def test_e_on_a_published_post_refuses_at_once(make_app):
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        actor = open_store(app.session.db)
        published = store.list_posts(actor, stages=[store.Stage.PUBLISHED])[0]
        screen = await open_detail(app, pilot, published.id)
        await pilot.press("e")
        await settle(pilot)
        assert app.screen is screen  # no editor to type into for nothing
        assert any("is published and can no longer be edited" in m for _, m in app.notices)


async def test_the_audit_trail_is_shown_only_to_who_may_read_it(make_app):
    app = make_app("jules")  # an editor
    async with app.run_test(size=(120, 40)) as pilot:
        actor = open_store(app.session.db)
        post = store.list_posts(actor, stages=[store.Stage.DRAFT])[0]
        screen = await open_detail(app, pilot, post.id)
        assert "Audit trail" not in part(screen, "trail")
        assert "post.create" not in part(screen, "trail")
