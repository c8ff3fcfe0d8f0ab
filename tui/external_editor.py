"""Handing a piece of text to the user's own $EDITOR, with the app suspended meanwhile."""

from __future__ import annotations

import os
import shlex
import subprocess
import tempfile
from pathlib import Path

from textual.app import App, SuspendNotSupported


def edit_externally(app: App, text: str) -> str | None:
    """The text after $VISUAL/$EDITOR has had it, or None (and a notice saying why) if it could not run."""
    command = os.environ.get("VISUAL") or os.environ.get("EDITOR")
    if not command:
        app.notify("Set $EDITOR to write captions in your own editor.", severity="warning")
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
