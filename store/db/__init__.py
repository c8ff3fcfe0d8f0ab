"""The database: the connection and its settings, the models, migrations, backups, and the file
itself on a shared server."""

from .backup import backup_to, copy_database
from .connection import (
    close_database,
    database,
    default_location,
    demo_location,
    is_url,
    read_only_reason,
    reading,
    resolve_location,
    writing,
)
from .opening import open_database, upgrade_database

__all__ = [
    "backup_to",
    "close_database",
    "copy_database",
    "database",
    "default_location",
    "demo_location",
    "is_url",
    "open_database",
    "read_only_reason",
    "reading",
    "resolve_location",
    "upgrade_database",
    "writing",
]
