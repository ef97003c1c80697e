"""The household list for those who work an area: a township clerk browses their township, a
grid worker their village, with the shared filters; nothing of another area shows or opens."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from kaiyuan.accounts.roles import Role
from monitoring.codes import HouseholdType
from tests.factories import UserFactory
from tests.monitoring.factories import make_household

pytestmark = pytest.mark.django_db
LIST = "/monitoring/households/"


def _numbers(html: str, *households) -> set[str]:
    return {h.household_number for h in households if h.household_number in html}


@pytest.fixture
def homes(village_a, village_a2, village_b, grid_a):
    return {
        "a_exited": make_household(
            village_a, household_number="211282104201001", head_name="王建国", grid=grid_a
        ),
        "a_ordinary": make_household(
            village_a,
            household_number="211282104201002",
            head_name="李春生",
            household_type=HouseholdType.ORDINARY,
        ),
        "a2": make_household(village_a2, household_number="211282104202001", head_name="赵海"),
        "b": make_household(village_b, household_number="211282102201001", head_name="王建国"),
    }


class TestClerk:
    def test_a_clerk_lists_the_households_of_their_township_only(self, client, clerk_a, homes):
        client.force_login(clerk_a)
        response = client.get(LIST)
        assert response.status_code == 200
        html = response.content.decode()
        assert _numbers(html, *homes.values()) == {
            homes["a_exited"].household_number,
            homes["a_ordinary"].household_number,
            homes["a2"].household_number,
        }
        # The picker starts at the clerk's township (fixed) and offers its villages only.
        assert 'data-testid="area-picker"' in html
        assert "威远村" not in html

    def test_the_home_page_links_the_list_for_a_clerk(self, client, clerk_a):
        client.force_login(clerk_a)
        html = client.get("/monitoring/").content.decode()
        assert f'href="{LIST}"' in html

    def test_the_filters_work_for_a_clerk(self, client, clerk_a, homes, village_a):
        client.force_login(clerk_a)
        by_village = client.get(LIST, {"village": village_a.pk}).content.decode()
        assert _numbers(by_village, *homes.values()) == {
            homes["a_exited"].household_number,
            homes["a_ordinary"].household_number,
        }
        by_type = client.get(LIST, {"household_type": HouseholdType.ORDINARY}).content.decode()
        assert _numbers(by_type, *homes.values()) == {homes["a_ordinary"].household_number}
        by_name = client.get(LIST, {"q": "王建国"}).content.decode()
        assert _numbers(by_name, *homes.values()) == {homes["a_exited"].household_number}

    def test_another_townships_village_or_household_reveals_nothing(
        self, client, clerk_a, homes, village_b, township_b
    ):
        client.force_login(clerk_a)
        # A picker id of another township is ignored: the clerk's own township is listed.
        html = client.get(LIST, {"village": village_b.pk}).content.decode()
        assert homes["b"].household_number not in html
        html = client.get(LIST, {"area": township_b.code}).content.decode()
        assert homes["b"].household_number not in html
        assert client.get(f"/monitoring/households/{homes['b'].pk}/").status_code == 404

    def test_the_list_runs_the_same_queries_for_few_and_many(self, client, clerk_a, village_a):
        client.force_login(clerk_a)
        for index in range(2):
            make_household(village_a, household_number=f"8{index:05d}")
        client.get(LIST)
        with CaptureQueriesContext(connection) as few:
            client.get(LIST)
        for index in range(2, 30):
            make_household(village_a, household_number=f"8{index:05d}")
        with CaptureQueriesContext(connection) as many:
            html = client.get(LIST).content.decode()
        assert html.count('data-testid="household-row"') == 30
        assert len(many.captured_queries) == len(few.captured_queries)


class TestGridWorker:
    def test_a_grid_worker_browses_their_village_only(self, client, grid_worker_a, homes):
        client.force_login(grid_worker_a)
        html = client.get(LIST).content.decode()
        assert _numbers(html, *homes.values()) == {
            homes["a_exited"].household_number,
            homes["a_ordinary"].household_number,
        }
        assert client.get(f"/monitoring/households/{homes['a2'].pk}/").status_code == 404


def test_department_staff_still_search_instead(client, homes):
    staff = UserFactory(role=Role.DEPARTMENT, department="medical", area=None)
    client.force_login(staff)
    assert client.get(LIST).status_code == 403
