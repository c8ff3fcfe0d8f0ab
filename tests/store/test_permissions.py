"""The permission table, cell by cell, stated here a second time so a change to it is deliberate."""

import pytest

import store
from store.permissions import PERMISSIONS, Action, allowed, require

A, M, E, R, C = "admin", "manager", "editor", "reviewer", "client"

EXPECTED = {
    Action.PLAN_VIEW: {A, M, E, R},
    Action.POST_CREATE: {A, M, E},
    Action.POST_EDIT: {A, M, E},
    Action.POST_SUBMIT: {A, M, E},
    Action.POST_APPROVE: {A, M, R, C},
    Action.POST_REQUEST_CHANGES: {A, M, R, C},
    Action.POST_COMMENT: {A, M, E, R, C},
    Action.POST_SCHEDULE: {A, M, E},
    Action.POST_PUBLISH: {A, M, E},
    Action.NOTE_CREATE: {A, M, E},
    Action.ASSET_ADD: {A, M, E},
    Action.INBOX_VIEW: {A, M, E, R},
    Action.INBOX_REPLY: {A, M, E},
    Action.INBOX_ASSIGN: {A, M},
    Action.METRICS_VIEW: {A, M, E, R},
    Action.AUDIT_VIEW: {A, M},
    Action.USERS_MANAGE: {A},
    Action.BRANDS_MANAGE: {A},
    Action.POLICY_EDIT: {A},
}


@pytest.mark.parametrize(
    ("role", "screens"),
    [
        (A, ["calendar", "board", "approvals", "inbox", "metrics"]),
        (M, ["calendar", "board", "approvals", "inbox", "metrics"]),
        (E, ["calendar", "board", "inbox", "metrics"]),
        (R, ["calendar", "board", "approvals", "inbox", "metrics"]),
        (C, ["approvals"]),
    ],
)
def test_the_screens_a_role_gets_come_from_the_table(role, screens):
    assert store.screens_for(store.Role(role)) == screens


def test_every_action_is_in_the_table():
    assert set(PERMISSIONS) == set(Action) == set(EXPECTED)


@pytest.mark.parametrize("role", list(store.Role))
@pytest.mark.parametrize("action", list(Action))
def test_cell(role, action):
    assert allowed(role, action) is (role.value in EXPECTED[action])


@pytest.mark.parametrize("role", list(store.Role))
@pytest.mark.parametrize("action", list(Action))
def test_require_agrees_with_the_table(team, role, action):
    login = {A: "root", M: "mgr", E: "ed", R: "rev", C: "cli"}[role.value]
    actor = store.actor_for(login)
    if role.value in EXPECTED[action]:
        require(actor, action)
    else:
        with pytest.raises(store.PermissionDenied, match=f"{role.value}s may not"):
            require(actor, action)


def test_require_judges_by_the_database_now_not_by_an_old_actor(team):
    """An app opened before an admin changed or removed the account gets no more than that."""
    ed = store.actor_for("ed")
    root = store.actor_for("root")
    store.set_role(root, "ed", store.Role.REVIEWER, team.now)
    with pytest.raises(store.PermissionDenied, match="reviewers may not create posts"):
        require(ed, Action.POST_CREATE)
    store.remove_user(root, "ed", team.now)
    with pytest.raises(store.PermissionDenied, match="ed was removed from this team"):
        require(ed, Action.POST_COMMENT)


def test_unknown_account_may_not_write_and_is_told_whom_to_ask(team):
    stranger = store.actor_for("nobody-here")
    assert stranger.user is None
    with pytest.raises(
        store.PermissionDenied,
        match=r"nobody-here is not a user of this database; an admin \(root\) can add them",
    ):
        store.create_post(stranger, team.brand, "Hi", team.now)


def test_client_is_limited_to_its_brands(team):
    client = store.actor_for("cli")
    assert client.user.brand_ids == (team.brand,)
    with pytest.raises(store.PermissionDenied, match="client of other brands"):
        require(client, Action.POST_COMMENT, team.other_brand)
    require(client, Action.POST_COMMENT, team.brand)


def test_client_sees_only_its_brands_posts(team):
    team.draft("Acme post")
    root = store.actor_for("root")
    ch = store.list_channels(root, team.other_brand)[0]
    store.create_post(root, team.other_brand, "Birch post", team.now, channel_ids=[ch.id])
    titles = [p.title for p in store.list_posts(store.actor_for("cli"))]
    assert titles == ["Acme post"]
    birch = store.list_posts(root, brand_id=team.other_brand)[0]
    with pytest.raises(store.NotFound, match=f"no post #{birch.id}"):
        store.post_detail(store.actor_for("cli"), birch.id)
