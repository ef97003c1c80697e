"""The lists' API endpoints (/api/v1/lists/..., /visits/due/, /visits/coverage/), the jobs API and
the COUNT-free pages: same selectors, capabilities and scoping as the pages."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from kaiyuan.jobs.models import Job
from monitoring.models import Household
from tests.factories import UserFactory
from tests.monitoring.factories import make_household

pytestmark = pytest.mark.django_db

LISTS = [
    "lists/monitored",
    "lists/cases",
    "lists/overdue-cases",
    "lists/overdue-leads",
    "lists/focus",
    "lists/measure-gaps",
]


@pytest.fixture
def monitored(village_a, village_b):
    made = {}
    for key, village in (("a", village_a), ("b", village_b)):
        made[key] = make_household(
            village,
            monitoring_status=Household.MonitoringStatus.MONITORED,
            monitoring_category="边缘易致贫户",
            risk_1="因病",
        )
    return made


@pytest.mark.parametrize("endpoint", LISTS)
def test_a_clerk_reads_the_lists_of_their_township(client, monitored, clerk_a, endpoint):
    client.force_login(clerk_a)
    response = client.get(f"/api/v1/{endpoint}/")
    assert response.status_code == 200
    assert set(response.json()) == {"next", "previous", "results"}


def test_the_monitored_list_holds_the_users_area_and_filters_like_the_page(
    client, monitored, clerk_a, bureau, township_b
):
    client.force_login(clerk_a)
    ids = [row["id"] for row in client.get("/api/v1/lists/monitored/").json()["results"]]
    assert ids == [monitored["a"].pk]
    client.force_login(bureau)
    everything = client.get("/api/v1/lists/monitored/").json()["results"]
    assert {row["id"] for row in everything} == {monitored["a"].pk, monitored["b"].pk}
    only_b = client.get("/api/v1/lists/monitored/", {"township": township_b.pk}).json()
    assert [row["id"] for row in only_b["results"]] == [monitored["b"].pk]
    none = client.get("/api/v1/lists/monitored/", {"risk": "因学"}).json()["results"]
    assert none == []


def test_the_monitored_summary_counts_the_users_area_as_the_page_table_does(
    client, monitored, clerk_a, bureau, township_b, village_a
):
    both = make_household(
        village_a,
        monitoring_status=Household.MonitoringStatus.MONITORED,
        monitoring_category="脱贫不稳定户",
        risk_1="因学",
        risk_2="因病",
    )
    Household.objects.filter(pk=both.pk).update(household_size=3)
    client.force_login(clerk_a)
    summary = client.get("/api/v1/lists/monitored/summary/").json()
    by_risk = {row["risk"]: row["total"] for row in summary["rows"]}
    # Township A only: 因病 holds both of its households (one of them also under 因学).
    assert by_risk["因病"]["households"] == 2 and by_risk["因学"]["households"] == 1
    assert summary["total"]["households"] == 2
    assert summary["total"]["persons"] == 3 + monitored["a"].household_size
    table = client.get("/monitoring/lists/monitored/").context["summary"]
    assert [(row.risk, row.total.households) for row in table.rows] == [
        (row["risk"], row["total"]["households"]) for row in summary["rows"]
    ]
    client.force_login(bureau)
    county = client.get("/api/v1/lists/monitored/summary/").json()
    only_b = client.get("/api/v1/lists/monitored/summary/", {"township": township_b.pk}).json()
    assert (county["total"]["households"], only_b["total"]["households"]) == (3, 1)
    client.force_login(clerk_a)
    refused = client.get("/api/v1/lists/monitored/summary/", {"township": township_b.pk})
    assert (refused.status_code, refused.json()["field"]) == (400, "township")


@pytest.mark.parametrize("role", ["grid_worker_a", "dept_medical"])
def test_roles_without_the_lists_get_no_summary(client, request, role):
    client.force_login(request.getfixturevalue(role))
    assert client.get("/api/v1/lists/monitored/summary/").status_code == 403


def test_another_township_is_refused_like_a_missing_one(client, monitored, clerk_a, township_b):
    client.force_login(clerk_a)
    answers = [
        client.get("/api/v1/lists/monitored/", {"township": pk}).json()
        for pk in (township_b.pk, 2**62)
    ]
    assert answers[0] == answers[1]
    assert answers[0]["field"] == "township"


def test_a_bad_choice_is_a_400(client, bureau):
    client.force_login(bureau)
    response = client.get("/api/v1/lists/cases/", {"state": "nonsense"})
    assert (response.status_code, response.json()["field"]) == (400, "state")


@pytest.mark.parametrize("role", ["grid_worker_a", "dept_medical"])
@pytest.mark.parametrize("endpoint", LISTS)
def test_roles_without_the_lists_get_403(client, request, role, endpoint):
    client.force_login(request.getfixturevalue(role))
    assert client.get(f"/api/v1/{endpoint}/").status_code == 403


@pytest.mark.parametrize("endpoint", LISTS)
def test_the_lists_are_read_only(client, leader, endpoint):
    client.force_login(leader)
    assert client.get(f"/api/v1/{endpoint}/").status_code == 200
    assert client.post(f"/api/v1/{endpoint}/", {}).status_code in (403, 405)


def _many(village, count):
    for index in range(count):
        make_household(
            village,
            head_name=f"户{index}",
            monitoring_status=Household.MonitoringStatus.MONITORED,
            monitoring_category="边缘易致贫户",
        )


@pytest.mark.parametrize("endpoint", [*LISTS, "households", "members"])
def test_a_list_costs_the_same_for_3_and_70_rows_and_never_counts(
    client, village_a, bureau, endpoint
):
    client.force_login(bureau)
    _many(village_a, 3)
    with CaptureQueriesContext(connection) as small:
        assert client.get(f"/api/v1/{endpoint}/").status_code == 200
    _many(village_a, 67)
    with CaptureQueriesContext(connection) as large:
        response = client.get(f"/api/v1/{endpoint}/")
    assert len(large.captured_queries) == len(small.captured_queries)
    assert not [q for q in large.captured_queries if "COUNT(" in q["sql"].upper()]
    if endpoint in ("households", "lists/monitored"):
        body = response.json()
        assert len(body["results"]) == 50 and body["previous"] is None
        assert body["next"].endswith("page=2")
        second = client.get(body["next"]).json()
        assert len(second["results"]) == 20 and second["next"] is None
        assert second["previous"] is not None


# =============================================================================================
# Visits due and coverage
# =============================================================================================


def test_the_visits_due_are_the_visitors(client, village_a, grid_a, grid_worker_a, clerk_a):
    grid_a.worker = grid_worker_a
    grid_a.save()
    household = make_household(village_a, grid=grid_a)
    client.force_login(grid_worker_a)
    rows = client.get("/api/v1/visits/due/").json()["results"]
    assert [row["id"] for row in rows] == [household.pk]
    assert rows[0]["status"] in ("overdue", "due")
    client.force_login(clerk_a)
    assert client.get("/api/v1/visits/due/", {"status": "visited"}).json()["results"] == []
    assert client.get("/api/v1/visits/due/", {"month": "2025-13"}).status_code == 400


@pytest.mark.parametrize("role", ["bureau", "leader", "dept_medical"])
def test_roles_that_do_not_visit_have_no_visits_due(client, request, role):
    client.force_login(request.getfixturevalue(role))
    assert client.get("/api/v1/visits/due/").status_code == 403


def test_coverage_is_the_picked_area_or_the_whole_county(
    client, village_a, grid_a, bureau, clerk_a, township_a, township_b, grid_worker_a
):
    make_household(village_a, grid=grid_a)
    client.force_login(bureau)
    county = client.get("/api/v1/visits/coverage/").json()
    assert county["by_township"] is True and county["area_code"] == "211282"
    client.force_login(clerk_a)
    own = client.get("/api/v1/visits/coverage/").json()
    assert own["area_code"] == township_a.code and own["month_total"]["in_scope"] == 1
    other = client.get("/api/v1/visits/coverage/", {"township": township_b.pk})
    assert other.status_code == 400
    client.force_login(grid_worker_a)
    assert client.get("/api/v1/visits/coverage/").status_code == 403


# =============================================================================================
# Jobs
# =============================================================================================


def test_a_user_sees_only_their_own_jobs(client, clerk_a, clerk_b):
    mine = Job.objects.create(kind="export", area=clerk_a.area, created_by=clerk_a)
    theirs = Job.objects.create(kind="export", area=clerk_b.area, created_by=clerk_b)
    client.force_login(clerk_a)
    assert [j["id"] for j in client.get("/api/v1/jobs/").json()["results"]] == [mine.pk]
    assert client.get(f"/api/v1/jobs/{mine.pk}/").json()["download"] is None
    assert client.get(f"/api/v1/jobs/{theirs.pk}/").status_code == 404
    assert client.post("/api/v1/jobs/", {}).status_code in (403, 405)


def test_a_finished_job_links_its_file(client, clerk_a, leader):
    from django.core.files.base import ContentFile

    job = Job.objects.create(
        kind="export", status=Job.Status.DONE, area=clerk_a.area, created_by=clerk_a
    )
    job.result_file.save("x.xlsx", ContentFile(b"x"))
    client.force_login(clerk_a)
    body = client.get(f"/api/v1/jobs/{job.pk}/").json()
    assert body["download"].endswith(f"/jobs/{job.pk}/download/")
    assert body["percent"] == 100
    client.force_login(leader)
    assert client.get(f"/api/v1/jobs/{job.pk}/").status_code == 404


def test_an_anonymous_call_is_401_with_the_token_challenge(client):
    response = client.get("/api/v1/jobs/")
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert response.json()["code"] == "not_authenticated"


def test_an_unknown_api_address_is_a_json_404(client):
    UserFactory()
    for method in (client.get, client.post):
        response = method("/api/v1/cases/1.5/crosscheck/")
        assert response.status_code == 404 and response.json()["code"] == "not_found"
