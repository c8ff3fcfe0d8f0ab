"""Identity comes from the uid; users and roles are managed by admins only."""

import os
import pwd

import pytest

import store


def test_identity_is_the_unix_account_not_the_environment(monkeypatch):
    monkeypatch.setenv("USER", "mallory")
    monkeypatch.setenv("LOGNAME", "mallory")
    assert store.current_login() == pwd.getpwuid(os.getuid()).pw_name


def test_init_makes_the_runner_admin_once(db_path, now):
    store.open_database(db_path, create=True)
    admin = store.init_database("alice", now, "Europe/Paris")
    assert (admin.login, admin.role, admin.timezone) == ("alice", store.Role.ADMIN, "Europe/Paris")
    with pytest.raises(store.PermissionDenied, match=r"already has users; ask an admin \(alice\)"):
        store.init_database("bob", now)


def test_only_admins_manage_users(team):
    with pytest.raises(store.PermissionDenied, match="managers may not manage users"):
        store.add_user(team.actor("mgr"), "zoe", "editor", team.now)
    store.add_user(team.actor("root"), "zoe", "editor", team.now, force=True)
    assert store.actor_for("zoe").role is store.Role.EDITOR


def test_a_login_this_machine_does_not_have_is_refused_without_force(team):
    root = team.actor("root")
    with pytest.raises(store.ValidationError, match="no Unix account 'zoee'; check the spelling"):
        store.add_user(root, "zoee", "editor", team.now)
    assert store.actor_for("zoee").user is None
    store.add_user(root, "nobody", "reviewer", team.now)  # an account every Unix machine has
    assert store.actor_for("nobody").role is store.Role.REVIEWER


def test_set_role_and_remove(team):
    root = team.actor("root")
    assert store.set_role(root, "ed", "manager", team.now).role is store.Role.MANAGER
    store.remove_user(root, "ed2", team.now)
    assert store.actor_for("ed2").user is None
    assert "ed2" not in [u.login for u in store.list_users(root)]
    assert "ed2" in [u.login for u in store.list_users(root, include_inactive=True)]


def test_a_removed_user_can_be_added_back(team):
    root = team.actor("root")
    store.remove_user(root, "ed2", team.now)
    assert store.add_user(root, "ed2", "reviewer", team.now).role is store.Role.REVIEWER


def test_the_last_admin_stays(team):
    root = team.actor("root")
    with pytest.raises(store.PermissionDenied, match="last admin"):
        store.set_role(root, "root", "editor", team.now)
    with pytest.raises(store.PermissionDenied, match="last admin"):
        store.remove_user(root, "root", team.now)
    store.set_role(root, "mgr", "admin", team.now)
    store.set_role(root, "root", "editor", team.now)


def test_a_client_needs_brands_and_only_clients_have_them(team):
    root = team.actor("root")
    with pytest.raises(store.ValidationError, match="at least one brand"):
        store.add_user(root, "acme-boss", "client", team.now)
    with pytest.raises(store.ValidationError, match="only client users"):
        store.add_user(root, "pat", "editor", team.now, brand_slugs=("acme-coffee",))
    with pytest.raises(store.ValidationError, match="no brand 'nope'"):
        store.add_user(root, "acme-boss", "client", team.now, brand_slugs=("nope",))


def test_bad_input_names_the_field(team):
    root = team.actor("root")
    with pytest.raises(store.ValidationError) as bad_tz:
        store.add_user(root, "pat", "editor", team.now, timezone="Mars/Olympus")
    assert bad_tz.value.field == "timezone"
    with pytest.raises(store.ValidationError) as bad_role:
        store.add_user(root, "pat", "overlord", team.now)
    assert bad_role.value.field == "role"
    with pytest.raises(store.ValidationError) as bad_login:
        store.add_user(root, "two words", "editor", team.now)
    assert bad_login.value.field == "login"


def test_user_changes_are_audited(team):
    from store import trail

    user_id = store.actor_for("ed").user.id
    store.set_role(team.actor("root"), "ed", "manager", team.now)
    actions = [
        (e.actor, e.action, e.detail.get("to")) for e in trail(team.actor("root"), "user", user_id)
    ]
    assert actions == [("root", "user.add", None), ("root", "user.set_role", "manager")]
