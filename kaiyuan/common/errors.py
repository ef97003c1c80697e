"""The base of every domain exception: a refusal the user can read, with a stable code."""

from __future__ import annotations

from typing import Any


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
