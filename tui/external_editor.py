"""Handing a piece of text to the user's own $EDITOR, with the app suspended meanwhile."""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import tempfile
from pathlib import Path

from textual.app import App, SuspendNotSupported

#: Tried in turn when neither $VISUAL nor $EDITOR is set, as git and crontab do.
FALLBACKS = ("editor", "nano", "vi")


def editor_command() -> str | None:
    """$VISUAL, else $EDITOR, else the first of editor, nano, vi this machine has."""
    chosen = os.environ.get("VISUAL") or os.environ.get("EDITOR")
    if chosen:
        return chosen
    return next((name for name in FALLBACKS if shutil.which(name)), None)


def edit_externally(app: App, text: str) -> str | None:
    """The text after the user's editor has had it, or None (and a notice saying why) if it
    could not run."""
    command = editor_command()
    if not command:
        app.notify(
            "No editor found: set $EDITOR (or install nano or vi) to write captions in it.",
            severity="warning",
        )
        return None
    with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False, encoding="utf-8") as handle:
        handle.write(text)
    path = Path(handle.name)
    try:
        with app.suspend():
            subprocess.run([*shlex.split(command), str(path)], check=False)
        return path.read_text(encoding="utf-8")
    except SuspendNotSupported:
        app.notify(
            "This terminal cannot hand over to $EDITOR; edit the caption here.", severity="warning"
        )
    except OSError as error:
        app.notify(f"Could not run $EDITOR ({command}): {error}", severity="warning")
    finally:
        path.unlink(missing_ok=True)
    return None
