"""Department staff see the warnings of their sector, the households those warnings concern and
the measures their sector implements, and nothing else (DESIGN.md §5). Before, ``dept_medical``
could read and export every household, member, income, visit, case and measure of the county."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from kaiyuan.common.dates import today
from monitoring.models import AssistanceMeasure, IncomeRecord, Visit
from monitoring.services.measures import measure_create
from tests.monitoring.factories import make_department_warning, make_household

pytestmark = pytest.mark.django_db


@pytest.fixture
def warned(village_a):
    household = make_household(village_a, head_name="刘桂兰", monitoring_status="monitored")
    make_department_warning(household.members.get(), department="medical")
    return household


@pytest.fixture
def unwarned(village_a):
    return make_household(village_a, head_name="赵德胜")


@pytest.fixture
def civil_warned(village_b):
    household = make_household(village_b, head_name="孙玉梅")
    make_department_warning(household.members.get(), department="civil")
    return household


def _api(client, path):
    response = client.get(path)
    assert response.status_code == 200, response.content
    return [row["id"] for row in response.json()["results"]]


def test_a_department_sees_only_the_households_its_warnings_concern(
    client, dept_medical, warned, unwarned, civil_warned
):
    client.force_login(dept_medical)
    assert _api(client, "/api/v1/households/") == [warned.pk]
    member_ids = _api(client, "/api/v1/members/")
    assert member_ids == [warned.members.get().pk]
    assert client.get(f"/api/v1/households/{unwarned.pk}/").status_code == 404
    assert client.get(f"/api/v1/households/{civil_warned.pk}/").status_code == 404
    assert client.get(reverse("monitoring:household_detail", args=[unwarned.pk])).status_code == (
        404
    )
    assert _api(client, "/api/v1/warnings/") == [warned.warnings.get().pk]


def test_a_department_reads_no_income_visit_or_case(client, dept_medical, clerk_a, warned):
    IncomeRecord.objects.create(
        household=warned,
        year=today().year,
        kind=IncomeRecord.Kind.ANNUAL,
        wage_income="9000.00",
        business_income="0.00",
        property_income="0.00",
        transfer_income="0.00",
        business_expense="0.00",
        net_income="9000.00",
        per_capita_net_income="9000.00",
        household_size=1,
        recorded_by=clerk_a,
    )
    Visit.objects.create(
        household=warned,
        area=warned.area,
        visitor=clerk_a,
        level=Visit.Level.TOWNSHIP,
        visited_on=today(),
        child_out_of_school=False,
        housing_unsafe=False,
        member_uninsured=False,
        water_unsafe=False,
    )
    client.force_login(dept_medical)
    for endpoint in ("incomes", "visits", "cases", "leads"):
        assert _api(client, f"/api/v1/{endpoint}/") == [], endpoint
    page = client.get(reverse("monitoring:household_detail", args=[warned.pk]))
    html = page.content.decode()
    assert page.status_code == 200
    assert "刘桂兰" in html and 'data-testid="sector-warning"' in html
    # The income, visits, changes and history of the household are not the department's.
    assert "9000.00" not in html
    assert 'data-testid="per-capita"' not in html
    assert "三保障" not in html
    visits = client.get(reverse("monitoring:household_visits", args=[warned.pk]))
    assert visits.status_code == 403


def test_a_department_sees_the_measures_of_its_sector_only(client, dept_medical, clerk_a, warned):
    for department in ("医保局", "民政局"):
        measure_create(
            household=warned,
            actor=clerk_a,
            year=today().year,
            group=AssistanceMeasure.Group.HEALTH,
            subtype="医疗救助",
            department=department,
            start_date=today() - datetime.timedelta(days=3),
        )
    medical = AssistanceMeasure.objects.get(department="医保局")
    assert medical.sector == "medical"
    client.force_login(dept_medical)
    assert _api(client, "/api/v1/measures/") == [medical.pk]
    page = client.get(reverse("monitoring:household_measures", args=[warned.pk]))
    assert page.status_code == 200
    assert "医保局" in page.content.decode() and "民政局" not in page.content.decode()


def test_a_department_may_not_export_or_browse_the_registry(client, dept_medical, warned):
    client.force_login(dept_medical)
    assert client.get(reverse("monitoring:export_lists")).status_code == 403
    assert client.get(reverse("monitoring:household_list")).status_code == 403
    assert client.get(reverse("monitoring:lists")).status_code == 403
    assert client.get(reverse("monitoring:quality")).status_code == 403
