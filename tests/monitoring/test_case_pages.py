"""The case pages: each step's form only for the roles that may take it, refusals in Chinese,
scoping, and the household page's entry points."""

from __future__ import annotations

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from kaiyuan.common.dates import today
from monitoring.codes import HouseholdType
from monitoring.models import CaseAttachment, MonitoringCase, RiskLead
from monitoring.services import cases
from tests.monitoring.factories import make_household

pytestmark = pytest.mark.django_db


@pytest.fixture
def household(village_a):
    return make_household(village_a, household_type=HouseholdType.ORDINARY, head_name="赵大勇")


def _pdf():
    return SimpleUploadedFile("授权书.pdf", b"%PDF-1.4 signed", content_type="application/pdf")


def _post_step(client, case, step, data):
    payload = {"step": step, f"{step}-version": case.version}
    payload.update({f"{step}-{key}": value for key, value in data.items()})
    return client.post(f"/monitoring/cases/{case.pk}/", payload)


def test_a_clerk_records_a_lead_and_opens_a_case_from_it(client, clerk_a, household):
    client.force_login(clerk_a)
    response = client.post(
        f"/monitoring/households/{household.pk}/leads/new/",
        {
            "description": "户主突发重病住院",
            "received_on": today().isoformat(),
            "source": "self_application",
        },
    )
    assert response.status_code == 302
    lead = RiskLead.objects.get()
    assert client.get("/monitoring/leads/").content.decode().count('data-testid="lead-row"') == 1
    response = client.post(f"/monitoring/leads/{lead.pk}/open-case/")
    case = MonitoringCase.objects.get()
    assert response["Location"] == f"/monitoring/cases/{case.pk}/"
    lead.refresh_from_db()
    assert lead.status == RiskLead.Status.CASE_OPENED


def test_the_application_step_refuses_without_the_authorisation(client, clerk_a, household):
    case = cases.case_open_identification(household=household, actor=clerk_a)
    client.force_login(clerk_a)
    html = _post_step(
        client,
        case,
        "submit_application",
        {
            "application_date": today().isoformat(),
            "category": "突发严重困难户",
            "risk_1": "因病",
            "child_out_of_school": "false",
            "housing_unsafe": "false",
            "member_uninsured": "false",
            "water_unsafe": "false",
        },
    ).content.decode()
    assert "请上传农户签字的申请及承诺授权书" in html
    case.refresh_from_db()
    assert case.status == MonitoringCase.Status.APPLICATION
    payload = {
        "step": "submit_application",
        "submit_application-version": case.version,
        "submit_application-application_date": today().isoformat(),
        "submit_application-category": "突发严重困难户",
        "submit_application-risk_1": "因病",
        "submit_application-authorisation": _pdf(),
    }
    for name in ("child_out_of_school", "housing_unsafe", "member_uninsured", "water_unsafe"):
        payload[f"submit_application-{name}"] = "false"
    response = client.post(f"/monitoring/cases/{case.pk}/", payload)
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == MonitoringCase.Status.VERIFYING
    assert CaseAttachment.objects.filter(case=case, kind="authorisation").count() == 1


def test_forms_are_shown_only_to_the_roles_that_may_take_the_step(
    client, clerk_a, bureau, leader, household
):
    case = cases.case_open_identification(household=household, actor=clerk_a)
    cases.case_submit_application(
        case=case,
        actor=clerk_a,
        application_date=today(),
        authorisation=_pdf(),
        category="突发严重困难户",
        risks=["因病"],
    )
    client.force_login(clerk_a)
    html = client.get(f"/monitoring/cases/{case.pk}/").content.decode()
    assert 'data-testid="step-verify"' in html and 'data-testid="step-crosscheck"' not in html
    client.force_login(bureau)
    html = client.get(f"/monitoring/cases/{case.pk}/").content.decode()
    assert 'data-testid="step-crosscheck"' in html and 'data-testid="step-verify"' not in html
    client.force_login(leader)
    html = client.get(f"/monitoring/cases/{case.pk}/").content.decode()
    assert 'data-testid="step-' not in html
    case.refresh_from_db()
    assert _post_step(client, case, "crosscheck", {"result": "x"}).status_code == 403


def test_another_township_gets_404_for_the_case_and_its_documents(
    client, clerk_a, clerk_b, household
):
    case = cases.case_open_identification(household=household, actor=clerk_a)
    cases.case_submit_application(
        case=case,
        actor=clerk_a,
        application_date=today(),
        authorisation=_pdf(),
        category="突发严重困难户",
        risks=["因病"],
    )
    attachment = CaseAttachment.objects.get()
    client.force_login(clerk_b)
    assert client.get(f"/monitoring/cases/{case.pk}/").status_code == 404
    assert client.get(f"/monitoring/cases/attachments/{attachment.pk}/").status_code == 404
    client.force_login(clerk_a)
    response = client.get(f"/monitoring/cases/attachments/{attachment.pk}/")
    assert b"".join(response.streaming_content) == b"%PDF-1.4 signed"


def test_a_stale_page_is_told_the_case_changed(client, clerk_a, bureau, household):
    case = cases.case_open_identification(household=household, actor=clerk_a)
    cases.case_submit_application(
        case=case,
        actor=clerk_a,
        application_date=today(),
        authorisation=_pdf(),
        category="突发严重困难户",
        risks=["因病"],
    )
    case.refresh_from_db()
    stale = case.version
    client.force_login(bureau)
    _post_step(client, case, "crosscheck", {"result": "无异常"})
    case.version = stale
    html = _post_step(client, case, "crosscheck", {"result": "再次比对"}).content.decode()
    assert "其他人已办理" in html


def test_publicity_cannot_be_closed_early_from_the_page(client, clerk_a, bureau, household):
    case = cases.case_open_identification(household=household, actor=clerk_a)
    cases.case_submit_application(
        case=case,
        actor=clerk_a,
        application_date=today(),
        authorisation=_pdf(),
        category="突发严重困难户",
        risks=["因病"],
    )
    cases.case_record_crosscheck(case=case, actor=bureau, result="无异常")
    cases.case_complete_verification(
        case=case, actor=clerk_a, verifiers=["甲", "乙"], verified_on=today(), findings=""
    )
    cases.case_appraise(
        case=case, actor=clerk_a, eligible=True, appraisal_on=today(), reason="", minutes=_pdf()
    )
    case.refresh_from_db()
    client.force_login(clerk_a)
    html = _post_step(
        client, case, "close_publicity", {"objection_upheld": "false"}
    ).content.decode()
    end = (today() + datetime.timedelta(days=4)).isoformat()
    assert f"公示期至{end}" in html


def test_the_household_page_offers_the_next_actions(client, clerk_a, household):
    client.force_login(clerk_a)
    html = client.get(f"/monitoring/households/{household.pk}/").content.decode()
    assert "登记风险线索" in html and "启动识别" in html and "提出风险消除" not in html
    case = cases.case_open_identification(household=household, actor=clerk_a)
    html = client.get(f"/monitoring/households/{household.pk}/").content.decode()
    assert f"/monitoring/cases/{case.pk}/" in html and "启动识别" not in html
