"""What every CLI command needs: the database location, who is running it, and the time."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from functools import cached_property
from zoneinfo import ZoneInfo

import store


def whoami() -> str:
    """The Unix login running the command (tests replace this to act as someone else)."""
    return store.current_login()


def clock() -> datetime:
    """The time now, to the second (tests freeze it)."""
    return datetime.now(UTC).replace(microsecond=0)


@dataclass
class Context:
    """One command's view of the world."""

    db: str
    login: str = field(default_factory=lambda: whoami())
    now: datetime = field(default_factory=lambda: clock())

    def open(self, **options) -> None:
        """Open the database (see `store.open_database` for the options)."""
        store.open_database(self.db, **options)

    @cached_property
    def actor(self) -> store.Actor:
        """The person running the command, as the database knows them."""
        return store.actor_for(self.login)

    @property
    def timezone(self) -> str:
        """The user's timezone, or the machine's for someone the database does not know."""
        user = self.actor.user
        return user.timezone if user else store.system_timezone()

    @property
    def today(self) -> date:
        """Today where the user is."""
        return self.now.astimezone(ZoneInfo(self.timezone)).date()

    def brand_id(self, key: str | None) -> int:
        """The brand named by `key`, or the only brand the actor can see."""
        if key:
            return store.find_brand(self.actor, key).id
        brands = store.list_brands(self.actor)
        if len(brands) == 1:
            return brands[0].id
        names = ", ".join(b.slug for b in brands) or "none yet; add one with `postroom brand add`"
        raise store.ValidationError("brand", f"say which brand with --brand ({names})")
