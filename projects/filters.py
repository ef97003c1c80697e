"""FilterSets of the project library, shared by the API and the list pages.

Every FilterSet narrows a queryset that is already scoped to the user (``visible_to``); a filter
can never widen what the user sees.
"""

from __future__ import annotations

import django_filters
from django import forms
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from kaiyuan.accounts.roles import Department
from kaiyuan.areas.picker import AreaFilterSet
from kaiyuan.common.api_filters import ApiFilterSet, IdFilter
from projects.codes import AcceptanceResult, BeneficiaryRole, Category, FinanceMode, ProposerLevel
from projects.models import (
    Acceptance,
    Announcement,
    ProgressReport,
    Project,
    ProjectBeneficiary,
    ProjectVillage,
    PublicityRecord,
)

FIRST_YEAR, LAST_YEAR = 2000, 2100


class YearFilter(django_filters.NumberFilter):
    """A library year: a whole number in a sensible range, else 400."""

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", FIRST_YEAR)
        kwargs.setdefault("max_value", LAST_YEAR)
        super().__init__(*args, **kwargs)


class ProjectFilter(AreaFilterSet):
    """Filters of the project list (API /api/v1/projects/ and the library's list page): the
    township → village picker and the project's own fields. A picked village also finds the
    cross-village projects it takes part in."""

    year = YearFilter(label=_("Library year"))
    status = django_filters.ChoiceFilter(choices=Project.Status.choices, label=_("Status"))
    category = django_filters.ChoiceFilter(choices=Category.choices, label=_("Category"))
    finance_mode = django_filters.ChoiceFilter(choices=FinanceMode.choices, label=_("Finance mode"))
    proposer_level = django_filters.ChoiceFilter(
        choices=ProposerLevel.choices, label=_("Proposed by")
    )
    sector = django_filters.ChoiceFilter(choices=Department.choices, label=_("Sector department"))
    q = django_filters.CharFilter(
        method="filter_q",
        label=_("Search"),
        help_text=_("Project name (contains) or project code (beginning)."),
    )

    class Meta:
        model = Project
        fields = [
            "township",
            "village",
            "year",
            "status",
            "category",
            "finance_mode",
            "proposer_level",
            "sector",
            "q",
        ]

    def filter_q(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        text = value.strip()
        if not text:
            return queryset
        return queryset.filter(Q(name__contains=text) | Q(code__startswith=text.upper()))

    def filter_queryset(self, queryset):
        # The picker's bound, as AreaFilterSet applies it, but by the project's own area or any
        # of its villages (a cross-village project's area is the township holding them).
        queryset = super(AreaFilterSet, self).filter_queryset(queryset)
        pick = getattr(self.form, "pick", None)
        own = getattr(self.user, "area_id", None)
        if pick is not None and pick.scope is not None and pick.scope.pk != own:
            path = pick.scope.path
            member = ProjectVillage.objects.filter(
                project=OuterRef("pk"), village__path__startswith=path
            )
            queryset = queryset.filter(Q(area__path__startswith=path) | Exists(member))
        return queryset


class ProjectBeneficiaryFilter(ApiFilterSet):
    project = IdFilter(field_name="project_id", label=_("Project"))
    household = IdFilter(field_name="household_id", label=_("Household"))
    role = django_filters.ChoiceFilter(choices=BeneficiaryRole.choices, label=_("Role"))

    class Meta:
        model = ProjectBeneficiary
        fields = ["project", "household", "role"]


class AnnouncementFilter(ApiFilterSet):
    year = YearFilter(label=_("Library year"))

    class Meta:
        model = Announcement
        fields = ["year"]


class PublicityRecordFilter(ApiFilterSet):
    project = IdFilter(field_name="project_id", label=_("Project"))
    level = django_filters.ChoiceFilter(
        choices=PublicityRecord.Level.choices, label=_("Publicity level")
    )

    class Meta:
        model = PublicityRecord
        fields = ["project", "level"]


class ProgressReportFilter(ApiFilterSet):
    project = IdFilter(field_name="project_id", label=_("Project"))

    class Meta:
        model = ProgressReport
        fields = ["project"]


class AcceptanceFilter(ApiFilterSet):
    project = IdFilter(field_name="project_id", label=_("Project"))
    result = django_filters.ChoiceFilter(choices=AcceptanceResult.choices, label=_("Result"))

    class Meta:
        model = Acceptance
        fields = ["project", "result"]
