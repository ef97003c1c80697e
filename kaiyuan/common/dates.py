"""Months and quarters, computed in one place (Asia/Shanghai)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.utils import timezone


def today() -> datetime.date:
    return timezone.localdate()


@dataclass(frozen=True)
class Period:
    start: datetime.date  # first day
    end: datetime.date  # last day (inclusive)

    def __contains__(self, day: datetime.date) -> bool:
        return self.start <= day <= self.end


def month_of(day: datetime.date) -> Period:
    start = day.replace(day=1)
    next_month = (start + datetime.timedelta(days=32)).replace(day=1)
    return Period(start, next_month - datetime.timedelta(days=1))


def quarter_of(day: datetime.date) -> Period:
    first_month = 3 * ((day.month - 1) // 3) + 1
    start = datetime.date(day.year, first_month, 1)
    end = month_of(datetime.date(day.year, first_month + 2, 1)).end
    return Period(start, end)


def add_months(day: datetime.date, months: int) -> datetime.date:
    """The same day ``months`` later, clipped to the month's end (31 Aug + 6 months = 28/29 Feb)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    last = month_of(datetime.date(year, month + 1, 1)).end.day
    return datetime.date(year, month + 1, min(day.day, last))


def add_working_days(day: datetime.date, days: int) -> datetime.date:
    """``days`` working days after ``day`` (Monday to Friday; public holidays are not modelled)."""
    current = day
    remaining = days
    while remaining > 0:
        current += datetime.timedelta(days=1)
        if current.weekday() < 5:
            remaining -= 1
    return current
