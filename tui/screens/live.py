"""Screens that show data from the store and stay current while they are open, shown or not."""

from __future__ import annotations

from textual.screen import Screen

import store


class LiveScreen(Screen):
    """Registers with the app while mounted; each change the app hears of (from another process
    or its own write) reaches `changed`, which reloads only when the screen shows what changed.
    A screen in another mode stays current too: switching back shows current data at once."""

    #: How many times the screen reloaded (the benchmark and the tests count them).
    reloads = 0

    def on_mount(self) -> None:
        self.app.live_screens.append(self)

    def on_unmount(self) -> None:
        if self in self.app.live_screens:
            self.app.live_screens.remove(self)

    def changed(self, batch: store.ChangeBatch) -> None:
        """Reload if the screen shows something that changed (or the feed cannot say)."""
        if not batch.complete or self.shows(batch):
            self.reloads += 1
            self.reload()

    def brand_changed(self) -> None:
        """The app now shows another brand (or all of them)."""
        self.reloads += 1
        self.reload()

    def shows(self, batch: store.ChangeBatch) -> bool:
        """Whether anything in `batch` is on this screen (by default: anything at all)."""
        return True

    def reload(self) -> None:
        """Load what the screen shows again."""
        raise NotImplementedError
