"""The bottom line of every screen: its keys, drawn as one line of text.

Textual's Footer builds a widget per key and rebuilds them all whenever the bindings change
(every focus change, every screen switch): measured here, most of a screen switch. This draws
the same keys as text, so a change costs one line. The app's own keys (the screens, brand,
help, palette) keep the right-hand end at every width; the screen's keys share what is left,
and `?` lists them all.
"""

from __future__ import annotations

from textual.app import App
from textual.content import Content
from textual.widget import Widget


class KeyBar(Widget):
    """The shown bindings of the screen (focused widget first, then the screen), then the app's."""

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
        key_style = f"bold {accent}"
        active = self.screen.active_bindings
        by_action: dict[str, tuple] = {}
        modes: list[tuple[str, bool]] = []
        for _, (node, binding, enabled, _) in active.items():
            if isinstance(node, App):
                if binding.action.startswith("show_mode") and enabled:
                    modes.append((self.app.get_key_display(binding), binding.action))
                continue
            if binding.show:
                by_action.setdefault(binding.action, (binding, enabled))
        parts: list[tuple[str, str]] = []
        for binding, enabled in by_action.values():
            key = self.app.get_key_display(binding)
            parts += [
                (f" {key} ", key_style if enabled else "dim"),
                (f"{binding.description} ", "" if enabled else "dim"),
            ]
        keys = Content.assemble(*parts)
        tail = self._app_keys(modes, key_style, roomy=self.size.width >= 100)
        if keys.cell_length + tail.cell_length > self.size.width:
            tail = self._app_keys(modes, key_style, roomy=False)
        room = max(self.size.width - tail.cell_length, 0)
        if keys.cell_length > room:
            keys = keys.truncate(room, ellipsis=True)
        return keys.pad_right(room - keys.cell_length) + tail

    def _app_keys(self, modes, key_style: str, *, roomy: bool) -> Content:
        """`1 2 3 screens  b brand  ? help  ^p palette`, the current screen's number lit."""
        current = f"show_mode('{self.app.current_mode}')"
        parts: list[tuple[str, str]] = []
        if modes:
            parts.append((" ", ""))
            for key, action in modes:
                parts.append((key, "reverse bold" if action == current else key_style))
                parts.append((" ", ""))
            parts.append(("screens " if roomy else "", ""))
        active = self.screen.active_bindings
        if "b" in active and active["b"].enabled:
            parts += [(" b ", key_style), ("brand " if roomy else "", "")]
        if "question_mark" in active:
            parts += [(" ? ", key_style), ("help ", "")]
        if self.app.COMMAND_PALETTE_BINDING in active and self.app.ENABLE_COMMAND_PALETTE:
            parts += [(" ^p ", key_style), ("palette " if roomy else "", "")]
        return Content.assemble(*parts)
