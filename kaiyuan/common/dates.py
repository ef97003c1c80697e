"""Today, months, quarters and working days, computed in one place.

"Today" is the calendar date in Asia/Shanghai (settings.TIME_ZONE) whatever the server's zone:
every rule reads it from ``today()``, never from the server's own date (ruff's DTZ011 and a
banned-api entry for Django's localdate refuse both outside this module). Working days follow
the official holiday calendar of ``kaiyuan.policy.models.CalendarDay``.
"""

from __future__ import annotations

import datetime
import logging
import time
from dataclasses import dataclass

from django.utils import timezone

logger = logging.getLogger(__name__)


def today() -> datetime.date:
    return timezone.localdate()


def local_date(moment: datetime.datetime) -> datetime.date:
    """The date in Asia/Shanghai of an aware ``moment`` (a visit recorded at 07:30 Beijing time
    is stored as 23:30 UTC of the day before)."""
    return timezone.localdate(moment)


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


# ---- working days ------------------------------------------------------------------------
# The holiday table is read once and kept for a few minutes: a list page counts working days for
# each of its rows. Saving or deleting a day in this process forgets it at once; other processes
# (the other web workers, Celery) see the change within CALENDAR_CACHE_SECONDS.
CALENDAR_CACHE_SECONDS = 300


@dataclass(frozen=True)
class WorkingCalendar:
    holidays: frozenset[datetime.date]  # Monday to Friday days off
    workdays: frozenset[datetime.date]  # Saturdays and Sundays worked (调休上班)
    years: frozenset[int]  # the years of which the notice has been entered

    def is_working_day(self, day: datetime.date) -> bool:
        if day in self.workdays:
            return True
        return day.weekday() < 5 and day not in self.holidays


_cached: tuple[float, WorkingCalendar] | None = None


def working_calendar() -> WorkingCalendar:
    global _cached
    now = time.monotonic()
    if _cached is None or now - _cached[0] > CALENDAR_CACHE_SECONDS:
        _cached = (now, _load_calendar())
    return _cached[1]


def forget_calendar(**_signal) -> None:
    """Read the table again on next use (connected to CalendarDay's save and delete)."""
    global _cached
    _cached = None


def _load_calendar() -> WorkingCalendar:
    from kaiyuan.policy.models import CalendarDay

    holidays, workdays = set(), set()
    for day, kind in CalendarDay.objects.values_list("day", "kind"):
        weekend = day.weekday() >= 5
        if kind == CalendarDay.Kind.WORKDAY and weekend:
            workdays.add(day)
        elif kind == CalendarDay.Kind.HOLIDAY and not weekend:
            holidays.add(day)  # a weekend inside a holiday is a day off anyway
    calendar = WorkingCalendar(
        frozenset(holidays), frozenset(workdays), frozenset(d.year for d in holidays | workdays)
    )
    if today().year not in calendar.years:
        # Deadlines still count Monday to Friday, which is wrong around 春节 and 国庆节.
        logger.warning(
            "The holiday calendar has no days for %s: enter the State Council's notice in the "
            "admin (policy settings, holiday calendar).",
            today().year,
        )
    return calendar


def is_working_day(day: datetime.date) -> bool:
    """Monday to Friday, except the public holidays of the official calendar, plus the weekends
    it makes working days (调休上班)."""
    return working_calendar().is_working_day(day)


def add_working_days(day: datetime.date, days: int) -> datetime.date:
    """The day that is ``days`` working days after ``day`` (the official calendar)."""
    calendar = working_calendar()
    current = day
    remaining = days
    while remaining > 0:
        current += datetime.timedelta(days=1)
        if calendar.is_working_day(current):
            remaining -= 1
    return current


def working_days_between(start: datetime.date, end: datetime.date) -> int:
    """Working days after ``start`` up to and including ``end``: the inverse of
    ``add_working_days`` (``working_days_between(d, add_working_days(d, n)) == n``)."""
    if end <= start:
        return 0
    calendar = working_calendar()
    weeks, rest = divmod((end - start).days, 7)
    # Whole weeks have five weekdays; the calendar's days inside them correct the count.
    last_of_weeks = start + datetime.timedelta(days=weeks * 7)
    count = weeks * 5
    count -= sum(1 for d in calendar.holidays if start < d <= last_of_weeks)
    count += sum(1 for d in calendar.workdays if start < d <= last_of_weeks)
    day = last_of_weeks
    for _step in range(rest):
        day += datetime.timedelta(days=1)
        if calendar.is_working_day(day):
            count += 1
    return count
