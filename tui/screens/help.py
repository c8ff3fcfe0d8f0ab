"""`?`: every key of the current screen and of the app, with what it does."""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import DataTable, Label

from store import RULES

from ..styles import STAGE_COLOUR, STAGE_MARK


def describe_keys(screen: Screen) -> list[tuple[str, str, str]]:
    """(keys, what, where) for each binding active on `screen`, the screen's own first."""
    rows: dict[tuple[str, str], list[str]] = {}
    for active in screen.active_bindings.values():
        binding = active.binding
        if not binding.description:
            continue
        where = "app" if isinstance(active.node, App) else "screen"
        shown = binding.key_display or screen.app.get_key_display(binding)
        keys = rows.setdefault((where, binding.description), [])
        if shown not in keys:
            keys.append(shown)
    ordered = sorted(rows.items(), key=lambda item: item[0][0] != "screen")
    return [(" ".join(keys), what, where) for (where, what), keys in ordered]


class HelpScreen(ModalScreen[None]):
    """The keys that work right now, and what the calendar's marks mean."""

    BINDINGS = [
        Binding("escape,question_mark,q", "dismiss", "Close", key_display="esc", id="help.close")
    ]

    def __init__(self, behind: Screen):
        super().__init__()
        self.behind = behind

    def compose(self) -> ComposeResult:
        with VerticalScroll(classes="dialog"):
            yield Label("Keys", classes="dialog-title")
            yield DataTable(id="keys", cursor_type="row", zebra_stripes=True)
            glyphs = "  ".join(f"{rule.glyph} {rule.platform.value}" for rule in RULES.values())
            yield Label(f"Channels: {glyphs}", classes="hint")
            stages = "  ".join(
                f"[{STAGE_COLOUR[stage]}]{STAGE_MARK[stage]} {stage.label}[/]"
                for stage in STAGE_COLOUR
            )
            yield Label(f"Stages: {stages}", classes="hint")

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_columns("Key", "Does", "Where")
        for keys, what, where in describe_keys(self.behind):
            table.add_row(keys, what, where)
