"""`?`: every key of the current screen and of the app, with what it does, and what the marks
mean; one scrolling page, so its last line can be reached at 80×24."""

from __future__ import annotations

from rich.text import Text
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Label, Static

from store import RULES

from ..styles import STAGE_COLOUR, STAGE_MARK

NBSP = "\u00a0"
TEXTUAL_KEYS = frozenset({"app.focus_next", "app.focus_previous", "screen.copy_text"})


def describe_keys(screen: Screen) -> list[tuple[str, str, str]]:
    """(keys, what, where) for each binding active on `screen`, the screen's own first."""
    rows: dict[tuple[str, str], list[str]] = {}
    for active in screen.active_bindings.values():
        binding = active.binding
        if not binding.description or not active.enabled:
            continue
        # A focused widget's hidden keys (scrolling) and Textual's own (focus, copy) are the
        # same everywhere; the page is about Postroom's.
        if active.node is not screen and not isinstance(active.node, App) and not binding.show:
            continue
        if binding.action in TEXTUAL_KEYS:
            continue
        where = "app" if isinstance(active.node, App) else "screen"
        shown = binding.key_display or screen.app.get_key_display(binding)
        keys = rows.setdefault((where, binding.description), [])
        if shown not in keys:
            keys.append(shown)
    ordered = sorted(rows.items(), key=lambda item: item[0][0] != "screen")
    # Textual's own descriptions are lower case ("palette"); Postroom's start with a capital.
    return [(" ".join(keys), what[:1].upper() + what[1:], where) for (where, what), keys in ordered]


def help_text(rows: list[tuple[str, str, str]], legend: str = "") -> Text:
    """The keys in two groups, the screen's own marks (`legend`), then the channel marks and
    stage marks, wrapping at any width."""
    text = Text()
    for where, heading in (("screen", "This screen"), ("app", "Everywhere")):
        text.append(f"{heading}\n", style="bold underline")
        width = max((len(k) for k, _, w in rows if w == where), default=0)
        for keys, what, w in rows:
            if w == where:
                text.append(f"  {keys:<{width}}  ", style="bold")
                text.append(f"{what}\n")
        text.append("\n")
    if legend:
        text.append("Marks\n", style="bold underline")
        text.append(f"{legend}\n\n")
    text.append("Channels\n", style="bold underline")
    # No-break spaces inside each entry: a legend wraps between entries, never inside one.
    text.append_text(
        Text("  ").join(Text(f"{r.glyph}{NBSP}{r.platform.value}") for r in RULES.values())
    )
    text.append("\n\nStages\n", style="bold underline")
    text.append_text(
        Text("  ").join(
            Text(f"{STAGE_MARK[s]} {s.label}".replace(" ", NBSP), style=STAGE_COLOUR[s])
            for s in STAGE_COLOUR
        )
    )
    return text


class HelpScreen(ModalScreen[None]):
    """The keys that work right now, and what the calendar's marks mean."""

    BINDINGS = [
        Binding("escape,question_mark,q", "dismiss", "Close", key_display="esc", id="help.close")
    ]

    def __init__(self, behind: Screen):
        super().__init__()
        self.behind = behind
        self.rows = describe_keys(behind)

    def compose(self) -> ComposeResult:
        with VerticalScroll(classes="dialog", id="help"):
            yield Label("Keys   ↑↓ scroll · esc closes", classes="dialog-title")
            legend = getattr(self.behind, "LEGEND", "")
            yield Static(help_text(self.rows, legend), id="help-text")

    def on_mount(self) -> None:
        self.query_one("#help").focus()
