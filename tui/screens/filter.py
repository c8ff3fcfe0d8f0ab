"""`/`: filter the calendar or board by stage, channel, owner, campaign and pillar (of the brand
the app shows; which brand is `b`'s one choice)."""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Button, Label, SelectionList

import store
from store import CalendarFilter, FilterOptions, Stage

from ..session import db_work


def filter_words(where: CalendarFilter) -> str:
    """The active filter in a few words, for a screen's title line."""
    parts = []
    if where.stages:
        parts.append("stage " + ",".join(s.label for s in where.stages))
    if where.owner_logins:
        parts.append("owner " + ",".join(where.owner_logins))
    for name, ids in (
        ("channel", where.channel_ids),
        ("campaign", where.campaign_ids),
        ("pillar", where.pillar_ids),
    ):
        if ids:
            parts.append(f"{len(ids)} {name}{'s' if len(ids) > 1 else ''}")
    return "; ".join(parts)


def for_brand(where: CalendarFilter) -> CalendarFilter:
    """The filter after the app switched brand."""
    return where.for_another_brand()


@dataclass
class OptionsLoaded(Message):
    """What the filter can offer."""

    options: FilterOptions


class FilterScreen(ModalScreen[CalendarFilter | None]):
    """Dismisses with the new filter, or None when cancelled."""

    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="filter.cancel"),
        Binding("ctrl+s", "apply", "Apply", id="filter.apply"),
        Binding("ctrl+x", "clear", "Clear all", id="filter.clear"),
    ]

    def __init__(self, current: CalendarFilter, *, what: str = "the calendar", stages: bool = True):
        super().__init__()
        self.current = current
        self.what = what
        self.lists = ["stages"] if stages else []
        self.lists += ["channels", "owners", "campaigns", "pillars"]

    def compose(self) -> ComposeResult:
        with VerticalScroll(classes="dialog", id="filter-dialog"):
            yield Label(
                f"Filter {self.what} (space toggles, ctrl+s applies)", classes="dialog-title"
            )
            for name in self.lists:
                yield Label(name.capitalize(), classes="hint")
                yield SelectionList(id=f"filter-{name}", classes="filter-list")
            with Horizontal(classes="row"):
                yield Button("Apply (ctrl+s)", variant="primary", id="filter-apply")
                yield Button("Clear (ctrl+x)", id="filter-clear")

    def on_mount(self) -> None:
        self.load(self.app.brand_id)

    @db_work(group="filter")
    def load(self, brand_id: int | None) -> None:
        self.post_message(OptionsLoaded(store.filter_options(self.app.session.actor(), brand_id)))

    def on_options_loaded(self, message: OptionsLoaded) -> None:
        options, now = message.options, self.current
        fill = {
            "stages": [(s.label, s.value, s in now.stages) for s in Stage],
            "channels": [
                (f"{c.platform.value} {c.handle}", c.id, c.id in now.channel_ids)
                for c in options.channels
            ],
            "owners": [(login, login, login in now.owner_logins) for login in options.owners],
            "campaigns": [(name, cid, cid in now.campaign_ids) for cid, name in options.campaigns],
            "pillars": [(name, pid, pid in now.pillar_ids) for pid, name in options.pillars],
        }
        for name in self.lists:
            # People's names as plain text: a channel called "[b]" is shown, not obeyed.
            self.query_one(f"#filter-{name}", SelectionList).add_options(
                [(Text(label), value, on) for label, value, on in fill[name]]
            )
        self.query_one(f"#filter-{self.lists[0]}", SelectionList).focus()

    def chosen(self, name: str) -> tuple:
        """The values ticked in one list (nothing for a list this filter does not show)."""
        if name not in self.lists:
            return ()
        return tuple(self.query_one(f"#filter-{name}", SelectionList).selected)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.action_apply() if event.button.id == "filter-apply" else self.action_clear()

    def action_apply(self) -> None:
        self.dismiss(
            CalendarFilter(
                channel_ids=self.chosen("channels"),
                campaign_ids=self.chosen("campaigns"),
                pillar_ids=self.chosen("pillars"),
                owner_logins=self.chosen("owners"),
                stages=tuple(Stage(s) for s in self.chosen("stages")),
            )
        )

    def action_clear(self) -> None:
        self.dismiss(CalendarFilter())

    def action_cancel(self) -> None:
        self.dismiss(None)
