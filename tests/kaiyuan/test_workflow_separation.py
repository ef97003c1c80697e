"""The separation of duties has two forms in kaiyuan.common.workflow: ``refusal`` for one object
and ``exclude_separated`` for a list (the 待办 inbox offers only the steps a user may take). Both
read the same step rows: the app's own (cases keep CaseStep rows) or, by default, the audit
trail's events that carry a step level (department warnings). They must agree."""

from __future__ import annotations

import pytest

from kaiyuan.audit import record
from kaiyuan.common.workflow import COUNTY, TOWNSHIP, VILLAGE
from monitoring.models import CaseStep, DeptWarning, MonitoringCase
from monitoring.models.cases import CASE_WORKFLOW
from monitoring.models.warnings import WARNING_WORKFLOW
from tests.monitoring.factories import make_department_warning, make_household

pytestmark = [pytest.mark.django_db, pytest.mark.sqlite]


def test_on_the_audit_trail_a_step_of_another_level_removes_the_object_from_the_list(
    clerk_a, village_a
):
    first = make_department_warning(make_household(village_a).members.get())
    second = make_department_warning(make_household(village_a).members.get())
    record(first, action="note", actor=clerk_a, data={"step_level": COUNTY})
    record(second, action="note", actor=clerk_a, data={"step_level": TOWNSHIP})
    takeable = WARNING_WORKFLOW.exclude_separated(DeptWarning.objects.all(), clerk_a, TOWNSHIP)
    assert list(takeable) == [second]
    assert WARNING_WORKFLOW.refusal(first, "verify", clerk_a) is not None
    assert WARNING_WORKFLOW.refusal(second, "verify", clerk_a) is None


def test_on_the_apps_step_rows_the_list_and_the_refusal_agree(clerk_a, reviewer_a, village_a):
    household = make_household(village_a)
    case = MonitoringCase.objects.create(
        household=household,
        area=village_a,
        kind=MonitoringCase.Kind.IDENTIFICATION,
        status=MonitoringCase.Status.TOWNSHIP_REVIEW,
        opened_by=clerk_a,
    )
    CaseStep.objects.create(
        case=case, action="appraise", from_state="", to_state="", actor=clerk_a, level=VILLAGE
    )
    cases = MonitoringCase.objects.all()
    assert list(CASE_WORKFLOW.exclude_separated(cases, clerk_a, TOWNSHIP)) == []
    assert list(CASE_WORKFLOW.exclude_separated(cases, reviewer_a, TOWNSHIP)) == [case]
    assert list(CASE_WORKFLOW.exclude_separated(cases, clerk_a, VILLAGE)) == [case]
    assert CASE_WORKFLOW.refusal(case, "township_pass", clerk_a) is not None
    assert CASE_WORKFLOW.refusal(case, "township_pass", reviewer_a) is None
