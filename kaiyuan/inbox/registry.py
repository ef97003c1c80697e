"""The sources of the 待办 inbox.

Each app declares, in its ``selectors/<sub-domain>.py``, the kinds of work that wait for someone
(the cases awaiting a township review, the warnings to verify, the visits due) as ``Source``s,
and registers them in its ``AppConfig.ready()``. A source is a query over the records as they
are (the objects in the state that waits, scoped by ``visible_to``), never a stored copy, so the
inbox cannot disagree with the records: an item appears when its object enters the state and is
gone once the step is taken. Notices (``kaiyuan.inbox.models.Notice``) are the one stored source:
a message to the user who proposed a case that a later level returned or decided it.

A source also says how to read one of its objects as an ``Entry`` (what, for which household or
project, since when, by which deadline, and the page where the step is taken).
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.db.models import QuerySet
from django.utils.functional import Promise

from kaiyuan.accounts.capabilities import user_can


@dataclass(frozen=True)
class Entry:
    """One waiting item as the inbox shows it.

    ``since`` is when the object entered the state that waits (a date or a moment);
    ``deadline`` the date the rules set for the step, or None where the plan sets none; ``url``
    the page where the step is taken. ``open_url`` is set for notices: opening one is a POST
    that marks it read and goes on to ``url``."""

    subject: str
    url: str
    since: datetime.date | datetime.datetime | None = None
    deadline: datetime.date | None = None
    detail: str = ""
    open_url: str = ""


@dataclass(frozen=True)
class Source:
    """A kind of work that waits.

    ``capability`` is the capability of the role that sees it (None: every signed-in user, for
    their own notices); ``applies`` narrows it further where a capability is shared by roles
    that do different work (a read-only watch for leaders and auditors). ``items(user)`` is the
    scoped queryset of the waiting objects, in the order the inbox lists them, joined so that a
    page of them costs the same whatever its length; ``entry(obj)`` reads one of them. A
    ``watch`` source is for following, not acting: the inbox labels it as such."""

    key: str
    label: Promise | str
    capability: str | None
    items: Callable[[Any], QuerySet]
    entry: Callable[[Any], Entry]
    watch: bool = False
    applies: Callable[[Any], bool] | None = None

    def is_for(self, user) -> bool:
        if not getattr(user, "is_authenticated", False) or not user.is_active:
            return False
        if self.capability is not None and not user_can(user, self.capability):
            return False
        return self.applies is None or self.applies(user)


_SOURCES: dict[str, Source] = {}


def register(*sources: Source) -> None:
    """Add ``sources``; a key registered twice by two different sources fails at start-up."""
    for source in sources:
        known = _SOURCES.get(source.key)
        if known is not None and known is not source:
            raise ImproperlyConfigured(f"inbox source {source.key!r} registered twice")
        _SOURCES[source.key] = source


def unregister(key: str) -> None:
    """Remove a source (for tests that register their own)."""
    _SOURCES.pop(key, None)


def all_sources() -> list[Source]:
    """Every source, in the order the apps registered them."""
    return list(_SOURCES.values())


def sources_for(user) -> list[Source]:
    """The sources ``user``'s role sees."""
    return [source for source in _SOURCES.values() if source.is_for(user)]


def source_for(user, key: str) -> Source | None:
    """The source ``key`` if ``user`` sees it, else None (an unknown key answers alike)."""
    source = _SOURCES.get(key)
    return source if source is not None and source.is_for(user) else None


def keys(sources: Iterable[Source]) -> list[str]:
    return [source.key for source in sources]
