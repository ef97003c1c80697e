"""两公示一公告: recording each publicity, its objections and their handling, ending it, and the
county's announcement of many projects at once (DOMAIN.md §3.3; PRJ-1, PRJ-2, PRJ-3)."""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _

from kaiyuan.areas.models import Area
from kaiyuan.audit import record
from kaiyuan.common.dates import today
from kaiyuan.common.rules import RulesBroken
from kaiyuan.common.scoping import ensure_may_change
from kaiyuan.common.workflow import LEVEL_LABELS
from kaiyuan.policy.services import policy_for
from projects.codes import ProposerLevel
from projects.exceptions import ProjectError
from projects.models import (
    Announcement,
    Project,
    ProjectAttachment,
    PublicityObjection,
    PublicityRecord,
)
from projects.models.projects import PROJECT_WORKFLOW
from projects.rules import publicity as publicity_rules
from projects.services.projects import attachment_add, date_not_future, lock_project

Status = Project.Status
Level = PublicityRecord.Level

# Where each acting level records a publicity, from which states, and the state it leads to.
ACTING = {
    "village": ("village_publicity", "village_publicity_close"),
    "township": ("township_publicity", "township_publicity_close"),
    "county": ("county_publicity", "county_publicity_close"),
}


def _acting_level(project: Project) -> str:
    """Whose publicity the project is at: the village posts its proposal, the township its own
    and the village proposals it has passed, a department its own."""
    if project.status == Status.VILLAGE_PUBLICITY or (
        project.status == Status.PROPOSED and project.proposer_level == ProposerLevel.VILLAGE
    ):
        return "village"
    if project.proposer_level == ProposerLevel.COUNTY:
        return "county"
    return "township"


def _after_publicity(project: Project, acting: str) -> str:
    if acting == "village":
        return Status.TOWNSHIP_REVIEW
    if acting == "county" or not project.sector:
        return Status.COUNTY_REVIEW
    return Status.SECTOR_REVIEW


PUBLICITY_STATES = {
    "village": Status.VILLAGE_PUBLICITY,
    "township": Status.TOWNSHIP_PUBLICITY,
    "county": Status.COUNTY_PUBLICITY,
}
BOARDS = {
    "village": (Level.VILLAGE,),
    "township": (Level.VILLAGE, Level.TOWNSHIP),
    "county": (Level.COUNTY, Level.TOWNSHIP, Level.VILLAGE),
}


def publicity_problems(*, start, end) -> list:
    days = policy_for((start or today()).year).project_publicity_days
    return publicity_rules.length_problems(start, end, days=days)


@transaction.atomic
def publicity_record(
    *,
    project: Project,
    level: str,
    medium: str,
    start_date: datetime.date,
    end_date: datetime.date,
    place: str = "",
    photos: Iterable[UploadedFile] = (),
    expected_version: int,
    actor,
) -> PublicityRecord:
    """A publicity posted on a ``level`` board, with the photos of the board. The first one of
    the proposal's own publicity starts it; the township's after its review is recorded in that
    state."""
    acting = _acting_level(project)
    action = ACTING[acting][0]
    state = PUBLICITY_STATES[acting]
    states = (
        [state]
        if acting == "township" and project.proposer_level == ProposerLevel.VILLAGE
        else [Status.PROPOSED, state]
    )
    locked = lock_project(
        project, action=action, actor=actor, expected_version=expected_version, states=states
    )
    if level not in BOARDS[acting]:
        raise ProjectError(
            _("That board is not one where a %(who)s posts its publicity.")
            % {"who": LEVEL_LABELS[acting]},
            field="level",
        )
    date_not_future(start_date, "start_date")
    problems = [v for v in publicity_problems(start=start_date, end=end_date) if v.is_error]
    if problems:
        raise RulesBroken(problems)
    publicity = PublicityRecord.objects.create(
        project=locked,
        level=level,
        medium=medium,
        place=place,
        start_date=start_date,
        end_date=end_date,
        created_by=actor,
    )
    for photo in photos:
        attachment_add(
            project=locked,
            kind=ProjectAttachment.Kind.PUBLICITY_PHOTO,
            upload=photo,
            actor=actor,
            publicity=publicity,
        )
    PROJECT_WORKFLOW.transition(
        locked,
        action=action,
        actor=actor,
        to=state if locked.status == Status.PROPOSED else None,
        data={"board": level, "start": str(start_date), "end": str(end_date)},
    )
    return publicity


def _lock_record(publicity: PublicityRecord, *, action: str, actor, expected_version: int | None):
    project = publicity.project
    locked = lock_project(
        project,
        action=action,
        actor=actor,
        expected_version=expected_version,
        states=[Status.VILLAGE_PUBLICITY, Status.TOWNSHIP_PUBLICITY, Status.COUNTY_PUBLICITY],
    )
    if publicity.closed_on is not None:
        raise ProjectError(_("This publicity has already ended."))
    return locked


@transaction.atomic
def objection_record(
    *, publicity: PublicityRecord, received_on: datetime.date, text: str, actor
) -> PublicityObjection:
    """An objection received during a publicity (not yet handled)."""
    locked = _lock_record(
        publicity, action="publicity_objection", actor=actor, expected_version=None
    )
    received_on = date_not_future(received_on, "received_on")
    if not (text or "").strip():
        raise ProjectError(_("Write down the objection."), field="text")
    if received_on < publicity.start_date:
        raise ProjectError(
            _("The objection was received before the publicity started."), field="received_on"
        )
    objection = PublicityObjection.objects.create(
        record=publicity, received_on=received_on, text=text.strip(), created_by=actor
    )
    PROJECT_WORKFLOW.transition(
        locked, action="publicity_objection", actor=actor, to=None, reason=text.strip()
    )
    return objection


@transaction.atomic
def objection_handle(
    *, objection: PublicityObjection, upheld: bool, handling: str, expected_version: int, actor
) -> PublicityObjection:
    """How an objection was handled. An upheld objection ends the project's way to the library
    (it is not approved, with the objection as the reason)."""
    action = "objection_upheld" if upheld else "objection_handled"
    locked = _lock_record(
        objection.record, action=action, actor=actor, expected_version=expected_version
    )
    if objection.upheld is not None:
        raise ProjectError(_("This objection has already been handled."))
    if not (handling or "").strip():
        raise ProjectError(_("Say how the objection was handled."), field="handling")
    objection.upheld = upheld
    objection.handling = handling.strip()
    objection.save(update_fields=["upheld", "handling"])
    PROJECT_WORKFLOW.transition(
        locked,
        action=action,
        actor=actor,
        to=Status.REJECTED if upheld else None,
        reason=handling.strip(),
        data={"objection": objection.text},
    )
    return objection


@transaction.atomic
def publicity_close(*, project: Project, expected_version: int, actor) -> Project:
    """The publicity at the project's current stage ended without an upheld objection: every
    record long enough (PRJ-3), past its last day, and its objections handled."""
    acting = _acting_level(project)
    action = ACTING[acting][1]
    locked = lock_project(
        project,
        action=action,
        actor=actor,
        expected_version=expected_version,
        states=[PUBLICITY_STATES[acting]],
    )
    current = today()
    records = list(
        locked.publicity_records.filter(
            closed_on__isnull=True, announcement__isnull=True
        ).prefetch_related("objections")
    )
    if not records:
        raise ProjectError(_("Record the publicity first."))
    problems = []
    for publicity in records:
        days = policy_for(publicity.start_date.year).project_publicity_days
        problems += publicity_rules.ended_problems(publicity, today=current, days=days)
    if problems:
        raise RulesBroken(problems)
    PublicityRecord.objects.filter(pk__in=[r.pk for r in records]).update(closed_on=current)
    return PROJECT_WORKFLOW.transition(
        locked, action=action, actor=actor, to=_after_publicity(locked, acting)
    )


@transaction.atomic
def announcement_create(
    *,
    year: int,
    title: str,
    number: str,
    medium: str,
    start_date: datetime.date,
    end_date: datetime.date,
    projects: list[Project],
    actor,
) -> Announcement:
    """The county's announcement (公告) of the projects it decided for ``year``'s library: one
    record per project, each project to "announced", all or none."""
    if not projects:
        raise ProjectError(_("Choose the projects to announce."), field="projects")
    PROJECT_WORKFLOW.ensure_may_take(None, "county_announce", actor)
    date_not_future(start_date, "start_date")
    problems = [v for v in publicity_problems(start=start_date, end=end_date) if v.is_error]
    if problems:
        raise RulesBroken(problems)
    other_year = [p.code for p in projects if p.year != year]
    if other_year:
        raise ProjectError(
            _("These projects are not of the %(year)s library: %(codes)s.")
            % {"year": year, "codes": "、".join(other_year)},
            field="projects",
        )
    announcement = Announcement(
        year=year,
        title=(title or "").strip()
        or _("%(year)s county project library announcement") % {"year": year},
        number=number,
        medium=medium,
        start_date=start_date,
        end_date=end_date,
        area=Area.objects.home_county(),
        created_by=actor,
    )
    ensure_may_change(actor, announcement)
    announcement.save()
    for project in sorted(projects, key=lambda p: p.pk):
        locked = lock_project(
            project,
            action="county_announce",
            actor=actor,
            expected_version=None,
            states=[Status.COUNTY_DECIDED],
        )
        PublicityRecord.objects.create(
            project=locked,
            level=Level.COUNTY,
            medium=medium,
            start_date=start_date,
            end_date=end_date,
            announcement=announcement,
            closed_on=None,
            created_by=actor,
        )
        PROJECT_WORKFLOW.transition(
            locked,
            action="county_announce",
            actor=actor,
            to=Status.COUNTY_ANNOUNCED,
            data={"announcement": announcement.pk},
        )
    record(announcement, action="create", actor=actor, data={"projects": len(projects)})
    return announcement
