"""The exceptions the store raises; each message is fit to show to a user as it is."""

from .text import clean

#: A refusal that echoes what someone typed says no more than this many characters of it.
MAX_WORDS = 400


def _said(words: str) -> str:
    """A refusal's words as a person may be shown them: one line, no control characters (they
    often echo input), and not a screenful."""
    words = clean(words)
    return words if len(words) <= MAX_WORDS else words[: MAX_WORDS - 1] + "…"


class PostroomError(Exception):
    """Base of every refusal or failure the store reports to a user. Its words are cleaned and
    shortened here, once, so that no refusal that quotes input can carry that input's escapes."""

    def __init__(self, *args: object):
        if len(args) == 1 and isinstance(args[0], str):
            args = (_said(args[0]),)
        super().__init__(*args)


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
        self.reason = _said(message)


class DatabaseRefused(PostroomError):
    """The database file cannot be used safely (schema too new, SQLite too old, unreadable)."""


class ReadOnly(PostroomError):
    """This process may only read the database; the message says why (owner, group, mode)."""


class StorageFull(PostroomError):
    """The disk is full; the write was rolled back, nothing half-written."""


class FileRefused(PostroomError):
    """A file that cannot be taken whole: every problem, each naming its line and column."""

    def __init__(self, path: str, problems: list[str]):
        head = (
            f"{path}: {len(problems)} problem{'s' if len(problems) != 1 else ''}, nothing imported"
        )
        super().__init__(head)
        self.problems = problems
