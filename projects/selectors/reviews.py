"""Reads of a project's way through the reviews: its step history and adjustments for its page,
and the review queues of the 待办 inbox (``INBOX_SOURCES``, registered by
``ProjectsConfig.ready``), with the helpers the other queues of the app share.

A queue is the projects whose *current* state waits for a step, scoped by ``visible_to``, and
only those on which the user may take it as the page would ask: the step's capability and
level, and the separation of duties of ``PROJECT_WORKFLOW`` (who took a step of one level of a
project takes none of another). An item appears when its project enters the state and is gone
once the step is taken. Before the county's announcement, the deadline is the library's PRJ-6
deadline (the previous year's settings); after it the plan sets none.
"""

from __future__ import annotations

import operator
from functools import reduce

from django.contrib.contenttypes.models import ContentType
from django.db.models import CharField, Exists, F, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Cast, Coalesce
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from kaiyuan.audit.models import AuditEvent
from kaiyuan.common import dates
from kaiyuan.inbox.registry import Entry, Source
from kaiyuan.policy.models import PolicySettings
from projects.codes import ProposerLevel
from projects.models import Project, ProjectAdjustment, PublicityRecord
from projects.models.projects import PROJECT_WORKFLOW

Status = Project.Status
SUBMIT = {
    ProposerLevel.VILLAGE: "submit_village",
    ProposerLevel.TOWNSHIP: "submit_township",
    ProposerLevel.COUNTY: "submit_county",
}


# ---- the project's page ----------------------------------------------------------------------


def project_history(project: Project) -> list[AuditEvent]:
    """Every event of the project's trail, oldest first: its steps with their reasons, its
    changes and documents. Read through the project (whoever sees it sees its history)."""
    return list(
        AuditEvent.objects.filter(
            content_type=ContentType.objects.get_for_model(Project), object_id=str(project.pk)
        )
        .select_related("content_type")
        .order_by("at", "id")
    )


def project_adjustments(project: Project) -> list[ProjectAdjustment]:
    return list(project.adjustments.select_related("actor").order_by("at", "id"))


# ---- the queues ------------------------------------------------------------------------------


def _entered_at() -> Coalesce:
    """When the outer project entered the state it is in (its latest step to that state; a
    draft never moved is waiting since it was created)."""
    events = AuditEvent.objects.filter(
        content_type=ContentType.objects.get_for_model(Project),
        object_id=Cast(OuterRef("pk"), CharField()),
        to_state=OuterRef("status"),
    ).order_by("-at", "-id")
    return Coalesce(Subquery(events.values("at")[:1]), F("created_at"))


def _library_deadline() -> Subquery:
    """PRJ-6: the deadline of the outer project's library, set in the previous year's settings."""
    return Subquery(
        PolicySettings.objects.filter(year=OuterRef("year") - 1).values("library_deadline")[:1]
    )


def takeable(user, pairs, *, rows: QuerySet[Project] | None = None) -> QuerySet[Project]:
    """The projects ``user`` sees on which they may take a step now: ``pairs`` are (the
    condition the projects waiting for the step meet, the step's action). A step the user's role
    or level may not take adds nothing; one of a level leaves out the projects where they took a
    step of another level. The rows come with ``since`` and the library's ``deadline``, oldest
    waiting first."""
    base = Project.objects.visible_to(user) if rows is None else rows
    parts = []
    for condition, action in pairs:
        if PROJECT_WORKFLOW.refusal(None, action, user) is not None:
            continue
        part = base.filter(condition)
        level = PROJECT_WORKFLOW.step(action).level
        if level:
            part = PROJECT_WORKFLOW.exclude_separated(part, user, level)
        parts.append(part)
    if not parts:
        return base.none()
    return (
        reduce(operator.or_, parts)
        .select_related("area", "area__parent")
        .annotate(since=_entered_at(), library_deadline=_library_deadline())
        .order_by("since", "code")
    )


def project_entry(project: Project, *, deadline: bool = True, url: str = "") -> Entry:
    area = project.area
    where = f"{area.parent.name}{area.name}" if area.parent_id else area.name
    return Entry(
        subject=str(project),
        url=url or reverse("projects:project_detail", args=[project.pk]),
        since=project.since,
        deadline=project.library_deadline if deadline else None,
        detail=f"{project.get_status_display()} · {where} · {project.year}",
    )


def project_entry_after_decision(project: Project) -> Entry:
    """An entry of a project the county has decided: PRJ-6 no longer applies."""
    return project_entry(project, deadline=False)


def proposals_to_submit(user) -> QuerySet[Project]:
    """Drafts (谋划) and proposals returned by the township, waiting for the proposer to
    submit them."""
    return takeable(
        user,
        [(Q(status=Status.IDEA, proposer_level=level), action) for level, action in SUBMIT.items()],
    )


def awaiting_township_review(user) -> QuerySet[Project]:
    """Village proposals whose publicity ended, waiting for the township review (乡审核)."""
    return takeable(user, [(Q(status=Status.TOWNSHIP_REVIEW), "township_pass")])


def awaiting_department_review(user) -> QuerySet[Project]:
    """Proposals waiting for the review of the user's own sector department (行业部门把关)."""
    return takeable(
        user, [(Q(status=Status.SECTOR_REVIEW, sector=user.department), "department_pass")]
    )


def awaiting_county_review(user) -> QuerySet[Project]:
    """Proposals at the county's joint review (县论证) and decision (县审定)."""
    return takeable(user, [(Q(status=Status.COUNTY_REVIEW), "county_decide")])


def announced_to_admit(user) -> QuerySet[Project]:
    """Projects whose county announcement is over, waiting to be taken into the library (入库,
    PRJ-2); while the announcement runs there is nothing to do."""
    over = Exists(
        PublicityRecord.objects.filter(
            project=OuterRef("pk"), announcement__isnull=False, end_date__lt=dates.today()
        )
    )
    return takeable(user, [(Q(status=Status.COUNTY_ANNOUNCED) & Q(over), "admit")])


INBOX_SOURCES = (
    Source(
        "projects.to_submit",
        _("Project proposals to submit"),
        "projects.propose",
        proposals_to_submit,
        project_entry,
    ),
    Source(
        "projects.township_review",
        _("Projects awaiting the township review"),
        "projects.township_review",
        awaiting_township_review,
        project_entry,
    ),
    Source(
        "projects.department_review",
        _("Projects awaiting your department's review"),
        "projects.department_review",
        awaiting_department_review,
        project_entry,
    ),
    Source(
        "projects.county_review",
        _("Projects awaiting the county's joint review and decision"),
        "projects.county_review",
        awaiting_county_review,
        project_entry,
    ),
    Source(
        "projects.to_admit",
        _("Announced projects to take into the library"),
        "projects.county_review",
        announced_to_admit,
        project_entry_after_decision,
    ),
)
