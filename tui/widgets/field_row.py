"""A field with its name beside it, so that a filled field still says what it is."""

from __future__ import annotations

from textual.containers import Horizontal
from textual.widgets import Label


def row(label: str, *widgets) -> Horizontal:
    """`label` at the left (styled by `.field-name`), the widgets taking the rest of the line."""
    return Horizontal(Label(label, classes="field-name"), *widgets, classes="field-row")
