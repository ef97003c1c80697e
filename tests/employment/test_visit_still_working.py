""" "Still at the same job" on the visit form: a check box for each member's job still open in the
visit's month; ticking it confirms the job on the visit's day in the visit's transaction
(verified by the visitor, months brought up), unticked jobs stay as they were, a refused
confirmation keeps the visit from being saved."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils.translation import gettext

from employment.codes import Source
from employment.models import EmploymentRecord
from monitoring.forms.visits import STILL_WORKING_PREFIX
from monitoring.models import Household, Visit
from tests.assets.factories import exited
from tests.employment.factories import make_member, record_job, worker
from tests.factories import GridFactory

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 12, 2)


def _form(**changes) -> dict:
    data = {
        "visited_on": TODAY.isoformat(),
        "method": Visit.Method.ON_SITE,
        "child_out_of_school": "false",
        "housing_unsafe": "false",
        "member_uninsured": "false",
        "water_unsafe": "false",
        "income_change": Visit.IncomeChange.NONE,
        "note": "",
    }
    data.update(changes)
    return data


def _box(job) -> str:
    return f"{STILL_WORKING_PREFIX}{job.pk}"


def _registered_long_ago(member):
    """A visit may not be dated before its household was registered."""
    created = datetime.datetime(2023, 1, 1, 1, tzinfo=datetime.UTC)
    Household.objects.filter(pk=member.household_id).update(created_at=created)
    member.household.refresh_from_db()
    return member


@pytest.fixture
def son(village_a):
    return _registered_long_ago(worker(village_a, name="刘长顺"))


@pytest.fixture
def jobs(son, clerk_a, bureau):
    """The son's job since March (five months recorded, by the bureau), his sister's job."""
    kept = record_job(son, bureau, months_worked=5)
    daughter = make_member(son.household, name="刘秀", relation="女")
    other = record_job(daughter, bureau, months_worked=4, employer="开原市某服装厂")
    return kept, other


def _url(household) -> str:
    return reverse("monitoring:visit_record", args=[household.pk])


def test_each_open_job_has_its_check_box(client, clerk_a, son, jobs):
    kept, other = jobs
    ended = record_job(
        son,
        clerk_a,
        start_date=datetime.date(2026, 4, 1),
        end_date=datetime.date(2026, 11, 30),
        months_worked=8,
        employer="已离职的公司",
    )
    client.force_login(clerk_a)
    html = client.get(_url(son.household)).content.decode()
    section = html.split('data-testid="visit-jobs"')[1].split("</fieldset>")[0]
    assert f'name="{_box(kept)}"' in section and f'name="{_box(other)}"' in section
    assert f'name="{_box(ended)}"' not in section
    assert (
        gettext("%(name)s still at the same job (%(job)s)")
        % {
            "name": "刘长顺",
            "job": "开原市某食品有限公司",
        }
        in section
    )


def test_ticking_confirms_the_job_and_unticked_stays(client, clerk_a, son, jobs):
    kept, other = jobs
    client.force_login(clerk_a)
    response = client.post(_url(son.household), _form(**{_box(kept): "on"}))
    assert response.status_code == 302
    assert Visit.objects.filter(household=son.household).count() == 1
    kept.refresh_from_db()
    other.refresh_from_db()
    assert (kept.verified_by, kept.verified_on) == (clerk_a, TODAY)
    assert kept.months_worked == 10 and kept.source == Source.VISIT and kept.version == 2
    assert other.verified_by != clerk_a and other.months_worked == 4 and other.version == 1


def test_the_visits_own_date_is_the_day_confirmed(client, clerk_a, son, jobs):
    kept, _other = jobs
    client.force_login(clerk_a)
    day = datetime.date(2026, 11, 20)
    response = client.post(
        _url(son.household), _form(visited_on=day.isoformat(), **{_box(kept): "on"})
    )
    assert response.status_code == 302
    kept.refresh_from_db()
    assert kept.verified_on == day and kept.months_worked == 9  # March to November


def test_a_job_of_last_year_still_held_goes_on_into_this_year(client, clerk_a, son, bureau):
    old = record_job(son, bureau, start_date=datetime.date(2025, 5, 1), months_worked=6)
    client.force_login(clerk_a)
    response = client.post(_url(son.household), _form(**{_box(old): "on"}))
    assert response.status_code == 302
    old.refresh_from_db()
    assert old.end_date == datetime.date(2025, 12, 31)
    carried = EmploymentRecord.objects.get(member=son, year=2026)
    assert (carried.verified_by, carried.verified_on, carried.months_worked) == (
        clerk_a,
        TODAY,
        12,
    )


def test_a_refused_confirmation_keeps_the_visit_from_being_saved(client, clerk_a, son, bureau):
    """The job ended on 25 November: it is offered for a visit in November, and a visit on the
    28th cannot confirm it."""
    ended = record_job(
        son,
        bureau,
        start_date=datetime.date(2026, 3, 1),
        end_date=datetime.date(2026, 11, 25),
        months_worked=9,
    )
    client.force_login(clerk_a)
    response = client.post(
        _url(son.household), _form(visited_on="2026-11-28", **{_box(ended): "on"})
    )
    assert response.status_code == 200
    assert response.context["form"].errors[_box(ended)] == [
        gettext("This job has ended; record the person's new job instead.")
    ]
    assert not Visit.objects.filter(household=son.household).exists()
    ended.refresh_from_db()
    assert ended.version == 1


def test_a_grid_worker_confirms_at_the_village_visit(client, grid_worker_a, village_a, bureau):
    grid = GridFactory(area=village_a, name="第二网格", worker=grid_worker_a)
    son = _registered_long_ago(make_member(exited(village_a, grid=grid)))
    job = record_job(son, bureau, months_worked=5)
    client.force_login(grid_worker_a)
    response = client.post(_url(son.household), _form(**{_box(job): "on"}))
    assert response.status_code == 302
    job.refresh_from_db()
    assert job.verified_by == grid_worker_a


def test_a_household_without_jobs_has_no_section(client, clerk_a, son):
    client.force_login(clerk_a)
    assert 'data-testid="visit-jobs"' not in client.get(_url(son.household)).content.decode()
