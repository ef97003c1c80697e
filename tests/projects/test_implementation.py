"""From the funded plan to operation: progress reports, completion at 100 %, acceptance by the
bureau (PRJ-7) with rectification on failure, 管护 before a rural-construction project's
acceptance, the handover and the operating agreement (PRJ-10, PRJ-11)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from kaiyuan.common.dates import today
from kaiyuan.common.errors import DomainError
from kaiyuan.common.rules import RulesBroken
from kaiyuan.common.workflow import StepChanged, WrongRole
from projects.codes import AcceptanceResult, Category, OperatingMode, Subcategory
from projects.models import ConstructionListItem, Project
from projects.services import implementation
from tests.projects.factories import new_project, people_for, walk

pytestmark = pytest.mark.django_db
Status = Project.Status


@pytest.fixture
def people(village_a):
    return people_for(village_a)


def _fresh(project):
    return Project.objects.get(pk=project.pk)


def _report(project, people, percent):
    return implementation.progress_report(
        project=project,
        reported_on=today(),
        percent=Decimal(percent),
        text="按计划推进",
        actor=people.township,
    )


def _accept(project, people, result=AcceptanceResult.PASSED, findings=""):
    project = _fresh(project)
    return implementation.acceptance_record(
        project=project,
        accepted_on=today(),
        result=result,
        findings=findings,
        inspectors="县乡村振兴局验收组",
        expected_version=project.version,
        actor=people.bureau,
    )


def test_completion_needs_progress_at_100_percent(village_a, people, clock):
    project = walk(new_project([village_a], people), Status.IMPLEMENTING, people, clock)
    _report(project, people, "99.99")
    project = _fresh(project)
    with pytest.raises(RulesBroken) as refused:
        implementation.project_complete(
            project=project, expected_version=project.version, actor=people.township
        )
    assert "99.99%" in refused.value.message
    _report(project, people, "100")
    project = _fresh(project)
    done = implementation.project_complete(
        project=project, expected_version=project.version, actor=people.township
    )
    assert done.status == Status.COMPLETED


def test_a_progress_report_out_of_range_is_refused(village_a, people, clock):
    project = walk(new_project([village_a], people), Status.IMPLEMENTING, people, clock)
    with pytest.raises(DomainError):
        _report(project, people, "100.01")
    assert not project.progress_reports.exists()


def test_only_the_bureau_accepts_and_a_failed_acceptance_returns_to_rectification(
    village_a, people, clock
):
    project = walk(new_project([village_a], people), Status.COMPLETED, people, clock)
    with pytest.raises(WrongRole):
        implementation.acceptance_record(
            project=project,
            accepted_on=today(),
            result=AcceptanceResult.PASSED,
            findings="",
            inspectors="",
            expected_version=project.version,
            actor=people.township,
        )
    with pytest.raises(DomainError):
        _accept(project, people, AcceptanceResult.FAILED, findings="")
    _accept(project, people, AcceptanceResult.FAILED, findings="排水沟未按设计施工")
    assert _fresh(project).status == Status.IMPLEMENTING
    # No handover before a passed acceptance: the project is back to implementing.
    project = _fresh(project)
    with pytest.raises(StepChanged):
        implementation.project_hand_over(
            project=project,
            handed_over_on=today(),
            asset_formed=False,
            no_asset_reason="—",
            expected_version=project.version,
            actor=people.township,
        )


def test_a_rural_construction_project_lists_its_maintenance_before_acceptance(
    village_a, people, clock
):
    project = new_project(
        [village_a],
        people,
        category=Category.RURAL_CONSTRUCTION,
        subcategory=Subcategory.MODEL_VILLAGE,
        four_haves={},
    )
    project.construction_items.set(ConstructionListItem.objects.filter(kind="positive")[:1])
    project = walk(project, Status.COMPLETED, people, clock)
    with pytest.raises(RulesBroken) as refused:
        _accept(project, people)
    assert "管护" in refused.value.message
    implementation.maintenance_set(
        project=project,
        arrangements=[
            {
                "maintainer": "烟厂村村民委员会",
                "responsibility": "道路日常养护",
                "method": "公益岗位巡查",
                "funding_source": "村集体经济收益",
            }
        ],
        actor=people.township,
    )
    _accept(project, people)
    assert _fresh(project).status == Status.ACCEPTED


def test_operation_other_than_by_the_village_needs_the_signed_agreement(village_a, people, clock):
    project = walk(new_project([village_a], people), Status.HANDED_OVER, people, clock)
    with pytest.raises(RulesBroken) as refused:
        implementation.project_operate(
            project=project,
            mode=OperatingMode.LEASE,
            expected_version=project.version,
            actor=people.township,
        )
    assert "经营协议" in refused.value.message
    import datetime

    implementation.agreement_record(
        project=project,
        values={
            "mode": OperatingMode.LEASE,
            "operator": "开原市稻香农民专业合作社",
            "operator_uscc": "91110000600037341L",
            "signed_on": today(),
            "term_start": today(),
            "term_end": today() + datetime.timedelta(days=365 * 5),
            "guaranteed_return_percent": Decimal("6"),
            "variable_return": "超产部分五五分成",
            "rights_obligations": "合作社负责经营管护，按年支付租金",
        },
        actor=people.township,
    )
    project = _fresh(project)
    operating = implementation.project_operate(
        project=project,
        mode=OperatingMode.LEASE,
        expected_version=project.version,
        actor=people.township,
    )
    assert operating.status == Status.OPERATING and operating.operating_mode == OperatingMode.LEASE


def test_village_collective_operation_needs_no_agreement(village_a, people, clock):
    project = walk(new_project([village_a], people), Status.OPERATING, people, clock)
    assert project.operating_mode == OperatingMode.VILLAGE_COLLECTIVE
    assert project.handover.asset_formed
