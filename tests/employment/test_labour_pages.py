"""The labour force month by month: who works in the month chosen and who does not, the month's
boundaries, the picker and the working filter, the list at a constant query count; the people
working without labour ability with their review links; and the three access answers."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.translation import gettext

from monitoring.codes import LabourSkill
from tests.employment.factories import make_household, make_member, record_job, worker

pytestmark = pytest.mark.django_db
LABOUR = reverse("employment:labour_force")
FLAGGED = reverse("employment:flagged")


def _rows(html: str) -> dict[str, str]:
    """The people listed, each with whether they work in the month."""
    rows = {}
    for chunk in html.split('data-testid="labour-row"')[1:]:
        member = chunk.split('data-member="')[1].split('"')[0]
        rows[member] = chunk.split('data-working="')[1].split('"')[0]
    return rows


@pytest.fixture
def people(village_a, clerk_a):
    """A worker in a job since March, one whose job ended on 30 November, one without a job."""
    working = worker(village_a, name="赵有田")
    record_job(working, clerk_a)
    left = worker(village_a, name="钱多多")
    record_job(
        left,
        clerk_a,
        start_date=datetime.date(2026, 6, 1),
        end_date=datetime.date(2026, 11, 30),
        months_worked=6,
    )
    idle = worker(village_a, name="孙闲")
    return working, left, idle


class TestLabourForce:
    def test_this_month_shows_who_works_and_who_does_not(self, client, clerk_a, people):
        working, _left, idle = people
        client.force_login(clerk_a)
        response = client.get(LABOUR)
        assert response.context["month"] == datetime.date(2026, 12, 1)
        html = response.content.decode()
        rows = _rows(html)
        assert rows[str(working.pk)] == "yes"
        assert rows[str(idle.pk)] == "no"
        assert "开原市某食品有限公司" in html
        assert gettext("Not working") in html
        assert reverse("employment:record_new", args=[idle.pk]) in html

    def test_a_job_ending_on_30_november_is_not_working_in_december(self, client, clerk_a, people):
        _working, left, _idle = people
        client.force_login(clerk_a)
        assert _rows(client.get(LABOUR).content.decode())[str(left.pk)] == "no"
        november = _rows(client.get(LABOUR, {"month": "2026-11"}).content.decode())
        assert november[str(left.pk)] == "yes"
        may = _rows(client.get(LABOUR, {"month": "2026-05"}).content.decode())
        assert may[str(left.pk)] == "no"

    def test_the_working_filter(self, client, clerk_a, people):
        working, left, idle = people
        client.force_login(clerk_a)
        assert set(_rows(client.get(LABOUR, {"working": "true"}).content.decode())) == {
            str(working.pk)
        }
        assert set(_rows(client.get(LABOUR, {"working": "false"}).content.decode())) >= {
            str(left.pk),
            str(idle.pk),
        }
        assert str(working.pk) not in _rows(
            client.get(LABOUR, {"working": "false"}).content.decode()
        )

    def test_only_the_counted_population_with_labour_is_listed(
        self, client, clerk_a, village_a, people
    ):
        ordinary = make_member(make_household(village_a, household_type="一般农户"))
        child = worker(village_a, labour_skill=LabourSkill.NONE)
        client.force_login(clerk_a)
        rows = _rows(client.get(LABOUR).content.decode())
        assert str(ordinary.pk) not in rows and str(child.pk) not in rows

    def test_the_village_picker_and_a_future_month(self, client, bureau, village_a2, people):
        working, _left, _idle = people
        other = worker(village_a2, name="周远")
        client.force_login(bureau)
        rows = _rows(client.get(LABOUR, {"village": village_a2.pk}).content.decode())
        assert str(working.pk) in rows  # a village without its township is not picked
        picked = client.get(
            LABOUR, {"township": village_a2.parent_id, "village": village_a2.pk}
        ).content.decode()
        assert str(other.pk) in _rows(picked) and str(working.pk) not in _rows(picked)
        # A month that has not begun shows this month; nonsense is left out.
        response = client.get(LABOUR, {"month": "2027-03", "working": "perhaps"})
        assert response.context["month"] == datetime.date(2026, 12, 1)
        assert _rows(response.content.decode())[str(working.pk)] == "yes"

    def test_its_query_count_does_not_grow_with_the_rows(
        self, client, clerk_a, village_a, people, django_assert_num_queries
    ):
        client.force_login(clerk_a)
        client.get(LABOUR)
        with CaptureQueriesContext(connection) as few:
            client.get(LABOUR)
        for index in range(8):
            person = worker(village_a, name=f"工人{index}")
            record_job(person, clerk_a, start_date=datetime.date(2026, 12, 1), months_worked=1)
            record_job(person, clerk_a, employer="第二份工", months_worked=9)
        with django_assert_num_queries(len(few.captured_queries)):
            html = client.get(LABOUR).content.decode()
        assert len(_rows(html)) == 6 + 16  # each worker's household has its head too
        assert html.count("第二份工") == 8


class TestFlagged:
    def test_the_people_working_without_labour_ability_with_their_review(
        self, client, clerk_a, village_a, people
    ):
        lost = worker(village_a, name="吴病", labour_skill=LabourSkill.LOST)
        job = record_job(lost, clerk_a)
        client.force_login(clerk_a)
        html = client.get(FLAGGED).content.decode()
        assert html.count('data-testid="flagged-row"') == 1
        assert f'data-record="{job.pk}"' in html
        assert reverse("employment:record_review", args=[job.pk]) in html
        client.post(
            reverse("employment:record_review", args=[job.pk]),
            {"note": "已核实", "version": job.version},
        )
        assert 'data-testid="flagged-row"' not in client.get(FLAGGED).content.decode()

    def test_a_grid_worker_sees_the_list_without_review_links(
        self, client, grid_worker_a, clerk_a, village_a
    ):
        job = record_job(worker(village_a, labour_skill=LabourSkill.NONE), clerk_a)
        client.force_login(grid_worker_a)
        html = client.get(FLAGGED).content.decode()
        assert f'data-record="{job.pk}"' in html
        assert 'data-testid="flagged-review"' not in html


class TestAccess:
    def test_the_clerk_opens_both(self, client, clerk_a, people):
        client.force_login(clerk_a)
        assert client.get(LABOUR).status_code == 200
        assert client.get(FLAGGED).status_code == 200

    def test_a_leader_reads_them_without_links_to_write(self, client, leader, people):
        _working, _left, idle = people
        client.force_login(leader)
        html = client.get(LABOUR).content.decode()
        assert str(idle.pk) in _rows(html)
        assert 'data-testid="record-new"' not in html
        assert client.get(reverse("employment:record_new", args=[idle.pk])).status_code == 403

    def test_another_township_sees_nobody(self, client, clerk_b, clerk_a, village_a, people):
        _working, _left, idle = people
        record_job(worker(village_a, labour_skill=LabourSkill.NONE), clerk_a)
        client.force_login(clerk_b)
        assert _rows(client.get(LABOUR).content.decode()) == {}
        assert 'data-testid="flagged-row"' not in client.get(FLAGGED).content.decode()
        assert client.get(reverse("employment:record_new", args=[idle.pk])).status_code == 404
