"""FilterSets of the linkage funds, shared by the API and the list pages.

Every FilterSet narrows a queryset already scoped to the user's area; a filter never widens what
the user sees. The picker's township or village selects the records of the projects (or
households) that touch it.
"""

from __future__ import annotations

import django_filters
from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field

from funds.codes import FundLevel, LoanPurpose, PayeeKind, ReimbursementStatus, Tranche
from funds.models import (
    DebtPlacement,
    FundAllocation,
    MicrocreditLoan,
    Payment,
    ProjectFund,
    Reallocation,
)
from funds.selectors import microcredit as loan_selectors
from funds.selectors import placements as placement_selectors
from kaiyuan.areas.picker import AreaFilterSet
from kaiyuan.common.api_filters import ApiFilterSet, IdFilter

FIRST_YEAR, LAST_YEAR = 2000, 2100


@extend_schema_field({"type": "integer", "minimum": FIRST_YEAR, "maximum": LAST_YEAR})
class YearFilter(django_filters.NumberFilter):
    """A budget year: a whole number in a sensible range, else 400 (documented as such, also
    where no model field says it is a whole number: a year filtered by a method)."""

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", FIRST_YEAR)
        kwargs.setdefault("max_value", LAST_YEAR)
        super().__init__(*args, **kwargs)


class AllocationFilter(ApiFilterSet):
    year = YearFilter(label=_("Year"))
    level = django_filters.ChoiceFilter(choices=FundLevel.choices, label=_("Level"))
    fund_type = IdFilter(field_name="fund_type_id", label=_("Fund type"))
    for_industry = django_filters.BooleanFilter(label=_("For industry"))
    q = django_filters.CharFilter(
        method="filter_q", label=_("Search"), help_text=_("Document number or title (contains).")
    )

    class Meta:
        model = FundAllocation
        fields = ["year", "level", "fund_type", "for_industry", "q"]

    def filter_q(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        text = value.strip()
        if not text:
            return queryset
        return queryset.filter(document_number__contains=text) | queryset.filter(
            title__contains=text
        )


class ProjectFundFilter(AreaFilterSet):
    area_lookup = "project__area"

    project = IdFilter(field_name="project_id", label=_("Project"))
    allocation = IdFilter(field_name="allocation_id", label=_("Allocation"))
    kind = django_filters.ChoiceFilter(choices=ProjectFund.Kind.choices, label=_("Entry"))
    level = django_filters.ChoiceFilter(
        field_name="allocation__level", choices=FundLevel.choices, label=_("Level")
    )
    year = YearFilter(field_name="allocation__year", label=_("Year"))
    arrived = django_filters.BooleanFilter(
        field_name="arrived_on", lookup_expr="isnull", exclude=True, label=_("Arrived")
    )

    class Meta:
        model = ProjectFund
        fields = ["township", "village", "project", "allocation", "kind", "level", "year"]


class PaymentFilter(AreaFilterSet):
    area_lookup = "project__area"

    project = IdFilter(field_name="project_id", label=_("Project"))
    household = IdFilter(field_name="household_id", label=_("Household"))
    tranche = django_filters.ChoiceFilter(choices=Tranche.choices, label=_("Tranche"))
    payee_kind = django_filters.ChoiceFilter(choices=PayeeKind.choices, label=_("Payee is"))
    reimbursement = django_filters.ChoiceFilter(
        field_name="reimbursement__status",
        choices=ReimbursementStatus.choices,
        label=_("报账 status"),
    )
    paid_from = django_filters.DateFilter(
        field_name="paid_on", lookup_expr="gte", label=_("Paid from")
    )
    paid_to = django_filters.DateFilter(field_name="paid_on", lookup_expr="lte", label=_("Paid to"))
    reversal = django_filters.BooleanFilter(
        field_name="reverses", lookup_expr="isnull", exclude=True, label=_("Reversal")
    )

    class Meta:
        model = Payment
        fields = ["township", "village", "project", "household", "tranche", "payee_kind"]


class ReallocationFilter(ApiFilterSet):
    allocation = IdFilter(field_name="allocation_id", label=_("Allocation"))
    project = IdFilter(method="filter_project", label=_("Project (from or to)"))
    year = YearFilter(field_name="allocation__year", label=_("Year"))

    class Meta:
        model = Reallocation
        fields = ["allocation", "project", "year"]

    def filter_project(self, queryset: QuerySet, name: str, value) -> QuerySet:
        return queryset.filter(from_project_id=value) | queryset.filter(to_project_id=value)


class DebtPlacementFilter(AreaFilterSet):
    area_lookup = "project__area"

    project = IdFilter(field_name="project_id", label=_("Project"))
    flagged = django_filters.BooleanFilter(
        method="filter_flagged",
        label=_("Flagged"),
        help_text=_("Ended, or ending within the days set, with principal outstanding."),
    )

    class Meta:
        model = DebtPlacement
        fields = ["township", "village", "project", "flagged"]

    def filter_flagged(self, queryset: QuerySet, name: str, value) -> QuerySet:
        if value is None:
            return queryset
        flagged = placement_selectors.flagged(queryset)
        if value:
            return flagged
        return queryset.exclude(pk__in=flagged.values("pk"))


class MicrocreditLoanFilter(AreaFilterSet):
    area_lookup = "household__area"

    household = IdFilter(field_name="household_id", label=_("Household"))
    purpose = django_filters.ChoiceFilter(choices=LoanPurpose.choices, label=_("Purpose"))
    bank = django_filters.CharFilter(lookup_expr="contains", label=_("Lending bank"))
    overdue = django_filters.BooleanFilter(
        method="filter_overdue",
        label=_("Overdue"),
        help_text=_("Past the (extended) due date with principal outstanding."),
    )

    class Meta:
        model = MicrocreditLoan
        fields = ["township", "village", "household", "purpose", "bank", "overdue"]

    def filter_overdue(self, queryset: QuerySet, name: str, value) -> QuerySet:
        if value is None:
            return queryset
        late = loan_selectors.overdue(queryset)
        if value:
            return late
        return queryset.exclude(pk__in=late.values("pk"))
