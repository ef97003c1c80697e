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

from kaiyuan.areas.models import Area
from kaiyuan.common.dates import month_of
from kaiyuan.common.idcard import InvalidIdNumber, parse_id_number
from monitoring.codes import HouseholdType, LabourSkill, MonitoringCategory
from monitoring.models import Household, IncomeRecord, Member, Visit
from monitoring.rules.incomes import BAND_LABELS, income_band_q
from monitoring.services.members import id_index_of

# =============================================================================================
# Households
# =============================================================================================


class HouseholdFilter(django_filters.FilterSet):
    """Filters of the household list (API /api/v1/households/)."""

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
    grid = django_filters.NumberFilter(field_name="grid_id", label=_("Grid"))
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


class IdNumberField(forms.CharField):
    """A typed ID number, validated (ID-1, ID-2, ID-5) and turned into its blind index, so that
    the lookup is exact and the number itself never reaches the query."""

    def clean(self, value):
        value = super().clean(value)
        if not value:
            return ""
        try:
            parse_id_number(value)
        except InvalidIdNumber as exc:
            raise ValidationError(exc.message, code="invalid_id_number") from None
        return id_index_of(value)


class IdNumberFilter(django_filters.CharFilter):
    field_class = IdNumberField


class MemberFilter(django_filters.FilterSet):
    """Filters of the member list (API /api/v1/members/)."""

    household = django_filters.NumberFilter(field_name="household_id", label=_("Household"))
    name = django_filters.CharFilter(lookup_expr="contains", label=_("Name"))
    id_number = IdNumberFilter(
        field_name="id_index",
        label=_("ID number"),
        help_text=_("The full 18-character ID number (exact match)."),
    )
    status = django_filters.ChoiceFilter(choices=Member.Status.choices, label=_("Status"))
    labour_skill = django_filters.ChoiceFilter(choices=LabourSkill.choices, label=_("Labour skill"))

    class Meta:
        model = Member
        fields = ["household", "name", "id_number", "status", "labour_skill"]


# =============================================================================================
# Incomes and visits
# =============================================================================================


class IncomeRecordFilter(django_filters.FilterSet):
    household = django_filters.NumberFilter(field_name="household_id", label=_("Household"))
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


class VisitFilter(django_filters.FilterSet):
    household = django_filters.NumberFilter(field_name="household_id", label=_("Household"))
    level = django_filters.ChoiceFilter(choices=Visit.Level.choices, label=_("Visit level"))
    month = MonthFilter(
        field_name="visited_on", label=_("Month"), help_text=_("YYYY-MM, for example 2025-03.")
    )
    visitor = django_filters.NumberFilter(field_name="visitor_id", label=_("Visitor"))

    class Meta:
        model = Visit
        fields = ["household", "level", "month", "visitor"]
