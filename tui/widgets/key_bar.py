"""The bottom line of every screen: its keys, drawn as one line of text.

Textual's Footer builds a widget per key and rebuilds them all whenever the bindings change
(every focus change, every screen switch): measured here, most of a screen switch. This draws
the same keys as text, so a change costs one line.
"""

from __future__ import annotations

from textual.content import Content
from textual.widget import Widget


class KeyBar(Widget):
    """The shown bindings of the screen (focused widget first, then the screen, then the app)."""

    DEFAULT_CSS = """
    KeyBar {
        dock: bottom;
        height: 1;
        background: $panel;
        color: $foreground;
    }
    """

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed)

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def _bindings_changed(self, screen) -> None:
        if screen is self.screen:
            self.refresh()

    def render(self) -> Content:
        accent = self.app.current_theme.accent or "#ffa62b"
        active = self.screen.active_bindings
        by_action: dict[str, tuple] = {}
        for _, binding, enabled, _ in active.values():
            if binding.show and binding.key != "question_mark":
                by_action.setdefault(binding.action, (binding, enabled))
        parts: list[tuple[str, str]] = []
        for binding, enabled in by_action.values():
            key = self.app.get_key_display(binding)
            parts += [
                (f" {key} ", f"bold {accent}" if enabled else "dim"),
                (f"{binding.description} ", "" if enabled else "dim"),
            ]
        # Help and the palette stay at the right edge, whatever the width.
        right: list[tuple[str, str]] = []
        if "question_mark" in active:
            right += [(" ? ", f"bold {accent}"), ("help ", "")]
        if self.app.COMMAND_PALETTE_BINDING in active and self.app.ENABLE_COMMAND_PALETTE:
            right += [(" ^p ", f"bold {accent}"), ("palette ", "")]
        keys, tail = Content.assemble(*parts), Content.assemble(*right)
        room = max(self.size.width - tail.cell_length, 0)
        if keys.cell_length > room:
            keys = keys.truncate(room, ellipsis=True)
        return keys.pad_right(room - keys.cell_length) + tail
