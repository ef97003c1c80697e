"""The project library's API: who sees which projects, the three access answers, a proposal's
creation and change, the beneficiaries, the record lists, and lists at a constant query count."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from kaiyuan.accounts.roles import Department, Role
from kaiyuan.common import pii
from monitoring.models import Household
from projects.api.projects import ProjectViewSet
from projects.api.publicity import PublicityRecordViewSet
from projects.codes import ProposerLevel
from projects.models import Project, ProjectBeneficiary, ProjectVillage
from tests.factories import UserFactory
from tests.monitoring.factories import make_household
from tests.projects.api_calls import API, create, post, proposal_body, step
from tests.projects.factories import new_project, people_for, walk

pytestmark = pytest.mark.django_db
Status = Project.Status
TOWNSHIP = ProposerLevel.TOWNSHIP


def ids(response) -> list[int]:
    assert response.status_code == 200, response.json()
    return [row["id"] for row in response.json()["results"]]


@pytest.fixture
def two_townships(village_a, village_b):
    """An agriculture project in township A and one in township B."""
    people_a, people_b = people_for(village_a), people_for(village_b)
    return new_project([village_a], people_a), new_project([village_b], people_b)


# =============================================================================================
# Who sees what
# =============================================================================================


def test_each_township_sees_its_own_projects_and_the_county_all(
    client, two_townships, clerk_a, clerk_b, bureau, leader
):
    in_a, in_b = two_townships
    for user, expected in ((clerk_a, [in_a.pk]), (clerk_b, [in_b.pk])):
        client.force_login(user)
        assert ids(client.get(API)) == expected
    for user in (bureau, leader):
        client.force_login(user)
        assert sorted(ids(client.get(API))) == sorted([in_a.pk, in_b.pk])


def test_department_staff_see_only_their_sectors_projects(
    client, two_townships, village_a, county, dept_medical
):
    in_a, in_b = two_townships
    people = people_for(village_a)
    medical = new_project([village_a], people, sector=Department.MEDICAL, name="村卫生室建设")
    agriculture = UserFactory(
        username="dept_agri_2", role=Role.DEPARTMENT, area=county, department=Department.AGRICULTURE
    )
    client.force_login(agriculture)
    assert sorted(ids(client.get(API))) == sorted([in_a.pk, in_b.pk])
    assert client.get(f"{API}{medical.pk}/").status_code == 404
    client.force_login(dept_medical)
    assert ids(client.get(API)) == [medical.pk]
    assert client.get(f"{API}{in_a.pk}/").status_code == 404


def test_a_village_sees_the_cross_village_projects_it_takes_part_in(
    client, village_a, village_a2, clerk_a
):
    people = people_for(village_a, proposer_level=TOWNSHIP)
    shared = new_project([village_a, village_a2], people, proposer_level=TOWNSHIP)
    own = new_project([village_a], people, proposer_level=TOWNSHIP)
    worker_a2 = UserFactory(username="grid_a2", role=Role.GRID_WORKER, area=village_a2)
    client.force_login(worker_a2)
    assert ids(client.get(API)) == [shared.pk]
    client.force_login(clerk_a)
    assert ids(client.get(API, {"village": village_a2.pk})) == [shared.pk]
    assert sorted(ids(client.get(API, {"village": village_a.pk}))) == sorted([shared.pk, own.pk])


def test_the_list_filters(client, two_townships, village_a, township_a, township_b, bureau, clock):
    in_a, in_b = two_townships
    people = people_for(village_a)
    later = new_project(
        [village_a],
        people,
        year=2026,
        category="乡村建设行动",
        subcategory="农村基础设施",
        finance_mode="到户类",
        sector="",
    )
    client.force_login(bureau)
    assert ids(client.get(API, {"township": township_b.pk})) == [in_b.pk]
    assert sorted(ids(client.get(API, {"township": township_a.pk}))) == sorted([in_a.pk, later.pk])
    assert ids(client.get(API, {"year": 2026})) == [later.pk]
    assert ids(client.get(API, {"category": "乡村建设行动"})) == [later.pk]
    assert ids(client.get(API, {"finance_mode": "到户类"})) == [later.pk]
    assert sorted(ids(client.get(API, {"proposer_level": "village"}))) == sorted(
        [in_a.pk, in_b.pk, later.pk]
    )
    assert ids(client.get(API, {"proposer_level": "county"})) == []
    walk(in_a, Status.PROPOSED, people, clock)
    assert ids(client.get(API, {"status": "proposed"})) == [in_a.pk]
    assert ids(client.get(API, {"q": in_b.code})) == [in_b.pk]
    bad = client.get(API, {"year": "1e9"})
    assert bad.status_code == 400 and bad.json()["field"] == "year"
    client.force_login(people_for(village_a).township)
    hidden = client.get(API, {"township": township_b.pk})
    assert hidden.status_code == 400 and hidden.json()["field"] == "township"


def test_an_outsider_is_answered_404_everywhere(client, village_a, clerk_b, clock):
    people = people_for(village_a)
    project = walk(new_project([village_a], people), Status.TOWNSHIP_REVIEW, people, clock)
    household = make_household(village_a)
    beneficiary = ProjectBeneficiary.objects.create(
        project=project, household=household, role="受益"
    )
    record = project.publicity_records.get()
    client.force_login(clerk_b)
    for url in (
        f"{API}{project.pk}/",
        f"/api/v1/publicity-records/{record.pk}/",
        f"/api/v1/project-beneficiaries/{beneficiary.pk}/",
    ):
        assert client.get(url).status_code == 404, url
    missing = client.get(f"{API}999999/")
    hidden = client.get(f"{API}{project.pk}/")
    assert hidden.json() == missing.json()
    for url in (f"{API}{project.pk}/township-review/", f"{API}{project.pk}/submit/"):
        response = post(client, clerk_b, url, {"version": project.version, "decision": "pass"})
        assert response.status_code == 404, url
    assert client.delete(f"/api/v1/project-beneficiaries/{beneficiary.pk}/").status_code == 404
    for listing in ("publicity-records", "project-beneficiaries", "progress-reports"):
        assert ids(client.get(f"/api/v1/{listing}/")) == []
    refused = post(
        client,
        clerk_b,
        "/api/v1/project-beneficiaries/",
        {"project": project.pk, "household": household.pk, "role": "务工"},
    )
    assert refused.status_code == 400
    assert refused.json() == {"project": ["不存在这条记录。"], "household": ["不存在这条记录。"]}
    assert ProjectBeneficiary.objects.count() == 1


def _write_urls(project, record, beneficiary) -> list[tuple[str, str]]:
    """Every write the API offers on these records (the viewsets' own step list, so a new step
    is covered without anyone adding it here)."""
    urls = [("post", API), ("put", f"{API}{project.pk}/"), ("patch", f"{API}{project.pk}/")]
    for extra in ProjectViewSet.get_extra_actions():
        urls.append(("post", f"{API}{project.pk}/{extra.url_path}/"))
    for extra in PublicityRecordViewSet.get_extra_actions():
        path = extra.url_path.replace("(?P<objection_id>[0-9]+)", "1")
        urls.append(("post", f"/api/v1/publicity-records/{record.pk}/{path}/"))
    urls += [
        ("post", "/api/v1/project-beneficiaries/"),
        ("delete", f"/api/v1/project-beneficiaries/{beneficiary.pk}/"),
        ("post", "/api/v1/announcements/"),
    ]
    return urls


@pytest.mark.parametrize("role", ["leader", "auditor"])
def test_read_only_roles_read_and_are_refused_every_write(request, client, village_a, clock, role):
    people = people_for(village_a)
    project = walk(new_project([village_a], people), Status.TOWNSHIP_REVIEW, people, clock)
    household = make_household(village_a)
    beneficiary = ProjectBeneficiary.objects.create(
        project=project, household=household, role="受益"
    )
    record = project.publicity_records.get()
    client.force_login(request.getfixturevalue(role))
    assert ids(client.get(API)) == [project.pk]
    assert client.get(f"/api/v1/publicity-records/{record.pk}/").status_code == 200
    urls = _write_urls(project, record, beneficiary)
    assert len(urls) > 25
    for method, url in urls:
        response = getattr(client, method)(
            url, json.dumps({"version": project.version}), content_type="application/json"
        )
        assert response.status_code == 403, (method, url, response.status_code)
    assert Project.objects.get(pk=project.pk).version == project.version
    assert ProjectBeneficiary.objects.count() == 1


# =============================================================================================
# A proposal
# =============================================================================================


def test_a_draft_is_created_with_its_villages_and_targets(client, village_a, village_a2):
    people = people_for(village_a)
    project = create(
        client,
        people.township,
        [village_a, village_a2],
        mechanisms=["吸纳就业", "吸纳就业", "土地流转"],
    )
    assert project["status"] == Status.IDEA
    assert project["proposer_level"] == "township"  # a township clerk's own, by default
    assert project["code"].startswith("KY2025-")
    assert project["township_name"] == "中固镇"
    assert [v["village_name"] for v in project["villages"]] == ["烟厂村", "大白庙子村"]
    assert [v["share_percent"] for v in project["villages"]] == ["50.00", "50.00"]
    assert [i["group"] for i in project["indicators"]] == ["产出指标", "效益指标", "满意度指标"]
    assert project["mechanisms"] == ["吸纳就业", "土地流转"]
    assert project["total_investment"] == "1000000.00"
    assert project["central_funds"] == "600000.00"
    assert all(project["four_haves"].values()) and project["four_haves"]
    assert project["version"] == 1


def test_a_proposal_breaking_rules_is_400_with_every_violation_and_nothing_written(
    client, village_a, village_a2
):
    people = people_for(village_a)
    body = proposal_body(
        [village_a, village_a2],
        central_funds="500000.00",  # 900,000 of 1,000,000
        entity_uscc="91110000600037341X",
    )
    body["villages"][0]["share_percent"] = "40.00"  # 40 + 50
    response = post(client, people.township, API, body)
    assert response.status_code == 400, response.json()
    answer = response.json()
    assert {v["rule"] for v in answer["violations"]} >= {"PRJ-SHARES", "PRJ-FUNDING", "ID-USCC-1"}
    fields = {v["rule"]: v["field"] for v in answer["violations"]}
    assert fields["PRJ-FUNDING"] == "total_investment"
    assert fields["ID-USCC-1"] == "entity_uscc"
    assert answer["detail"] and answer["code"]
    assert Project.objects.count() == 0 and ProjectVillage.objects.count() == 0


def test_a_proposal_of_the_wrong_shape_is_refused_field_by_field(client, village_a, village_b):
    people = people_for(village_a)
    body = proposal_body([village_a], end_date="2025-01-01", central_funds="-1")
    body["villages"][0]["share_percent"] = "0"
    response = post(client, people.township, API, body)
    assert response.status_code == 400
    assert set(response.json()) == {"central_funds", "villages"}
    outside = post(client, people.township, API, proposal_body([village_b]))
    assert outside.status_code == 400
    assert outside.json()["villages"] == {"0": {"village": ["不存在这条记录。"]}}
    backwards = post(
        client, people.township, API, proposal_body([village_a], end_date="2025-01-01")
    )
    assert backwards.status_code == 400 and "end_date" in backwards.json()
    assert Project.objects.count() == 0


def test_a_draft_is_changed_with_its_version_and_only_while_a_draft(client, village_a, village_a2):
    people = people_for(village_a)
    project = create(client, people.proposer, [village_a])
    client.force_login(people.proposer)
    url = f"{API}{project['id']}/"
    patched = client.patch(
        url, {"version": 1, "name": "烟厂村有机稻米基地"}, content_type="application/json"
    )
    assert patched.status_code == 200, patched.json()
    patched = patched.json()
    assert patched["name"] == "烟厂村有机稻米基地" and patched["version"] == 2
    assert len(patched["villages"]) == 1 and len(patched["indicators"]) == 3  # kept
    body = proposal_body([village_a], name="整体替换", version=2, indicators=[])
    replaced = client.put(url, body, content_type="application/json")
    assert replaced.status_code == 200, replaced.json()
    assert replaced.json()["name"] == "整体替换" and replaced.json()["indicators"] == []
    bad = client.patch(
        url, {"version": 3, "total_investment": "5.00"}, content_type="application/json"
    )
    assert bad.status_code == 400 and bad.json()["code"] == "prj_funding"
    no_version = client.patch(url, {"name": "x"}, content_type="application/json")
    assert no_version.status_code == 400 and "version" in no_version.json()
    # The indicators are needed again for the submission (PRJ-4 is the township's, later).
    step(client, people.proposer, {"id": project["id"], "version": 3}, "submit")
    late = client.patch(url, {"version": 4, "name": "提交后"}, content_type="application/json")
    assert late.status_code == 409
    assert Project.objects.get(pk=project["id"]).name == "整体替换"


# =============================================================================================
# Beneficiaries
# =============================================================================================


def test_beneficiaries_are_added_listed_and_removed_without_id_numbers(client, village_a):
    people = people_for(village_a)
    project = new_project([village_a], people)
    household = make_household(village_a, head_name="刘淑芬")
    url = "/api/v1/project-beneficiaries/"
    made = post(
        client,
        people.township,
        url,
        {"project": project.pk, "household": household.pk, "role": "务工", "amount": "3600.00"},
    )
    assert made.status_code == 201, made.json()
    row = made.json()
    assert row["household_number"] == household.household_number
    assert row["head_name"] == "刘淑芬" and row["amount"] == "3600.00"
    twice = post(
        client,
        people.township,
        url,
        {"project": project.pk, "household": household.pk, "role": "务工"},
    )
    assert twice.status_code == 400 and twice.json()["field"] == "household"
    listed = client.get(url, {"project": project.pk, "role": "务工"})
    assert ids(listed) == [row["id"]]
    assert ids(client.get(url, {"household": household.pk})) == [row["id"]]
    assert ids(client.get(url, {"role": "分红"})) == []
    head = Household.objects.get(pk=household.pk).members.get()
    text = listed.content.decode()
    assert pii.decrypt(head.id_cipher) not in text and head.id_masked not in text
    assert not [key for key in listed.json()["results"][0] if key.startswith("id_")]
    gone = client.delete(f"{url}{row['id']}/")
    assert gone.status_code == 204
    assert not ProjectBeneficiary.objects.exists()


# =============================================================================================
# The record lists
# =============================================================================================


def test_the_record_lists_follow_their_projects_scope(
    client, village_a, village_b, clock, dept_medical, leader
):
    people = people_for(village_a)
    project = walk(new_project([village_a], people), Status.TOWNSHIP_REVIEW, people, clock)
    other = people_for(village_b)
    walk(new_project([village_b], other), Status.TOWNSHIP_REVIEW, other, clock)
    record = project.publicity_records.get()
    client.force_login(people.township)
    assert ids(client.get("/api/v1/publicity-records/")) == [record.pk]
    assert ids(client.get("/api/v1/publicity-records/", {"level": "township"})) == []
    detail = client.get(f"/api/v1/publicity-records/{record.pk}/").json()
    assert detail["project_code"] == project.code and detail["objections"] == []
    client.force_login(people.department)  # agriculture: both projects' sector
    assert len(ids(client.get("/api/v1/publicity-records/"))) == 2
    client.force_login(dept_medical)
    assert ids(client.get("/api/v1/publicity-records/")) == []
    client.force_login(leader)
    assert len(ids(client.get("/api/v1/publicity-records/", {"project": project.pk}))) == 1


# =============================================================================================
# Constant query counts
# =============================================================================================


def _projects(village, people, count):
    for number in range(count):
        project = new_project([village], people, name=f"项目{number}", proposer_level=TOWNSHIP)
        household = make_household(village)
        ProjectBeneficiary.objects.create(project=project, household=household, role="受益")


@pytest.mark.parametrize(
    "endpoint", ["projects", "project-beneficiaries", "publicity-records", "progress-reports"]
)
def test_the_lists_cost_the_same_at_two_sizes(client, village_a, village_a2, endpoint):
    people = people_for(village_a, proposer_level=TOWNSHIP)
    client.force_login(people.township)
    _projects(village_a, people, 2)
    with CaptureQueriesContext(connection) as small:
        assert client.get(f"/api/v1/{endpoint}/").status_code == 200
    _projects(village_a2, people, 12)
    with CaptureQueriesContext(connection) as large:
        response = client.get(f"/api/v1/{endpoint}/")
    if endpoint in ("projects", "project-beneficiaries"):
        assert len(response.json()["results"]) == 14
    assert len(large.captured_queries) == len(small.captured_queries)


def test_the_detail_costs_the_same_for_a_bigger_project(client, village_a, village_a2, clock):
    people = people_for(village_a)
    small = walk(new_project([village_a], people), Status.TOWNSHIP_REVIEW, people, clock)
    township = people_for(village_a, proposer_level=TOWNSHIP)
    big = new_project([village_a, village_a2], township, proposer_level=TOWNSHIP)
    big = walk(big, Status.SECTOR_REVIEW, township, clock)
    client.force_login(people.township)
    with CaptureQueriesContext(connection) as one:
        assert client.get(f"{API}{small.pk}/").status_code == 200
    with CaptureQueriesContext(connection) as two:
        answer = client.get(f"{API}{big.pk}/").json()
    assert len(answer["villages"]) == 2 and len(answer["publicity_records"]) == 2
    assert len(one.captured_queries) == len(two.captured_queries)
    assert Decimal(answer["linkage_funds"]) == Decimal("900000.00")
