"""The stored visit counts (Household.village_visits …) give the same status as counting the
visits themselves, at period boundaries too; they follow each recorded visit and a changed
policy; a period other than the stored one is counted from the visits."""

from __future__ import annotations

import datetime

import pytest

from kaiyuan.common import dates
from kaiyuan.policy.models import PolicySettings
from monitoring.models import Household, Visit
from monitoring.rules.visits import (
    _status_subquery,
    month_obligation,
    quarter_obligation,
    refresh_visit_counts,
    with_month_status,
    with_quarter_status,
)
from monitoring.services.visits import visit_record
from tests.monitoring.factories import make_household

pytestmark = pytest.mark.django_db
ANSWERS = dict(
    child_out_of_school=False, housing_unsafe=False, member_uninsured=False, water_unsafe=False
)


def _visit(household, day, level, visitor):
    Visit.objects.create(
        household=household,
        area=household.area,
        visitor=visitor,
        level=level,
        visited_on=day,
        method=Visit.Method.ON_SITE,
        **ANSWERS,
    )


@pytest.fixture
def households(village_a, grid_worker_a, clerk_a):
    old = datetime.datetime(2023, 1, 1, tzinfo=datetime.UTC)
    made = []
    # visits spread over two quarters, including both ends of months
    days = [
        datetime.date(2026, 9, 30),
        datetime.date(2026, 10, 1),
        datetime.date(2026, 10, 31),
        datetime.date(2026, 11, 1),
        datetime.date(2026, 11, 30),
        datetime.date(2026, 12, 1),
    ]
    for index in range(12):
        household = make_household(village_a, head_name=f"户{index}")
        Household.objects.filter(pk=household.pk).update(created_at=old)
        for position, day in enumerate(days):
            if (index >> position) & 1:
                _visit(household, day, Visit.Level.VILLAGE, grid_worker_a)
            if (index + position) % 5 == 0:
                _visit(household, day, Visit.Level.TOWNSHIP, clerk_a)
        made.append(household)
    return made


def _live(households, today):
    month, quarter = month_obligation(today), quarter_obligation(today)
    rows = Household.objects.filter(pk__in=[h.pk for h in households]).annotate(
        m=_status_subquery(month, today), q=_status_subquery(quarter, today)
    )
    return {row.pk: (row.m, row.q) for row in rows}


def _shown(households, today):
    rows = Household.objects.filter(pk__in=[h.pk for h in households])
    rows = with_quarter_status(
        with_month_status(rows, day=today, today=today), day=today, today=today
    )
    return {row.pk: (row.month_status, row.quarter_status) for row in rows}


@pytest.mark.parametrize(
    "today",
    [
        datetime.date(2026, 11, 30),  # the last day of a month
        datetime.date(2026, 12, 1),  # the first day of the next, a new quarter's second month
        datetime.date(2026, 10, 1),  # the first day of a quarter
    ],
)
def test_stored_counts_give_the_status_the_visits_give(households, today):
    live = _live(households, today)
    assert _shown(households, today) == live  # nothing stored yet: counted from the visits
    refresh_visit_counts(Household.objects.all(), today=today)
    assert Household.objects.filter(
        visits_counted_month=month_obligation(today).period.start
    ).count() == len(households)
    assert _shown(households, today) == live
    # Seen from the next month, the stored counts are of another period: counted again.
    later = today + datetime.timedelta(days=40)
    assert _shown(households, later) == _live(households, later)


def test_a_recorded_visit_updates_the_stored_counts(village_a, grid_worker_a):
    household = make_household(village_a)
    visit_record(
        household=household,
        actor=grid_worker_a,
        visited_on=dates.today(),
        method=Visit.Method.ON_SITE,
        **ANSWERS,
    )
    household.refresh_from_db()
    assert household.visits_counted_month == dates.month_of(dates.today()).start
    assert household.village_visits == 1


def test_a_changed_policy_moves_the_status_without_recounting(households):
    today = datetime.date(2026, 11, 30)
    refresh_visit_counts(Household.objects.all(), today=today)
    before = _shown(households, today)
    policy, _created = PolicySettings.objects.get_or_create(year=2026)
    policy.village_visits_per_month = 2
    policy.save()
    after = _shown(households, today)
    assert after == _live(households, today)
    assert after != before  # one visit a month no longer suffices
