"""Reads of 两公示一公告: a project's publicity records with their objections and photos, the
county's announcements and the decided projects waiting for one, and the publicity queues of
the 待办 inbox (see ``projects.selectors.reviews`` for how a queue is read)."""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from kaiyuan.common import dates
from kaiyuan.common.scoping import get_for_user
from kaiyuan.inbox.registry import Entry, Source
from projects.codes import ProposerLevel
from projects.models import (
    Announcement,
    Project,
    ProjectAttachment,
    PublicityObjection,
    PublicityRecord,
)
from projects.selectors.reviews import project_entry, takeable

Status = Project.Status


# ---- the project's page ----------------------------------------------------------------------


def publicity_records(project: Project) -> list[PublicityRecord]:
    """The project's publicities and announcement, oldest first, each with its objections and
    its photos (three queries, whatever their number)."""
    return list(
        project.publicity_records.select_related("announcement")
        .prefetch_related(
            Prefetch(
                "objections",
                queryset=PublicityObjection.objects.order_by("received_on", "id"),
            ),
            Prefetch("attachments", queryset=ProjectAttachment.objects.order_by("uploaded_at")),
        )
        .order_by("start_date", "id")
    )


# ---- announcements ---------------------------------------------------------------------------


def announcement_rows(user) -> QuerySet[Announcement]:
    return Announcement.objects.visible_to(user).select_related("created_by")


def announcement_get_for_user(user, pk: int) -> Announcement:
    return get_for_user(Announcement.objects.select_related("created_by"), user, pk=pk)


def announcement_records(announcement: Announcement) -> list[PublicityRecord]:
    """The projects of an announcement, by code."""
    return list(
        announcement.records.select_related(
            "project", "project__area", "project__area__parent"
        ).order_by("project__code")
    )


def decided_projects(user, year: int) -> QuerySet[Project]:
    """The projects of ``year``'s library the county has decided, waiting for its
    announcement."""
    return (
        Project.objects.visible_to(user)
        .filter(year=year, status=Status.COUNTY_DECIDED)
        .select_related("area", "area__parent")
        .order_by("code")
    )


def decided_years(user) -> list[int]:
    """The library years with decided projects waiting for the county's announcement."""
    return list(
        Project.objects.visible_to(user)
        .filter(status=Status.COUNTY_DECIDED)
        .order_by("year")
        .values_list("year", flat=True)
        .distinct()
    )


# ---- the queues ------------------------------------------------------------------------------


def _open_records(**extra) -> QuerySet[PublicityRecord]:
    return PublicityRecord.objects.filter(
        project=OuterRef("pk"), closed_on__isnull=True, announcement__isnull=True, **extra
    )


# The publicity that waits to be posted: each proposer's own, and the township's publicity of a
# village proposal it has passed, until its first record. The step is the acting level's.
_TO_POST = (
    (Q(status=Status.PROPOSED, proposer_level=ProposerLevel.VILLAGE), "village_publicity"),
    (Q(status=Status.PROPOSED, proposer_level=ProposerLevel.TOWNSHIP), "township_publicity"),
    (Q(status=Status.PROPOSED, proposer_level=ProposerLevel.COUNTY), "county_publicity"),
    (
        Q(status=Status.TOWNSHIP_PUBLICITY, proposer_level=ProposerLevel.VILLAGE)
        & ~Q(Exists(_open_records())),
        "township_publicity",
    ),
)


def proposals_to_publicise(user) -> QuerySet[Project]:
    """Proposals whose publicity has still to be posted and recorded."""
    return takeable(user, _TO_POST)


def publicities_to_close(user) -> QuerySet[Project]:
    """Projects whose publicity has run its days (every open record past its last day): the
    acting level records its end, once any objection is handled."""
    over = Q(Exists(_open_records())) & ~Q(Exists(_open_records(end_date__gte=dates.today())))
    return takeable(
        user,
        [
            (Q(status=Status.VILLAGE_PUBLICITY) & over, "village_publicity_close"),
            (Q(status=Status.TOWNSHIP_PUBLICITY) & over, "township_publicity_close"),
            (Q(status=Status.COUNTY_PUBLICITY) & over, "county_publicity_close"),
        ],
    )


def decided_to_announce(user) -> QuerySet[Project]:
    """Projects the county decided, waiting for its announcement (公告)."""
    return takeable(user, [(Q(status=Status.COUNTY_DECIDED), "county_announce")])


def announce_entry(project: Project) -> Entry:
    url = f"{reverse('projects:announcement_new')}?year={project.year}"
    return project_entry(project, url=url)


INBOX_SOURCES = (
    Source(
        "projects.to_publicise",
        _("Project proposals to publicise"),
        "projects.propose",
        proposals_to_publicise,
        project_entry,
    ),
    Source(
        "projects.publicity_to_close",
        _("Project publicities that have run their days"),
        "projects.propose",
        publicities_to_close,
        project_entry,
    ),
    Source(
        "projects.to_announce",
        _("Decided projects to announce"),
        "projects.county_review",
        decided_to_announce,
        announce_entry,
    ),
)
