"""FilterSets of the monitoring grid, shared by the API and list pages (NetBox idea).

Every FilterSet narrows a queryset that is already scoped to the user's area; a filter can never
widen what the user sees.
"""

from __future__ import annotations

import datetime
import re

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from kaiyuan.areas.models import Area
from kaiyuan.areas.picker import AreaFilterSet
from kaiyuan.common.api_filters import ApiFilterSet, IdFilter
from kaiyuan.common.dates import month_of
from monitoring.codes import HouseholdType, LabourSkill, MonitoringCategory
from monitoring.models import Household, IncomeRecord, Member, MonitoringCase, Visit
from monitoring.rules.incomes import BAND_LABELS, income_band_q
from monitoring.rules.visits import VisitStatus
from monitoring.selectors import lists

# =============================================================================================
# Households
# =============================================================================================


class HouseholdFilter(AreaFilterSet):
    """Filters of the household list (API /api/v1/households/ and the county's household
    page): the township → village picker, or a division code, and the household's fields."""

    area = django_filters.CharFilter(
        method="filter_area",
        label=_("Division code"),
        help_text=_("A township or village code: households of that division and below."),
    )
    household_type = django_filters.ChoiceFilter(
        choices=HouseholdType.choices, label=_("Household type")
    )
    monitoring_category = django_filters.ChoiceFilter(
        choices=MonitoringCategory.choices, label=_("Monitoring category")
    )
    monitoring_status = django_filters.ChoiceFilter(
        choices=Household.MonitoringStatus.choices, label=_("Monitoring status")
    )
    grid = IdFilter(field_name="grid_id", label=_("Grid"))
    flagged_for_attention = django_filters.BooleanFilter(label=_("Flagged for attention"))
    q = django_filters.CharFilter(
        method="filter_q",
        label=_("Search"),
        help_text=_("Head's name (contains) or household number (beginning)."),
    )
    income_band = django_filters.ChoiceFilter(
        choices=[(band.value, label) for band, label in BAND_LABELS.items()],
        method="filter_income_band",
        label=_("Income band"),
        help_text=_(
            "The latest per-capita income against the 8,500 / 10,000 yuan thresholds of its "
            "year's policy settings."
        ),
    )

    class Meta:
        model = Household
        fields = [
            "township",
            "village",
            "area",
            "household_type",
            "monitoring_category",
            "monitoring_status",
            "grid",
            "flagged_for_attention",
            "q",
            "income_band",
        ]

    def filter_area(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        division = Area.objects.filter(code=value.strip()).only("path").first()
        if division is None:
            return queryset.none()
        return queryset.filter(area__path__startswith=division.path)

    def filter_q(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        text = value.strip()
        if not text:
            return queryset
        return queryset.filter(Q(head_name__contains=text) | Q(household_number__startswith=text))

    def filter_income_band(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(income_band_q(value))


# =============================================================================================
# Members
# =============================================================================================


class MemberFilter(ApiFilterSet):
    """Filters of the member list (API /api/v1/members/). There is no ID-number filter: a
    number in a query string stays in access logs; POST /api/v1/members/search/ finds it."""

    household = IdFilter(field_name="household_id", label=_("Household"))
    name = django_filters.CharFilter(lookup_expr="contains", label=_("Name"))
    status = django_filters.ChoiceFilter(choices=Member.Status.choices, label=_("Status"))
    labour_skill = django_filters.ChoiceFilter(choices=LabourSkill.choices, label=_("Labour skill"))

    class Meta:
        model = Member
        fields = ["household", "name", "status", "labour_skill"]


# =============================================================================================
# Incomes and visits
# =============================================================================================


class IncomeRecordFilter(ApiFilterSet):
    household = IdFilter(field_name="household_id", label=_("Household"))
    year = django_filters.NumberFilter(label=_("Year"))
    kind = django_filters.ChoiceFilter(
        choices=IncomeRecord.Kind.choices, label=_("Income record type")
    )

    class Meta:
        model = IncomeRecord
        fields = ["household", "year", "kind"]


MONTH_PATTERN = re.compile(r"^(\d{4})-(\d{2})$")


class MonthField(forms.CharField):
    """A month written YYYY-MM, cleaned to the first day of that month."""

    def clean(self, value):
        value = super().clean(value)
        if not value:
            return None
        match = MONTH_PATTERN.match(value.strip())
        try:
            if match is None:
                raise ValueError
            return datetime.date(int(match[1]), int(match[2]), 1)
        except ValueError:
            raise ValidationError(
                _("Enter a month as YYYY-MM, for example 2025-03."), code="invalid_month"
            ) from None


class MonthFilter(django_filters.Filter):
    field_class = MonthField

    def filter(self, qs: QuerySet, value: datetime.date | None) -> QuerySet:
        if value is None:
            return qs
        period = month_of(value)
        return qs.filter(
            **{f"{self.field_name}__gte": period.start, f"{self.field_name}__lte": period.end}
        )


class VisitFilter(ApiFilterSet):
    household = IdFilter(field_name="household_id", label=_("Household"))
    level = django_filters.ChoiceFilter(choices=Visit.Level.choices, label=_("Visit level"))
    month = MonthFilter(
        field_name="visited_on", label=_("Month"), help_text=_("YYYY-MM, for example 2025-03.")
    )
    visitor = IdFilter(field_name="visitor_id", label=_("Visitor"))

    class Meta:
        model = Visit
        fields = ["household", "level", "month", "visitor"]


# =============================================================================================
# The bureau's lists (pages, exports and /api/v1/lists/...): the FilterSet checks the values,
# the list's selector (monitoring.selectors.lists) applies them
# =============================================================================================


class ListFilterSet(AreaFilterSet):
    def keep(self, queryset: QuerySet, name: str, value) -> QuerySet:
        return queryset

    def choice_options(self) -> dict[str, list[tuple[str, object]]]:
        """The choices of each choice filter, in the order the page shows them."""
        options = {}
        for name, filter_ in self.filters.items():
            if isinstance(filter_, django_filters.ChoiceFilter):
                choices = filter_.extra["choices"]
                options[name] = list(choices() if callable(choices) else choices)
        return options

    def filter_queryset(self, queryset: QuerySet) -> QuerySet:
        return queryset  # the selector bounds and filters the rows


def _choice(choices, label) -> django_filters.ChoiceFilter:
    return django_filters.ChoiceFilter(choices=choices, method="keep", label=label)


@extend_schema_field(OpenApiTypes.STR)
class RiskFilter(django_filters.ChoiceFilter):
    """The risk types are code items (monitoring.models.CodeItem), read when the form is built."""


def _risk_choices() -> list[tuple[str, str]]:
    return [(value, value) for value in lists.risk_types()]


class AreaListFilter(ListFilterSet):
    """A list filtered by area only (the overdue cases and leads of the API)."""


class MonitoredListFilter(ListFilterSet):
    category = _choice(MonitoringCategory.choices, _("monitoring category"))
    risk = RiskFilter(choices=_risk_choices, method="keep", label=_("Risk type"))
    status = _choice(lists.MONITORED_STATUS_CHOICES, _("monitoring status"))

    class Meta:
        model = Household
        fields = ["township", "village", "category", "risk", "status"]


class CaseListFilter(ListFilterSet):
    kind = _choice(MonitoringCase.Kind.choices, _("kind"))
    state = _choice(lists.STATE_CHOICES, _("status"))
    overdue = _choice(lists.OVERDUE_CHOICES, _("Overdue"))

    class Meta:
        model = MonitoringCase
        fields = ["township", "village", "kind", "state", "overdue"]


class OverdueListFilter(ListFilterSet):
    section = _choice(lists.SECTION_CHOICES, _("Show"))

    class Meta:
        model = MonitoringCase
        fields = ["township", "village", "section"]


class FocusListFilter(ListFilterSet):
    condition = _choice(lists.CONDITION_CHOICES, _("Reason on the list"))

    class Meta:
        model = Household
        fields = ["township", "village", "condition"]


class MeasureListFilter(ListFilterSet):
    rule = _choice(lists.RULE_CHOICES, _("Rule"))

    class Meta:
        model = Household
        fields = ["township", "village", "rule"]


LIST_FILTERSETS = {
    lists.MONITORED: MonitoredListFilter,
    lists.CASES: CaseListFilter,
    lists.OVERDUE: OverdueListFilter,
    lists.FOCUS: FocusListFilter,
    lists.MEASURES: MeasureListFilter,
}


# =============================================================================================
# Visits due and visit coverage (pages and /api/v1/visits/due/, /api/v1/visits/coverage/)
# =============================================================================================


@extend_schema_field({"type": "string", "pattern": r"^\d{4}-\d{2}$"})
class MonthValueFilter(django_filters.Filter):
    field_class = MonthField


class _PeriodFilter(AreaFilterSet):
    month = MonthValueFilter(
        method="keep", label=_("Month"), help_text=_("YYYY-MM, for example 2025-03.")
    )

    def keep(self, queryset: QuerySet, name: str, value) -> QuerySet:
        return queryset

    def filter_queryset(self, queryset: QuerySet) -> QuerySet:
        return queryset  # the selector (monitoring.selectors.visits) bounds the rows


class VisitDueFilter(_PeriodFilter):
    """The visitor's list of the period: a township clerk picks a village of their township, a
    grid worker's village is their own."""

    status = django_filters.ChoiceFilter(
        choices=[(key, VisitStatus.LABELS[value]) for key, value in VisitStatus.KEYS.items()],
        method="keep",
        label=_("Visit status"),
    )

    class Meta:
        model = Household
        fields = ["township", "village", "month", "status"]


class VisitCoverageFilter(_PeriodFilter):
    """Coverage of a month (and its quarter) in the picked township or village."""

    class Meta:
        model = Household
        fields = ["township", "village", "month"]
