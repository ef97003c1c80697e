"""Reads of projects that the pages, the API and the exports share: the scoped rows with what a
list shows, one project for a user, and the township a project belongs to."""

from __future__ import annotations

from django.db.models import Count, Prefetch, Q, QuerySet
from django.db.models.functions import Substr

from kaiyuan.areas.models import Area
from kaiyuan.common.scoping import get_for_user
from monitoring.codes import HouseholdType
from monitoring.models.households import MONITORED_STATES
from projects.models import Project, ProjectVillage

# An area's path is its codes joined by "/": the county's is 7 characters, a township's 17.
TOWNSHIP_PATH_LENGTH = 17


def township_path():
    """The path of the township a project lies in ("211282/" for a county-wide project)."""
    return Substr("area__path", 1, TOWNSHIP_PATH_LENGTH)


def project_rows(user) -> QuerySet[Project]:
    """The projects ``user`` may see, with their area and its township, newest library first."""
    return (
        Project.objects.visible_to(user)
        .select_related("area", "area__parent")
        .annotate(township_path=township_path())
        .order_by("-year", "code")
    )


def with_villages(projects: QuerySet[Project]) -> QuerySet[Project]:
    """The villages of each project with their names (one query for the whole list)."""
    return projects.prefetch_related(
        Prefetch(
            "villages",
            queryset=ProjectVillage.objects.select_related("village").order_by("id"),
        )
    )


def project_years(user) -> list[int]:
    """The library years of the projects ``user`` may see, newest first (a list's year filter)."""
    return list(
        Project.objects.visible_to(user).order_by("-year").values_list("year", flat=True).distinct()
    )


def with_beneficiary_counts(projects: QuerySet[Project]) -> QuerySet[Project]:
    """Beneficiary households, of which 脱贫户 and monitored households, per project (one
    grouped query with the list)."""
    exited = Q(beneficiaries__household__household_type=HouseholdType.EXITED)
    monitored = Q(beneficiaries__household__monitoring_status__in=MONITORED_STATES)
    return projects.annotate(
        beneficiary_households=Count("beneficiaries__household", distinct=True),
        exited_households=Count("beneficiaries__household", filter=exited, distinct=True),
        monitored_households=Count("beneficiaries__household", filter=monitored, distinct=True),
    )


def project_get_for_user(user, pk, *, write: bool = False) -> Project:
    return get_for_user(
        Project.objects.select_related("area", "area__parent", "rolled_from"),
        user,
        write=write,
        pk=pk,
    )


def township_of(project: Project) -> Area | None:
    """The township of a project (None for a county-wide one)."""
    area = project.area
    if area.level == Area.Level.VILLAGE:
        return area.parent
    if area.level == Area.Level.TOWNSHIP:
        return area
    return None
