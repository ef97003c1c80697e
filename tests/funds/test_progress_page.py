"""The spending-progress page (FND-8) with its traffic lights, and the industry share of the
provincial-and-above funds (FND-9), as of today and as of a past day."""

from __future__ import annotations

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from kaiyuan.accounts.roles import Role
from kaiyuan.areas.models import Area
from kaiyuan.common.dates import today
from projects.codes import Category
from tests.factories import UserFactory, VillageFactory
from tests.funds import factories as f

pytestmark = pytest.mark.django_db
PROGRESS = reverse("funds:progress")
FEB = datetime.date(2026, 2, 1)


@pytest.fixture
def year_money(village_a, village_b, clerk_a, clerk_b, bureau):
    """One central allocation of 4,000,000 (issued 1 Feb): 1,000,000 for an industry project of
    township A (300,000 paid on 1 March, 200,000 more today), 1,000,000 for a road of township
    B (100,000 paid on 1 March)."""
    source = f.allocation(bureau, amount="4000000.00", issued_on=FEB)
    industry = f.project(village_a, clerk_a)
    road = f.project(village_b, clerk_b, category=Category.RURAL_CONSTRUCTION)
    for project, clerk in ((industry, clerk_a), (road, clerk_b)):
        f.fund(project, clerk, source=source, arrived_on=datetime.date(2026, 2, 10))
    f.pay(industry, clerk_a, "300000.00", paid_on=datetime.date(2026, 3, 1))
    f.pay(road, clerk_b, "100000.00", paid_on=datetime.date(2026, 3, 1))
    return industry, road


def _row(html: str, marker: str) -> str:
    return html.split(marker)[1].split("</tr>")[0]


def _lights(row: str) -> list[str]:
    return re.findall(r'data-light="(\w+)"', row)


def test_today_the_rows_are_red_against_the_september_milestone(
    client, bureau, year_money, township_a, township_b, clerk_a
):
    industry, _road = year_money
    f.progress(industry, clerk_a, "70")
    f.pay(industry, clerk_a, "200000.00", tranche="progress")
    client.force_login(bureau)
    html = client.get(PROGRESS).content.decode()
    a_row = _row(html, f'data-township="{township_a.code}"')
    assert "1,000,000.00" in a_row and "500,000.00" in a_row and "50.00%" in a_row
    assert _lights(a_row) == ["red", "red"]  # central, and provincial-and-above
    assert "text-bg-danger" in a_row and "light-red" in a_row
    county = _row(html, 'data-testid="county-row" data-level="central"')
    assert "4,000,000.00" in county and "600,000.00" in county and "15.00%" in county
    total = _row(html, 'data-testid="county-total"')
    assert "4,000,000.00" in total
    share = html.split('data-testid="industry-share"')[1].split("</p>")[0]
    assert "25.00%" in share and 'data-industry="unmet"' in share


def test_a_past_day_shows_that_days_figures_and_lights(
    client, bureau, year_money, township_a, township_b, clerk_a
):
    industry, _road = year_money
    f.progress(industry, clerk_a, "70")
    f.pay(industry, clerk_a, "200000.00", tranche="progress")
    client.force_login(bureau)
    html = client.get(PROGRESS, {"year": 2026, "as_of": "2026-03-15"}).content.decode()
    assert "2026-03-15" in html.split('data-testid="as-of"')[1].split("</p>")[0]
    a_row = _row(html, f'data-township="{township_a.code}"')
    assert "300,000.00" in a_row and "30.00%" in a_row and "500,000.00" not in a_row
    assert _lights(a_row) == ["green", "green"]  # 30 % is the April milestone, met
    b_row = _row(html, f'data-township="{township_b.code}"')
    assert "10.00%" in b_row
    assert _lights(b_row) == ["amber", "amber"]  # below the coming 30 %, none due yet
    before = client.get(PROGRESS, {"year": 2026, "as_of": "2026-01-15"}).content.decode()
    assert f'data-township="{township_a.code}"' not in before


def test_the_page_runs_the_same_queries_for_one_township_and_many(
    client, bureau, year_money, django_assert_num_queries
):
    client.force_login(bureau)
    with CaptureQueriesContext(connection) as few:
        first = client.get(PROGRESS)
    assert first.content.decode().count('data-testid="township-row"') == 2
    for index, township in enumerate(Area.objects.filter(level="township")[:5]):
        village = VillageFactory(parent=township, code=f"9{index}1", name=f"试点{index}村")
        clerk = UserFactory(username=f"clerk_{index}", role=Role.TOWNSHIP_CLERK, area=township)
        f.fund(f.project(village, clerk), clerk)
    with django_assert_num_queries(len(few.captured_queries)):
        response = client.get(PROGRESS)
    assert response.content.decode().count('data-testid="township-row"') >= 5


def test_the_defaults_are_this_year_and_today(client, leader, year_money):
    client.force_login(leader)
    response = client.get(PROGRESS)
    assert response.status_code == 200
    assert response.context["year"] == today().year
    assert response.context["as_of"] == today()


def test_a_value_that_does_not_parse_falls_back_to_today(client, auditor, year_money):
    client.force_login(auditor)
    response = client.get(PROGRESS, {"as_of": "2026-13-45", "year": "abc"})
    assert response.status_code == 200
    assert response.context["as_of"] == today()


def test_township_clerks_do_not_see_the_county_dashboard(client, clerk_a, clerk_b):
    for clerk in (clerk_a, clerk_b):
        client.force_login(clerk)
        assert client.get(PROGRESS).status_code == 403


@pytest.mark.sqlite
def test_the_progress_page_opens_on_any_database(client, bureau, year_money):
    client.force_login(bureau)
    response = client.get(PROGRESS, {"as_of": "2026-03-15"})
    assert response.status_code == 200
    assert "30.00%" in response.content.decode()
