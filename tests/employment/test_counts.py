"""The count against the target (EMP-1..3): month boundaries, distinct persons, the counting
settings, the population counted."""

from __future__ import annotations

import datetime

import pytest

from employment.codes import JobType
from employment.selectors.counts import employment_count, monthly_series
from kaiyuan.policy.models import PolicySettings
from tests.employment.factories import make_household, make_member, record_job, worker

pytestmark = pytest.mark.django_db


def policy(year=2026, **fields):
    settings, _ = PolicySettings.objects.update_or_create(year=year, defaults=fields)
    return settings


def count(county, month, year=2026, **kwargs):
    return employment_count(county, year, month, **kwargs)


def test_a_job_ending_on_the_last_day_of_january_counts_in_january_not_february(
    county, village_a, clerk_a
):
    policy(employment_count_basis="month")
    record_job(
        worker(village_a),
        clerk_a,
        start_date=datetime.date(2026, 1, 5),
        end_date=datetime.date(2026, 1, 31),
        months_worked=1,
    )
    assert count(county, 1).total == 1
    assert count(county, 2).total == 0


def test_a_job_starting_on_the_first_of_february_counts_from_february(county, village_a, clerk_a):
    policy(employment_count_basis="month")
    record_job(worker(village_a), clerk_a, start_date=datetime.date(2026, 2, 1), months_worked=1)
    assert count(county, 1).total == 0
    assert count(county, 2).total == 1
    assert count(county, 11).total == 1


def test_on_the_year_basis_a_job_that_ended_still_counts_later_in_the_year(
    county, village_a, clerk_a
):
    policy(employment_count_basis="year")
    record_job(
        worker(village_a),
        clerk_a,
        start_date=datetime.date(2026, 1, 5),
        end_date=datetime.date(2026, 1, 31),
        months_worked=1,
    )
    assert [total for _, total, _ in monthly_series(county, 2026, 3)] == [1, 1, 1]


def test_a_person_with_several_jobs_counts_once(county, village_a, clerk_a):
    person = worker(village_a)
    record_job(
        person,
        clerk_a,
        start_date=datetime.date(2026, 3, 1),
        months_worked=2,
        end_date=datetime.date(2026, 4, 30),
    )
    record_job(
        person,
        clerk_a,
        start_date=datetime.date(2026, 5, 1),
        months_worked=6,
        job_type=JobType.FLEXIBLE,
        batch="灵活就业一批",
    )
    result = count(county, 11)
    assert result.total == 1
    assert result.by["job_type"] == {JobType.WAGE: 1, JobType.FLEXIBLE: 1}


def test_months_worked_below_the_setting_do_not_count(county, village_a, clerk_a):
    record_job(worker(village_a), clerk_a, start_date=datetime.date(2026, 10, 1), months_worked=2)
    policy(employment_min_months=2)
    assert count(county, 11).total == 1
    policy(employment_min_months=3)
    assert count(county, 11).total == 0


def test_leaving_a_job_type_out_of_the_count_changes_it(county, village_a, clerk_a):
    record_job(worker(village_a), clerk_a, job_type=JobType.FLEXIBLE, batch="灵活就业一批")
    record_job(worker(village_a), clerk_a)
    assert count(county, 11).total == 2
    policy(employment_counts_flexible=False)
    assert count(county, 11).total == 1
    assert count(county, 11, without={"job_type": [JobType.WAGE]}).total == 0


def test_the_target_is_met_at_the_number_itself(county, village_a, clerk_a):
    record_job(worker(village_a), clerk_a)
    record_job(worker(village_a), clerk_a)
    for target, met in ((1, True), (2, True), (3, False)):
        policy(employment_target=target)
        assert count(county, 11).met is met


def test_only_exited_and_monitored_households_are_counted(county, village_a, clerk_a):
    ordinary = make_household(village_a, household_type="一般农户")
    person = make_member(ordinary)
    from employment.services.records import record_create
    from kaiyuan.common.rules import RulesBroken
    from tests.employment.factories import job

    with pytest.raises(RulesBroken):
        record_create(member=person, details=job(), actor=clerk_a)
    record_job(worker(village_a, monitored_household=True), clerk_a)
    assert count(county, 11).total == 1
