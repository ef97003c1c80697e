"""The project list: each user sees the projects of their area (a township clerk their
township's, a grid worker those touching their village, department staff their sector's), with
the shared filters, at the same number of queries whatever the number of projects."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from kaiyuan.accounts.roles import Department, Role
from projects.codes import Category, ProposerLevel, Subcategory
from projects.models import Project
from tests.factories import UserFactory
from tests.projects.factories import new_project, people_for

pytestmark = pytest.mark.django_db
LIST = "/projects/list/"


def _codes(response) -> set[str]:
    return {project.code for project in response.context["page"]}


@pytest.fixture
def library(village_a, village_a2, village_b):
    """A village project in A, a township project of A across two villages, one in B, and a
    county department's project touching both townships."""
    in_a = new_project([village_a2], people_for(village_a2), name="大白庙子村葡萄园")
    township = people_for(village_a, proposer_level=ProposerLevel.TOWNSHIP)
    across = new_project(
        [village_a, village_a2],
        township,
        proposer_level=ProposerLevel.TOWNSHIP,
        name="中固镇冷链仓储",
        subcategory=Subcategory.COLD_CHAIN,
    )
    in_b = new_project(
        [village_b],
        people_for(village_b),
        name="威远村肉牛养殖",
        subcategory=Subcategory.BEEF_CATTLE,
        entity_name="开原市威远牧业有限公司",
    )
    county = people_for(village_a, proposer_level=ProposerLevel.COUNTY)
    by_county = new_project(
        [village_a, village_b],
        county,
        proposer_level=ProposerLevel.COUNTY,
        name="全市农村公路养护",
        category=Category.RURAL_CONSTRUCTION,
        subcategory=Subcategory.INFRASTRUCTURE,
        sector=Department.TRANSPORT,
        four_haves={},
    )
    return {"in_a": in_a, "across": across, "in_b": in_b, "county": by_county}


class TestScope:
    @pytest.mark.sqlite
    def test_a_township_clerk_never_sees_another_townships_rows(
        self, client, clerk_a, clerk_b, library
    ):
        # The county's project touches both townships: both see it.
        client.force_login(clerk_a)
        response = client.get(LIST)
        assert response.status_code == 200
        assert _codes(response) == {
            library["in_a"].code,
            library["across"].code,
            library["county"].code,
        }
        client.force_login(clerk_b)
        assert _codes(client.get(LIST)) == {library["in_b"].code, library["county"].code}
        # Not even when asking for township A by its id.
        township_a = library["in_a"].area.parent
        response = client.get(LIST, {"township": township_a.pk})
        assert _codes(response) == {library["in_b"].code, library["county"].code}

    def test_a_grid_worker_sees_the_projects_touching_their_village(
        self, client, grid_worker_a, library
    ):
        client.force_login(grid_worker_a)
        html = client.get(LIST).content.decode()
        codes = {library[key].code for key in ("in_a", "across", "in_b", "county")}
        shown = {code for code in codes if code in html}
        # The township's project across 烟厂村 and 大白庙子村, and the county's that includes it.
        assert shown == {library["across"].code, library["county"].code}
        assert "烟厂村、大白庙子村" in html

    def test_department_staff_see_their_sectors_projects(self, client, library, county):
        agriculture = UserFactory(
            username="dept_agri_list",
            role=Role.DEPARTMENT,
            area=county,
            department=Department.AGRICULTURE,
        )
        client.force_login(agriculture)
        # The factories' proposals are of the agriculture sector; the road is transport's.
        assert _codes(client.get(LIST)) == {
            library["in_a"].code,
            library["across"].code,
            library["in_b"].code,
            library["county"].code,  # proposed by the agriculture bureau itself
        }
        transport = UserFactory(
            username="dept_transport_list",
            role=Role.DEPARTMENT,
            area=county,
            department=Department.TRANSPORT,
        )
        client.force_login(transport)
        assert _codes(client.get(LIST)) == {library["county"].code}

    def test_the_index_is_the_list(self, client, leader, library):
        client.force_login(leader)
        response = client.get("/projects/")
        assert response.status_code == 200
        assert len(_codes(response)) == 4

    def test_only_those_who_propose_are_offered_a_new_proposal(self, client, clerk_a, leader):
        client.force_login(clerk_a)
        assert 'href="/projects/new/"' in client.get(LIST).content.decode()
        client.force_login(leader)
        assert 'href="/projects/new/"' not in client.get(LIST).content.decode()


class TestFilters:
    def test_a_village_picks_the_projects_that_include_it(self, client, bureau, library, village_a):
        client.force_login(bureau)
        response = client.get(LIST, {"township": village_a.parent_id, "village": village_a.pk})
        assert _codes(response) == {library["across"].code, library["county"].code}

    def test_a_township_picks_its_projects_and_the_countys_touching_it(
        self, client, bureau, library, township_b
    ):
        client.force_login(bureau)
        response = client.get(LIST, {"township": township_b.pk})
        assert _codes(response) == {library["in_b"].code, library["county"].code}

    @pytest.mark.parametrize(
        ("params", "expected"),
        [
            ({"category": Category.RURAL_CONSTRUCTION}, {"county"}),
            ({"subcategory": Subcategory.BEEF_CATTLE}, {"in_b"}),
            ({"proposer_level": ProposerLevel.TOWNSHIP}, {"across"}),
            ({"q": "威远牧业"}, {"in_b"}),
            ({"q": "冷链"}, {"across"}),
            ({"year": 2025, "status": Project.Status.IDEA}, {"in_a", "across", "in_b", "county"}),
            ({"year": 2026}, set()),
            ({"finance_mode": "债权类"}, set()),
        ],
    )
    def test_the_filters_narrow_the_list(self, client, bureau, library, params, expected):
        client.force_login(bureau)
        assert _codes(client.get(LIST, params)) == {library[key].code for key in expected}

    def test_the_code_is_searched(self, client, bureau, library):
        client.force_login(bureau)
        code = library["in_b"].code
        assert _codes(client.get(LIST, {"q": code.lower()})) == {code}

    def test_a_bad_filter_value_is_left_out(self, client, bureau, library):
        client.force_login(bureau)
        response = client.get(LIST, {"year": "x", "status": "nonsense", "township": "999999"})
        assert response.status_code == 200
        assert len(_codes(response)) == 4


@pytest.mark.sqlite
def test_the_list_runs_the_same_queries_for_few_and_many(client, clerk_a, village_a, village_a2):
    people = people_for(village_a, proposer_level=ProposerLevel.TOWNSHIP)
    for _index in range(2):
        new_project([village_a, village_a2], people, proposer_level=ProposerLevel.TOWNSHIP)
    client.force_login(clerk_a)
    client.get(LIST)
    # Read each count at once: the next request starts a new query log.
    with CaptureQueriesContext(connection) as captured:
        client.get(LIST)
    few = len(captured.captured_queries)
    for _index in range(2, 25):
        new_project([village_a, village_a2], people, proposer_level=ProposerLevel.TOWNSHIP)
    with CaptureQueriesContext(connection) as captured:
        html = client.get(LIST).content.decode()
    many = len(captured.captured_queries)
    assert html.count('data-testid="project-row"') == 25
    assert few > 0
    assert many == few


def test_the_list_pages_without_counting(client, bureau, village_a):
    people = people_for(village_a)
    for _index in range(51):
        new_project([village_a], people)
    client.force_login(bureau)
    with CaptureQueriesContext(connection) as queries:
        first = client.get(LIST)
    project_queries = [q["sql"] for q in queries.captured_queries if "projects_project" in q["sql"]]
    assert project_queries
    assert not any("COUNT(" in sql.upper() for sql in project_queries)
    assert len(first.context["page"]) == 50
    assert first.context["page"].has_next
    second = client.get(LIST, {"page": 2})
    assert len(second.context["page"]) == 1
    assert not second.context["page"].has_next
