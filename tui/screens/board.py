"""Board (key 2): a column per stage with its count; cards page in as a column scrolls, and
H / L move a card through the store's transition table."""

from __future__ import annotations

from dataclasses import dataclass
from zoneinfo import ZoneInfo

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import HorizontalScroll
from textual.message import Message
from textual.reactive import reactive
from textual.widgets import Header, Static

import store
from store import BoardCard, CalendarFilter, Kind, Stage

from ..session import db_work
from ..styles import STAGE_COLOUR, STAGE_MARK
from ..widgets.item_list import ItemList
from ..widgets.key_bar import KeyBar
from ..widgets.post_card import CARD_HEIGHT, post_card
from .filter import filter_words, for_brand
from .live import LiveScreen

PAGE = 40
#: The first page of a column: enough to fill a tall terminal; the rest pages in on scrolling.
FIRST_PAGE = 20


@dataclass(frozen=True)
class BoardView:
    """What the board shows: which brand, filter and toggles (a change means a fresh load)."""

    brand_id: int | None
    where: CalendarFilter
    only_mine: bool
    all_published: bool


@dataclass
class BoardLoaded(Message):
    """Counts for every column and the first page of each."""

    view: BoardView
    counts: dict[Stage, int]
    pages: dict[Stage, list[BoardCard]]
    generation: int


@dataclass
class PageLoaded(Message):
    """The next page of one column."""

    view: BoardView
    stage: Stage
    cards: list[BoardCard]
    generation: int


@dataclass
class CardMoved(Message):
    """A card moved; the board follows it to its new column."""

    summary: store.PostSummary


class BoardScreen(LiveScreen):
    """Every post by stage; the store decides every move."""

    BINDINGS = [
        # priority: the scrolling row of columns would take left and right for itself.
        Binding("left,h", "column(-1)", "◀ Column", show=False, id="board.left", priority=True),
        Binding("right,l", "column(1)", "Column ▶", show=False, id="board.right", priority=True),
        Binding("shift+left,H", "move_card(-1)", "◀ Stage", key_display="H", id="board.back"),
        Binding("shift+right,L", "move_card(1)", "Stage ▶", key_display="L", id="board.on"),
        Binding("enter,d", "open", "Open", id="board.open"),
        Binding("e", "edit", "Edit", id="board.edit"),
        Binding("n", "new_post", "New", id="board.new"),
        Binding("o", "only_mine", "Mine", id="board.mine"),
        Binding("slash", "filter", "Filter", key_display="/", id="board.filter"),
        Binding("P", "older", "Older published", key_display="P", id="board.older"),
    ]

    only_mine: reactive[bool] = reactive(False)
    all_published: reactive[bool] = reactive(False)

    def __init__(self):
        super().__init__()
        self.where = CalendarFilter()
        self.counts: dict[Stage, int] = {}
        self._column = store.STAGE_ORDER.index(Stage.IN_REVIEW)
        self._follow: int | None = None  # a post id to put the cursor on after the next load
        self._loading: set[Stage] = set()
        self._generation = 0  # a load started before the latest one is stale when it lands

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="board-title")
        zone = ZoneInfo(self.app.timezone)
        now = self.app.session.now

        def draw(card: BoardCard, width: int) -> Text:
            return post_card(card, width, zone, now())

        with HorizontalScroll(id="board-columns"):
            for stage in store.STAGE_ORDER:
                # One widget per column, its heading drawn in its top border: a board is built
                # on the event loop, and every widget costs styling time.
                column = ItemList(
                    draw,
                    CARD_HEIGHT,
                    empty="no posts",
                    id=f"cards-{stage.value}",
                    classes="board-column",
                )
                column.border_title = self._heading(stage)
                yield column
        yield KeyBar()

    def on_mount(self) -> None:
        self._paint_title()
        self.lists[self.column].focus()
        self.reload()

    def on_resize(self) -> None:
        # Share the width out, but never narrower than a readable card; the row scrolls.
        width = max(24, self.size.width // len(store.STAGE_ORDER))
        for column in self.query(".board-column"):
            if column.styles.width is None or column.styles.width.value != width:
                column.styles.width = width
        self.call_after_refresh(self._show_column, self.column)

    @property
    def lists(self) -> list[ItemList]:
        return [self.query_one(f"#cards-{s.value}", ItemList) for s in store.STAGE_ORDER]

    @property
    def view(self) -> BoardView:
        return BoardView(self.app.brand_id, self.where, self.only_mine, self.all_published)

    def selected_card(self) -> BoardCard | None:
        """The card under the cursor of the focused column."""
        return self.lists[self.column].current

    # --- loading -------------------------------------------------------------------------

    def reload(self) -> None:
        """Load counts and first pages again (data or view changed); the cursor stays on its card."""
        card = self.selected_card()
        if self._follow is None and card is not None:
            self._follow = card.post.id
        self._generation += 1
        # As many cards as each column shows now, so a refresh keeps the place in a long column.
        shown = {
            s: max(FIRST_PAGE, len(lst.items))
            for s, lst in zip(store.STAGE_ORDER, self.lists, strict=True)
        }
        self.load(self.view, self._generation, shown)

    @db_work(group="board")
    def load(self, view: BoardView, generation: int, limits: dict[Stage, int]) -> None:
        actor, now = self.app.session.actor(), self.app.session.now()
        options = dict(
            brand_id=view.brand_id,
            where=view.where,
            only_mine=view.only_mine,
            all_published=view.all_published,
        )
        counts = store.board_counts(actor, now, **options)
        pages = {
            stage: store.board_page(actor, stage, now, limit=limits[stage], **options)
            if counts[stage]
            else []
            for stage in store.STAGE_ORDER
        }
        self.post_message(BoardLoaded(view, counts, pages, generation))

    def on_board_loaded(self, message: BoardLoaded) -> None:
        if message.view != self.view or message.generation != self._generation:
            return
        self.counts = message.counts
        self._loading.clear()
        self.app.first_data_shown()
        follow, self._follow = self._follow, None
        for index, (stage, item_list) in enumerate(zip(store.STAGE_ORDER, self.lists, strict=True)):
            cards = message.pages[stage]
            ids = [c.post.id for c in cards]
            if follow in ids:
                item_list.set_items(cards, cursor=ids.index(follow))
                self._focus_column(index)
            else:
                item_list.set_items(cards)
            item_list.border_title = self._heading(stage)
        self._paint_title()

    def _heading(self, stage: Stage) -> Text:
        # The count before the name: a narrow column cuts the end of its heading.
        text = Text()
        text.append(f"{STAGE_MARK[stage]} ", style=f"bold {STAGE_COLOUR[stage]}")
        text.append(f"{self.counts.get(stage, 0):,} ", style="bold")
        text.append(stage.label, style=f"bold {STAGE_COLOUR[stage]}")
        if stage is Stage.PUBLISHED and not self.all_published:
            text.append(" · 14 days", style="dim")
        return text

    def on_item_list_near_end(self, message: ItemList.NearEnd) -> None:
        stage = Stage(message.item_list.id.removeprefix("cards-"))
        shown = len(message.item_list.items)
        if stage in self._loading or shown >= self.counts.get(stage, 0) or not shown:
            return
        self._loading.add(stage)
        self.load_page(self.view, self._generation, stage, message.item_list.items[-1].sort_key)

    @db_work(group="board-page", exclusive=False)
    def load_page(self, view: BoardView, generation: int, stage: Stage, after: tuple) -> None:
        cards = store.board_page(
            self.app.session.actor(),
            stage,
            self.app.session.now(),
            brand_id=view.brand_id,
            where=view.where,
            only_mine=view.only_mine,
            all_published=view.all_published,
            after=after,
            limit=PAGE,
        )
        self.post_message(PageLoaded(view, stage, cards, generation))

    def on_page_loaded(self, message: PageLoaded) -> None:
        self._loading.discard(message.stage)
        if message.view == self.view and message.generation == self._generation:
            self.query_one(f"#cards-{message.stage.value}", ItemList).extend(message.cards)

    # --- title and focus -----------------------------------------------------------------

    def _paint_title(self) -> None:
        parts = [filter_words(self.where)]
        if self.only_mine:
            parts.append("only mine")
        if self.all_published:
            parts.append("all published")
        active = "; ".join(p for p in parts if p)
        title = Text()
        title.append("Board", style="bold")
        title.append(f"  {sum(self.counts.values()):,} posts", style="dim")
        if active:
            title.append("   ")
            title.append(f" {active} ", style="reverse")
        self.query_one("#board-title", Static).update(title)

    @property
    def column(self) -> int:
        """The focused column (the last one focused while a dialog is open)."""
        lists = self.lists
        if self.focused in lists:
            self._column = lists.index(self.focused)
        return self._column

    def _focus_column(self, index: int) -> None:
        self._column = index
        item_list = self.lists[index]
        if self.focused is not item_list:  # each focus change redraws the footer
            self.set_focus(item_list, scroll_visible=False)  # at once: the next key reads it
        self._show_column(index)

    def _show_column(self, index: int) -> None:
        self.lists[index].scroll_visible(animate=False)

    # --- actions -------------------------------------------------------------------------

    def action_column(self, step: int) -> None:
        before = self.lists[self.column]
        index = max(0, min(self.column + step, len(store.STAGE_ORDER) - 1))
        after = self.lists[index]
        if after.items:
            # Keep the cursor at about the same height on screen.
            row = before.cursor - before.scroll_offset.y // CARD_HEIGHT
            after.cursor = min(after.scroll_offset.y // CARD_HEIGHT + row, len(after.items) - 1)
        self._focus_column(index)

    def action_move_card(self, step: int) -> None:
        card = self.selected_card()
        if card is None:
            return
        try:
            target = store.neighbour(card.post.stage, step)
        except store.InvalidTransition as refused:
            self.app.report_error(refused)
            return
        if target is Stage.CHANGES_REQUESTED:
            from .prompt import TextPrompt

            def send(note: str | None) -> None:
                if note is not None:
                    self.move(card.post.id, step, note)

            self.app.push_screen(
                TextPrompt(
                    f"What should change in '{card.post.title}'?",
                    "the author sees this · ctrl+s sends it back · esc cancels",
                    required="say what needs to change",
                ),
                send,
            )
            return
        self.move(card.post.id, step, "")

    @db_work(group="board-move", writes=True)
    def move(self, post_id: int, step: int, note: str) -> None:
        session = self.app.session
        summary = store.move_card(session.actor(), post_id, step, session.now(), note=note)
        self.post_message(CardMoved(summary))

    def on_card_moved(self, message: CardMoved) -> None:
        summary = message.summary
        self.app.notify(f"'{summary.title}' is now {summary.stage.label}")
        self._follow = summary.id

    def action_open(self) -> None:
        card = self.selected_card()
        if card is not None:
            self.app.open_post(card.post.id)

    def action_edit(self) -> None:
        card = self.selected_card()
        if card is not None:
            self.app.edit_post(card.post)

    def action_new_post(self) -> None:
        self.app.new_post()

    def action_only_mine(self) -> None:
        self.only_mine = not self.only_mine

    def action_older(self) -> None:
        self.all_published = not self.all_published

    def watch_only_mine(self) -> None:
        if self.is_mounted:
            self.reload()
            self._paint_title()

    def watch_all_published(self) -> None:
        if self.is_mounted:
            self.reload()
            self._paint_title()

    def shows(self, batch: store.ChangeBatch) -> bool:
        # Cards show a post's stage, title, times, channels, approvals and failed deliveries.
        return bool(batch.of(Kind.POST, Kind.REVIEW, Kind.DELIVERY, Kind.USER))

    def brand_changed(self) -> None:
        self.where = for_brand(self.where)
        super().brand_changed()
        self._paint_title()

    def action_filter(self) -> None:
        from .filter import FilterScreen

        def chosen(where: CalendarFilter | None) -> None:
            if where is not None:
                self.where = where
                self.reload()

        self.app.push_screen(FilterScreen(self.where, what="the board", stages=False), chosen)
