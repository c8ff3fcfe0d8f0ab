"""The workflow: the transition table, tiered approval, and what an edit does to an approval."""

from datetime import timedelta

import pytest

import store
from store.db.models import AuditEvent, StageEvent
from store.workflow import STAGE_ORDER, TRANSITIONS, targets, transition_action

S = store.Stage


def test_the_routine_path_from_idea_to_scheduled(team):
    ed, rev = team.actor("ed"), team.actor("rev")
    post = team.draft(stage=S.IDEA)
    pid = post.id
    assert post.stage is S.IDEA
    assert store.move(ed, pid, S.DRAFT, team.now).stage is S.DRAFT
    assert store.move(ed, pid, S.IN_REVIEW, team.now).stage is S.IN_REVIEW
    assert store.approve(rev, pid, team.now).stage is S.APPROVED
    scheduled = team.detail(store.move(ed, pid, S.SCHEDULED, team.now).id)
    assert scheduled.summary.stage is S.SCHEDULED
    moves = [(e.from_stage, e.to_stage) for e in scheduled.stage_history]
    assert moves == [
        (None, S.IDEA),
        (S.IDEA, S.DRAFT),
        (S.DRAFT, S.IN_REVIEW),
        (S.IN_REVIEW, S.APPROVED),
        (S.APPROVED, S.SCHEDULED),
    ]
    assert [e.actor_login for e in scheduled.stage_history] == ["ed", "ed", "ed", "rev", "ed"]


@pytest.mark.parametrize("frm", STAGE_ORDER)
@pytest.mark.parametrize("to", STAGE_ORDER)
def test_moves_outside_the_table_are_refused(frm, to):
    if (frm, to) in TRANSITIONS:
        assert to in targets(frm)
    else:
        words = (
            "through its deliveries"
            if to in (S.PUBLISHED, S.FAILED)
            else f"from {frm.label} to {to.label}"
        )
        with pytest.raises(store.InvalidTransition, match=words):
            transition_action(frm, to)


def test_a_refused_move_says_where_the_post_can_go(team):
    post = team.draft()
    with pytest.raises(store.InvalidTransition, match="it can go to: idea, in review"):
        store.move(team.actor("ed"), post.id, S.APPROVED, team.now)


def test_no_one_moves_a_post_to_published_or_failed_by_hand(team):
    pid = team.in_review().id
    store.approve(team.actor("rev"), pid, team.now)
    store.move(team.actor("ed"), pid, S.SCHEDULED, team.now)
    for to in (S.PUBLISHED, S.FAILED):
        with pytest.raises(store.InvalidTransition, match="through its deliveries, not by hand"):
            store.move(team.actor("root"), pid, to, team.now)
    assert team.detail(pid).summary.stage is S.SCHEDULED


def test_every_move_writes_a_stage_event_and_an_audit_event(team):
    post = team.in_review()
    pid = post.id
    store.approve(team.actor("rev"), pid, team.now)
    events = list(StageEvent.select().where(StageEvent.post == pid).order_by(StageEvent.id))
    assert [(e.from_stage, e.to_stage) for e in events] == [
        (None, "draft"),
        ("draft", "in_review"),
        ("in_review", "approved"),
    ]
    audit = [
        (a.actor, a.action)
        for a in AuditEvent.select().where(AuditEvent.entity_id == pid, AuditEvent.entity == "post")
    ]
    assert audit == [
        ("ed", "post.create"),
        ("ed", "post.stage"),
        ("rev", "post.approve"),
        ("rev", "post.stage"),
    ]


def test_submitting_refuses_captions_a_platform_would_reject(team):
    post = team.draft(caption="word " * 80)  # 400 characters: fine on Instagram, not on X
    with pytest.raises(store.ValidationError, match=r"x: 400 of 280 characters") as refused:
        store.move(team.actor("ed"), post.id, S.IN_REVIEW, team.now)
    assert refused.value.field == "caption"
    assert store.post_detail(team.actor("ed"), post.id).summary.stage is S.DRAFT


def test_submitting_needs_a_channel(team):
    post = team.draft(channel_ids=[])
    with pytest.raises(store.ValidationError, match="at least one channel"):
        store.move(team.actor("ed"), post.id, S.IN_REVIEW, team.now)


def test_submitting_sets_a_review_due_date_when_none_was_given(team):
    post = team.in_review()
    assert post.review_due == team.now + timedelta(hours=48)


def test_a_high_stakes_post_needs_two_people_one_senior(team):
    post = team.in_review(tier="high_stakes")
    pid = post.id
    after_one = team.detail(store.approve(team.actor("rev"), pid, team.now).id)
    assert after_one.summary.stage is S.IN_REVIEW
    assert after_one.approval.approvals == ("rev",)
    after_two = team.detail(store.approve(team.actor("mgr"), pid, team.now).id)
    assert after_two.summary.stage is S.APPROVED
    assert after_two.approval.approvals == ("rev", "mgr")


def test_two_reviewers_are_not_enough_for_high_stakes(team):
    post = team.in_review(tier="high_stakes")
    pid = post.id
    store.approve(team.actor("rev"), pid, team.now)
    detail = team.detail(store.approve(team.actor("rev2"), pid, team.now).id)
    assert detail.summary.stage is S.IN_REVIEW
    assert detail.approval.missing() == "needs 1 more approval from a manager or admin"
    with pytest.raises(store.InvalidTransition, match="needs 1 more approval from a manager"):
        store.move(team.actor("mgr"), pid, S.APPROVED, team.now)


def test_nobody_approves_their_own_post(team):
    post = team.in_review()  # owned and written by ed
    store.set_role(team.actor("root"), "ed", "manager", team.now)
    with pytest.raises(store.PermissionDenied, match="their own post"):
        store.approve(team.actor("ed"), post.id, team.now)


def test_nobody_approves_a_revision_they_wrote(team):
    post = team.draft()
    pid = post.id
    store.edit_post(team.actor("mgr"), pid, team.now, caption="A manager's rewrite")
    store.move(team.actor("ed"), pid, S.IN_REVIEW, team.now)
    with pytest.raises(store.PermissionDenied, match="you wrote revision 2"):
        store.approve(team.actor("mgr"), pid, team.now)


def test_an_editor_may_not_approve(team):
    post = team.in_review()
    with pytest.raises(store.PermissionDenied, match="editors may not approve"):
        store.approve(team.actor("ed2"), post.id, team.now)


def test_one_person_approves_a_revision_once(team):
    post = team.in_review(tier="high_stakes")
    store.approve(team.actor("rev"), post.id, team.now)
    with pytest.raises(store.InvalidTransition, match="already approved revision 1"):
        store.approve(team.actor("rev"), post.id, team.now)


def test_only_posts_in_review_can_be_approved(team):
    post = team.draft()
    with pytest.raises(store.InvalidTransition, match="only posts in review"):
        store.approve(team.actor("rev"), post.id, team.now)


def test_requesting_changes_needs_a_note(team):
    post = team.in_review()
    with pytest.raises(store.ValidationError, match="say what needs to change") as refused:
        store.request_changes(team.actor("rev"), post.id, "  ", team.now)
    assert refused.value.field == "note"


def test_requesting_changes_sends_the_post_back_with_the_note(team):
    post = team.in_review()
    detail = team.detail(
        store.request_changes(team.actor("rev"), post.id, "Softer tone", team.now).id
    )
    assert detail.summary.stage is S.CHANGES_REQUESTED
    assert detail.reviews[-1].decision == "changes_requested"
    assert detail.reviews[-1].note == "Softer tone"
    assert detail.stage_history[-1].note == "Softer tone"


def test_changes_requested_then_resubmitted_then_approved(team):
    ed, rev = team.actor("ed"), team.actor("rev")
    pid = team.in_review().id
    store.request_changes(rev, pid, "Mention the price", team.now)
    store.edit_post(ed, pid, team.now, caption="Winter blend, £4.50. #coffee")
    store.move(ed, pid, S.IN_REVIEW, team.now)
    detail = team.detail(store.approve(rev, pid, team.now).id)
    assert detail.summary.stage is S.APPROVED
    assert detail.summary.revision == 2
    assert [(r.decision, r.revision) for r in detail.reviews] == [
        ("changes_requested", 1),
        ("approved", 2),
    ]


def test_editing_an_approved_post_makes_a_revision_and_returns_it_to_review(team):
    pid = team.in_review().id
    store.approve(team.actor("rev"), pid, team.now)
    detail = team.detail(store.edit_post(team.actor("ed"), pid, team.now, caption="New words").id)
    assert detail.summary.stage is S.IN_REVIEW
    assert detail.summary.revision == 2
    assert detail.approval.approvals == ()
    assert [r.caption for r in detail.revisions] == [
        "Our winter blend is here. #coffee",
        "New words",
    ]
    assert detail.stage_history[-1].note == "content changed after approval"


def test_editing_a_scheduled_post_returns_it_to_review(team):
    pid = team.in_review().id
    store.approve(team.actor("rev"), pid, team.now)
    store.move(team.actor("ed"), pid, S.SCHEDULED, team.now)
    detail = team.detail(
        store.edit_post(team.actor("ed"), pid, team.now, title="Winter blend (final)").id
    )
    assert detail.summary.stage is S.IN_REVIEW


def test_moving_the_publish_time_of_a_scheduled_post_keeps_its_approval(team):
    pid = team.in_review().id
    store.approve(team.actor("rev"), pid, team.now)
    store.move(team.actor("ed"), pid, S.SCHEDULED, team.now)
    later = team.now + timedelta(days=6)
    detail = team.detail(store.edit_post(team.actor("ed"), pid, team.now, publish_at=later).id)
    assert detail.summary.stage is S.SCHEDULED
    assert detail.summary.revision == 1
    assert detail.summary.publish_at == later


def test_an_approval_counts_only_for_its_revision(team):
    pid = team.in_review(tier="high_stakes").id
    store.approve(team.actor("rev"), pid, team.now)
    detail = team.detail(store.edit_post(team.actor("ed"), pid, team.now, caption="Changed").id)
    assert detail.summary.stage is S.IN_REVIEW
    assert detail.approval.approvals == ()
    store.approve(team.actor("mgr"), pid, team.now)
    assert store.post_detail(team.actor("ed"), pid).summary.stage is S.IN_REVIEW


def test_approving_a_revision_you_did_not_read_is_refused(team):
    pid = team.in_review().id
    store.edit_post(team.actor("ed"), pid, team.now, caption="Changed while you read")
    with pytest.raises(store.Conflict, match="you saw revision 1, it is now 2"):
        store.approve(team.actor("rev"), pid, team.now, seen_revision=1)


def test_a_published_post_cannot_be_edited(team):
    pid = team.in_review().id
    store.approve(team.actor("rev"), pid, team.now)
    store.move(team.actor("ed"), pid, S.SCHEDULED, team.now)
    team.published(pid, team.now)
    with pytest.raises(store.ValidationError, match="is published and can no longer be edited"):
        store.edit_post(team.actor("ed"), pid, team.now, caption="Too late")


def test_scheduling_needs_a_publish_time_in_the_future(team):
    then = team.now - timedelta(hours=3)
    pid = team.in_review(publish_at=None, at=then).id
    store.approve(team.actor("rev"), pid, then)
    with pytest.raises(store.ValidationError, match="set a publish time"):
        store.move(team.actor("ed"), pid, S.SCHEDULED, then)
    store.edit_post(team.actor("ed"), pid, then, publish_at=team.now - timedelta(hours=1))
    with pytest.raises(store.ValidationError, match="has passed"):
        store.move(team.actor("ed"), pid, S.SCHEDULED, team.now)


def test_a_publish_time_in_the_past_is_refused_when_set_and_at_submit(team):
    with pytest.raises(store.ValidationError, match="has passed; choose a later time") as past:
        team.draft(publish_at=team.now - timedelta(minutes=1))
    assert past.value.field == "publish_at"
    then = team.now - timedelta(days=2)
    stale = team.draft("Stale", at=then, publish_at=team.now - timedelta(days=1))
    with pytest.raises(store.ValidationError, match="has passed") as submit:
        store.move(team.actor("ed"), stale.id, S.IN_REVIEW, team.now)
    assert submit.value.field == "publish_at"
    store.edit_post(team.actor("ed"), stale.id, team.now, caption="Other words")  # time untouched
    with pytest.raises(store.ValidationError, match="review_due"):
        store.edit_post(team.actor("ed"), stale.id, team.now, review_due=team.now)


def test_a_reviewer_may_not_edit(team):
    pid = team.in_review().id
    with pytest.raises(store.PermissionDenied, match="reviewers may not edit"):
        store.edit_post(team.actor("rev"), pid, team.now, caption="x")


def test_the_policy_is_per_brand_and_only_admins_change_it(team):
    with pytest.raises(store.PermissionDenied, match="managers may not change approval policy"):
        store.set_policy(team.actor("mgr"), team.brand, team.now, routine_approvals=2)
    policy = store.set_policy(team.actor("root"), team.brand, team.now, routine_approvals=2)
    assert policy.routine_approvals == 2
    other = store.find_brand(team.actor("root"), team.other_brand)
    assert other.policy.routine_approvals == 1
    pid = team.in_review().id
    assert store.approve(team.actor("rev"), pid, team.now).stage is S.IN_REVIEW
    assert store.approve(team.actor("rev2"), pid, team.now).stage is S.APPROVED


def test_a_policy_without_the_senior_rule_accepts_two_reviewers(team):
    store.set_policy(team.actor("root"), team.brand, team.now, high_stakes_needs_senior=False)
    pid = team.in_review(tier="high_stakes").id
    store.approve(team.actor("rev"), pid, team.now)
    assert store.approve(team.actor("rev2"), pid, team.now).stage is S.APPROVED


def test_raising_the_tier_of_an_approved_post_returns_it_to_review(team):
    pid = team.in_review().id
    store.approve(team.actor("rev"), pid, team.now)
    detail = team.detail(store.edit_post(team.actor("ed"), pid, team.now, tier="high_stakes").id)
    assert detail.summary.stage is S.IN_REVIEW
    assert detail.stage_history[-1].note == "approval policy not met"


def test_a_client_may_approve_in_its_brand(team):
    pid = team.in_review().id
    assert store.approve(team.actor("cli"), pid, team.now).stage is S.APPROVED
