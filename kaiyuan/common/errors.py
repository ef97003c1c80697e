"""The base of every domain exception: a refusal the user can read, with a stable code."""

from __future__ import annotations

from typing import Any

from django.db import OperationalError
from django.utils.translation import gettext_lazy as _


class DomainError(Exception):
    """A business rule refused an action. ``message`` is shown to the user (Chinese by default).

    ``code`` is stable and machine-readable (the API returns it); ``field`` names the form field the
    message belongs to, when there is one.
    """

    code = "domain_error"

    def __init__(self, message: Any, *, code: str | None = None, field: str | None = None) -> None:
        super().__init__(str(message))
        self.message = str(message)
        if code is not None:
            self.code = code
        self.field = field

    def __str__(self) -> str:
        return self.message


class ConcurrentUpdate(DomainError):
    """The record changed since the user loaded it; saving would overwrite someone else's work."""

    code = "concurrent_update"


class TransitionNotAllowed(DomainError):
    code = "transition_not_allowed"


# What SQLite says when another writer still holds the database past the busy timeout. On the
# embedded database that is a save racing another one (or a long background job): the same
# situation as ConcurrentUpdate, and answered the same way rather than as a server error.
DATABASE_LOCKED = "database is locked"

CONCURRENT_SAVE_MESSAGE = _(
    "Someone else was saving at the same moment, so your changes were not saved. Reload the "
    "page to see the current record, then make them again."
)


def is_database_locked(exc: BaseException) -> bool:
    return isinstance(exc, OperationalError) and DATABASE_LOCKED in str(exc)
