"""Pages that never COUNT: fetching one row more than a page shows tells whether a next page
exists, so a list over 120,000 households costs the same as one over 100 (DESIGN.md §6)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet


@dataclass(frozen=True)
class ProbePage:
    items: list[Any]
    number: int
    has_next: bool

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def has_other_pages(self) -> bool:
        return self.has_next or self.has_previous

    @property
    def next_page_number(self) -> int:
        return self.number + 1

    @property
    def previous_page_number(self) -> int:
        return self.number - 1

    def __iter__(self):
        return iter(self.items)

    def __len__(self) -> int:
        return len(self.items)


def page_number(raw: str | None) -> int:
    """The page asked for in ``?page=``: 1 for anything missing or not a positive number."""
    try:
        return max(1, int(raw or 1))
    except ValueError:
        return 1


def probe_page(queryset: QuerySet, raw_number: str | None, *, size: int = 50) -> ProbePage:
    number = page_number(raw_number)
    offset = (number - 1) * size
    rows = list(queryset[offset : offset + size + 1])
    return ProbePage(items=rows[:size], number=number, has_next=len(rows) > size)


def query_without_page(request) -> str:
    """The current query string minus ``page``, for the pager's links."""
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()
