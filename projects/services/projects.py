"""Proposals and the library's decisions: one service per write (DOMAIN.md §3.3–§3.5).

A proposal is written whole while it is being drafted (``project_create``, ``project_update``:
its villages, performance targets, mechanisms and checklists replaced together), then moves only
by steps of ``PROJECT_WORKFLOW``: each locks the row, checks that the project is still where the
user saw it, checks the step's rules, and saves the state, the step's trail and any notice in one
transaction. Two people acting on one project at once: one wins, the other is told it changed.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from kaiyuan.areas.models import Area
from kaiyuan.audit import changes as audit_changes
from kaiyuan.audit import record, snapshot
from kaiyuan.common.dates import today
from kaiyuan.common.errors import ConcurrentUpdate, DomainError
from kaiyuan.common.rules import RulesBroken, Violation, refuse_errors
from kaiyuan.common.scoping import ensure_may_change
from kaiyuan.common.uscc import normalise as normalise_uscc
from kaiyuan.common.uscc import uscc_problems
from projects.codes import ProposerLevel
from projects.exceptions import ProjectError
from projects.models import (
    ConstructionListItem,
    FourHavesItem,
    PerformanceIndicator,
    Project,
    ProjectAttachment,
    ProjectVillage,
)
from projects.models.projects import FUNDING_FIELDS, PROJECT_WORKFLOW
from projects.rules import projects as project_rules

Status = Project.Status
PROJECT_ROWS = Project.objects.select_related("area")

# The fields of a proposal a form or the import gives; villages, indicators and the choices
# lists come beside them.
PROPOSAL_FIELDS = (
    "name",
    "year",
    "category",
    "subcategory",
    "finance_mode",
    "four_batches",
    "four_batches_on",
    "four_batches_reason",
    "sector",
    "entity_name",
    "entity_type",
    "entity_uscc",
    "responsible_person",
    "responsible_phone",
    "beneficiary_entity",
    "content",
    "scale",
    "location",
    "start_date",
    "end_date",
    "subsidy_standard",
    "total_investment",
    *FUNDING_FIELDS,
    "land_status",
    "environment_status",
    "mechanisms",
    "mechanism_note",
    "four_haves",
    "operating_mode",
    "asset_owner",
)


@dataclass
class VillageShare:
    village: Area
    share_percent: Decimal
    asset_share_percent: Decimal
    duties: str = ""


@dataclass
class Indicator:
    group: str
    kind: str
    name: str
    unit: str
    target: Decimal
    direction: str = "≥"


@dataclass
class Proposal:
    """A whole proposal as a form, the API or the import gives it."""

    fields: dict[str, Any]
    villages: list[VillageShare]
    indicators: list[Indicator] = field(default_factory=list)
    construction_items: list[ConstructionListItem] = field(default_factory=list)


# =============================================================================================
# Checks shared by the pages, the API and the import
# =============================================================================================


def proposal_problems(proposal: Proposal) -> list[Violation]:
    """Every rule a proposal's content breaks, errors and flags, in one round."""
    values = proposal.fields
    problems = project_rules.funding_problems(
        total=values.get("total_investment"),
        parts={name: Decimal(values.get(name) or 0) for name in FUNDING_FIELDS},
    )
    problems += project_rules.date_problems(values.get("start_date"), values.get("end_date"))
    problems += project_rules.subcategory_problems(
        values.get("category", ""), values.get("subcategory", "")
    )
    problems += uscc_problems(
        values.get("entity_uscc", ""),
        field="entity_uscc",
        entity_type=values.get("entity_type", ""),
    )
    problems += project_rules.village_problems(
        [vars(row) for row in proposal.villages],
        beneficiary_entity=values.get("beneficiary_entity", ""),
    )
    for indicator in proposal.indicators:
        problems += project_rules.indicator_problems(indicator.group, indicator.kind)
    return problems


def _level_area(actor, level: str, villages: list[VillageShare]) -> Area:
    """The area a proposal belongs to: the smallest holding all its villages, which must lie in
    the proposer's own area (a township's proposal in its township)."""
    areas = [row.village for row in villages]
    segments = [area.path.strip("/").split("/") for area in areas]
    common: list[str] = []
    for parts in zip(*segments, strict=False):
        if len(set(parts)) > 1:
            break
        common.append(parts[0])
    area = Area.objects.filter(path="".join(f"{code}/" for code in common)).first()
    if area is None:
        area = Area.objects.home_county()
    if actor.area is not None and not actor.is_superuser:
        outside = [str(a) for a in areas if not a.path.startswith(actor.area.path)]
        if outside:
            raise ProjectError(
                _("These villages are outside your area: %(villages)s.")
                % {"villages": "、".join(outside)},
                field="villages",
            )
    return area


def _submit_action(level: str) -> str:
    return {
        ProposerLevel.VILLAGE: "submit_village",
        ProposerLevel.TOWNSHIP: "submit_township",
        ProposerLevel.COUNTY: "submit_county",
    }[level]


def _ensure_may_propose(actor, level: str) -> None:
    PROJECT_WORKFLOW.ensure_may_take(None, _submit_action(level), actor)
    if level == ProposerLevel.VILLAGE and actor.level == "county":
        raise ProjectError(_("A village's proposal is entered by the village or its township."))


def proposer_levels(actor) -> list[str]:
    """The levels ``actor`` may propose at, the usual one first: a grid worker their village's,
    a township clerk a village's or the township's own, department staff the county's."""
    levels = []
    for level in ProposerLevel:
        try:
            _ensure_may_propose(actor, level)
        except DomainError:
            continue
        levels.append(level.value)
    return levels


def next_code(year: int) -> str:
    prefix = f"KY{year}-"
    last = (
        Project.objects.filter(code__startswith=prefix)
        .order_by("-code")
        .values_list("code", flat=True)
        .first()
    )
    number = int(last.removeprefix(prefix)) + 1 if last else 1
    return f"{prefix}{number:04d}"


def _write_parts(project: Project, proposal: Proposal) -> None:
    project.villages.all().delete()
    ProjectVillage.objects.bulk_create(
        ProjectVillage(
            project=project,
            village=row.village,
            share_percent=row.share_percent,
            asset_share_percent=row.asset_share_percent,
            duties=row.duties,
        )
        for row in proposal.villages
    )
    project.indicators.all().delete()
    PerformanceIndicator.objects.bulk_create(
        PerformanceIndicator(project=project, **vars(indicator))
        for indicator in proposal.indicators
    )
    project.construction_items.set(proposal.construction_items)


def _clean_fields(values: dict[str, Any]) -> dict[str, Any]:
    cleaned = {name: values[name] for name in PROPOSAL_FIELDS if name in values}
    if "entity_uscc" in cleaned:
        cleaned["entity_uscc"] = normalise_uscc(cleaned["entity_uscc"])
    if "four_haves" in cleaned:
        codes = set(FourHavesItem.objects.values_list("code", flat=True))
        cleaned["four_haves"] = {
            k: bool(v) for k, v in (cleaned["four_haves"] or {}).items() if k in codes
        }
    return cleaned


@transaction.atomic
def project_create(*, proposal: Proposal, proposer_level: str, actor) -> Project:
    """A new proposal, being drafted (谋划), by the village, township or department."""
    _ensure_may_propose(actor, proposer_level)
    refuse_errors(proposal_problems(proposal))
    area = _level_area(actor, proposer_level, proposal.villages)
    project = Project(
        **_clean_fields(proposal.fields),
        area=area,
        proposer_level=proposer_level,
        proposer_department=actor.department if proposer_level == ProposerLevel.COUNTY else "",
        status=Status.IDEA,
        created_by=actor,
    )
    ensure_may_change(actor, project)
    for _attempt in range(5):
        project.code = next_code(project.year)
        try:
            with transaction.atomic():
                project.save()
            break
        except IntegrityError:
            # Another proposal took the number at the same moment: take the next. Any other
            # broken constraint is a real error.
            if not Project.objects.filter(code=project.code).exists():
                raise
            continue
    else:  # pragma: no cover - five collisions in a row
        raise ConcurrentUpdate(_("Too many proposals at once; please save again."))
    _write_parts(project, proposal)
    record(project, action="create", actor=actor, data={"code": project.code})
    return project


@transaction.atomic
def project_update(
    *, project: Project, proposal: Proposal, expected_version: int, actor
) -> Project:
    """A draft proposal changed by its proposer (only while it is being drafted)."""
    locked = PROJECT_WORKFLOW.lock(
        PROJECT_ROWS,
        project.pk,
        expected_state=Project.EDITABLE_STATES,
        expected_version=expected_version,
    )
    ensure_may_change(actor, locked)
    _ensure_may_propose(actor, locked.proposer_level)
    refuse_errors(proposal_problems(proposal))
    values = _clean_fields(proposal.fields)
    before = snapshot(locked, values.keys())
    for name, value in values.items():
        setattr(locked, name, value)
    locked.area = _level_area(actor, locked.proposer_level, proposal.villages)
    locked.version += 1
    locked.save()
    _write_parts(locked, proposal)
    record(locked, action="change", actor=actor, data=audit_changes(before, locked))
    return locked


def attachment_add(
    *, project: Project, kind: str, upload: UploadedFile, actor, **links: Any
) -> ProjectAttachment:
    ensure_may_change(actor, project)
    attachment = ProjectAttachment.objects.create(
        project=project, kind=kind, file=upload, name=upload.name[:200], uploaded_by=actor, **links
    )
    record(project, action="upload", actor=actor, data={"kind": kind, "name": attachment.name})
    return attachment


# =============================================================================================
# Steps
# =============================================================================================


def lock_project(
    project: Project, *, action: str, actor, expected_version: int | None, states: Iterable[str]
):
    """The project locked for ``action``, still in one of ``states`` and at the version the
    user saw (else a message that says where it stands)."""
    locked = PROJECT_WORKFLOW.lock_for(
        actor,
        project,
        action,
        PROJECT_ROWS,
        expected_state=tuple(states),
        expected_version=expected_version,
    )
    ensure_may_change(actor, locked)
    return locked


def check_rules(problems: list[Violation]) -> None:
    errors = [v for v in problems if v.is_error]
    if errors:
        raise RulesBroken(errors)


def move(project, *, action, to, actor, reason="", data=None, fields=()):
    return PROJECT_WORKFLOW.transition(
        project, action=action, actor=actor, to=to, reason=reason, data=data, fields=fields
    )


def review_problems(project: Project) -> list[Violation]:
    """What the first review needs of a proposal: PRJ-4, the 四有 of industry projects and the
    construction lists of model villages."""
    problems = project_rules.review_field_problems(project)
    problems += project_rules.construction_list_problems(
        project, list(project.construction_items.all())
    )
    return problems


@transaction.atomic
def project_submit(*, project: Project, expected_version: int, actor) -> Project:
    """The proposer submits the draft (村申报 / 乡镇申报 / 部门申报). A township's or a
    department's proposal is reviewed by the county only, so PRJ-4 is checked now."""
    action = _submit_action(project.proposer_level)
    locked = lock_project(
        project, action=action, actor=actor, expected_version=expected_version, states=[Status.IDEA]
    )
    if locked.proposer_level != ProposerLevel.VILLAGE:
        check_rules(review_problems(locked))
    else:
        check_rules(
            project_rules.construction_list_problems(locked, list(locked.construction_items.all()))
        )
    return move(locked, action=action, to=Status.PROPOSED, actor=actor)


@transaction.atomic
def project_recall(*, project: Project, expected_version: int, reason: str, actor) -> Project:
    """The proposer takes a submitted proposal back to change it, before any publicity."""
    action = {
        "village": "recall_village",
        "township": "recall_township",
        "county": "recall_county",
    }[project.proposer_level]
    locked = lock_project(
        project,
        action=action,
        actor=actor,
        expected_version=expected_version,
        states=[Status.PROPOSED],
    )
    return move(locked, action=action, to=Status.IDEA, actor=actor, reason=reason)


def date_not_future(day: datetime.date | None, field_name: str) -> datetime.date:
    current = today()
    if day is None:
        return current
    if day > current:
        raise ProjectError(_("The date cannot be in the future."), field=field_name)
    return day
