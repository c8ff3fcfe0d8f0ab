"""The private Textual APIs Postroom leans on, each in one place with why.

Checked on Textual 8.2.8 (`CHECKED_ON`); tests/tui/test_textual_internals.py exercises each one
and fails, naming that version, when an upgrade changes them.
"""

from __future__ import annotations

from textual.app import App

CHECKED_ON = "8.2.8"


def build_mode(app: App, mode: str) -> None:
    """Build a mode's screen now, without switching to it (Textual builds it on first switch;
    `_init_mode` is that step on its own)."""
    app._init_mode(mode)
    # The screen was styled as it mounted, with the stylesheet as it is now; without this mark,
    # its first showing would re-style every widget of the app (a theme change later still bumps
    # the app's count and restyles it).
    app._screen_stacks[mode][0]._css_update_count = app._css_update_count


def build_screen(app: App, screen) -> None:
    """Compose and mount an installed screen now, without showing it (Textual does it on first
    push; `_get_screen` registers it when it is not running)."""
    app._get_screen(screen)
    screen._css_update_count = app._css_update_count


def keep_styles(screen, resume) -> None:
    """Called from a screen's `on_screen_resume` (a subclass's handler runs before Textual's): a screen
    shown again restyles every widget it holds (tens of ms for a form), though nothing it is
    styled by changed; skip that when the app's stylesheet is the one it was styled with (a
    push restyles a screen whose count is behind)."""
    if screen._css_update_count == screen.app._css_update_count:
        resume.refresh_styles = False
    elif resume.refresh_styles:
        screen._css_update_count = screen.app._css_update_count  # restyled by this resume


def mode_is_built(app: App, mode: str) -> bool:
    """Whether the mode's screen exists already."""
    return bool(app._screen_stacks.get(mode))


def mode_stack(app: App, mode: str) -> list:
    """The screens of a mode, its own screen first (empty before it is built)."""
    return list(app._screen_stacks.get(mode, ()))
