"""Reads of a project's beneficiaries: the households named with their roles, and how many are
脱贫户 and monitored households (联农带农, the PRJ-8 count)."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count

from kaiyuan.common.scoping import get_for_user
from monitoring.models import Household
from projects.models import Project, ProjectBeneficiary
from projects.selectors.projects import with_beneficiary_counts


@dataclass(frozen=True)
class Beneficiaries:
    """``rows`` are those whose household the user may see in the registry; the counts are
    the project's, over every beneficiary."""

    rows: list[ProjectBeneficiary]
    total_rows: int
    households: int
    exited: int
    monitored: int

    @property
    def not_listed(self) -> int:
        """Beneficiaries of households outside the user's part of the registry."""
        return self.total_rows - len(self.rows)


def beneficiaries_of(project: Project, *, user) -> Beneficiaries:
    """Two queries whatever the number of beneficiaries."""
    counts = (
        with_beneficiary_counts(Project.objects.filter(pk=project.pk))
        .annotate(rows=Count("beneficiaries", distinct=True))
        .values("rows", "beneficiary_households", "exited_households", "monitored_households")
        .get()
    )
    rows = list(
        project.beneficiaries.filter(household__in=Household.objects.visible_to(user))
        .select_related("household", "household__area")
        .order_by("household__household_number", "role", "id")
    )
    return Beneficiaries(
        rows=rows,
        total_rows=counts["rows"],
        households=counts["beneficiary_households"],
        exited=counts["exited_households"],
        monitored=counts["monitored_households"],
    )


def beneficiary_get_for_user(user, pk: int, *, write: bool = False) -> ProjectBeneficiary:
    return get_for_user(
        ProjectBeneficiary.objects.select_related("project", "project__area", "household"),
        user,
        write=write,
        pk=pk,
    )
