"""The column types the models share: UTC moments and days as sortable text, flags as 0/1, and
people's text through the text gate on the way in and out."""

from __future__ import annotations

from datetime import UTC, date, datetime

from peewee import BooleanField, CharField, DateField, DateTimeField, TextField

from ..text import clean

_STAMP = "%Y-%m-%d %H:%M:%S"


class UTCDateTimeField(DateTimeField):
    """A moment stored as UTC text `YYYY-MM-DD HH:MM:SS` (sortable, readable in the sqlite3 shell)."""

    def db_value(self, value):
        if value is None:
            return None
        if isinstance(value, str):
            return value
        if value.tzinfo is None:
            raise ValueError("naive datetime: store functions take aware datetimes")
        return value.astimezone(UTC).strftime(_STAMP)

    def python_value(self, value):
        if value is None:
            return None
        if isinstance(value, datetime):
            return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
        # fromisoformat reads "YYYY-MM-DD HH:MM:SS" several times faster than strptime.
        return datetime.fromisoformat(value).replace(tzinfo=UTC)


class DayField(DateField):
    """A calendar day stored as `YYYY-MM-DD` text."""

    def db_value(self, value):
        if value is None or isinstance(value, str):
            return value
        return value.isoformat()

    def python_value(self, value):
        if value is None or isinstance(value, date):
            return value
        return date.fromisoformat(value)


class Flag(BooleanField):
    """A boolean stored as 0/1 in an INTEGER column, the same on SQLite and PostgreSQL."""

    field_type = "INTEGER"

    def db_value(self, value):
        return None if value is None else int(bool(value))


class Line(CharField):
    """One line of people's text (a title, a name, a handle): through the text gate both ways."""

    def db_value(self, value):
        return super().db_value(None if value is None else clean(value))

    def python_value(self, value):
        return None if value is None else clean(value)


class Prose(TextField):
    """Text with lines (a caption, a brief, a note): through the text gate both ways."""

    def db_value(self, value):
        return super().db_value(None if value is None else clean(value, lines=True))

    def python_value(self, value):
        return None if value is None else clean(value, lines=True)
