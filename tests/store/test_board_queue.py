"""The board's columns and moves, the approval queue's order, and what the header tells each person."""

from datetime import timedelta

import pytest

import store
from store import (
    InvalidTransition,
    NeedsMe,
    PermissionDenied,
    Stage,
    board_counts,
    board_page,
    latest_event_id,
    move_card,
    needs_me,
    neighbour,
    news_since,
    queue_items,
    review_context,
    review_queue,
)


def test_columns_count_their_cards_and_hide_old_published_posts(team):
    team.draft("Idea", stage="idea")
    team.in_review("Waiting")
    then = team.now - timedelta(days=40)
    old = team.in_review("Went out long ago", at=then, publish_at=team.now - timedelta(days=30))
    store.approve(team.actor("rev"), old.id, then)
    store.move(team.actor("ed"), old.id, "scheduled", then)
    team.published(old.id, team.now - timedelta(days=30))
    root = team.actor("root")
    counts = board_counts(root, team.now)
    assert (counts[Stage.IDEA], counts[Stage.IN_REVIEW], counts[Stage.PUBLISHED]) == (1, 1, 0)
    assert board_counts(root, team.now, all_published=True)[Stage.PUBLISHED] == 1
    assert list(counts) == list(store.STAGE_ORDER)


def test_only_mine_and_the_filter_narrow_the_board(team):
    team.draft("Ed's")
    team.draft("Ed2's", by="ed2", channel_ids=[team.bluesky])
    ed = team.actor("ed")
    assert board_counts(ed, team.now)[Stage.DRAFT] == 2
    assert board_counts(ed, team.now, only_mine=True)[Stage.DRAFT] == 1
    where = store.CalendarFilter(channel_ids=(team.bluesky,))
    (card,) = board_page(ed, Stage.DRAFT, team.now, where=where)
    assert card.post.title == "Ed2's"


def test_a_column_pages_by_keyset_without_gaps_or_repeats(team):
    for n in range(7):
        team.draft(f"Post {n}", publish_at=team.now + timedelta(days=7 - n % 3, hours=n))
    team.draft("Undated", publish_at=None)
    root = team.actor("root")
    seen, after = [], None
    while True:
        page = board_page(root, Stage.DRAFT, team.now, after=after, limit=3)
        if not page:
            break
        seen.extend(c.post.title for c in page)
        after = page[-1].sort_key
    everything = board_page(root, Stage.DRAFT, team.now, limit=100)
    assert seen == [c.post.title for c in everything]
    assert len(seen) == 8 and seen[-1] == "Undated"
    times = [c.post.publish_at for c in everything[:-1]]
    assert times == sorted(times)


def test_review_cards_flag_overdue_and_show_approvals(team):
    late = team.in_review(
        "Late",
        at=team.now - timedelta(hours=3),
        review_due=team.now - timedelta(hours=1),
        tier="high_stakes",
    )
    store.approve(team.actor("rev"), late.id, team.now)
    team.in_review("On time", review_due=team.now + timedelta(hours=5))
    cards = board_page(team.actor("root"), Stage.IN_REVIEW, team.now)
    assert [(c.post.title, c.overdue, c.approvals, c.required) for c in cards] == [
        ("Late", True, 1, 2),
        ("On time", False, 0, 1),
    ]


def test_l_and_h_follow_the_happy_path_through_the_transition_table(team):
    assert neighbour(Stage.IDEA, 1) is Stage.DRAFT
    assert neighbour(Stage.IN_REVIEW, 1) is Stage.APPROVED
    assert neighbour(Stage.APPROVED, -1) is Stage.CHANGES_REQUESTED
    with pytest.raises(InvalidTransition, match="published cannot move forward"):
        neighbour(Stage.PUBLISHED, 1)
    with pytest.raises(InvalidTransition, match="idea cannot move back"):
        neighbour(Stage.IDEA, -1)
    post = team.draft()
    assert move_card(team.actor("ed"), post.id, 1, team.now).stage is Stage.IN_REVIEW


def test_a_refused_move_says_what_is_missing(team):
    post = team.in_review(tier="high_stakes")
    store.approve(team.actor("rev"), post.id, team.now)
    with pytest.raises(InvalidTransition, match="needs 1 more approval"):
        move_card(team.actor("ed"), post.id, 1, team.now)
    with pytest.raises(PermissionDenied, match="reviewers may not"):
        move_card(team.actor("rev"), team.draft("Other").id, 1, team.now)
    assert team.detail(post.id).summary.stage is Stage.IN_REVIEW


def test_the_queue_puts_my_decisions_first_then_overdue_then_due(team):
    soon = team.in_review("Soon", review_due=team.now + timedelta(hours=2))
    late = team.in_review(
        "Late", at=team.now - timedelta(hours=3), review_due=team.now - timedelta(hours=2)
    )
    later = team.in_review("Later", review_due=team.now + timedelta(days=2))
    own = store.create_post(
        team.actor("mgr"), team.brand, "Manager's own", team.now, channel_ids=[team.x]
    )
    store.move(team.actor("mgr"), own.id, "in_review", team.now)
    mgr = team.actor("mgr")
    entries = review_queue(mgr, team.now)
    assert [e.post_id for e in entries] == [late.id, soon.id, later.id, own.id]
    assert [e.mine for e in entries] == [True, True, True, False]
    assert entries[0].overdue and not entries[1].overdue
    # A reviewer sees only what waits for them; what they approved leaves their queue.
    store.approve(team.actor("rev"), soon.id, team.now)
    rev_ids = [e.post_id for e in review_queue(team.actor("rev"), team.now)]
    assert rev_ids == [late.id, later.id, own.id]
    # Editors decide nothing.
    assert review_queue(team.actor("ed"), team.now) == []


def test_queue_rows_say_where_approvals_stand(team):
    post = team.in_review(tier="high_stakes")
    store.approve(team.actor("rev"), post.id, team.now)
    (item,) = queue_items(team.actor("mgr"), review_queue(team.actor("mgr"), team.now))
    assert (item.approvers, item.required, item.mine) == (("rev",), 2, True)
    assert item.missing == "needs 1 more approval (one from a manager or admin)"


def test_a_client_sees_only_its_brands_posts_waiting_for_it(team):
    acme = team.in_review("Acme post")
    birch_channel = store.list_channels(team.actor("root"), team.other_brand)[0].id
    birch = store.create_post(
        team.actor("ed"), team.other_brand, "Birch post", team.now, channel_ids=[birch_channel]
    )
    store.move(team.actor("ed"), birch.id, "in_review", team.now)
    client = team.actor("cli")
    assert [e.post_id for e in review_queue(client, team.now)] == [acme.id]
    store.approve(client, acme.id, team.now)
    assert review_queue(client, team.now) == []


def test_the_diff_baseline_is_my_last_review_else_the_last_approval(team):
    post = team.in_review(caption="First words")
    store.request_changes(team.actor("rev"), post.id, "Warmer, please", team.now)
    store.edit_post(team.actor("ed"), post.id, team.now, caption="Second words")
    store.move(team.actor("ed"), post.id, "in_review", team.now)
    assert review_context(team.actor("rev"), post.id).baseline == 1
    context = review_context(team.actor("mgr"), post.id)
    assert (context.baseline, context.baseline_reason) == (1, "since the previous revision (r1)")
    first = team.in_review("Fresh")
    assert review_context(team.actor("rev"), first.id).baseline is None


def test_the_header_counts_and_news_of_my_posts(team):
    start = latest_event_id()
    post = team.in_review()
    sent_back = team.in_review("Sent back")
    assert needs_me(team.actor("rev"), team.now) == NeedsMe(2, 0)
    store.approve(team.actor("rev"), post.id, team.now)
    store.request_changes(team.actor("rev2"), sent_back.id, "Fix the link", team.now)
    assert needs_me(team.actor("ed"), team.now) == NeedsMe(0, 1)
    news = news_since(team.actor("ed"), start)
    assert [(n.title, n.to_stage, n.by, n.note) for n in news] == [
        ("Winter blend", Stage.APPROVED, "rev", ""),
        ("Sent back", Stage.CHANGES_REQUESTED, "rev2", "Fix the link"),
    ]
    assert news_since(team.actor("ed"), news[-1].event_id) == []
    assert news_since(team.actor("rev"), start) == []


def test_statuses_for_a_page_agree_with_one_post_at_a_time(team):
    from store.db.models import Post
    from store.policy import approval_status, approval_statuses

    high = team.in_review("High", tier="high_stakes")
    store.approve(team.actor("rev"), high.id, team.now)
    store.approve(team.actor("mgr"), high.id, team.now)  # approved now
    lapsed = team.in_review("Lapsed")
    store.approve(team.actor("rev"), lapsed.id, team.now)
    store.edit_post(team.actor("ed"), lapsed.id, team.now, caption="Changed")  # back to 0
    plain = team.in_review("Plain", tier="high_stakes")
    store.approve(team.actor("rev2"), plain.id, team.now)
    posts = list(Post.select().order_by(Post.id))
    batch = approval_statuses(posts)
    assert batch == {p.id: approval_status(p) for p in posts}
    assert batch[high.id].satisfied and batch[lapsed.id].approvals == ()
    assert batch[plain.id].missing() == "needs 1 more approval (one from a manager or admin)"


def test_a_withdrawn_approval_no_longer_counts_and_the_post_waits_again(team):
    post = team.in_review(tier="high_stakes")
    store.approve(team.actor("rev"), post.id, team.now)
    store.approve(team.actor("mgr"), post.id, team.now)
    assert team.detail(post.id).summary.stage is Stage.APPROVED
    store.unapprove(team.actor("mgr"), post.id, team.now, note="Wrong photo")
    detail = team.detail(post.id)
    assert detail.summary.stage is Stage.IN_REVIEW
    assert detail.approval.approvals == ("rev",)
    assert detail.reviews[-1].decision is store.Decision.WITHDRAWN
    assert detail.reviews[-1].note == "Wrong photo"
    assert [e.post_id for e in review_queue(team.actor("mgr"), team.now) if e.mine] == [post.id]
    assert [e.action for e in store.trail(team.actor("root"), "post", post.id)][-2:] == [
        "post.unapprove",
        "post.stage",
    ]
    store.approve(team.actor("mgr"), post.id, team.now)  # and may approve again
    assert team.detail(post.id).summary.stage is Stage.APPROVED


def test_an_approval_cannot_be_withdrawn_by_another_or_once_published(team):
    post = team.in_review()
    with pytest.raises(InvalidTransition, match="you have not approved revision 1"):
        store.unapprove(team.actor("rev"), post.id, team.now)
    store.approve(team.actor("rev"), post.id, team.now)
    with pytest.raises(InvalidTransition, match="you have not approved"):
        store.unapprove(team.actor("rev2"), post.id, team.now)
    store.move(team.actor("ed"), post.id, "scheduled", team.now)
    team.published(post.id, team.now)
    with pytest.raises(InvalidTransition, match="only before it is published"):
        store.unapprove(team.actor("rev"), post.id, team.now)


def test_resubmitting_starts_a_new_review_round_with_a_new_due_date(team):
    then = team.now - timedelta(days=8)
    post = team.in_review(at=then)
    assert team.detail(post.id).summary.review_due == then + store.DEFAULT_REVIEW_WINDOW
    store.request_changes(team.actor("rev"), post.id, "Shorter", team.now)
    store.edit_post(team.actor("ed"), post.id, team.now, caption="Short")
    store.move(team.actor("ed"), post.id, "in_review", team.now)
    (card,) = board_page(team.actor("root"), Stage.IN_REVIEW, team.now)
    assert card.post.review_due == team.now + store.DEFAULT_REVIEW_WINDOW
    assert not card.overdue
