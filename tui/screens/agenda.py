"""A day's agenda: every post and note of the day; posts open, edit, and move by a day."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from zoneinfo import ZoneInfo

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.message import Message
from textual.reactive import var
from textual.widgets import Header, OptionList, Static
from textual.widgets.option_list import Option

import store
from store import CalendarFilter, CalendarNoteInfo, Kind, PostSummary

from ..session import db_work
from ..styles import STAGE_COLOUR, STAGE_MARK
from ..widgets.key_bar import KeyBar
from ..widgets.post_card import delivery_line
from ..words import glyphs
from .filter import for_brand
from .live import LiveScreen

#: Posts whose deliveries the agenda shows.
SENDING_STAGES = (store.Stage.SCHEDULED, store.Stage.PUBLISHED, store.Stage.FAILED)


@dataclass
class AgendaLoaded(Message):
    """One day's posts and notes."""

    day: date
    posts: list[PostSummary]
    notes: list[CalendarNoteInfo]
    cards: dict  # post id → its delivery tally (scheduled, published and failed posts)


@dataclass
class PostMoved(Message):
    """A post moved to another day."""

    post: PostSummary
    day: date


class AgendaScreen(LiveScreen):
    """All of one day, selectable."""

    BINDINGS = [
        Binding("escape", "app.pop_screen", "Back", id="agenda.back"),
        Binding("d", "details", "Details", id="agenda.details"),
        Binding("e", "edit", "Edit", id="agenda.edit"),
        Binding("H,shift+left", "shift(-1)", "Day earlier", key_display="H", id="agenda.earlier"),
        Binding("L,shift+right", "shift(1)", "Day later", key_display="L", id="agenda.later"),
        Binding("left_square_bracket", "day(-1)", "Prev day", key_display="[", id="agenda.prev"),
        Binding("right_square_bracket", "day(1)", "Next day", key_display="]", id="agenda.next"),
        Binding("n", "new_post", "New post", id="agenda.new_post"),
    ]

    posts: var[list[PostSummary]] = var(list)

    def __init__(self, day: date, where: CalendarFilter):
        super().__init__()
        self.day = day
        self.where = where
        self.keep: int | None = None
        self.cards: dict = {}

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="agenda-title")
        yield Static(id="agenda-notes")
        yield OptionList(id="agenda-posts")
        yield KeyBar()

    def on_mount(self) -> None:
        self.reload()

    def shows(self, batch: store.ChangeBatch) -> bool:
        shown = {p.id for p in self.posts}
        if batch.of(Kind.NOTE) or any(c.touches("publish_at") for c in batch.of(Kind.POST)):
            return True
        return any(c.entity_id in shown for c in batch.of(Kind.POST, Kind.REVIEW, Kind.DELIVERY))

    def brand_changed(self) -> None:
        self.where = for_brand(self.where)
        super().brand_changed()

    def reload(self) -> None:
        """Load the day again."""
        self.query_one("#agenda-title", Static).update(
            Text(f"{self.day:%A %d %B %Y}", style="bold")
        )
        self.load(self.day, self.app.brand_id)

    @db_work(group="agenda")
    def load(self, day: date, brand_id: int | None) -> None:
        actor = self.app.session.actor()
        posts = store.day_posts(actor, day, self.app.timezone, brand_id=brand_id, where=self.where)
        going = [p.id for p in posts if p.stage in SENDING_STAGES]
        cards = store.delivery_states(actor, going) if going else {}
        notes = store.notes_between(actor, day, day + timedelta(days=1), brand_id)
        self.post_message(AgendaLoaded(day, posts, notes, cards))

    def on_agenda_loaded(self, message: AgendaLoaded) -> None:
        if message.day != self.day:
            return
        notes = Text("\n").join(
            Text.assemble((f"◆ {n.title}", "magenta"), (f" ({n.kind})", "dim"))
            for n in message.notes
        )
        self.query_one("#agenda-notes", Static).update(notes or Text("No milestones.", style="dim"))
        self.cards = message.cards
        self.posts = message.posts

    def watch_posts(self) -> None:
        option_list = self.query_one(OptionList)
        highlighted = option_list.highlighted
        option_list.clear_options()
        zone = ZoneInfo(self.app.timezone)
        for post in self.posts:
            line = Text()
            line.append(f"{post.publish_at.astimezone(zone):%H:%M}  ", style="bold")
            line.append(
                f"{STAGE_MARK[post.stage]} {post.stage.label:<17}", style=STAGE_COLOUR[post.stage]
            )
            line.append(f"{glyphs(post.platforms):<4} ", style="bold")
            line.append(post.title)
            line.append(f"  {post.owner_login}", style="dim")
            card = self.cards.get(post.id)
            mark = delivery_line(card, zone) if card is not None else None
            if mark is not None:
                line.append("  ")
                line.append_text(mark)
            option_list.add_option(Option(line, id=str(post.id)))
        if not self.posts:
            option_list.add_option(Option("Nothing planned. Press n to add a post.", disabled=True))
            return
        ids = [p.id for p in self.posts]
        if self.keep in ids:
            option_list.highlighted = ids.index(self.keep)
        elif highlighted is not None:
            option_list.highlighted = min(highlighted, len(ids) - 1)
        else:
            option_list.highlighted = 0

    def selected_post(self) -> PostSummary | None:
        """The highlighted post, if any."""
        index = self.query_one(OptionList).highlighted
        if index is None or index >= len(self.posts):
            return None
        return self.posts[index]

    def on_option_list_option_selected(self, _: OptionList.OptionSelected) -> None:
        self.action_details()

    def action_details(self) -> None:
        post = self.selected_post()
        if post:
            self.app.open_post(post.id)

    def action_edit(self) -> None:
        post = self.selected_post()
        if post:
            self.app.edit_post(post)

    def action_new_post(self) -> None:
        self.app.new_post(self.day)

    def action_day(self, step: int) -> None:
        self.day += timedelta(days=step)
        self.keep = None
        self.reload()

    def action_shift(self, days: int) -> None:
        post = self.selected_post()
        if post:
            self.shift(post, days)

    @db_work(group="agenda-move", writes=True)
    def shift(self, post: PostSummary, days: int) -> None:
        session = self.app.session
        moved = store.move_by_days(
            session.actor(),
            post.id,
            days,
            session.now(),
            self.app.timezone,
            expected_version=post.version,
        )
        self.post_message(PostMoved(moved, self.day + timedelta(days=days)))

    def on_post_moved(self, message: PostMoved) -> None:
        self.app.notify(f"Moved '{message.post.title}' to {message.day:%a %d %b}")
        self.day = message.day
        self.keep = message.post.id
        self.reload()  # the day shown changed, whatever the feed says
