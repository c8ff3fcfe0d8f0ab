"""Who may see what: every read of brand data goes through here. A client sees only its brands;
an account the team does not know (or removed) sees nothing but who can add it."""

from __future__ import annotations

from peewee import Field, ModelSelect

from .db.models import User, UserBrand
from .domain import Actor, Role, UserInfo
from .errors import PermissionDenied


def admin_logins() -> list[str]:
    """Logins of the active admins, for telling a stranger whom to ask."""
    query = User.select(User.login).where((User.role == Role.ADMIN) & (User.active == 1))
    return [u.login for u in query.order_by(User.login)]


def stranger_message(login: str) -> str:
    """What an account the team does not know is told: that, and who can add it."""
    removed = User.select().where((User.login == login) & (User.active == 0)).exists()
    admins = admin_logins()
    who = f"an admin ({', '.join(admins)})" if admins else "nobody yet: run `postroom init`"
    if removed:
        return f"{login} was removed from this team; {who} can add them back"
    return f"{login} is not a user of this database; {who} can add them with `postroom users add {login} ROLE`"


def member(actor: Actor) -> UserInfo:
    """The actor's user record as the database holds it now (an actor made before the account
    was removed, or its role or brands changed, gets no more than that); PermissionDenied, naming
    who can add them, for a stranger or a removed account."""
    if actor.user is not None:
        row = User.get_or_none((User.login == actor.login) & (User.active == 1))
        if row is not None:
            brands = UserBrand.select(UserBrand.brand).where(UserBrand.user == row.id)
            brand_ids = tuple(sorted(b.brand_id for b in brands))
            return UserInfo(row.id, row.login, row.name, Role(row.role), row.timezone, brand_ids)
    raise PermissionDenied(stranger_message(actor.login))


def visible_brands(actor: Actor) -> tuple[int, ...] | None:
    """The brands the actor may see: None for every brand, else their ids (a client's own)."""
    user = member(actor)
    return user.brand_ids if user.role is Role.CLIENT else None


def require_brand(actor: Actor, brand_id: int) -> None:
    """Raise unless the actor may see the brand."""
    visible = visible_brands(actor)
    if visible is not None and brand_id not in visible:
        raise PermissionDenied(
            f"{actor.login} is a client of other brands and may not see this one"
        )


def scoped(query: ModelSelect, actor: Actor, column: Field, brand_id: int | None = None):
    """`query` limited to what the actor may see: one brand when `brand_id` is given (refused if
    the actor may not see it), else every brand the actor may see."""
    visible = visible_brands(actor)
    if brand_id is not None:
        require_brand(actor, brand_id)
        return query.where(column == brand_id)
    if visible is not None:
        return query.where(column.in_(list(visible) or [0]))
    return query


def may_see(actor: Actor, brand_id: int | None) -> bool:
    """Whether the actor may see the brand (None: something of no brand, e.g. a team-wide note)."""
    try:
        visible = visible_brands(actor)
    except PermissionDenied:
        return False
    return brand_id is None or visible is None or brand_id in visible
