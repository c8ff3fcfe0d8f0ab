"""`b`: show one brand, or all brands you can see."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Label, OptionList
from textual.widgets.option_list import Option

from store import BrandInfo

ALL = "all"


class BrandPicker(ModalScreen[int | None | bool]):
    """Dismisses with a brand id, None for all brands, or False when cancelled."""

    BINDINGS = [Binding("escape", "cancel", "Cancel", id="brand.cancel")]

    def __init__(self, brands: list[BrandInfo], current: int | None):
        super().__init__()
        self.brands = brands
        self.current = current

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label("Show which brand?", classes="dialog-title")
            # A brand's name is people's text: plain, never markup ("Deals [/b]" is a name).
            options = [Option("All brands", id=ALL)] + [
                Option(Content.assemble(b.name, ("  " + b.slug, "dim")), id=str(b.id))
                for b in self.brands
            ]
            yield OptionList(*options)

    def on_mount(self) -> None:
        option_list = self.query_one(OptionList)
        option_list.highlighted = option_list.get_option_index(
            ALL if self.current is None else str(self.current)
        )

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(None if event.option.id == ALL else int(event.option.id))

    def action_cancel(self) -> None:
        self.dismiss(False)
