"""FilterSets of the asset ledger, shared by the API and the list pages.

Every FilterSet narrows a queryset already scoped to the user's area; a filter never widens what
the user sees. The picker's township or village selects the records of the assets that stand in
it (a distribution line also under its household's village).
"""

from __future__ import annotations

import django_filters
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from assets.codes import AssetClass, AssetStatus, AssetType, LineUse, OwnerKind
from assets.models import Asset, AssetIncome, Distribution, DistributionLine
from assets.rules import assets as rules
from funds.filters import YearFilter
from kaiyuan.areas.picker import AreaFilterSet
from kaiyuan.common.api_filters import IdFilter
from monitoring.models import Household
from projects.codes import FourBatches


class AssetFilter(AreaFilterSet):
    """The ledger's list (the page ``assets:asset_list`` and /api/v1/assets/): the township →
    village picker, the asset's class, type, status, owner and 四个一批 class, its source
    project, the registration still missing, and a search on its code or name."""

    asset_class = django_filters.ChoiceFilter(choices=AssetClass.choices, label=_("Class"))
    asset_type = django_filters.ChoiceFilter(choices=AssetType.choices, label=_("Type"))
    status = django_filters.ChoiceFilter(choices=AssetStatus.choices, label=_("Status"))
    owner_kind = django_filters.ChoiceFilter(choices=OwnerKind.choices, label=_("Owner"))
    four_batches = django_filters.ChoiceFilter(
        choices=FourBatches.choices, label=_("四个一批 class")
    )
    project = IdFilter(field_name="project_id", label=_("Source project"))
    missing_registration = django_filters.BooleanFilter(
        method="filter_missing",
        label=_("Registration missing"),
        help_text=_("A collective's asset not yet confirmed or not yet on the 三资 platform."),
    )
    q = django_filters.CharFilter(
        method="filter_q", label=_("Search"), help_text=_("Asset code or name (contains).")
    )

    class Meta:
        model = Asset
        fields = [
            "township",
            "village",
            "asset_class",
            "asset_type",
            "status",
            "owner_kind",
            "four_batches",
            "project",
            "missing_registration",
            "q",
        ]

    def filter_missing(self, queryset: QuerySet, name: str, value) -> QuerySet:
        if value is None:
            return queryset
        missing = rules.missing_registration_q()
        return queryset.filter(missing) if value else queryset.exclude(missing)

    def filter_q(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        text = value.strip()
        if not text:
            return queryset
        return queryset.filter(Q(code__icontains=text) | Q(name__contains=text))


class AssetIncomeFilter(AreaFilterSet):
    area_lookup = "asset__area"

    asset = IdFilter(field_name="asset_id", label=_("Asset"))
    year = YearFilter(label=_("Income year"))
    distributed = django_filters.BooleanFilter(
        field_name="distribution",
        lookup_expr="isnull",
        exclude=True,
        label=_("Distribution drawn up"),
    )

    class Meta:
        model = AssetIncome
        fields = ["township", "village", "asset", "year", "distributed"]


class DistributionFilter(AreaFilterSet):
    area_lookup = "asset__area"

    asset = IdFilter(field_name="asset_id", label=_("Asset"))
    income = IdFilter(field_name="income_id", label=_("Income settlement"))
    year = YearFilter(label=_("Income year"))
    status = django_filters.ChoiceFilter(choices=Distribution.Status.choices, label=_("Status"))
    pv_station = django_filters.BooleanFilter(
        method="filter_pv", label=_("PV station"), help_text=_("The income of a PV station.")
    )

    class Meta:
        model = Distribution
        fields = ["township", "village", "asset", "income", "year", "status", "pv_station"]

    def filter_pv(self, queryset: QuerySet, name: str, value) -> QuerySet:
        if value is None:
            return queryset
        pv = Q(asset__asset_type=AssetType.PV_STATION)
        return queryset.filter(pv) if value else queryset.exclude(pv)


class DistributionLineFilter(AreaFilterSet):
    area_lookup = "distribution__asset__area"

    distribution = IdFilter(field_name="distribution_id", label=_("Distribution"))
    household = IdFilter(method="filter_household", label=_("Household"))
    use = django_filters.ChoiceFilter(choices=LineUse.choices, label=_("Use"))
    year = YearFilter(field_name="distribution__year", label=_("Income year"))
    status = django_filters.ChoiceFilter(
        field_name="distribution__status",
        choices=Distribution.Status.choices,
        label=_("Distribution status"),
    )

    class Meta:
        model = DistributionLine
        fields = ["township", "village", "distribution", "household", "use", "year", "status"]

    def filter_household(self, queryset: QuerySet, name: str, value) -> QuerySet:
        """Only a household the user may see: a line shows no hidden household, so it cannot
        be found by one either."""
        visible = Household.objects.visible_to(self.user).filter(pk=value)
        return queryset.filter(household__in=visible)
