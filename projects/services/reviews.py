"""The county's and the township's decisions on a proposal, and the library's own moves
(DOMAIN.md §3.3–§3.5): township review (乡审核, PRJ-4), the sector department's review, the
county's joint review (论证) and decision (审定, PRJ-1, PRJ-9), admission (入库, PRJ-2), the funded
plan, withdrawal (退库), adjustment (调整, back to review with the change kept) and roll-over
(滚动) into the next year's library. Each is one step of ``PROJECT_WORKFLOW``."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from kaiyuan.audit import changes as audit_changes
from kaiyuan.audit import record, snapshot
from kaiyuan.common.dates import today
from kaiyuan.common.uscc import normalise as normalise_uscc
from kaiyuan.common.uscc import uscc_problems
from projects.exceptions import ProjectError
from projects.models import (
    FourHavesItem,
    PerformanceIndicator,
    Project,
    ProjectAdjustment,
    ProjectVillage,
)
from projects.models.projects import FUNDING_FIELDS
from projects.rules import projects as project_rules
from projects.rules import publicity as publicity_rules
from projects.services.projects import (
    check_rules,
    lock_project,
    move,
    next_code,
    review_problems,
)

Status = Project.Status
# What an adjustment may change (the rest of an admitted project stays as decided).
ADJUSTABLE_FIELDS = (
    "name",
    "content",
    "scale",
    "location",
    "start_date",
    "end_date",
    "entity_name",
    "entity_type",
    "entity_uscc",
    "responsible_person",
    "total_investment",
    *FUNDING_FIELDS,
)


def _reason_required(reason: str) -> str:
    if not (reason or "").strip():
        raise ProjectError(_("Give the reason."), field="reason")
    return reason.strip()


@transaction.atomic
def township_review(
    *, project: Project, decision: str, reason: str, expected_version: int, actor
) -> Project:
    """The township's review of a village proposal (乡审核): pass to the township's publicity,
    return it to the village to change, or not approve it."""
    action = {"pass": "township_pass", "return": "township_return", "reject": "township_reject"}[
        decision
    ]
    locked = lock_project(
        project,
        action=action,
        actor=actor,
        expected_version=expected_version,
        states=[Status.TOWNSHIP_REVIEW],
    )
    if decision == "pass":
        check_rules(review_problems(locked))
        return move(locked, action=action, to=Status.TOWNSHIP_PUBLICITY, actor=actor, reason=reason)
    reason = _reason_required(reason)
    to = Status.IDEA if decision == "return" else Status.REJECTED
    return move(locked, action=action, to=to, actor=actor, reason=reason)


@transaction.atomic
def department_review(
    *, project: Project, passed: bool, opinion: str, expected_version: int, actor
) -> Project:
    """The sector department's review (行业部门把关: land use, environment, its sector's
    standards). Only the department of the project's sector takes it."""
    action = "department_pass" if passed else "department_reject"
    locked = lock_project(
        project,
        action=action,
        actor=actor,
        expected_version=expected_version,
        states=[Status.SECTOR_REVIEW],
    )
    if locked.sector and actor.department != locked.sector:
        raise ProjectError(
            _("This project is reviewed by %(department)s.")
            % {"department": locked.get_sector_display()}
        )
    opinion = _reason_required(opinion)
    return move(
        locked,
        action=action,
        to=Status.COUNTY_REVIEW if passed else Status.REJECTED,
        actor=actor,
        reason=opinion,
        data={"department": actor.department},
    )


@transaction.atomic
def joint_review(*, project: Project, opinion: str, expected_version: int, actor) -> Project:
    """The county's joint review (县论证) recorded: compliance, estimate, fund source, land
    use, environment."""
    locked = lock_project(
        project,
        action="joint_review",
        actor=actor,
        expected_version=expected_version,
        states=[Status.COUNTY_REVIEW],
    )
    opinion = _reason_required(opinion)
    return move(locked, action="joint_review", to=None, actor=actor, reason=opinion)


def _joint_reviewed(project: Project) -> bool:
    from kaiyuan.audit.models import AuditEvent

    adjustments = project.adjustments.order_by("-at").values_list("at", flat=True)
    since = adjustments[0] if adjustments else None
    events = AuditEvent.objects.filter(object_id=str(project.pk), action="joint_review").filter(
        content_type__app_label="projects", content_type__model="project"
    )
    if since is not None:
        events = events.filter(at__gte=since)
    return events.exists()


@transaction.atomic
def county_decide(
    *, project: Project, approved: bool, reason: str, expected_version: int, actor
) -> Project:
    """The county's decision (县审定). Approval needs the joint review, both publicities ended
    without an upheld objection (PRJ-1) and, for an industry project, the 四有 (PRJ-9)."""
    action = "county_decide" if approved else "county_reject"
    locked = lock_project(
        project,
        action=action,
        actor=actor,
        expected_version=expected_version,
        states=[Status.COUNTY_REVIEW],
    )
    if not approved:
        return move(
            locked, action=action, to=Status.REJECTED, actor=actor, reason=_reason_required(reason)
        )
    problems = publicity_rules.decision_problems(
        locked, list(locked.publicity_records.prefetch_related("objections"))
    )
    problems += project_rules.four_haves_problems(locked, FourHavesItem.objects.filter(active=True))
    if not _joint_reviewed(locked):
        problems.append(
            project_rules.PRJ_4.violation("opinion", _("Record the county's joint review first."))
        )
    check_rules(problems)
    return move(locked, action=action, to=Status.COUNTY_DECIDED, actor=actor, reason=reason)


@transaction.atomic
def project_admit(*, project: Project, expected_version: int, actor) -> Project:
    """Into the library (入库), once the county's announcement is over (PRJ-2)."""
    locked = lock_project(
        project,
        action="admit",
        actor=actor,
        expected_version=expected_version,
        states=[Status.COUNTY_ANNOUNCED],
    )
    check_rules(
        publicity_rules.admission_problems(
            locked, list(locked.publicity_records.all()), today=today()
        )
    )
    return move(locked, action="admit", to=Status.IN_LIBRARY, actor=actor)


@transaction.atomic
def project_plan(*, project: Project, plan_year: int, expected_version: int, actor) -> Project:
    """Into the year's funded plan (纳入年度资金计划)."""
    locked = lock_project(
        project,
        action="plan",
        actor=actor,
        expected_version=expected_version,
        states=[Status.IN_LIBRARY],
    )
    if plan_year < locked.year:
        raise ProjectError(
            _("A project of the %(year)s library is funded in %(year)s or later.")
            % {"year": locked.year},
            field="plan_year",
        )
    locked.plan_year = plan_year
    return move(
        locked,
        action="plan",
        to=Status.PLANNED,
        actor=actor,
        fields=["plan_year"],
        data={"plan_year": plan_year},
    )


@transaction.atomic
def project_withdraw(*, project: Project, reason: str, expected_version: int, actor) -> Project:
    """退库: out of the library, with the reason."""
    locked = lock_project(
        project,
        action="withdraw",
        actor=actor,
        expected_version=expected_version,
        states=[Status.COUNTY_DECIDED, Status.COUNTY_ANNOUNCED, Status.IN_LIBRARY, Status.PLANNED],
    )
    return move(
        locked, action="withdraw", to=Status.WITHDRAWN, actor=actor, reason=_reason_required(reason)
    )


@transaction.atomic
def project_adjust(
    *, project: Project, values: dict[str, Any], reason: str, expected_version: int, actor
) -> Project:
    """项目调整: an admitted project's content, scale, dates, entity or funding changed, the
    change and its reason kept, and the project back at the county's review."""
    locked = lock_project(
        project,
        action="adjust",
        actor=actor,
        expected_version=expected_version,
        states=[Status.IN_LIBRARY, Status.PLANNED, Status.IMPLEMENTING],
    )
    reason = _reason_required(reason)
    values = {name: value for name, value in values.items() if name in ADJUSTABLE_FIELDS}
    merged = {
        name: values.get(name, getattr(locked, name))
        for name in (*FUNDING_FIELDS, "total_investment")
    }
    problems = project_rules.funding_problems(
        total=merged["total_investment"], parts={name: merged[name] for name in FUNDING_FIELDS}
    )
    problems += project_rules.date_problems(
        values.get("start_date", locked.start_date), values.get("end_date", locked.end_date)
    )
    if "entity_uscc" in values:
        values["entity_uscc"] = normalise_uscc(values["entity_uscc"])
        problems += uscc_problems(
            values["entity_uscc"],
            field="entity_uscc",
            entity_type=values.get("entity_type", locked.entity_type),
        )
    check_rules(problems)
    before = snapshot(locked, values.keys())
    for name, value in values.items():
        setattr(locked, name, value)
    changed = audit_changes(before, locked)
    if not changed:
        raise ProjectError(_("Nothing was changed."))
    ProjectAdjustment.objects.create(
        project=locked, from_state=locked.status, changes=changed, reason=reason, actor=actor
    )
    return move(
        locked,
        action="adjust",
        to=Status.COUNTY_REVIEW,
        actor=actor,
        reason=reason,
        data={"changes": changed},
        fields=list(values),
    )


@transaction.atomic
def project_roll_over(*, project: Project, expected_version: int, actor) -> Project:
    """滚动: a library project not funded this year goes into the next year's library. The new
    project keeps the decided proposal and awaits that year's announcement."""
    locked = lock_project(
        project,
        action="roll_over",
        actor=actor,
        expected_version=expected_version,
        states=[Status.IN_LIBRARY],
    )
    if locked.year >= today().year + 2:
        raise ProjectError(_("The next year's library does not exist yet."))
    move(locked, action="roll_over", to=Status.ROLLED_OVER, actor=actor)
    successor = Project.objects.get(pk=locked.pk)
    successor.pk = None
    successor.id = None
    successor.year = locked.year + 1
    successor.code = next_code(successor.year)
    successor.status = Status.COUNTY_DECIDED
    successor.rolled_from = locked
    successor.version = 1
    successor.plan_year = None
    successor.save()
    ProjectVillage.objects.bulk_create(
        ProjectVillage(
            project=successor,
            village_id=row.village_id,
            share_percent=row.share_percent,
            asset_share_percent=row.asset_share_percent,
            duties=row.duties,
        )
        for row in locked.villages.all()
    )
    PerformanceIndicator.objects.bulk_create(
        PerformanceIndicator(
            project=successor,
            group=row.group,
            kind=row.kind,
            name=row.name,
            unit=row.unit,
            direction=row.direction,
            target=row.target,
        )
        for row in locked.indicators.all()
    )
    successor.construction_items.set(locked.construction_items.all())
    for beneficiary in locked.beneficiaries.all():
        beneficiary.pk = None
        beneficiary.project = successor
        beneficiary.save()
    record(successor, action="create", actor=actor, data={"rolled_from": locked.code})
    return successor
