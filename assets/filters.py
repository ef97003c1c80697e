"""FilterSets of the asset ledger, shared by the list pages and the API.

Every FilterSet narrows a queryset already scoped to the user's area; a filter never widens what
the user sees. The picker's township or village selects the assets that stand there.
"""

from __future__ import annotations

import django_filters
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from assets.codes import AssetClass, AssetStatus, AssetType, OwnerKind
from assets.models import Asset
from kaiyuan.areas.picker import AreaFilterSet
from kaiyuan.common.api_filters import IdFilter
from projects.codes import FourBatches


class AssetFilter(AreaFilterSet):
    """The ledger's list (the page ``assets:asset_list`` and /api/v1/assets/): the township →
    village picker, the asset's class, type, status, owner and 四个一批 class, its source
    project, and a search on its code or name."""

    asset_class = django_filters.ChoiceFilter(choices=AssetClass.choices, label=_("Class"))
    asset_type = django_filters.ChoiceFilter(choices=AssetType.choices, label=_("Type"))
    status = django_filters.ChoiceFilter(choices=AssetStatus.choices, label=_("Status"))
    owner_kind = django_filters.ChoiceFilter(choices=OwnerKind.choices, label=_("Owner"))
    four_batches = django_filters.ChoiceFilter(
        choices=FourBatches.choices, label=_("四个一批 class")
    )
    project = IdFilter(field_name="project_id", label=_("Source project"))
    q = django_filters.CharFilter(
        method="filter_q",
        label=_("Search"),
        help_text=_("Asset code or name (contains)."),
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
            "q",
        ]

    def filter_q(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        text = value.strip()
        if not text:
            return queryset
        return queryset.filter(Q(code__icontains=text) | Q(name__contains=text))
