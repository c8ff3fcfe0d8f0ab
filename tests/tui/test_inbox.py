"""The inbox (key 4): the queue in the store's order, the pane, the keys that work it, replies
with their live check, saved replies, presence and the traffic cop; clients do not get it."""

from __future__ import annotations

from datetime import timedelta

import store
from store import InboxStatus
from tui.screens.choice import ChoicePicker, LinePrompt
from tui.screens.inbox import InboxScreen
from tui.screens.post_detail import PostDetailScreen
from tui.screens.prompt import TextPrompt

from .conftest import NOW, open_store, settle, wait_for


async def open_inbox(pilot) -> InboxScreen:
    await settle(pilot)
    await pilot.press("4")
    await settle(pilot)
    inbox = pilot.app.screen
    assert isinstance(inbox, InboxScreen)
    await wait_for(pilot, lambda: inbox.detail is not None or not inbox.list.items)
    return inbox


def pane(inbox: InboxScreen) -> str:
    return "\n".join(
        str(inbox.query_one(f"#inbox-{p}").render()) for p in ("head", "thread", "notes", "earlier")
    )


def title(inbox: InboxScreen) -> str:
    return str(inbox.query_one("#inbox-title").render())


def head(actor, message_id: int):
    return store.inbox.message_detail(actor, message_id, NOW)


async def until_detail(pilot, inbox: InboxScreen) -> None:
    await wait_for(
        pilot, lambda: inbox.detail is not None and inbox.detail.row.id == inbox.current().id
    )


async def test_4_lists_new_messages_in_the_stores_order_with_counts(make_app):
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        inbox = await open_inbox(pilot)
        actor = open_store(app.session.db)
        page = store.inbox.inbox_page(actor, NOW, store.inbox.InboxFilter(), limit=50)
        assert [r.id for r in inbox.list.items] == [r.id for r in page.rows]
        assert len(inbox.list.items) == 50 and inbox.after is not None  # one page, not all
        counts = store.inbox.inbox_counts(actor)
        assert f"{counts.new} new · {counts.pending} pending · {counts.closed} closed" in title(
            inbox
        )
        assert "showing: new · everyone's · every kind" in title(inbox)
        overdue = [r.overdue for r in inbox.list.items]
        assert overdue == sorted(overdue, reverse=True) and overdue[0]
        first = inbox.list.items[0]
        assert first.author_handle in pane(inbox) and "⚠ first answer was due" in pane(inbox)
        # The header says how many new messages are mine.
        assert f"· {counts.new_for_me} new for you" in app.sub_title and counts.new_for_me


async def test_the_list_pages_in_by_keyset_as_the_cursor_goes_down(make_app):
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        inbox = await open_inbox(pilot)
        await pilot.press("end")
        await wait_for(pilot, lambda: len(inbox.list.items) > 50)
        ids = [r.id for r in inbox.list.items]
        assert len(ids) == len(set(ids))  # no row twice across pages
        actor = open_store(app.session.db)
        page = store.inbox.inbox_page(actor, NOW, store.inbox.InboxFilter(), limit=len(ids))
        assert ids == [r.id for r in page.rows]


async def test_j_moves_and_the_pane_follows_enter_opens_the_post(make_app):
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        inbox = await open_inbox(pilot)
        target = next(i for i, r in enumerate(inbox.list.items) if r.post_title)
        for _ in range(target):
            await pilot.press("j")
        await until_detail(pilot, inbox)
        row = inbox.current()
        assert inbox.detail.post_id is not None
        assert f"about post #{inbox.detail.post_id} “{row.post_title}”" in pane(inbox)
        assert "Thread" in pane(inbox) and row.first_line in pane(inbox)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, PostDetailScreen)
        assert app.screen.post_id == inbox.detail.post_id


async def test_x_closes_and_the_next_message_comes_up_u_reopens(make_app):
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        inbox = await open_inbox(pilot)
        first, second = inbox.list.items[0], inbox.list.items[1]
        await pilot.press("x")
        await wait_for(pilot, lambda: inbox.current() and inbox.current().id == second.id)
        actor = open_store(app.session.db)
        assert head(actor, first.id).row.status is InboxStatus.CLOSED
        assert first.id not in [r.id for r in inbox.list.items]
        assert "Closed 1 message" in app.notices[-1][1]
        # Closed ones show with `s` (new → pending → closed); `u` puts one back to new.
        await pilot.press("s", "s")
        await wait_for(pilot, lambda: "showing: closed" in title(inbox) and inbox.list.items)
        await settle(pilot)
        assert all(r.status is InboxStatus.CLOSED for r in inbox.list.items)
        reopened = inbox.current()
        await pilot.press("u")
        await wait_for(pilot, lambda: reopened.id not in [r.id for r in inbox.list.items])
        assert head(actor, reopened.id).row.status is InboxStatus.NEW


async def test_space_selects_and_a_bulk_close_takes_them_all(make_app):
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        inbox = await open_inbox(pilot)
        picked = [r.id for r in inbox.list.items[:3]]
        await pilot.press("space", "space", "space")
        await settle(pilot)
        assert inbox.selected == set(picked) and "3 selected" in title(inbox)
        assert "▪" in str(inbox.list.draw(inbox.list.items[0], 50))
        await pilot.press("x")
        await wait_for(pilot, lambda: not set(picked) & {r.id for r in inbox.list.items})
        actor = open_store(app.session.db)
        assert all(head(actor, i).row.status is InboxStatus.CLOSED for i in picked)
        assert "Closed 3 messages" in app.notices[-1][1] and not inbox.selected
        # `*` selects every row on screen, and again clears; escape clears too.
        await pilot.press("asterisk")
        assert inbox.selected == {r.id for r in inbox.list.items}
        await pilot.press("asterisk")
        assert not inbox.selected
        await pilot.press("asterisk", "escape")
        assert not inbox.selected


async def test_A_takes_a_assigns_to_a_teammate_or_nobody(make_app):
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        inbox = await open_inbox(pilot)
        row = inbox.current()
        await pilot.press("A")
        await wait_for(pilot, lambda: inbox.detail and inbox.detail.row.assignee == "ines")
        actor = open_store(app.session.db)
        assert head(actor, row.id).row.assignee == "ines"
        assert "ines" in pane(inbox)
        await pilot.press("a")
        await settle(pilot)
        picker = app.screen
        assert isinstance(picker, ChoicePicker)
        logins = [key for key, _ in picker.options]
        assert (
            logins[0] == "ines" and "priya" in logins and "rafa" not in logins
        )  # reviewers don't answer
        picker.dismiss("priya")
        await wait_for(pilot, lambda: head(actor, row.id).row.assignee == "priya")
        await settle(pilot)
        await pilot.press("a")
        await settle(pilot)
        app.screen.dismiss("-")
        await wait_for(pilot, lambda: head(actor, row.id).row.assignee is None)


async def test_w_shows_mine_and_t_cycles_kinds_c_channels(make_app):
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        inbox = await open_inbox(pilot)
        await pilot.press("w")
        await wait_for(pilot, lambda: "showing: new · mine" in title(inbox))
        await settle(pilot)
        assert inbox.list.items and all(r.assignee == "ines" for r in inbox.list.items)
        await pilot.press("w")
        await wait_for(pilot, lambda: "unassigned" in title(inbox))
        await settle(pilot)
        assert all(r.assignee is None for r in inbox.list.items)
        await pilot.press("w", "t", "t", "t")
        await wait_for(pilot, lambda: "DMs" in title(inbox))
        await settle(pilot)
        assert inbox.list.items and all(r.kind.value == "dm" for r in inbox.list.items)
        await pilot.press("t", "c")
        await settle(pilot)
        picker = app.screen
        assert isinstance(picker, ChoicePicker) and picker.options[0] == ("all", "every channel")
        picker.dismiss(picker.options[2][0])
        await wait_for(pilot, lambda: inbox.where.channel_id is not None)
        await settle(pilot)
        channel = next(c for c in inbox.channels if c.id == inbox.where.channel_id)
        assert channel.handle in title(inbox)
        assert all(r.channel == channel.handle for r in inbox.list.items)


async def test_slash_searches_bodies_and_authors(make_app):
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        inbox = await open_inbox(pilot)
        await pilot.press("slash")
        await settle(pilot)
        assert isinstance(app.screen, LinePrompt)
        await pilot.press(*"Canada", "enter")
        await wait_for(pilot, lambda: "“Canada”" in title(inbox) and inbox.list.items)
        await settle(pilot)
        assert all("canada" in r.first_line.casefold() for r in inbox.list.items)
        await pilot.press("slash")
        await settle(pilot)
        app.screen.query_one("Input").value = ""
        await pilot.press("enter")
        await wait_for(pilot, lambda: "“" not in title(inbox))


async def test_l_labels_and_L_filters_by_label_n_adds_a_note(make_app):
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        inbox = await open_inbox(pilot)
        row = inbox.current()
        await pilot.press("l")
        await settle(pilot)
        await pilot.press(*"vip", "enter")
        actor = open_store(app.session.db)
        await wait_for(pilot, lambda: "vip" in head(actor, row.id).row.labels)
        await pilot.press("L")
        await settle(pilot)
        await pilot.press(*"vip", "enter")
        await wait_for(pilot, lambda: "#vip" in title(inbox))
        await settle(pilot)
        assert [r.id for r in inbox.list.items] == [row.id]
        await pilot.press("n")
        await settle(pilot)
        assert isinstance(app.screen, TextPrompt)
        app.screen.query_one("TextArea").load_text("Regular customer, be nice")
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: "Regular customer, be nice" in pane(inbox))
        assert "never sent" in pane(inbox)
        assert [n.body for n in head(actor, row.id).notes] == ["Regular customer, be nice"]


async def test_r_replies_with_a_live_length_check_and_the_message_goes_pending(make_app):
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        inbox = await open_inbox(pilot)
        row = inbox.current()
        await pilot.press("r")
        await settle(pilot)
        box = inbox.query_one("#reply-box")
        assert box.display and app.focused.id == "reply-text"
        actor = open_store(app.session.db)
        # While the box is open, the others see that I am replying.
        assert store.inbox.replying(row.id, "maya", NOW) == ("ines",)
        await pilot.press(*"Thanks!")
        check = str(inbox.query_one("#reply-check").render())
        assert f"✓ {row.platform.value} {row.channel}  7/" in check
        limit = store.rules_for(row.platform).caption_limit
        inbox.query_one("#reply-text").load_text("x" * (limit + 1))
        await settle(pilot)
        assert "✗" in str(inbox.query_one("#reply-check").render())
        await pilot.press("ctrl+s")
        await settle(pilot)
        error = str(inbox.query_one("#reply-error").render())
        assert error.startswith("Not sent: reply:") and "over the limit" in error
        assert box.display  # the text stays for fixing
        inbox.query_one("#reply-text").load_text("Thanks, we ship to Canada!")
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: not box.display)
        detail = head(actor, row.id)
        assert detail.row.status is InboxStatus.PENDING
        assert [r.body for r in detail.replies] == ["Thanks, we ship to Canada!"]
        assert store.inbox.replying(row.id, "maya", NOW) == ()
        assert row.id not in [r.id for r in inbox.list.items]  # the new list shows new only


async def test_escape_cancels_a_reply_and_the_presence_goes(make_app):
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        inbox = await open_inbox(pilot)
        row = inbox.current()
        await pilot.press("r")
        await settle(pilot)
        open_store(app.session.db)
        assert store.inbox.replying(row.id, "maya", NOW) == ("ines",)
        await pilot.press("escape")
        await settle(pilot)
        assert not inbox.query_one("#reply-box").display
        assert store.inbox.replying(row.id, "maya", NOW) == ()
        assert head(store.actor_for("ines"), row.id).replies == ()


async def test_ctrl_t_inserts_a_saved_reply_with_the_name_filled(make_app):
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        inbox = await open_inbox(pilot)
        actor = open_store(app.session.db)
        store.inbox.add_saved_reply(actor, "hello", "Hi {name}, thanks for writing!", NOW)
        row = inbox.current()
        await pilot.press("r")
        await settle(pilot)
        await pilot.press("ctrl+t")
        await settle(pilot)
        picker = app.screen
        assert isinstance(picker, ChoicePicker)
        key = next(k for k, label in picker.options if label.startswith("hello — "))
        picker.dismiss(key)
        await settle(pilot)
        text = inbox.query_one("#reply-text").text
        name = inbox.detail.author_name or row.author_handle
        assert text == f"Hi {name}, thanks for writing!"


async def test_someone_elses_reply_after_i_opened_the_thread_refuses_mine(make_app):
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        inbox = await open_inbox(pilot)
        row = inbox.current()
        await pilot.press("r")
        await settle(pilot)
        await pilot.press(*"Here is our answer")
        open_store(app.session.db)
        priya = store.actor_for("priya")
        store.inbox.queue_reply(priya, row.id, "Priya got there first", NOW)
        # The live refresh: the message, now pending, leaves the list; the pane keeps it.
        inbox.reload()
        await wait_for(pilot, lambda: row.id not in [r.id for r in inbox.list.items])
        assert inbox.detail.row.id == row.id and inbox.replying_to.row.id == row.id
        await wait_for(pilot, lambda: "Priya got there first" in pane(inbox))
        warned = str(inbox.query_one("#reply-error").render())
        assert warned == "priya replied while you were writing: “Priya got there first”"
        # Seen in the pane is not enough: the first send is refused, and says why.
        await pilot.press("ctrl+s")
        await settle(pilot)
        error = str(inbox.query_one("#reply-error").render())
        assert "priya replied while you were writing" in error and "Priya got there first" in error
        assert inbox.query_one("#reply-text").text == "Here is our answer"  # not lost
        await wait_for(pilot, lambda: "Priya got there first" in pane(inbox))
        # Having read theirs, a second ctrl+s sends mine.
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: not inbox.query_one("#reply-box").display)
        bodies = [r.body for r in head(priya, row.id).replies]
        assert bodies == ["Priya got there first", "Here is our answer"]


async def test_a_teammate_replying_shows_in_the_pane(make_app):
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        inbox = await open_inbox(pilot)
        row = inbox.current()
        open_store(app.session.db)
        store.inbox.start_replying(store.actor_for("priya"), row.id, NOW)
        inbox.reload()
        await wait_for(pilot, lambda: "✎ priya is replying" in pane(inbox))
        store.inbox.stop_replying(store.actor_for("priya"), row.id)
        inbox.load_detail(row.id)
        await wait_for(pilot, lambda: "is replying" not in pane(inbox))


async def test_a_failed_reply_shows_its_reason_and_R_retries_it(make_app):
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        inbox = await open_inbox(pilot)
        actor = open_store(app.session.db)
        await pilot.press("s")  # pending: answered ones
        await wait_for(pilot, lambda: "showing: pending" in title(inbox) and inbox.list.items)
        row = inbox.current()
        reply_id = store.inbox.queue_reply(actor, row.id, "Sorry about that", NOW)
        _fail(reply_id, "the server said 422: text too long")
        inbox.load_detail(row.id)
        await wait_for(pilot, lambda: "failed (R retries)" in pane(inbox))
        assert "the server said 422: text too long" in pane(inbox)
        await pilot.press("R")
        await wait_for(pilot, lambda: "queued: the scheduler sends it" in pane(inbox))
        state = next(r.state for r in head(actor, row.id).replies if r.id == reply_id)
        assert state is store.DeliveryState.PENDING


def _fail(reply_id: int, reason: str) -> None:
    """What a scheduler pass leaves after a refused send (the path itself is tested in
    tests/publishing against a real server)."""
    from store.db import database

    database.execute_sql(
        "UPDATE reply SET state = 'failed', last_error = ? WHERE id = ?", (reason, reply_id)
    )


async def test_r_pressed_before_the_thread_arrives_opens_when_it_does(make_app):
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        inbox = await open_inbox(pilot)
        await pilot.press("j", "r")
        await wait_for(pilot, lambda: inbox.query_one("#reply-box").display)
        assert inbox.replying_to.row.id == inbox.current().id == inbox.list.items[1].id


async def test_a_client_has_no_inbox_and_a_reviewer_reads_but_cannot_answer(make_app):
    app = make_app("acme-client")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert "inbox" not in app.MODES
        await pilot.press("4")
        await settle(pilot)
        assert not isinstance(app.screen, InboxScreen)
    app = make_app("rafa")
    async with app.run_test(size=(120, 40)) as pilot:
        inbox = await open_inbox(pilot)
        row = inbox.current()
        await pilot.press("r")
        await settle(pilot)
        inbox.query_one("#reply-text").load_text("I would like to answer")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "Not sent:" in str(inbox.query_one("#reply-error").render())
        actor = open_store(app.session.db)
        assert head(actor, row.id).replies == ()


async def test_hostile_text_shows_as_text(make_app):
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        actor = open_store(app.session.db)
        channel = store.list_channels(actor)[0]
        store.inbox.ingest(
            "ines",
            channel.id,
            [
                store.inbox.Incoming(
                    remote_id="evil-1",
                    kind=store.InboxKind.MENTION,
                    author_handle="@[bold]mallory[/bold]",
                    body="[red]free coins[/red] \x1b[2J\x07 now",
                    received_at=NOW - timedelta(minutes=5),
                )
            ],
            NOW,
        )
        store.close_database()
        inbox = await open_inbox(pilot)
        await pilot.press("t", "t")  # mentions
        await wait_for(pilot, lambda: "mentions" in title(inbox) and inbox.list.items)
        await settle(pilot)
        index = next(
            i for i, r in enumerate(inbox.list.items) if r.author_handle.startswith("@[bold]")
        )
        for _ in range(index):
            await pilot.press("j")
        await until_detail(pilot, inbox)
        shown = pane(inbox)
        assert "@[bold]mallory[/bold]" in shown and "[red]free coins[/red]" in shown
        assert "\x1b" not in shown and "\x07" not in shown


async def test_a_reply_to_post_by_hand_is_recorded_with_D(make_app):
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        inbox = await open_inbox(pilot)
        actor = open_store(app.session.db)
        await pilot.press("s")  # pending: where an answered message stays
        await wait_for(pilot, lambda: "showing: pending" in title(inbox) and inbox.list.items)
        row = inbox.current()
        reply_id = store.inbox.queue_reply(actor, row.id, "Thanks!", NOW)
        reply = next(r for r in head(actor, row.id).replies if r.id == reply_id)
        assert reply.state is store.DeliveryState.MANUAL  # the demo's channels are not connected
        inbox.load_detail(row.id)
        await wait_for(pilot, lambda: "post it by hand, then D records its link" in pane(inbox))
        await pilot.press("D")
        await settle(pilot)
        assert isinstance(app.screen, LinePrompt)
        await pilot.press(*"https://social.example/@acme/1", "enter")
        await wait_for(pilot, lambda: "sent https://social.example/@acme/1" in pane(inbox))
        reply = next(r for r in head(actor, row.id).replies if r.id == reply_id)
        assert reply.state is store.DeliveryState.SENT


async def test_list_keys_are_not_offered_while_writing_a_reply(make_app):
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        inbox = await open_inbox(pilot)
        await pilot.press("r")
        await settle(pilot)
        bar = str(inbox.query_one("KeyBar").render())
        assert "Send" in bar and "Saved reply" in bar and "Search" not in bar and "Open" not in bar
        await pilot.press("escape")
        await settle(pilot)
        assert "Search" in str(inbox.query_one("KeyBar").render())


async def test_help_lists_the_inbox_keys_and_marks(make_app):
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await open_inbox(pilot)
        await pilot.press("question_mark")
        await settle(pilot)
        text = str(app.screen.query_one("#help-text").render()).replace("\u00a0", " ")
        for words in ("Reply", "Take", "Select all", "Retry reply", "By label", "4 ", "Inbox"):
            assert words in text, words
        assert "Marks" in text and "● new" in text and "⚠ first answer overdue" in text


ASSIGN = """
import sys
from datetime import datetime, UTC
import store
store.open_database(sys.argv[1])
manager = store.actor_for("maya")
store.inbox.assign(manager, [int(sys.argv[2])], "priya", datetime.now(UTC))
"""


async def test_a_message_given_to_me_in_another_process_shows_within_2_s(make_app, team_db):
    import subprocess
    import sys
    import time

    app = make_app("priya", watch=True)
    async with app.run_test(size=(120, 40)) as pilot:
        inbox = await open_inbox(pilot)
        await wait_for(pilot, lambda: "new for you" in app.sub_title)
        before = int(app.sub_title.split(" new for you")[0].rsplit("· ", 1)[1])
        target = next(r for r in inbox.list.items if r.assignee is None)
        subprocess.run([sys.executable, "-c", ASSIGN, team_db, str(target.id)], check=True)
        written, seen = time.monotonic(), None
        while time.monotonic() - written < 2.0:
            await pilot.pause(0.05)
            if f"· {before + 1} new for you" in app.sub_title:
                seen = time.monotonic() - written
                break
        assert seen is not None, f"the header did not count it within 2 s: {app.sub_title}"
        await wait_for(
            pilot,
            lambda: next(r for r in inbox.list.items if r.id == target.id).assignee == "priya",
        )


async def test_k_goes_back_up_and_tab_moves_between_list_and_thread(make_app):
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        inbox = await open_inbox(pilot)
        first = inbox.current().id
        await pilot.press("j", "j", "k")
        await until_detail(pilot, inbox)
        assert inbox.current().id == inbox.list.items[1].id != first
        assert inbox.detail.row.id == inbox.list.items[1].id
        await pilot.press("tab")
        assert app.focused.id == "inbox-pane"
        await pilot.press("tab")
        assert app.focused.id == "inbox-list"


async def test_b_shows_one_brand_and_the_heading_says_which(make_app):
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        inbox = await open_inbox(pilot)
        acme = next(b for b in app.brands if b.slug == "acme-coffee")
        app.brand_id = acme.id
        await wait_for(pilot, lambda: "showing: Acme Coffee · new" in title(inbox))
        await settle(pilot)
        assert inbox.list.items and all(r.brand_id == acme.id for r in inbox.list.items)
