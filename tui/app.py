"""The Postroom app: modes on number keys, a header saying who and where, live refresh, errors as notices."""

from __future__ import annotations

import os
import time

from textual import events
from textual.app import App
from textual.binding import Binding
from textual.reactive import reactive
from textual.worker import get_current_worker

import store
from store import NeedsMe, latest_event_id, needs_me, news_since

from .commands import PostroomCommands
from .messages import DataChanged, NewsChecked
from .screens.approvals import ApprovalsScreen
from .screens.board import BoardScreen
from .screens.calendar import CalendarScreen
from .session import Session, db_work

#: How often another process's changes are looked for (seconds).
WATCH_INTERVAL = 0.5
#: How often the app checks that its terminal session still exists (seconds).
ORPHAN_CHECK = 2.0
TERMINAL_FD = 0  # the app reads its keys from stdin
#: How long after start the other screens are built in the background (seconds).
PREPARE_AFTER = 1.0


def terminal_up() -> bool:
    """Whether stdin, where the keys come from, is still a terminal (False once it hangs up)."""
    return os.isatty(TERMINAL_FD)


class PostroomApp(App):
    """A social media team's workflow over one shared database."""

    CSS_PATH = "postroom.tcss"
    TITLE = "Postroom"
    MODES = {"calendar": CalendarScreen, "board": BoardScreen, "approvals": ApprovalsScreen}
    DEFAULT_MODE = "calendar"
    COMMANDS = App.COMMANDS | {PostroomCommands}
    BINDINGS = [
        Binding("1", "show_mode('calendar')", "Calendar", id="app.calendar"),
        Binding("2", "show_mode('board')", "Board", id="app.board"),
        Binding("3", "show_mode('approvals')", "Approvals", id="app.approvals"),
        Binding("question_mark", "help", "Help", key_display="?", id="app.help"),
        Binding("b", "pick_brand", "Brand", id="app.brand"),
        Binding("q", "quit", "Quit", id="app.quit"),
    ]

    brand_id: reactive[int | None] = reactive(None)

    def __init__(
        self,
        session: Session,
        actor: store.Actor,
        timezone: str,
        brands: list[store.BrandInfo],
        *,
        watch: bool = True,
        news_after: int = 0,
        prepare: bool = True,
    ):
        if actor.role is store.Role.CLIENT:
            # A client reviews its brands' posts and sees nothing else.
            self.MODES = {"approvals": ApprovalsScreen}
            self.DEFAULT_MODE = "approvals"
        super().__init__()
        self.session = session
        self.news_after = news_after
        self.needs: NeedsMe | None = None
        self.live_screens: list = []  # LiveScreens register themselves while mounted
        self._prepare = prepare
        self._last_key = 0.0
        self.actor = actor
        self.timezone = timezone
        self.brands = brands
        self._watch = watch
        if len(brands) == 1:
            self.set_reactive(PostroomApp.brand_id, brands[0].id)  # nothing to reload yet

    def on_mount(self) -> None:
        self._show_identity()
        self.check_news()
        self._on_a_terminal = terminal_up()
        self.set_interval(ORPHAN_CHECK, self._exit_if_orphaned)
        if self._watch:
            self.watch_database()
        if self._prepare:
            self.set_timer(PREPARE_AFTER, self._prepare_next_mode)

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, events.Key):
            self._last_key = time.monotonic()
        await super().on_event(event)

    def _prepare_next_mode(self) -> None:
        """Build the other modes' screens while the first one is being read, one at a time, so
        pressing 2 or 3 shows a screen already holding its data (they stay live from then on).
        Building one takes a few hundred ms of the event loop, so it waits for a pause in typing."""
        waiting = [m for m in self.MODES if m != self.current_mode and not self.is_mode_ready(m)]
        if not waiting:
            return
        idle = time.monotonic() - self._last_key
        if idle < PREPARE_AFTER:
            self.set_timer(PREPARE_AFTER - idle, self._prepare_next_mode)
            return
        # Textual builds a mode's screen on first switch; _init_mode is that step on its own.
        self._init_mode(waiting[0])
        # The screen was styled as it mounted, with the stylesheet as it is now; without this
        # mark, its first showing would re-style every widget of the app (a theme change later
        # still bumps the app's count and restyles it).
        self._screen_stacks[waiting[0]][0]._css_update_count = self._css_update_count
        if len(waiting) > 1:
            self.set_timer(PREPARE_AFTER / 2, self._prepare_next_mode)

    def is_mode_ready(self, mode: str) -> bool:
        """Whether the mode's screen has been built."""
        return bool(self._screen_stacks.get(mode))

    def _show_identity(self) -> None:
        brand = next((b.name for b in self.brands if b.id == self.brand_id), "All brands")
        role = self.actor.role.value if self.actor.role else "read only"
        words = f"{brand} · {self.actor.login} ({role})"
        if self.needs is not None and self.needs.to_review:
            words += f" · {self.needs.to_review} to review"
        if self.needs is not None and self.needs.sent_back:
            words += f" · {self.needs.sent_back} of mine sent back"
        self.sub_title = words

    def _exit_if_orphaned(self) -> None:
        """Leave when the terminal has hung up (an SSH connection dropped, a tmux server
        killed) without the hang-up signal reaching us, as under `su -c`: an app left reading a
        dead terminal spins a core of the shared server."""
        if self._on_a_terminal and not terminal_up():
            self.exit(return_code=1, message="the terminal session ended")

    def check_action(self, action: str, parameters: tuple) -> bool | None:
        # A screen this role does not have is not offered (nor shown in the footer).
        return not (action == "show_mode" and parameters and parameters[0] not in self.MODES)

    @db_work(group="news")
    def check_news(self) -> None:
        """What the header counts, and what happened to my posts since I last looked."""
        actor = self.session.actor()
        needs = needs_me(actor, self.session.now())
        news = news_since(actor, self.news_after)
        self.post_message(NewsChecked(needs, news))

    def on_news_checked(self, message: NewsChecked) -> None:
        self.needs = message.needs
        self._show_identity()
        for item in message.news:
            self.news_after = max(self.news_after, item.event_id)
            if item.to_stage is store.Stage.APPROVED:
                self.notify(f"'{item.title}' was approved by {item.by}", title="Approved")
            else:
                note = f": {item.note}" if item.note else ""
                self.notify(
                    f"'{item.title}' was sent back by {item.by}{note}",
                    title="Changes requested",
                    severity="warning",
                    timeout=10,
                )

    def watch_brand_id(self) -> None:
        if self.is_mounted:
            self._show_identity()
            self.reload_screens()

    def reload_screens(self) -> None:
        """Ask every open screen that shows data (in any mode) to load it again."""
        self.check_news()
        for screen in list(self.live_screens):
            screen.reload()

    @db_work(group="watch")
    def watch_database(self) -> None:
        """Poll PRAGMA data_version: it changes when any other connection commits."""
        worker = get_current_worker()
        last = None
        while not worker.is_cancelled:
            version = store.data_version()
            if last is not None and version != last:
                self.post_message(DataChanged())
            last = version
            time.sleep(WATCH_INTERVAL)

    def on_data_changed(self, _: DataChanged) -> None:
        self.reload_screens()

    def report_error(self, error: BaseException) -> None:
        """A failure becomes a notice a person can read; the app carries on."""
        if isinstance(error, store.PostroomError):
            self.notify(str(error), title="Not done", severity="warning", timeout=8)
        else:
            self.log.error(repr(error))
            self.notify(
                f"{type(error).__name__}: {error}",
                title="Something went wrong",
                severity="error",
                timeout=12,
            )

    def action_show_mode(self, mode: str) -> None:
        """Go to a screen's mode; pressed again there, close what is open on top of it."""
        if self.current_mode != mode:
            self.switch_mode(mode)
            return
        while len(self.screen_stack) > 1:
            self.pop_screen()

    def action_help(self) -> None:
        from .screens.help import HelpScreen

        self.push_screen(HelpScreen(self.screen))

    def action_pick_brand(self) -> None:
        from .screens.brand_picker import BrandPicker

        def chosen(brand_id: int | bool | None) -> None:
            if brand_id is not False:
                self.brand_id = brand_id

        self.push_screen(BrandPicker(self.brands, self.brand_id), chosen)

    def open_post(self, post_id: int) -> None:
        """Show one post's detail screen."""
        from .screens.post_detail import PostDetailScreen

        self.push_screen(PostDetailScreen(post_id))

    def new_post(self, day=None) -> None:
        """Open the editor on a new post (on `day` if given)."""
        from .screens.editor import PostEditor

        self.push_screen(PostEditor(post_id=None, day=day))


def build_app(
    db: str, login: str, *, clock=None, watch: bool = True, prepare: bool = True
) -> PostroomApp:
    """Open the database and resolve who is at the keyboard, before the event loop starts."""
    store.open_database(db)
    actor = store.actor_for(login)
    if actor.user is None:
        # Someone the team does not know sees nothing but who can add them.
        store.close_database()
        raise store.PermissionDenied(store.stranger_message(login))
    timezone = actor.user.timezone
    brands = store.list_brands(actor)
    news_after = latest_event_id()
    store.close_database()
    session = Session(db, login) if clock is None else Session(db, login, clock)
    return PostroomApp(
        session, actor, timezone, brands, watch=watch, news_after=news_after, prepare=prepare
    )
