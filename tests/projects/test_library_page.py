"""The library of a year: totals by township, category, state and finance mode; the PRJ-8
targets with their progress; the PRJ-6 deadline with what each township still lacks; the year
picker; a constant number of queries; and the figures of the user's own area only.

Cast: bureau (county), clerk_a (township A 中固镇), clerk_b (township B 威远堡镇), leader,
grid_worker_a, dept_medical.
"""

from __future__ import annotations

import datetime
import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from kaiyuan.policy.models import PolicySettings
from projects.codes import Category, FinanceMode, ProposerLevel, Subcategory
from projects.models import Project
from tests.projects.factories import new_project, people_for, walk

pytestmark = pytest.mark.django_db

Status = Project.Status
URL = reverse("projects:library")


def page(client, user, **params) -> str:
    client.force_login(user)
    response = client.get(URL, params)
    assert response.status_code == 200
    return response.content.decode()


def row(html: str, testid: str, key: str) -> dict[str, str]:
    """The data attributes of the row ``key`` of the table ``testid``."""
    table = html.split(f'data-testid="{testid}"', 1)[1].split("</table>", 1)[0]
    match = re.search(rf'<tr data-key="{re.escape(key)}"([^>]*)>', table)
    assert match, f"no row {key} in {testid}"
    return dict(re.findall(r'data-(\w+)="([^"]*)"', match.group(1)))


def keys(html: str, testid: str) -> list[str]:
    table = html.split(f'data-testid="{testid}"', 1)[1].split("</table>", 1)[0]
    return re.findall(r'<tr data-key="([^"]*)"', table)


@pytest.fixture
def library(village_a, village_a2, village_b):
    """The 2025 library: two drafts in township A (an industry project and a collective
    economy one), a submitted township proposal of A, and a draft in township B."""
    people_a = people_for(village_a)
    new_project([village_a], people_a)
    new_project(
        [village_a2],
        people_for(village_a2),
        name="村集体冷库项目",
        category=Category.COLLECTIVE,
        subcategory=Subcategory.COLLECTIVE_ECONOMY,
        finance_mode=FinanceMode.DEBT,
        total_investment=Decimal("500000.00"),
        central_funds=Decimal("500000.00"),
        provincial_funds=Decimal("0"),
        county_funds=Decimal("0"),
        self_raised=Decimal("0"),
    )
    township = people_for(village_a, proposer_level=ProposerLevel.TOWNSHIP)
    proposal = new_project([village_a, village_a2], township, proposer_level=ProposerLevel.TOWNSHIP)
    from projects.services.projects import project_submit

    project_submit(project=proposal, expected_version=proposal.version, actor=township.proposer)
    new_project([village_b], people_for(village_b), total_investment=Decimal("1000000.00"))


def test_the_bureau_sees_the_years_totals_by_township_category_state_and_finance_mode(
    client, bureau, library
):
    html = page(client, bureau, year=2025)

    assert 'data-testid="total-projects">4<' in html
    assert 'data-testid="total-investment">3500000.00<' in html  # 1,000,000 × 3 + 500,000
    # linkage funds: 900,000 for each of the three full projects, 500,000 for the cold store
    assert 'data-testid="total-linkage">3200000.00<' in html
    assert row(html, "by-township", "中固镇") == {
        "projects": "3",
        "investment": "2500000.00",
        "linkage": "2300000.00",
    }
    assert row(html, "by-township", "威远堡镇")["projects"] == "1"
    assert row(html, "by-category", "产业发展")["projects"] == "3"
    assert row(html, "by-category", "新型农村集体经济")["investment"] == "500000.00"
    assert row(html, "by-status", "谋划中")["projects"] == "3"
    assert row(html, "by-status", "已申报")["projects"] == "1"
    assert row(html, "by-finance-mode", "债权类")["projects"] == "1"
    assert row(html, "by-finance-mode", "自建类")["projects"] == "3"


def test_a_township_clerk_sees_the_townships_figures_only(client, clerk_a, clerk_b, library):
    html = page(client, clerk_a, year=2025)
    assert 'data-testid="total-projects">3<' in html
    assert keys(html, "by-township") == ["中固镇"]
    assert "威远堡镇" not in html

    html = page(client, clerk_b, year=2025)
    assert 'data-testid="total-projects">1<' in html
    assert keys(html, "by-township") == ["威远堡镇"]
    assert "中固镇" not in html


def test_the_year_picker_chooses_the_library(client, bureau, village_a):
    new_project([village_a], people_for(village_a), year=2026)

    assert 'data-testid="total-projects">1<' in page(client, bureau, year=2026)
    assert 'data-testid="total-projects">0<' in page(client, bureau, year=2025)
    # without a (valid) year the newest library with projects is shown
    default = page(client, bureau)
    assert "2026年度项目库" in default and 'data-testid="total-projects">1<' in default
    assert "2026年度项目库" in page(client, bureau, year="abc")
    picker = default.split('data-testid="year-picker"', 1)[1].split("</form>", 1)[0]
    assert '<option value="2026" selected>' in picker
    assert '<option value="2027"' in picker  # the next library may be looked at before it has any


def test_the_plans_targets_show_count_target_and_whether_they_are_met(
    client, bureau, village_a, clock
):
    policy = PolicySettings.defaults_for(2025)
    policy.project_target_collective = 1
    policy.save()
    people = people_for(village_a)
    collective = new_project(
        [village_a],
        people,
        category=Category.COLLECTIVE,
        subcategory=Subcategory.COLLECTIVE_ECONOMY,
    )
    walk(collective, Status.IN_LIBRARY, people, clock)
    new_project(  # a draft does not count
        [village_a],
        people,
        category=Category.COLLECTIVE,
        subcategory=Subcategory.COLLECTIVE_ECONOMY,
    )

    html = page(client, bureau, year=2025)

    targets = dict(re.findall(r'data-target="(\w+)" data-count="(\d+)"', html))
    assert targets == {"industry": "0", "model_villages": "0", "collective": "1"}
    wanted = re.findall(r'data-target="(\w+)" data-count="\d+" data-wanted="(\d+)"', html)
    assert dict(wanted) == {"industry": "21", "model_villages": "11", "collective": "1"}
    assert 'data-target="collective" data-count="1" data-wanted="1" data-met="yes"' in html
    assert 'data-target="industry" data-count="0" data-wanted="21" data-met="no"' in html
    assert "已完成" in html and "未完成" in html


def test_the_deadline_shows_the_days_left_and_what_each_township_lacks(
    client, bureau, clerk_a, village_a, village_b, clock
):
    policy = PolicySettings.defaults_for(2026)
    policy.library_deadline = datetime.date(2026, 12, 31)
    policy.save()
    people_a = people_for(village_a)
    new_project([village_a], people_a, year=2027)
    new_project([village_a], people_a, year=2027)
    new_project([village_b], people_for(village_b), year=2027)

    html = page(client, bureau, year=2027)

    assert "2026-12-31" in html
    assert 'data-days="29"' in html  # from Wednesday 2 December 2026
    assert "29 天" in html or "29天" in html
    lacking = html.split('data-testid="lacking"', 1)[1].split("</table>", 1)[0]
    assert re.findall(r'data-township="([^"]+)" data-pending="(\d+)"', lacking) == [
        ("威远堡镇", "1"),  # by division code
        ("中固镇", "2"),
    ]
    assert "逾期" not in lacking

    clock.move_to(datetime.datetime(2027, 1, 4, 10, tzinfo=datetime.UTC))
    html = page(client, clerk_a, year=2027)
    lacking = html.split('data-testid="lacking"', 1)[1].split("</table>", 1)[0]
    assert re.findall(r'data-township="([^"]+)"', lacking) == ["中固镇"]
    assert "逾期" in lacking and "截止日期已过" in html


def test_a_library_without_a_deadline_says_so(client, bureau, village_a):
    new_project([village_a], people_for(village_a), year=2026)

    html = page(client, bureau, year=2026)

    assert 'data-testid="no-deadline"' in html


def test_the_2025_library_has_the_plans_deadline(client, bureau, library):
    html = page(client, bureau, year=2025)

    assert "2024-11-30" in html and "截止日期已过" in html


def _queries(client, user) -> int:
    client.force_login(user)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(URL, {"year": 2025}).status_code == 200
    return len(queries)


def test_the_page_makes_the_same_number_of_queries_whatever_the_librarys_size(
    client, bureau, village_a, village_a2, village_b
):
    new_project([village_a], people_for(village_a))
    small = _queries(client, bureau)
    for village in (village_a, village_a2, village_b) * 3:
        new_project([village], people_for(village), finance_mode=FinanceMode.HOUSEHOLD)
    township = people_for(village_a, proposer_level=ProposerLevel.TOWNSHIP)
    new_project([village_a, village_a2], township, proposer_level=ProposerLevel.TOWNSHIP)

    assert _queries(client, bureau) == small


@pytest.mark.parametrize("cast", ["leader", "grid_worker_a", "dept_medical", "auditor"])
def test_every_role_of_the_library_may_open_the_page(client, request, cast, library):
    user = request.getfixturevalue(cast)
    html = page(client, user, year=2025)
    assert "2025年度项目库" in html
    if cast in ("leader", "auditor"):
        assert 'data-testid="library-export"' in html  # read-only roles may export
        assert 'data-testid="library-import"' not in html
    if cast == "grid_worker_a":
        assert 'data-testid="library-export"' not in html


def test_the_clerk_is_offered_the_export_and_the_import(client, clerk_a, library):
    html = page(client, clerk_a, year=2025)

    assert 'data-testid="library-export"' in html
    assert reverse("projects:library_import") in html
    assert reverse("projects:library_import_template") in html


def test_anonymous_visitors_are_sent_to_the_login(client):
    response = client.get(URL)

    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@pytest.mark.sqlite
def test_the_page_answers_on_every_database(client, bureau, village_a):
    new_project([village_a], people_for(village_a))

    assert 'data-testid="total-projects">1<' in page(client, bureau, year=2025)
