"""The household page's 务工就业 section: this year's jobs of each member with their links, the
"record a job" link for the members with labour (only for who may record it here), at a
constant query count."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from monitoring.codes import LabourSkill
from tests.employment.factories import make_household, make_member, record_job, worker

pytestmark = pytest.mark.django_db


def _page(client, household) -> str:
    response = client.get(reverse("monitoring:household_detail", args=[household.pk]))
    assert response.status_code == 200
    return response.content.decode()


def _section(html: str) -> str:
    return html.split('data-testid="household-employment"')[1].split("</ul>")[0]


@pytest.fixture
def son(village_a):
    return worker(village_a, name="张卫东")


def test_the_section_lists_this_years_jobs_member_by_member(client, clerk_a, son):
    job = record_job(son, clerk_a)
    last_year = record_job(
        son,
        clerk_a,
        start_date=datetime.date(2025, 3, 1),
        end_date=datetime.date(2025, 12, 31),
        months_worked=10,
        employer="去年的公司",
    )
    client.force_login(clerk_a)
    section = _section(_page(client, son.household))
    member = section.split(f'data-member="{son.pk}"')[1].split("</li>")[0]
    assert reverse("employment:record_detail", args=[job.pk]) in member
    assert "开原市某食品有限公司" in member
    assert "去年的公司" not in section and f'data-record="{last_year.pk}"' not in section
    assert reverse("employment:record_new", args=[son.pk]) in member


def test_a_member_without_labour_is_listed_only_with_a_job(client, clerk_a, village_a, son):
    elder = make_member(son.household, name="张老汉", labour_skill=LabourSkill.LOST)
    child = make_member(son.household, name="张小", labour_skill=LabourSkill.NONE)
    job = record_job(elder, clerk_a)
    client.force_login(clerk_a)
    section = _section(_page(client, son.household))
    assert f'data-member="{elder.pk}"' in section and f'data-record="{job.pk}"' in section
    assert f'data-member="{child.pk}"' not in section
    assert reverse("employment:record_new", args=[elder.pk]) not in section


def test_roles_that_do_not_record_see_the_jobs_without_the_link(client, leader, clerk_a, son):
    job = record_job(son, clerk_a)
    client.force_login(leader)
    section = _section(_page(client, son.household))
    assert f'data-record="{job.pk}"' in section
    assert 'data-testid="household-record-job"' not in section


def test_a_household_the_target_does_not_count_has_no_section(client, clerk_a, village_a):
    ordinary = make_household(village_a, household_type="一般农户")
    client.force_login(clerk_a)
    assert 'data-testid="household-employment"' not in _page(client, ordinary)


def test_the_section_costs_one_query_whatever_the_jobs(
    client, clerk_a, village_a, son, django_assert_num_queries
):
    client.force_login(clerk_a)
    _page(client, son.household)
    with CaptureQueriesContext(connection) as none:
        _page(client, son.household)
    for index in range(3):
        other = make_member(son.household, name=f"张{index}")
        record_job(other, clerk_a)
        record_job(other, clerk_a, start_date=datetime.date(2026, 11, 1), months_worked=2)
    with django_assert_num_queries(len(none.captured_queries)):
        html = _page(client, son.household)
    assert _section(html).count('data-testid="household-job"') == 6
