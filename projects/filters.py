"""FilterSets of the project library, shared by the list page and the API (NetBox idea).

Every FilterSet narrows a queryset already scoped to the user's area; a filter never widens what
the user sees. The picker's township or village selects the projects that touch it, a project
of several villages under each of its villages.
"""

from __future__ import annotations

import django_filters
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from kaiyuan.areas.picker import AreaFilterSet
from projects.codes import Category, FinanceMode, ProposerLevel, Subcategory
from projects.models import Project


class ProjectFilter(AreaFilterSet):
    """Filters of the project list (the library's list page and the API)."""

    year = django_filters.NumberFilter(label=_("Library year"))
    category = django_filters.ChoiceFilter(choices=Category.choices, label=_("Category"))
    subcategory = django_filters.ChoiceFilter(choices=Subcategory.choices, label=_("Sub-category"))
    status = django_filters.ChoiceFilter(choices=Project.Status.choices, label=_("Status"))
    finance_mode = django_filters.ChoiceFilter(choices=FinanceMode.choices, label=_("Finance mode"))
    proposer_level = django_filters.ChoiceFilter(
        choices=ProposerLevel.choices, label=_("Proposed by")
    )
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
            "category",
            "subcategory",
            "status",
            "finance_mode",
            "proposer_level",
            "q",
        ]

    def filter_q(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        text = value.strip()
        if not text:
            return queryset
        return queryset.filter(
            Q(code__icontains=text) | Q(name__contains=text) | Q(entity_name__contains=text)
        )
