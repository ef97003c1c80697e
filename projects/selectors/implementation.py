"""Reads from the funded plan to operation: what a project's page shows of its progress,
acceptance, 管护 arrangements, handover and operating agreement, and the implementation queues
of the 待办 inbox (see ``projects.selectors.reviews`` for how a queue is read)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Prefetch, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from kaiyuan.areas.models import Area
from kaiyuan.inbox.registry import Source
from projects.models import (
    Acceptance,
    Handover,
    MaintenanceArrangement,
    OperatingAgreement,
    ProgressReport,
    Project,
    ProjectAttachment,
)
from projects.selectors.reviews import project_entry_after_decision, takeable

Status = Project.Status


@dataclass(frozen=True)
class Implementation:
    progress_reports: list[ProgressReport]
    acceptances: list[Acceptance]
    maintenance: list[MaintenanceArrangement]
    handover: Handover | None
    agreement: OperatingAgreement | None

    @property
    def latest_percent(self) -> Decimal | None:
        """The physical progress of the latest report (by its date)."""
        latest = max(self.progress_reports, key=lambda r: (r.reported_on, r.pk), default=None)
        return latest.percent if latest else None


def implementation_of(project: Project) -> Implementation:
    """The project's implementation records, in a fixed number of queries."""
    photos = Prefetch("attachments", queryset=ProjectAttachment.objects.order_by("uploaded_at"))
    return Implementation(
        progress_reports=list(
            project.progress_reports.select_related("reported_by")
            .prefetch_related(photos)
            .order_by("reported_on", "id")
        ),
        acceptances=list(
            project.acceptances.select_related("organised_by")
            .prefetch_related(photos)
            .order_by("accepted_on", "id")
        ),
        maintenance=list(project.maintenance.order_by("id")),
        handover=Handover.objects.filter(project=project).first(),
        agreement=OperatingAgreement.objects.filter(project=project).first(),
    )


# ---- the queues ------------------------------------------------------------------------------


def implementation_steps(user) -> QuerySet[Project]:
    """Projects whose implementation waits for its next step: planned ones to start, those
    being built to report on and complete, accepted ones to hand over, handed-over ones to
    operate. The county's users implement the county's own projects; the townships and villages
    implement theirs."""
    rows = Project.objects.visible_to(user)
    if user.level == "county":
        rows = rows.filter(area__level=Area.Level.COUNTY)
    return takeable(
        user,
        [
            (Q(status=Status.PLANNED), "start"),
            (Q(status=Status.IMPLEMENTING), "progress_report"),
            (Q(status=Status.ACCEPTED), "hand_over"),
            (Q(status=Status.HANDED_OVER), "operate"),
        ],
        rows=rows,
    )


def completed_to_accept(user) -> QuerySet[Project]:
    """Completed projects waiting for the bureau's acceptance (验收, PRJ-7)."""
    return takeable(user, [(Q(status=Status.COMPLETED), "accept")])


INBOX_SOURCES = (
    Source(
        "projects.implementation",
        _("Projects to start, report on, complete, hand over or operate"),
        "projects.implement",
        implementation_steps,
        project_entry_after_decision,
    ),
    Source(
        "projects.to_accept",
        _("Completed projects to accept"),
        "projects.accept",
        completed_to_accept,
        project_entry_after_decision,
    ),
)
