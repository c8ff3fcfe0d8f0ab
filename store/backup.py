"""Consistent copies of a live database, safe while others keep writing."""

from __future__ import annotations

from pathlib import Path

from peewee import Database

from .db import database
from .errors import ValidationError


def backup_to(target: str | Path, db: Database | None = None) -> Path:
    """Write a compact, consistent copy of the open SQLite database to `target` (VACUUM INTO)."""
    target = Path(target)
    if target.exists():
        raise ValidationError("path", f"{target} already exists; choose a new file")
    if not target.parent.is_dir():
        raise ValidationError("path", f"folder {target.parent} does not exist")
    (db or database).execute_sql("VACUUM INTO ?", (str(target),))
    return target
