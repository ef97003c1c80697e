"""The project library's steps through the API: a whole walk by API calls, and the refusals a
client meets on the way (wrong stage, wrong level, one person at two levels, a stale view)."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from kaiyuan.audit.models import AuditEvent
from kaiyuan.common.dates import today
from projects.codes import AcceptanceResult, OperatingMode, PublicityMedium
from projects.models import Acceptance, ProgressReport, Project, PublicityObjection
from tests.projects.api_calls import API, create, move_past, post, publicise, step
from tests.projects.factories import new_project, people_for, walk

pytestmark = pytest.mark.django_db
Status = Project.Status


def test_a_village_proposal_walks_into_the_library_and_on_to_operation_by_api(
    client, village_a, clock
):
    people = people_for(village_a)
    project = create(client, people.proposer, [village_a])
    assert project["status"] == Status.IDEA and project["proposer_level"] == "village"

    project = step(client, people.proposer, project, "submit")
    assert project["status"] == Status.PROPOSED
    project = publicise(client, people.proposer, project, ["village"], clock)
    assert project["status"] == Status.TOWNSHIP_REVIEW
    assert [r["level"] for r in project["publicity_records"]] == ["village"]
    assert project["publicity_records"][0]["closed_on"] == today().isoformat()

    project = step(client, people.township, project, "township-review", decision="pass")
    assert project["status"] == Status.TOWNSHIP_PUBLICITY
    project = publicise(client, people.township, project, ["township"], clock)
    assert project["status"] == Status.SECTOR_REVIEW

    project = step(
        client, people.department, project, "department-review", passed=True, opinion="符合规划"
    )
    assert project["status"] == Status.COUNTY_REVIEW
    project = step(client, people.bureau, project, "joint-review", opinion="论证通过")
    project = step(client, people.bureau, project, "decide", approved=True)
    assert project["status"] == Status.COUNTY_DECIDED

    start = today()
    announced = post(
        client,
        people.bureau,
        "/api/v1/announcements/",
        {
            "year": project["year"],
            "number": "开乡振发〔2026〕1号",
            "medium": PublicityMedium.WEBSITE,
            "start_date": start.isoformat(),
            "end_date": (start + datetime.timedelta(days=9)).isoformat(),
            "projects": [project["id"]],
        },
    )
    assert announced.status_code == 201, announced.json()
    assert announced.json()["projects"] == [project["id"]]
    project = client.get(f"{API}{project['id']}/").json()
    assert project["status"] == Status.COUNTY_ANNOUNCED

    early = step(client, people.bureau, project, "admit", expect=400)
    assert early["code"] == "prj_2"
    move_past(clock, start)
    project = step(client, people.bureau, project, "admit")
    assert project["status"] == Status.IN_LIBRARY

    project = step(client, people.bureau, project, "plan", plan_year=project["year"])
    assert project["status"] == Status.PLANNED and project["plan_year"] == project["year"]
    project = step(client, people.township, project, "start")
    assert project["status"] == Status.IMPLEMENTING
    project = step(client, people.township, project, "progress", percent="60", text="主体完工")
    project = step(client, people.township, project, "progress", percent="100", text="全部完工")
    assert list(
        ProgressReport.objects.filter(project_id=project["id"]).values_list("percent", flat=True)
    ) == [Decimal("60"), Decimal("100")]
    project = step(client, people.township, project, "complete")
    assert project["status"] == Status.COMPLETED

    project = step(
        client,
        people.township,
        project,
        "maintenance",
        arrangements=[
            {
                "maintainer": "烟厂村村民委员会",
                "responsibility": "日常维护",
                "method": "专人管护",
                "funding_source": "村集体收益",
            }
        ],
    )
    assert [row["maintainer"] for row in project["maintenance"]] == ["烟厂村村民委员会"]
    project = step(
        client,
        people.bureau,
        project,
        "acceptance",
        result=AcceptanceResult.PASSED,
        inspectors="验收组",
    )
    assert project["status"] == Status.ACCEPTED
    assert Acceptance.objects.get(project_id=project["id"]).passed
    project = step(
        client,
        people.township,
        project,
        "hand-over",
        asset_formed=True,
        assets="育秧大棚20座",
        value="1000000.00",
        recipient="烟厂村股份经济合作社",
    )
    assert project["status"] == Status.HANDED_OVER
    project = step(
        client, people.township, project, "operate", mode=OperatingMode.VILLAGE_COLLECTIVE
    )
    assert project["status"] == Status.OPERATING
    assert project["operating_mode"] == OperatingMode.VILLAGE_COLLECTIVE


def test_a_step_at_the_wrong_stage_is_a_conflict_that_says_where_the_project_stands(
    client, village_a, bureau
):
    people = people_for(village_a)
    project = create(client, people.proposer, [village_a])
    refused = step(client, people.bureau, project, "admit", expect=409)
    assert refused["code"] == "concurrent_update"
    assert "谋划" in refused["detail"] or "编制" in refused["detail"]
    assert Project.objects.get(pk=project["id"]).status == Status.IDEA


def test_a_stale_version_is_409_and_changes_nothing(client, village_a):
    people = people_for(village_a)
    project = create(client, people.proposer, [village_a])
    client.force_login(people.proposer)
    patched = client.patch(
        f"{API}{project['id']}/",
        {"version": project["version"], "name": "新名称"},
        content_type="application/json",
    )
    assert patched.status_code == 200, patched.json()
    stale = step(client, people.proposer, project, "submit", expect=409)
    assert stale["code"] == "concurrent_update"
    again = client.patch(
        f"{API}{project['id']}/",
        {"version": project["version"], "name": "再改"},
        content_type="application/json",
    )
    assert again.status_code == 409
    saved = Project.objects.get(pk=project["id"])
    assert (saved.status, saved.name) == (Status.IDEA, "新名称")


def test_one_person_does_not_take_the_village_and_the_township_step(
    client, village_a, clerk_a, reviewer_a, clock
):
    """clerk_a enters the village's proposal and publicity for the village; the township's
    review of it is another clerk's."""
    project = create(client, clerk_a, [village_a], proposer_level="village")
    project = step(client, clerk_a, project, "submit")
    project = publicise(client, clerk_a, project, ["village"], clock)
    assert project["status"] == Status.TOWNSHIP_REVIEW
    refused = step(client, clerk_a, project, "township-review", expect=400, decision="pass")
    assert refused["code"] == "separation_of_duties"
    assert Project.objects.get(pk=project["id"]).status == Status.TOWNSHIP_REVIEW
    project = step(client, reviewer_a, project, "township-review", decision="pass")
    assert project["status"] == Status.TOWNSHIP_PUBLICITY


def test_a_step_of_another_level_is_refused_by_role(client, village_a, clock):
    people = people_for(village_a)
    project = walk(new_project([village_a], people), Status.TOWNSHIP_REVIEW, people, clock)
    client.force_login(people.proposer)  # the grid worker sees the project of their village
    loaded = client.get(f"{API}{project.pk}/").json()
    refused = step(client, people.proposer, loaded, "township-review", expect=400, decision="pass")
    assert refused["code"] == "wrong_role"
    refused = step(client, people.township, loaded, "decide", expect=400, approved=True)
    assert refused["code"] == "wrong_role"


def test_the_county_does_not_approve_what_it_did_not_review(client, village_a, clock):
    people = people_for(village_a)
    project = walk(new_project([village_a], people), Status.COUNTY_REVIEW, people, clock)
    client.force_login(people.bureau)
    loaded = client.get(f"{API}{project.pk}/").json()
    refused = step(client, people.bureau, loaded, "decide", expect=400, approved=True)
    assert refused["code"] == "prj_4"
    assert refused["violations"][0]["rule"] == "PRJ-4"
    rejected = step(client, people.bureau, loaded, "decide", expect=400, approved=False)
    assert rejected["field"] == "reason"
    done = step(client, people.bureau, loaded, "decide", approved=False, reason="资金来源不明")
    assert done["status"] == Status.REJECTED


def test_objections_are_recorded_and_handled_on_the_publicity_record(client, village_a, clock):
    people = people_for(village_a)
    project = create(client, people.proposer, [village_a])
    project = step(client, people.proposer, project, "submit")
    start = today()
    project = step(
        client,
        people.proposer,
        project,
        "publicity",
        level="village",
        medium=PublicityMedium.BOARD,
        start_date=start.isoformat(),
        end_date=(start + datetime.timedelta(days=9)).isoformat(),
    )
    record_id = project["publicity_records"][0]["id"]
    url = f"/api/v1/publicity-records/{record_id}/"
    made = post(
        client,
        people.proposer,
        f"{url}objections/",
        {"received_on": start.isoformat(), "text": "选址离居民区太近"},
    )
    assert made.status_code == 201, made.json()
    record = made.json()
    assert [o["text"] for o in record["objections"]] == ["选址离居民区太近"]
    objection = record["objections"][0]
    assert objection["is_handled"] is False
    move_past(clock, start)
    early = step(client, people.proposer, project | record_version(record), "publicity-close", 400)
    assert "异议" in early["detail"]

    handle = f"{url}objections/{objection['id']}/handle/"
    stale = post(client, people.proposer, handle, {"version": 1, "upheld": False, "handling": "x"})
    assert stale.status_code == 409
    done = post(
        client,
        people.proposer,
        handle,
        {"version": record["project_version"], "upheld": False, "handling": "经核实选址合规"},
    )
    assert done.status_code == 200, done.json()
    assert done.json()["objections"][0]["upheld"] is False
    missing = post(client, people.proposer, f"{url}objections/999999/handle/", {"version": 1})
    assert missing.status_code == 404
    closed = step(client, people.proposer, project | record_version(done.json()), "publicity-close")
    assert closed["status"] == Status.TOWNSHIP_REVIEW
    assert PublicityObjection.objects.get().handling == "经核实选址合规"


def record_version(record: dict) -> dict:
    return {"version": record["project_version"]}


def test_an_upheld_objection_ends_the_way_to_the_library(client, village_a):
    people = people_for(village_a)
    project = create(client, people.proposer, [village_a])
    project = step(client, people.proposer, project, "submit")
    start = today()
    project = step(
        client,
        people.proposer,
        project,
        "publicity",
        level="village",
        medium=PublicityMedium.BOARD,
        start_date=start.isoformat(),
        end_date=(start + datetime.timedelta(days=9)).isoformat(),
    )
    url = f"/api/v1/publicity-records/{project['publicity_records'][0]['id']}/"
    record = post(
        client,
        people.proposer,
        f"{url}objections/",
        {"received_on": start.isoformat(), "text": "占用基本农田"},
    ).json()
    done = post(
        client,
        people.proposer,
        f"{url}objections/{record['objections'][0]['id']}/handle/",
        {"version": record["project_version"], "upheld": True, "handling": "经核实属实"},
    )
    assert done.status_code == 200, done.json()
    assert done.json()["project_status"] == Status.REJECTED


def test_roll_over_answers_the_next_years_project(client, village_a, clock):
    people = people_for(village_a)
    project = walk(new_project([village_a], people), Status.IN_LIBRARY, people, clock)
    client.force_login(people.bureau)
    loaded = client.get(f"{API}{project.pk}/").json()
    successor = step(client, people.bureau, loaded, "roll-over", expect=201)
    assert successor["year"] == project.year + 1
    assert successor["status"] == Status.COUNTY_DECIDED
    assert successor["rolled_from"] == project.pk
    assert Project.objects.get(pk=project.pk).status == Status.ROLLED_OVER


def test_an_adjustment_goes_back_to_the_county_review_with_the_change_kept(
    client, village_a, clock
):
    people = people_for(village_a)
    project = walk(new_project([village_a], people), Status.IN_LIBRARY, people, clock)
    client.force_login(people.bureau)
    loaded = client.get(f"{API}{project.pk}/").json()
    refused = step(
        client, people.bureau, loaded, "adjust", expect=400, reason="扩大规模", self_raised="1"
    )
    assert refused["code"] == "prj_funding"
    adjusted = step(
        client,
        people.bureau,
        loaded,
        "adjust",
        reason="扩大规模",
        scale="育秧大棚30座",
        total_investment="1100000.00",
        self_raised="200000.00",
    )
    assert adjusted["status"] == Status.COUNTY_REVIEW
    assert adjusted["scale"] == "育秧大棚30座"
    assert project.adjustments.get().changes["scale"]
    withdrawn = walk(new_project([village_a], people), Status.IN_LIBRARY, people, clock)
    client.force_login(people.bureau)
    loaded = client.get(f"{API}{withdrawn.pk}/").json()
    assert step(client, people.bureau, loaded, "withdraw", expect=400, reason="")["field"] == (
        "reason"
    )
    out = step(client, people.bureau, loaded, "withdraw", reason="资金不足，退出项目库")
    assert out["status"] == Status.WITHDRAWN


def test_a_failed_acceptance_sends_the_project_back_to_rectification(client, village_a, clock):
    people = people_for(village_a)
    project = walk(new_project([village_a], people), Status.COMPLETED, people, clock)
    client.force_login(people.bureau)
    loaded = client.get(f"{API}{project.pk}/").json()
    refused = step(
        client, people.bureau, loaded, "acceptance", expect=400, result=AcceptanceResult.FAILED
    )
    assert refused["field"] == "findings"
    back = step(
        client,
        people.bureau,
        loaded,
        "acceptance",
        result=AcceptanceResult.FAILED,
        findings="灌溉设施未完工",
    )
    assert back["status"] == Status.IMPLEMENTING
    listed = client.get("/api/v1/acceptances/", {"project": project.pk, "result": "不合格"})
    assert [row["findings"] for row in listed.json()["results"]] == ["灌溉设施未完工"]


def test_an_operating_agreement_is_needed_for_a_leased_project(client, village_a, clock):
    people = people_for(village_a)
    project = walk(new_project([village_a], people), Status.HANDED_OVER, people, clock)
    client.force_login(people.township)
    loaded = client.get(f"{API}{project.pk}/").json()
    refused = step(client, people.township, loaded, "operate", expect=400, mode="租赁")
    assert refused["code"] == "prj_10"
    agreement = {
        "mode": "租赁",
        "operator": "开原市稻香农民专业合作社",
        "operator_uscc": "91110000600037341L",
        "signed_on": today().isoformat(),
        "term_start": today().isoformat(),
        "term_end": (today() + datetime.timedelta(days=3 * 365)).isoformat(),
        "guaranteed_return_percent": "6",
        "rights_obligations": "承租方负责日常经营和维护",
    }
    made = post(client, people.township, f"{API}{project.pk}/agreement/", agreement)
    assert made.status_code == 200, made.json()
    operating = step(client, people.township, loaded, "operate", mode="租赁")
    assert operating["status"] == Status.OPERATING
    assert AuditEvent.objects.filter(action="operate", object_id=str(project.pk)).exists()
