"""/api/v1/asset-incomes/: each asset's settled income of a past year (清算, AST-8), with the only
deductions allowed, depreciation and maintenance (AST-9), and what is left to distribute
(``net_income``).

``POST`` settles a year (the year must be over and the asset formed by then); ``PATCH``
corrects a settlement with the ``version`` loaded, until its distribution is publicised. Both
are one call of the settlement service; a broken rule answers 400 with its ``code`` (``ast_8``,
``ast_9``) and ``violations``.
"""

from __future__ import annotations

from decimal import Decimal

from django.db.models import F
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status

from assets.api.assets import AssetsViewSetMixin, yuan
from assets.filters import AssetIncomeFilter
from assets.models import Asset, AssetIncome
from assets.selectors import incomes as selectors
from assets.services import incomes as services
from kaiyuan.accounts.capabilities import require
from kaiyuan.common.api import ModuleViewSet, ScopedPrimaryKeyField, require_version

DEDUCTIONS = ("depreciation", "maintenance")
ZERO = Decimal("0.00")


class AssetIncomeSerializer(serializers.ModelSerializer):
    asset_code = serializers.CharField(source="asset.code", read_only=True)
    asset_name = serializers.CharField(source="asset.name", read_only=True)
    village_name = serializers.CharField(source="asset.area.name", read_only=True)
    gross_income = yuan(read_only=True)
    depreciation = yuan(read_only=True)
    maintenance = yuan(read_only=True)
    net_income = yuan(read_only=True, help_text=_("The income less depreciation and maintenance."))
    distribution = serializers.IntegerField(
        source="distribution_pk",
        read_only=True,
        allow_null=True,
        default=None,
        help_text=_("The distribution drawn up of it, if any."),
    )

    class Meta:
        model = AssetIncome
        fields = [
            "id",
            "asset",
            "asset_code",
            "asset_name",
            "village_name",
            "year",
            "gross_income",
            "depreciation",
            "maintenance",
            "net_income",
            "settled_on",
            "note",
            "distribution",
            "recorded_at",
            "version",
        ]
        read_only_fields = fields


class IncomeAmountsSerializer(serializers.Serializer):
    gross_income = yuan(
        help_text=_("What the owner received for the year (after a PV station's operating costs).")
    )
    depreciation = yuan(required=False, default=ZERO)
    maintenance = yuan(required=False, default=ZERO)
    note = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")


class IncomeSettleSerializer(IncomeAmountsSerializer):
    asset = ScopedPrimaryKeyField(queryset=Asset.objects.all())
    year = serializers.IntegerField(
        min_value=2000, max_value=2100, help_text=_("The income year (a past year).")
    )
    settled_on = serializers.DateField(help_text=_("After the year ended, and not in the future."))


class IncomeCorrectSerializer(IncomeAmountsSerializer):
    """A correction in part: the amounts and the note not sent stay."""

    version = serializers.IntegerField(
        help_text=_("The version you loaded; a newer saved version answers 409.")
    )

    def validate(self, attrs):
        require_version(attrs)
        return attrs


@extend_schema(tags=["assets"])
class AssetIncomeViewSet(AssetsViewSetMixin, ModuleViewSet):
    """The settled incomes of the assets of the user's area."""

    queryset = AssetIncome.objects.all()
    serializer_class = AssetIncomeSerializer
    filterset_class = AssetIncomeFilter

    def get_queryset(self):
        return selectors.incomes_for(self.request.user).annotate(
            distribution_pk=F("distribution__id")
        )

    @extend_schema(request=IncomeSettleSerializer, responses={201: AssetIncomeSerializer})
    def create(self, request, *args, **kwargs):
        """The year's income settled (清算)."""
        require(request.user, "assets.settle")
        values = self._valid(IncomeSettleSerializer)
        income = services.income_settle(
            asset=values["asset"],
            year=values["year"],
            gross_income=values["gross_income"],
            deductions={kind: values[kind] for kind in DEDUCTIONS},
            settled_on=values["settled_on"],
            note=values["note"],
            actor=request.user,
        )
        return self._answer(income, status.HTTP_201_CREATED)

    @extend_schema(request=IncomeCorrectSerializer, responses={200: AssetIncomeSerializer})
    def partial_update(self, request, *args, **kwargs):
        """The settlement corrected, until its distribution is publicised."""
        income = self.get_object()
        require(request.user, "assets.settle")
        serializer = IncomeCorrectSerializer(
            data=request.data, partial=True, context=self.get_serializer_context()
        )
        serializer.is_valid(raise_exception=True)
        values = dict(serializer.validated_data)
        income = services.income_correct(
            income=income,
            gross_income=values.get("gross_income", income.gross_income),
            deductions={kind: values.get(kind, getattr(income, kind)) for kind in DEDUCTIONS},
            note=values.get("note", income.note),
            expected_version=values["version"],
            actor=request.user,
        )
        return self._answer(income)
