"""How the screens say things that several of them say."""

from __future__ import annotations

from datetime import timedelta


def ago(delta: timedelta) -> str:
    """A lateness in a few characters: `5h`, or `3d` from two days on."""
    hours = int(delta.total_seconds() // 3600)
    return f"{hours // 24}d" if hours >= 48 else f"{max(hours, 1)}h"
