"""The part-2 API: leads, cases with their transitions as POST sub-resources, measures."""

from __future__ import annotations

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from kaiyuan.common.dates import today
from monitoring.codes import HouseholdType
from monitoring.models import MonitoringCase
from tests.monitoring.factories import make_household

pytestmark = pytest.mark.django_db
NO_PROBLEMS = {
    "child_out_of_school": False,
    "housing_unsafe": False,
    "member_uninsured": False,
    "water_unsafe": False,
}


@pytest.fixture
def household(village_a):
    return make_household(village_a, household_type=HouseholdType.ORDINARY)


def _open(client, household):
    response = client.post(
        "/api/v1/cases/",
        {"household": household.pk, "kind": "identification"},
        content_type="application/json",
    )
    assert response.status_code == 201, response.json()
    return response.json()


def _application(case, **overrides):
    data = {
        "version": case["version"],
        "application_date": today().isoformat(),
        "category": "突发严重困难户",
        "risks": ["因病"],
        "authorisation": SimpleUploadedFile("授权书.pdf", b"%PDF-1.4", "application/pdf"),
        **{k: str(v).lower() for k, v in NO_PROBLEMS.items()},
    }
    data.update(overrides)
    return data


def test_the_whole_path_through_the_api(client, household, clerk_a, reviewer_a, bureau):
    client.force_login(clerk_a)
    case = _open(client, household)
    url = f"/api/v1/cases/{case['id']}"
    case = client.post(f"{url}/submit-application/", _application(case)).json()
    assert case["status"] == "verifying"
    client.force_login(bureau)
    case = client.post(
        f"{url}/crosscheck/",
        {"version": case["version"], "result": "无异常"},
        content_type="application/json",
    ).json()
    client.force_login(clerk_a)
    case = client.post(
        f"{url}/verify/",
        {"version": case["version"], "verifiers": ["甲", "乙"], "verified_on": today().isoformat()},
        content_type="application/json",
    ).json()
    minutes = SimpleUploadedFile("会议记录.pdf", b"%PDF-1.4", "application/pdf")
    case = client.post(
        f"{url}/appraise/",
        {
            "version": case["version"],
            "eligible": "true",
            "appraisal_on": today().isoformat(),
            "minutes": minutes,
        },
    ).json()
    assert case["status"] == "village_publicity"
    early = client.post(
        f"{url}/close-publicity/",
        {"version": case["version"], "objection_upheld": False},
        content_type="application/json",
    )
    assert early.status_code == 400 and early.json()["code"] == "mon_id_3"
    MonitoringCase.objects.filter(pk=case["id"]).update(
        publicity_end=today() - datetime.timedelta(days=1)
    )
    case = client.post(
        f"{url}/close-publicity/",
        {"version": case["version"], "objection_upheld": False},
        content_type="application/json",
    ).json()
    # clerk_a entered the village's steps: the township review is another clerk's.
    refused = client.post(
        f"{url}/township-review/",
        {"version": case["version"], "passed": True},
        content_type="application/json",
    )
    assert refused.status_code == 400
    assert refused.json()["code"] == "separation_of_duties"
    client.force_login(reviewer_a)
    case = client.post(
        f"{url}/township-review/",
        {"version": case["version"], "passed": True},
        content_type="application/json",
    ).json()
    client.force_login(bureau)
    case = client.post(
        f"{url}/county-decide/",
        {"version": case["version"], "approved": True},
        content_type="application/json",
    ).json()
    assert case["status"] == "approved" and case["announced_on"] == today().isoformat()


def test_refusals_carry_the_rule_code_and_a_chinese_detail(client, household, clerk_a):
    client.force_login(clerk_a)
    case = _open(client, household)
    data = _application(case)
    data.pop("authorisation")
    response = client.post(f"/api/v1/cases/{case['id']}/submit-application/", data)
    assert response.status_code == 400
    assert response.json()["code"] == "mon_id_1"
    assert "申请及承诺授权书" in response.json()["detail"]


def test_a_stale_version_is_a_conflict(client, household, clerk_a):
    client.force_login(clerk_a)
    case = _open(client, household)
    stale = dict(case, version=case["version"] + 1)
    response = client.post(f"/api/v1/cases/{case['id']}/submit-application/", _application(stale))
    assert response.status_code == 409
    assert response.json()["code"] == "concurrent_update"


def test_scoping_and_read_only_roles(client, household, clerk_a, clerk_b, leader):
    client.force_login(clerk_a)
    case = _open(client, household)
    client.force_login(clerk_b)
    assert client.get(f"/api/v1/cases/{case['id']}/").status_code == 404
    assert len(client.get("/api/v1/cases/").json()["results"]) == 0
    response = client.post(
        "/api/v1/cases/",
        {"household": household.pk, "kind": "identification"},
        content_type="application/json",
    )
    # Another township's household is answered as a missing one (tests/monitoring/test_api_ids).
    assert response.status_code == 400
    assert response.json() == {"household": ["不存在这条记录。"]}
    client.force_login(leader)
    assert client.get(f"/api/v1/cases/{case['id']}/").status_code == 200
    assert (
        client.post(
            f"/api/v1/cases/{case['id']}/objection/", {"text": "x"}, content_type="application/json"
        ).status_code
        == 403
    )
    client.logout()
    assert client.get("/api/v1/cases/").status_code in (401, 403)


def test_leads_and_measures(client, household, clerk_a):
    client.force_login(clerk_a)
    lead = client.post(
        "/api/v1/leads/",
        {"household": household.pk, "description": "突发重病", "source": "self_application"},
        content_type="application/json",
    ).json()
    assert lead["status"] == "open"
    case = client.post(f"/api/v1/leads/{lead['id']}/open-case/").json()
    assert case["lead"] == lead["id"]
    refused = client.post(
        "/api/v1/measures/",
        {
            "household": household.pk,
            "year": 2026,
            "group": "综合保障",
            "subtype": "临时救助",
            "department": "民政局",
            "start_date": today().isoformat(),
        },
        content_type="application/json",
    )
    assert refused.status_code == 400 and refused.json()["code"] == "mon_id_5"
    exited = make_household(household.area)
    measure = client.post(
        "/api/v1/measures/",
        {
            "household": exited.pk,
            "year": 2026,
            "group": "产业帮扶",
            "subtype": "到户产业补贴",
            "department": "农业农村局",
            "amount": "1500.5",
            "start_date": today().isoformat(),
        },
        content_type="application/json",
    ).json()
    assert measure["amount"] == "1500.50"
    done = client.post(
        f"/api/v1/measures/{measure['id']}/status/",
        {"status": "implemented", "version": measure["version"]},
        content_type="application/json",
    ).json()
    assert done["status"] == "implemented"


def test_the_schema_documents_the_transitions(client, clerk_a):
    client.force_login(clerk_a)
    schema = client.get("/api/schema/").content.decode()
    for path in (
        "/api/v1/cases/{id}/county-decide/",
        "/api/v1/leads/",
        "/api/v1/measures/",
        "/api/v1/warnings/{id}/verify/",
    ):
        assert path in schema
