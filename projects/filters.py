"""FilterSets of the project library, shared by the list page and the API.

Every FilterSet narrows a queryset already scoped to the user's area; a filter never widens what
the user sees. The picker's township or village selects the projects that touch it, a project
of several villages under each of its villages (``kaiyuan.common.scoping.in_area_q``).
"""

from __future__ import annotations

import django_filters
from django import forms
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from kaiyuan.accounts.roles import Department
from kaiyuan.areas.picker import AreaFilterSet
from kaiyuan.common.api_filters import ApiFilterSet, IdFilter
from projects.codes import (
    AcceptanceResult,
    BeneficiaryRole,
    Category,
    FinanceMode,
    ProposerLevel,
    Subcategory,
)
from projects.models import (
    Acceptance,
    Announcement,
    ProgressReport,
    Project,
    ProjectBeneficiary,
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
    subcategory = django_filters.ChoiceFilter(choices=Subcategory.choices, label=_("Sub-category"))
    finance_mode = django_filters.ChoiceFilter(choices=FinanceMode.choices, label=_("Finance mode"))
    proposer_level = django_filters.ChoiceFilter(
        choices=ProposerLevel.choices, label=_("Proposed by")
    )
    sector = django_filters.ChoiceFilter(choices=Department.choices, label=_("Sector department"))
    q = django_filters.CharFilter(
        method="filter_q",
        label=_("Search"),
        help_text=_("Project code, project name or implementing entity (contains)."),
    )

    class Meta:
        model = Project
        fields = [
            "township",
            "village",
            "year",
            "status",
            "category",
            "subcategory",
            "finance_mode",
            "proposer_level",
            "sector",
            "q",
        ]

    def filter_q(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        text = value.strip()
        if not text:
            return queryset
        return queryset.filter(
            Q(code__icontains=text) | Q(name__contains=text) | Q(entity_name__contains=text)
        )


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
