"""Identity (the Unix account running us) and the team's users and roles."""

from __future__ import annotations

import os
import pwd
from dataclasses import replace
from datetime import datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from . import access, audit
from .db import reading, writing
from .db.models import Brand, User, UserBrand
from .domain import Actor, Role, UserInfo
from .errors import NotFound, PermissionDenied, ValidationError
from .permissions import Action, require
from .text import clean, is_clean


def current_login() -> str:
    """The login of the Unix account running this process (from the uid, never $USER)."""
    return pwd.getpwuid(os.getuid()).pw_name


def system_timezone() -> str:
    """The machine's timezone as an IANA name, the default for a new user."""
    try:
        import tzlocal

        return tzlocal.get_localzone_name() or "UTC"
    except Exception:  # an unreadable /etc/localtime must not stop anyone adding a user
        return "UTC"


def unix_account_exists(login: str) -> bool:
    """Whether this machine has a Unix account of that name."""
    try:
        pwd.getpwnam(login)
    except KeyError:
        return False
    return True


def actor_for(login: str) -> Actor:
    """The actor for `login`: with its user record when the database knows an active one."""
    with reading():
        user = User.get_or_none((User.login == login) & (User.active == 1))
        return Actor(login, _info(user) if user else None)


def init_database(login: str, now: datetime, timezone: str | None = None) -> UserInfo:
    """Make `login` the first admin of a database that has no users yet."""
    with writing():
        if User.select().exists():
            raise PermissionDenied(
                f"this database already has users; ask an admin ({', '.join(access.admin_logins())})"
            )
        user = User.create(
            login=login,
            name=_real_name(login),
            role=Role.ADMIN,
            timezone=_valid_timezone(timezone or system_timezone()),
            created_at=now,
        )
        audit.record(login, "user.init", "user", user.id, {"role": "admin"}, now)
    return _info(user)


def list_users(actor: Actor, include_inactive: bool = False) -> list[UserInfo]:
    """Every user, by login (for members of the team); a client sees of other clients only those
    sharing one of its brands, and of each user's brands only its own."""
    visible = access.visible_brands(actor)
    with reading():
        query = User.select().order_by(User.login)
        if not include_inactive:
            query = query.where(User.active == 1)
        users = [_info(u) for u in query]
    if visible is None:
        return users
    shown = [replace(u, brand_ids=tuple(b for b in u.brand_ids if b in visible)) for u in users]
    return [u for u in shown if u.role is not Role.CLIENT or u.brand_ids]


def add_user(
    actor: Actor,
    login: str,
    role: Role,
    now: datetime,
    *,
    name: str = "",
    timezone: str | None = None,
    brand_slugs: tuple[str, ...] = (),
    force: bool = False,
) -> UserInfo:
    """Add a user (admins only); a client must be limited to at least one brand. A login no Unix
    account of this machine has is refused unless `force` (an account made later)."""
    require(actor, Action.USERS_MANAGE)
    login = login.strip()
    if not login or not is_clean(login) or any(ch.isspace() for ch in login):
        raise ValidationError("login", "must be a Unix login without spaces")
    name = clean(name).strip()
    role = _valid_role(role)
    tz = _valid_timezone(timezone or system_timezone())
    with writing():
        existing = User.get_or_none(User.login == login)
        if existing is not None and existing.active:
            raise ValidationError("login", f"{login} is already a user ({existing.role})")
        brands = _brands_for(role, brand_slugs)
        if existing is None and not force and not unix_account_exists(login):
            raise ValidationError(
                "login",
                f"this machine has no Unix account {login!r}; check the spelling, or add "
                "--force if the account will be made later",
            )
        if existing is not None:
            user = existing
            user.role, user.timezone, user.active = role, tz, True
            user.name = name or user.name
            user.save()
        else:
            user = User.create(
                login=login, name=name or _real_name(login), role=role, timezone=tz, created_at=now
            )
        _set_brands(user, brands)
        audit.record(
            actor.login,
            "user.add",
            "user",
            user.id,
            {"login": login, "role": role.value, "brands": [b.slug for b in brands]},
            now,
        )
    return _info(user)


def set_role(
    actor: Actor, login: str, role: Role, now: datetime, *, brand_slugs: tuple[str, ...] = ()
) -> UserInfo:
    """Change a user's role (admins only); the last admin cannot be demoted."""
    require(actor, Action.USERS_MANAGE)
    role = _valid_role(role)
    with writing():
        user = _active(login)
        if user.role == Role.ADMIN and role != Role.ADMIN:
            _refuse_last_admin(user)
        brands = _brands_for(role, brand_slugs)
        before = user.role
        user.role = role
        user.save()
        _set_brands(user, brands)
        audit.record(
            actor.login,
            "user.set_role",
            "user",
            user.id,
            {"login": login, "from": before, "to": role.value, "brands": [b.slug for b in brands]},
            now,
        )
    return _info(user)


def remove_user(actor: Actor, login: str, now: datetime) -> None:
    """Deactivate a user (admins only): from then on they see nothing; their history stays."""
    require(actor, Action.USERS_MANAGE)
    with writing():
        user = _active(login)
        if user.role == Role.ADMIN:
            _refuse_last_admin(user)
        user.active = False
        user.save()
        audit.record(actor.login, "user.remove", "user", user.id, {"login": login}, now)


def _active(login: str) -> User:
    user = User.get_or_none((User.login == login) & (User.active == 1))
    if user is None:
        raise NotFound(f"no user {login!r}")
    return user


def _refuse_last_admin(user: User) -> None:
    others = User.select().where(
        (User.role == Role.ADMIN) & (User.active == 1) & (User.id != user.id)
    )
    if not others.exists():
        raise PermissionDenied(f"{user.login} is the last admin; make someone else admin first")


def _valid_role(role: Role | str) -> Role:
    try:
        return Role(role)
    except ValueError:
        raise ValidationError("role", f"{role!r} is not one of {', '.join(Role)}") from None


def _valid_timezone(name: str) -> str:
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        raise ValidationError("timezone", f"{name!r} is not a known timezone") from None
    return name


def _brands_for(role: Role, slugs: tuple[str, ...]) -> list[Brand]:
    if role != Role.CLIENT:
        if slugs:
            raise ValidationError("brands", "only client users are limited to brands")
        return []
    if not slugs:
        raise ValidationError("brands", "a client must be limited to at least one brand")
    brands = []
    for slug in slugs:
        brand = Brand.get_or_none(Brand.slug == slug)
        if brand is None:
            raise ValidationError("brands", f"no brand {slug!r}")
        brands.append(brand)
    return brands


def _set_brands(user: User, brands: list[Brand]) -> None:
    UserBrand.delete().where(UserBrand.user == user).execute()
    for brand in brands:
        UserBrand.create(user=user, brand=brand)


def _real_name(login: str) -> str:
    try:
        return pwd.getpwnam(login).pw_gecos.split(",")[0]
    except KeyError:
        return ""


def _info(user: User) -> UserInfo:
    """The plain value of a user row."""
    brand_ids = tuple(
        row.brand_id for row in UserBrand.select(UserBrand.brand).where(UserBrand.user == user)
    )
    return UserInfo(user.id, user.login, user.name, Role(user.role), user.timezone, brand_ids)
