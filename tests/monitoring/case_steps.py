"""A case walked through its steps by the services, for tests that need one at a given step."""

from __future__ import annotations

import datetime

from django.core.files.uploadedfile import SimpleUploadedFile

from kaiyuan.common.dates import today
from monitoring.codes import MonitoringCategory
from monitoring.models import MonitoringCase
from monitoring.services import cases

NO_PROBLEMS = dict(
    child_out_of_school=False, housing_unsafe=False, member_uninsured=False, water_unsafe=False
)


def pdf(name="授权书.pdf"):
    return SimpleUploadedFile(name, b"%PDF-1.4 signed", content_type="application/pdf")


def submitted(household, clerk, case=None) -> MonitoringCase:
    """Opened (unless ``case`` is) and its application submitted by ``clerk``."""
    case = case or cases.case_open_identification(household=household, actor=clerk)
    cases.case_submit_application(
        case=case,
        actor=clerk,
        application_date=today(),
        authorisation=pdf(),
        category=MonitoringCategory.SUDDEN,
        risks=["因病"],
        guarantees=NO_PROBLEMS,
    )
    case.refresh_from_db()
    return case


def at_township_review(household, clerk, bureau) -> MonitoringCase:
    """Every village step entered by ``clerk``, cross-checked by ``bureau``, the publicity
    over: waiting for the township review."""
    case = submitted(household, clerk)
    cases.case_record_crosscheck(case=case, actor=bureau, result="比对无异常")
    cases.case_complete_verification(
        case=case, actor=clerk, verifiers=["张三", "李四"], verified_on=today(), findings="属实"
    )
    cases.case_appraise(
        case=case, actor=clerk, eligible=True, appraisal_on=today(), reason="", minutes=pdf()
    )
    MonitoringCase.objects.filter(pk=case.pk).update(
        publicity_end=today() - datetime.timedelta(days=1)
    )
    case.refresh_from_db()
    cases.case_close_publicity(case=case, actor=clerk, objection_upheld=False)
    case.refresh_from_db()
    return case
