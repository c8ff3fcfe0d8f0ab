"""Who is using the app, on which database, with which clock; and running store calls off the UI
thread."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from functools import wraps
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


def db_work(*, group: str = "default", exclusive: bool = True, writes: bool = False):
    """A thread worker that may use the store, whose failures become notifications, not tracebacks.

    With `writes`, what the work changed is read from the change feed as soon as it is done and
    handed to the app, so every screen that shows it reloads now, once (the watcher later sees
    the same changes and lets them be). The thread's database connection is closed when the work
    is done.

    Refusals take one way: a store refusal goes to the screen's own `refused(error)` when it has
    one (a dialog says it inside itself, at the field), else, like any failure, to
    `app.report_error`, which says it in a notice (Textual does not bubble a worker's state).
    """
    from textual import work

    def decorate(method):
        @wraps(method)
        def body(self, *args, **kwargs):
            app = self.app
            try:
                result = in_thread(lambda: method(self, *args, **kwargs))
            except Exception as error:
                own = getattr(self, "refused", None)
                handler = (
                    own if own and isinstance(error, store.PostroomError) else app.report_error
                )
                app.call_from_thread(handler, error)
                return None
            if writes:
                from .messages import Changed

                batch = in_thread(lambda: store.changes_since(app.feed_position))
                app.post_message(Changed(batch))
            return result

        return work(thread=True, exclusive=exclusive, group=group, exit_on_error=False)(body)

    return decorate
