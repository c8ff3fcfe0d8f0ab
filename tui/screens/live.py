"""Screens that show data from the store and stay current while they are open, shown or not."""

from __future__ import annotations

from textual.screen import Screen


class LiveScreen(Screen):
    """Registers with the app while mounted, so a change anywhere reloads it (`reload`), even
    when another mode is in front: switching back then shows current data at once."""

    def on_mount(self) -> None:
        self.app.live_screens.append(self)

    def on_unmount(self) -> None:
        if self in self.app.live_screens:
            self.app.live_screens.remove(self)

    def reload(self) -> None:
        """Load what the screen shows again."""
        raise NotImplementedError
