"""Who is using the app, on which database, with which clock; and running store calls off the UI thread."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import TypeVar
from zoneinfo import ZoneInfo

import store

T = TypeVar("T")


def in_thread(call: Callable[[], T]) -> T:
    """Run one store call on a worker thread and close that thread's connection afterwards."""
    try:
        return call()
    finally:
        store.close_database()


@dataclass
class Session:
    """The person at the keyboard and the clock the app reads (tests freeze it)."""

    db: str
    login: str
    clock: Callable[[], datetime] = field(default=lambda: datetime.now(UTC))

    def actor(self) -> store.Actor:
        """The actor as the database knows them now (call on a worker thread)."""
        return store.actor_for(self.login)

    def now(self) -> datetime:
        """The current moment (UTC)."""
        return self.clock()

    def today(self, timezone: str) -> date:
        """Today in `timezone`."""
        return self.clock().astimezone(ZoneInfo(timezone)).date()


def db_work(*, group: str = "default", exclusive: bool = True):
    """A thread worker that may use the store, whose failures become notifications, not tracebacks.

    The thread's database connection is closed when the work is done. Textual does not bubble
    a worker's state to the app, so the failure is handed to `app.report_error` here.
    """
    from functools import wraps

    from textual import work

    def decorate(method):
        @wraps(method)
        def body(self, *args, **kwargs):
            try:
                return in_thread(lambda: method(self, *args, **kwargs))
            except Exception as error:
                self.app.call_from_thread(self.app.report_error, error)
                return None

        return work(thread=True, exclusive=exclusive, group=group, exit_on_error=False)(body)

    return decorate
