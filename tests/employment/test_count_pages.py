"""The employment entry page and the count page: the total of the user's area, the county's
target and whether it is met, the month picker (a month not begun is brought back to this one),
the recount without the ticked categories, the settings it is counted on, the months of the
year; a township sees its own count without the county's target; the queries stay constant."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from employment.codes import Batch, JobType, PlaceCategory
from kaiyuan.policy.models import PolicySettings
from tests.employment.factories import record_job, worker

pytestmark = pytest.mark.django_db
COUNT = reverse("employment:count")
INDEX = reverse("employment:index")


def policy(year=2026, **fields):
    settings, _ = PolicySettings.objects.update_or_create(year=year, defaults=fields)
    return settings


def between(html: str, testid: str) -> str:
    return html.split(f'data-testid="{testid}"')[1].split("<")[0].lstrip(">").strip()


def breakdown(html: str, dimension: str) -> dict[str, int]:
    table = html.split(f'data-dimension="{dimension}"')[1].split("</table>")[0]
    rows = {}
    for chunk in table.split('data-testid="breakdown-row" data-value="')[1:]:
        value = chunk.split('"')[0]
        rows[value] = int(chunk.split("data-count>")[1].split("<")[0])
    return rows


def flexible(member, actor, **fields):
    return record_job(
        member,
        actor,
        job_type=JobType.FLEXIBLE,
        batch=Batch.FLEXIBLE,
        place_category=PlaceCategory.OUT_OF_PROVINCE,
        place="浙江省杭州市",
        **fields,
    )


@pytest.fixture
def jobs(village_a, village_b, clerk_a, clerk_b):
    """Township A: one person with a wage job and a flexible one, one with a flexible job only;
    township B: one wage job."""
    both = worker(village_a)
    record_job(both, clerk_a)
    flexible(both, clerk_a)
    flexible(worker(village_a), clerk_a)
    record_job(worker(village_b), clerk_b)


class TestTheCount:
    @pytest.mark.sqlite
    def test_the_county_sees_its_total_against_the_target(self, client, bureau, jobs):
        client.force_login(bureau)
        html = client.get(COUNT).content.decode()
        assert between(html, "count-total") == "3"
        assert 'data-testid="count-target"' in html
        assert 'data-met="no"' in html.split('data-testid="count-target"')[1].split("</div>")[0]
        policy(employment_target=3)
        html = client.get(COUNT).content.decode()
        assert 'data-testid="count-met" data-met="yes"' in html

    def test_the_breakdowns_count_a_person_under_each_kind_and_once_in_the_total(
        self, client, bureau, jobs, township_a, township_b
    ):
        client.force_login(bureau)
        html = client.get(COUNT).content.decode()
        assert breakdown(html, "job_type")[JobType.WAGE] == 2
        assert breakdown(html, "job_type")[JobType.FLEXIBLE] == 2
        assert breakdown(html, "township") == {str(township_a.pk): 2, str(township_b.pk): 1}
        assert breakdown(html, "place_category")[PlaceCategory.OUT_OF_PROVINCE] == 2
        assert breakdown(html, "batch")[Batch.INDUSTRY] == 2
        assert "中固镇" in html.split('data-dimension="township"')[1].split("</table>")[0]
        assert 'data-testid="count-note"' in html

    def test_leaving_a_category_out_recounts_and_shows_the_difference(
        self, client, bureau, jobs, township_b
    ):
        client.force_login(bureau)
        html = client.get(COUNT, {"without_job_type": JobType.FLEXIBLE}).content.decode()
        # The person with both jobs still counts through the wage job.
        assert between(html, "count-total") == "3"
        assert between(html, "recount-total") == "2"
        assert between(html, "recount-difference") == "-1"
        assert f'value="{JobType.FLEXIBLE}" id="without-job_type-4" checked' in html
        both = client.get(
            COUNT, {"without_job_type": JobType.FLEXIBLE, "without_township": township_b.pk}
        ).content.decode()
        assert between(both, "recount-total") == "1"
        assert between(both, "recount-difference") == "-2"
        # A value that is no category is left out of the question, not an error.
        plain = client.get(COUNT, {"without_job_type": "其他", "without_township": "x"})
        assert plain.status_code == 200 and 'data-testid="recount"' not in plain.content.decode()

    def test_the_settings_in_force_are_shown(self, client, bureau, jobs):
        policy(
            employment_count_basis="month",
            employment_min_months=2,
            employment_counts_flexible=False,
        )
        client.force_login(bureau)
        html = client.get(COUNT).content.decode()
        assert 'data-basis="month"' in html
        assert between(html, "count-min-months") == "2"
        types = between(html, "count-job-types")
        assert "公益性岗位" in types and "灵活就业" not in types
        assert between(html, "count-total") == "2"  # the flexible-only person is not counted
        assert 'data-testid="count-settings-link"' not in html  # the bureau is not the admin

    def test_the_administrator_is_linked_to_the_years_settings(self, client, admin_user):
        settings = policy()
        client.force_login(admin_user)
        html = client.get(COUNT).content.decode()
        assert reverse("admin:policy_policysettings_change", args=[settings.pk]) in html


class TestTheMonth:
    def test_this_month_by_default_and_any_month_picked(self, client, bureau, village_a, clerk_a):
        policy(employment_count_basis="month")
        record_job(
            worker(village_a),
            clerk_a,
            start_date=datetime.date(2026, 6, 1),
            end_date=datetime.date(2026, 8, 31),
            months_worked=3,
        )
        client.force_login(bureau)
        default = client.get(COUNT).content.decode()
        assert 'option value="12" selected' in default and between(default, "count-total") == "0"
        assert (
            between(client.get(COUNT, {"year": 2026, "month": 5}).content.decode(), "count-total")
            == "0"
        )
        assert (
            between(client.get(COUNT, {"year": 2026, "month": 6}).content.decode(), "count-total")
            == "1"
        )
        series = default.split('data-testid="count-series"')[1].split("</table>")[0]
        months = [
            int(row.split("data-count>")[1].split("<")[0])
            for row in series.split('data-testid="series-row"')[1:]
        ]
        assert months == [0, 0, 0, 0, 0, 1, 1, 1, 0, 0, 0, 0]

    def test_a_month_not_begun_is_brought_back_to_this_month(self, client, bureau):
        client.force_login(bureau)
        for asked, clamped in (
            ({"year": 2027, "month": 1}, True),
            ({"year": 2027}, True),
            ({"year": 2026, "month": 13}, False),
            ({"year": "x", "month": "y"}, False),
        ):
            html = client.get(COUNT, asked).content.decode()
            assert 'option value="2026" selected' in html, asked
            assert 'option value="12" selected' in html, asked
            assert ('data-testid="count-clamped"' in html) is clamped, asked

    def test_an_earlier_year_counts_on_its_own_year(self, client, bureau, village_a, clerk_a):
        record_job(worker(village_a), clerk_a)  # 2026
        client.force_login(bureau)
        html = client.get(COUNT, {"year": 2025, "month": 12}).content.decode()
        assert between(html, "count-total") == "0"
        assert html.count('data-testid="series-row"') == 12


class TestTheTownship:
    def test_a_township_sees_its_own_count_without_the_county_target(
        self, client, clerk_a, jobs, township_a, township_b
    ):
        client.force_login(clerk_a)
        html = client.get(COUNT).content.decode()
        assert between(html, "count-total") == "2"
        assert 'data-testid="count-target"' not in html
        assert 'data-met="' not in html
        assert breakdown(html, "township") == {str(township_a.pk): 2}
        # Asking for township B changes nothing: the picker is bounded by the clerk's area.
        other = client.get(COUNT, {"township": township_b.pk}).content.decode()
        assert between(other, "count-total") == "2"

    def test_the_county_picks_a_township_or_a_village(
        self, client, bureau, jobs, township_b, village_a
    ):
        client.force_login(bureau)
        html = client.get(COUNT, {"township": township_b.pk}).content.decode()
        assert between(html, "count-total") == "1"
        assert 'data-testid="count-target"' not in html
        picked = client.get(COUNT, {"township": village_a.parent_id, "village": village_a.pk})
        assert between(picked.content.decode(), "count-total") == "2"

    def test_another_township_counts_none_of_township_a(self, client, clerk_b, village_a, clerk_a):
        record_job(worker(village_a), clerk_a)
        client.force_login(clerk_b)
        assert between(client.get(COUNT).content.decode(), "count-total") == "0"


class TestQueries:
    def test_the_count_page_costs_the_same_whatever_the_people(
        self, client, bureau, village_a, village_b, clerk_a, clerk_b, django_assert_num_queries
    ):
        record_job(worker(village_a), clerk_a)
        client.force_login(bureau)
        query = {"year": 2026, "month": 11, "without_job_type": JobType.FLEXIBLE}
        client.get(COUNT, query)
        with CaptureQueriesContext(connection) as one:
            client.get(COUNT, query)
        for _index in range(5):
            record_job(worker(village_a), clerk_a)
            flexible(worker(village_b), clerk_b)
            record_job(worker(village_b), clerk_b, batch=Batch.RECRUITMENT)
        with django_assert_num_queries(len(one.captured_queries)):
            html = client.get(COUNT, query).content.decode()
        assert between(html, "count-total") == "16"


class TestIndex:
    def test_this_months_count_and_the_pages_of_the_clerk(self, client, clerk_a, jobs):
        client.force_login(clerk_a)
        html = client.get(INDEX).content.decode()
        assert between(html, "count-total") == "2"
        assert 'data-testid="count-target"' not in html
        for name in (
            "count",
            "labour_force",
            "flagged",
            "record_list",
            "roster_index",
            "post_list",
            "workshop_list",
            "training_list",
            "count_export",
        ):
            assert reverse(f"employment:{name}") in html, name

    def test_the_county_sees_the_target_and_a_leader_no_work_pages(self, client, leader, jobs):
        policy(employment_target=3)
        client.force_login(leader)
        html = client.get(INDEX).content.decode()
        assert between(html, "count-total") == "3"
        assert 'data-testid="count-met" data-met="yes"' in html
        assert reverse("employment:roster_index") not in html
        assert reverse("employment:flagged") not in html
        assert reverse("employment:count_export") in html

    def test_a_grid_worker_has_no_export_and_finance_no_employment(
        self, client, grid_worker_a, jobs, django_user_model, county
    ):
        client.force_login(grid_worker_a)
        html = client.get(INDEX).content.decode()
        assert reverse("employment:count_export") not in html
        assert client.get(reverse("employment:count_export")).status_code == 403
        from tests.factories import UserFactory

        client.force_login(UserFactory(username="finance", role="finance", area=county))
        assert client.get(INDEX).status_code == 403
        assert client.get(COUNT).status_code == 403
