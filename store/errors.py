"""The exceptions the store raises; each message is fit to show to a user as it is."""


class PostroomError(Exception):
    """Base of every refusal or failure the store reports to a user."""


class PermissionDenied(PostroomError):
    """The actor's role or brand access does not allow the action."""


class InvalidTransition(PostroomError):
    """The workflow does not allow the post to move to that stage now."""


class Conflict(PostroomError):
    """Someone else saved a newer version first; the message names who and when."""


class NotFound(PostroomError):
    """The thing asked for does not exist (or the actor may not see it)."""


class ValidationError(PostroomError):
    """Input that cannot be accepted; `field` names where the problem is."""

    def __init__(self, field: str, message: str):
        super().__init__(f"{field}: {message}")
        self.field = field
        self.reason = message


class DatabaseRefused(PostroomError):
    """The database file cannot be used safely (schema too new, SQLite too old, unreadable)."""


class ReadOnly(PostroomError):
    """This process may only read the database; the message says why (owner, group, mode)."""


class StorageFull(PostroomError):
    """The disk is full; the write was rolled back, nothing half-written."""
