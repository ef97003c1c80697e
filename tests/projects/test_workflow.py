"""Every step of a project's workflow: taken by who may take it, refused for the wrong state,
role, level, area, and for a level deciding its own proposal or one person acting at two levels
(DOMAIN.md §3.3, §3.4, §7)."""

from __future__ import annotations

import pytest

from kaiyuan.accounts.roles import Department, Role
from kaiyuan.common.errors import DomainError, TransitionNotAllowed
from kaiyuan.common.workflow import DutiesNotSeparated, StepChanged, WrongRole
from projects.codes import ProposerLevel
from projects.exceptions import ProjectError
from projects.models import Project
from projects.services import projects as project_services
from projects.services import reviews
from tests.factories import UserFactory
from tests.projects.factories import new_project, people_for, walk

pytestmark = pytest.mark.django_db
Status = Project.Status


@pytest.fixture
def people(village_a):
    return people_for(village_a)


@pytest.fixture
def at_township_review(village_a, people, clock):
    return walk(new_project([village_a], people), Status.TOWNSHIP_REVIEW, people, clock)


def _pass(project, actor):
    return reviews.township_review(
        project=project, decision="pass", reason="", expected_version=project.version, actor=actor
    )


def test_the_path_of_a_village_proposal_records_each_step_with_its_actor(village_a, people, clock):
    from kaiyuan.audit.models import AuditEvent

    project = walk(new_project([village_a], people), Status.IN_LIBRARY, people, clock)
    steps = list(
        AuditEvent.objects.filter(object_id=str(project.pk), content_type__model="project")
        .exclude(action__in=["create", "change", "upload"])
        .order_by("at", "id")
        .values_list("action", "actor__username")
    )
    assert [action for action, _who in steps] == [
        "submit_village",
        "village_publicity",
        "village_publicity_close",
        "township_pass",
        "township_publicity",
        "township_publicity_close",
        "department_pass",
        "joint_review",
        "county_decide",
        "county_announce",
        "admit",
    ]
    who = dict(steps)
    assert who["submit_village"] == people.proposer.username
    assert who["township_pass"] == people.township.username
    assert who["department_pass"] == people.department.username
    assert who["admit"] == people.bureau.username


def test_a_step_at_the_wrong_state_says_where_the_project_is(village_a, people):
    project = new_project([village_a], people)
    with pytest.raises(StepChanged) as refused:
        _pass(project, people.township)
    assert "谋划中" in str(refused.value)
    assert Project.objects.get(pk=project.pk).status == Status.IDEA


def test_a_role_without_the_capability_is_refused(at_township_review, leader, county):
    grid_worker = UserFactory(role=Role.GRID_WORKER, area=at_township_review.area)
    for actor in (grid_worker, leader, UserFactory(role=Role.BUREAU, area=county)):
        with pytest.raises(TransitionNotAllowed):
            _pass(at_township_review, actor)
    assert Project.objects.get(pk=at_township_review.pk).status == Status.TOWNSHIP_REVIEW


def test_a_clerk_of_another_township_cannot_review(at_township_review, clerk_b):
    with pytest.raises(DomainError) as refused:
        _pass(at_township_review, clerk_b)
    assert refused.value.code == "out_of_area"


def test_the_clerk_who_entered_the_villages_steps_does_not_review_them(
    village_a, clerk_a, reviewer_a, clock
):
    people = people_for(village_a)
    people.proposer = clerk_a  # the township clerk enters the village's proposal for it
    people.township = reviewer_a
    project = walk(new_project([village_a], people), Status.TOWNSHIP_REVIEW, people, clock)
    with pytest.raises(DutiesNotSeparated):
        _pass(project, clerk_a)
    assert _pass(project, reviewer_a).status == Status.TOWNSHIP_PUBLICITY


def test_a_township_proposal_goes_to_the_county_without_a_township_review(village_a, clock):
    people = people_for(village_a, proposer_level=ProposerLevel.TOWNSHIP)
    project = new_project([village_a], people, proposer_level=ProposerLevel.TOWNSHIP)
    project = walk(project, Status.SECTOR_REVIEW, people, clock)
    # No level decides on its own proposal: even a second clerk of the township cannot pass it.
    with pytest.raises(DutiesNotSeparated):
        _pass(project, UserFactory(role=Role.TOWNSHIP_CLERK, area=village_a.parent))
    assert [step for step in Project.Status if project.publicity_records.filter(level="township")]


def test_a_departments_own_proposal_is_not_reviewed_by_a_department(village_a, clock):
    people = people_for(village_a, proposer_level=ProposerLevel.COUNTY)
    project = new_project([village_a], people, proposer_level=ProposerLevel.COUNTY)
    project = walk(project, Status.COUNTY_REVIEW, people, clock)
    assert project.proposer_department == Department.AGRICULTURE
    assert project.publicity_records.filter(level="county").exists()


def test_only_the_projects_sector_department_reviews_it(village_a, people, clock, county):
    project = walk(new_project([village_a], people), Status.SECTOR_REVIEW, people, clock)
    water = UserFactory(role=Role.DEPARTMENT, area=county, department=Department.WATER)
    with pytest.raises(DomainError):
        # Department staff do not even see another sector's projects.
        reviews.department_review(
            project=project,
            passed=True,
            opinion="同意",
            expected_version=project.version,
            actor=water,
        )
    assert not Project.objects.visible_to(water).filter(pk=project.pk).exists()


def test_rejection_needs_a_reason_and_tells_the_proposer(at_township_review, people):
    from kaiyuan.inbox.models import Notice

    with pytest.raises(ProjectError):
        reviews.township_review(
            project=at_township_review,
            decision="reject",
            reason=" ",
            expected_version=at_township_review.version,
            actor=people.township,
        )
    project = reviews.township_review(
        project=at_township_review,
        decision="reject",
        reason="与村级规划不符",
        expected_version=at_township_review.version,
        actor=people.township,
    )
    assert project.status == Status.REJECTED
    notice = Notice.objects.get(recipient=people.proposer)
    assert notice.reason == "与村级规划不符"


def test_a_return_sends_the_proposal_back_to_its_draft(at_township_review, people):
    project = reviews.township_review(
        project=at_township_review,
        decision="return",
        reason="补充绩效目标",
        expected_version=at_township_review.version,
        actor=people.township,
    )
    assert project.status == Status.IDEA


def test_a_stale_version_is_told_someone_else_acted(at_township_review, people):
    with pytest.raises(StepChanged) as refused:
        reviews.township_review(
            project=at_township_review,
            decision="pass",
            reason="",
            expected_version=at_township_review.version - 1,
            actor=people.township,
        )
    assert "其他人已办理" in str(refused.value)


def test_withdrawal_adjustment_and_roll_over(village_a, people, clock):
    project = walk(new_project([village_a], people), Status.IN_LIBRARY, people, clock)
    successor = reviews.project_roll_over(
        project=project, expected_version=project.version, actor=people.bureau
    )
    assert Project.objects.get(pk=project.pk).status == Status.ROLLED_OVER
    assert successor.year == project.year + 1
    assert successor.status == Status.COUNTY_DECIDED
    assert successor.rolled_from_id == project.pk
    assert [v.village_id for v in successor.villages.all()] == [village_a.pk]
    assert successor.indicators.count() == project.indicators.count()

    withdrawn = reviews.project_withdraw(
        project=successor,
        reason="资金未落实",
        expected_version=successor.version,
        actor=people.bureau,
    )
    assert withdrawn.status == Status.WITHDRAWN


def test_an_adjustment_keeps_the_change_and_needs_a_new_joint_review(village_a, people, clock):
    from decimal import Decimal

    project = walk(new_project([village_a], people), Status.PLANNED, people, clock)
    adjusted = reviews.project_adjust(
        project=project,
        values={
            "scale": "育秧大棚25座",
            "total_investment": Decimal("1100000.00"),
            "self_raised": Decimal("200000.00"),
        },
        reason="群众要求扩大规模",
        expected_version=project.version,
        actor=people.bureau,
    )
    assert adjusted.status == Status.COUNTY_REVIEW
    change = adjusted.adjustments.get()
    assert change.changes["scale"] == ["育秧大棚20座", "育秧大棚25座"]
    assert change.from_state == Status.PLANNED
    with pytest.raises(DomainError) as refused:
        reviews.county_decide(
            project=adjusted,
            approved=True,
            reason="",
            expected_version=adjusted.version,
            actor=people.bureau,
        )
    assert "论证" in str(refused.value)


def test_an_adjustment_that_breaks_the_funding_sum_is_refused(village_a, people, clock):
    from decimal import Decimal

    project = walk(new_project([village_a], people), Status.IN_LIBRARY, people, clock)
    with pytest.raises(DomainError) as refused:
        reviews.project_adjust(
            project=project,
            values={"total_investment": Decimal("1100000.00")},
            reason="扩大规模",
            expected_version=project.version,
            actor=people.bureau,
        )
    assert "1,000,000.00" in str(refused.value)
    assert Project.objects.get(pk=project.pk).status == Status.IN_LIBRARY


def test_a_draft_is_edited_only_by_its_own_level(village_a, people, clock, bureau):
    project = new_project([village_a], people)
    with pytest.raises(WrongRole):
        project_services.project_submit(
            project=project, expected_version=project.version, actor=bureau
        )
