"""The Postroom app: a screen per number key (the ones the permission table gives the role), a
header saying who and where, what changed applied to the screens that show it, errors as notices."""

from __future__ import annotations

import os
import time

from textual import events
from textual.app import App
from textual.binding import Binding
from textual.notifications import SeverityLevel
from textual.reactive import reactive
from textual.screen import ModalScreen
from textual.worker import get_current_worker

import store
from store import NeedsMe

from . import textual_internals
from .commands import PostroomCommands
from .messages import Changed, NewsChecked
from .screens.calendar import CalendarScreen
from .session import Session, db_work
from .words import sentence

#: How often another process's changes are looked for (seconds).
WATCH_INTERVAL = 0.5
#: How often the app checks that its terminal session still exists (seconds).
ORPHAN_CHECK = 2.0
TERMINAL_FD = 0  # the app reads its keys from stdin
#: How long after start the other screens are built in the background (seconds).
PREPARE_AFTER = 1.0
#: Seconds after start by which the header counts what needs me, whatever the first screen did.
NEWS_AT_THE_LATEST = 1.5
#: The screens that exist so far, by mode name (the permission table decides who gets which).


def _board():
    from .screens.board import BoardScreen

    return BoardScreen()


def _approvals():
    from .screens.approvals import ApprovalsScreen

    return ApprovalsScreen()


def _inbox():
    from .screens.inbox import InboxScreen

    return InboxScreen()


def _metrics():
    from .screens.metrics import MetricsScreen

    return MetricsScreen()


#: Each mode's screen; those not shown first are imported when built (a few tens of ms of
#: start-up saved for the calendar).
SCREENS = {
    "calendar": CalendarScreen,
    "board": _board,
    "approvals": _approvals,
    "inbox": _inbox,
    "metrics": _metrics,
}
#: App keys that would act behind an open dialog; a dialog keeps every key to itself.
BEHIND_DIALOGS = frozenset({"show_mode", "pick_brand", "help", "quit", "command_palette"})
#: Kinds of change that can change what the header counts.
NEWS_KINDS = (store.Kind.POST, store.Kind.REVIEW, store.Kind.USER, store.Kind.INBOX)


def terminal_up() -> bool:
    """Whether stdin, where the keys come from, is still a terminal (False once it hangs up)."""
    return os.isatty(TERMINAL_FD)


class PostroomApp(App):
    """A social media team's workflow over one shared database."""

    CSS_PATH = "postroom.tcss"
    TITLE = "Postroom"
    COMMANDS = App.COMMANDS | {PostroomCommands}
    BINDINGS = [
        Binding("1", "show_mode('calendar')", "Calendar", id="app.calendar"),
        Binding("2", "show_mode('board')", "Board", id="app.board"),
        Binding("3", "show_mode('approvals')", "Approvals", id="app.approvals"),
        Binding("4", "show_mode('inbox')", "Inbox", id="app.inbox"),
        Binding("5", "show_mode('metrics')", "Metrics", id="app.metrics"),
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
        feed_position: int = 0,
        read_only: str | None = None,
        prepare: bool = True,
    ):
        allowed = store.screens_for(actor.role)
        self.MODES = {name: screen for name, screen in SCREENS.items() if name in allowed}
        self.DEFAULT_MODE = next(iter(self.MODES))
        super().__init__()
        self.session = session
        self.news_after = news_after
        self.feed_position = feed_position
        self.read_only = read_only
        self.told_removed = False
        self._kept_editor = None
        self._news_started = False
        self.needs: NeedsMe | None = None
        self.inbox_new = 0  # new inbox messages assigned to me
        self.notices: list[tuple[str, str]] = []  # (severity, message), newest last
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
        # What needs me is counted once the first screen has drawn its data (the count is a
        # query over every post in review, and would slow that first frame), or after a while.
        self.set_timer(NEWS_AT_THE_LATEST, self.first_data_shown)
        if self.read_only:
            self.notify(self.read_only, title="Read only", severity="warning", timeout=15)
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

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = False,
    ) -> None:
        """A notice, never parsed as markup whatever the caller says (it may hold people's
        text), kept in `notices`."""
        message = sentence(message)
        self.notices.append((severity, message))
        super().notify(message, title=title, severity=severity, timeout=timeout, markup=False)

    def _prepare_next_mode(self) -> None:
        """Build the other modes' screens while the first one is being read, one at a time, so
        pressing 2 or 3 shows a screen already holding its data (they stay live from then on).
        Building one takes a few hundred ms of the event loop, so it waits for a pause in typing."""
        waiting = [m for m in self.MODES if m != self.current_mode and not self.is_mode_ready(m)]
        editor_waiting = self._kept_editor is None or not self._kept_editor.is_mounted
        if not waiting and not editor_waiting:
            return
        idle = time.monotonic() - self._last_key
        if idle < PREPARE_AFTER:
            self.set_timer(PREPARE_AFTER - idle, self._prepare_next_mode)
            return
        if editor_waiting:  # `n` is pressed more often than 2 or 3
            editor = self._editor()
            textual_internals.build_screen(self, editor)
            editor.call_after_refresh(editor.look_ahead)
        else:
            textual_internals.build_mode(self, waiting[0])
        if len(waiting) > (0 if editor_waiting else 1):
            self.set_timer(PREPARE_AFTER / 2, self._prepare_next_mode)

    def is_mode_ready(self, mode: str) -> bool:
        """Whether the mode's screen has been built."""
        return textual_internals.mode_is_built(self, mode)

    def _show_identity(self) -> None:
        brand = next((b.name for b in self.brands if b.id == self.brand_id), "All brands")
        words = f"{brand} · {self.actor.login} ({self.actor.role.value})"
        if self.read_only:
            words += " · read only"
        if self.needs is not None and self.needs.to_review:
            words += f" · {self.needs.to_review} to review"
        if self.inbox_new:
            words += f" · {self.inbox_new} new for you"
        if self.needs is not None and self.needs.sent_back:
            words += f" · {self.needs.sent_back} of mine sent back"
        if self.needs is not None and self.needs.by_hand:
            words += f" · {self.needs.by_hand} to post by hand"
        if self.needs is not None and self.needs.failed:
            words += f" · {self.needs.failed} failed"
        if self.needs is not None and self.needs.unconfirmed:
            words += f" · {self.needs.unconfirmed} unconfirmed"
        if self.needs is not None and self.needs.scheduler:
            words += f" · ⚠ {self.needs.scheduler}"
        self.sub_title = words

    def _exit_if_orphaned(self) -> None:
        """Leave when the terminal has hung up (an SSH connection dropped, a tmux server
        killed) without the hang-up signal reaching us, as under `su -c`: an app left reading a
        dead terminal spins a core of the shared server."""
        if self._on_a_terminal and not terminal_up():
            self.exit(return_code=1, message="the terminal session ended")

    def check_action(self, action: str, parameters: tuple) -> bool | None:
        # A screen this role does not have is not offered (nor shown in the key bar), and no key
        # typed into a dialog acts on what is behind it.
        if action == "show_mode" and parameters and parameters[0] not in self.MODES:
            return False
        return not (action in BEHIND_DIALOGS and isinstance(self.screen, ModalScreen))

    def first_data_shown(self) -> None:
        """A screen has drawn its first data: start counting what needs me (once)."""
        if not self._news_started:
            self._news_started = True
            self.check_news()

    @db_work(group="news")
    def check_news(self) -> None:
        """What the header counts, and what happened to my posts since I last looked."""
        actor = self.session.actor()
        try:
            needs = store.needs_me(actor, self.session.now())
            news = store.news_since(actor, self.news_after)
            inbox = store.inbox.inbox_counts(actor).new_for_me if "inbox" in self.MODES else 0
        except store.PermissionDenied as refusal:
            # Removed from the team while the app was open: say it once, not at every change.
            if not self.told_removed:
                self.told_removed = True
                self.call_from_thread(self.report_error, refusal)
            return
        self.post_message(NewsChecked(needs, news, inbox))

    def on_news_checked(self, message: NewsChecked) -> None:
        self.needs = message.needs
        self.inbox_new = message.inbox_new
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
            for screen in list(self.live_screens):
                screen.brand_changed()

    @db_work(group="watch")
    def watch_database(self) -> None:
        """Poll the database's data version (it moves when another connection commits), and
        post what the change feed says changed."""
        worker = get_current_worker()
        last = None
        while not worker.is_cancelled:
            version = store.data_version()
            if last is not None and version != last:
                self.post_message(Changed(store.changes_since(self.feed_position)))
            last = version
            time.sleep(WATCH_INTERVAL)

    def on_changed(self, message: Changed) -> None:
        """Hand what changed to each open screen, once: a change the watcher and this app's own
        write both report is applied the first time only."""
        batch = message.batch
        if batch.complete:
            fresh = tuple(c for c in batch.changes if c.seq > self.feed_position)
            if not fresh:
                return
            batch = store.ChangeBatch(fresh, batch.position)
        self.feed_position = max(self.feed_position, batch.position)
        if not batch.complete or batch.of(*NEWS_KINDS):
            self.check_news()
        for screen in list(self.live_screens):
            screen.changed(batch)

    def report_error(self, error: BaseException) -> None:
        """A failure becomes a notice a person can read; the app carries on."""
        if isinstance(error, store.PostroomError):
            self.notify(str(error), title="Not done", severity="warning", timeout=8)
            return
        words = store.failure_words(error)
        if words is None:
            self.log.error(repr(error))
            words = f"{type(error).__name__}: {error}"
        self.notify(words, title="Something went wrong", severity="error", timeout=12)

    def action_show_mode(self, mode: str) -> None:
        """Go to a screen's mode, showing that screen itself (not a post opened there before);
        pressed again there, close what is open on top of it."""
        if self.current_mode != mode:
            self.switch_mode(mode)
        while len(self.screen_stack) > 1 and not isinstance(self.screen, ModalScreen):
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
        self._open_editor(None, day)

    def edit_post(self, post: store.PostSummary) -> None:
        """Open the editor on a post, or say at once why it cannot be edited."""
        refusal = store.edit_refusal(self.actor, post)
        if refusal:
            self.notify(refusal, title="Not editable", severity="warning")
            return
        self._open_editor(post.id)

    def _editor(self):
        """The one editor, built once and kept (installed): opening it again only empties it."""
        from .screens.editor import PostEditor

        if self._kept_editor is None:
            self._kept_editor = PostEditor()
            self.install_screen(self._kept_editor, name="editor")
        return self._kept_editor

    def _open_editor(self, post_id: int | None, day=None) -> None:
        from .screens.editor import PostEditor

        editor = self._editor()
        if editor.in_use:  # never the case from the keys, but a second one is a new one
            editor = PostEditor(post_id, day)
        else:
            editor.open(post_id, day)
        editor.in_use = True

        def closed(_result) -> None:
            editor.in_use = False

        self.push_screen(editor, closed)


def build_app(
    db: str, login: str, *, clock=None, watch: bool = True, prepare: bool = True
) -> PostroomApp:
    """Open the database and resolve who is at the keyboard, before the event loop starts."""
    store.open_database(db)
    try:
        actor = store.actor_for(login)
        if actor.user is None:
            # Someone the team does not know sees nothing but who can add them.
            raise store.PermissionDenied(store.stranger_message(login))
        brands = store.list_brands(actor)
        news_after = store.latest_event_id()
        feed_position = store.position()
        read_only = store.read_only_reason()
    finally:
        store.close_database()
    session = Session(db, login) if clock is None else Session(db, login, clock)
    return PostroomApp(
        session,
        actor,
        actor.user.timezone,
        brands,
        watch=watch,
        news_after=news_after,
        feed_position=feed_position,
        read_only=read_only,
        prepare=prepare,
    )
