"""/api/v1/assets/: the asset ledger (资产台账, DOMAIN.md §5.3).

Each asset is listed with its value by fund source, its owner, who runs and keeps it, its 确权
and its 三资 entry, its status and its 四个一批 class, and its flags (a collective's asset still
not confirmed or not on the 三资 platform). ``POST`` enters an asset formed before the project
library (an accepted project's assets come through its handover); ``PATCH`` changes its details,
owner or value with the ``version`` loaded (a stale one answers 409). ``/confirm/`` records the
确权 and its certificate, ``/sanzi/`` the 三资 entry, ``/status/`` in use, idle or damaged, each
with the ``version``; ``/review/`` adds a dated 四个一批 review. Every write is one call of the
service the pages use; a refusal answers 400 with ``code`` (the rule's id, ``ast_3``),
``detail``, ``field`` and ``violations``.
"""

from __future__ import annotations

from decimal import Decimal

from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.decorators import action

from assets.codes import AssetClass, AssetStatus, FundingSource, OwnerKind
from assets.filters import AssetFilter
from assets.models import Asset, AssetFunding, AssetReview, Collective
from assets.rules import assets as rules
from assets.selectors import assets as selectors
from assets.services import assets as services
from assets.services import reviews as review_services
from kaiyuan.accounts.capabilities import require
from kaiyuan.areas.models import Area
from kaiyuan.common.api import (
    FlagSerializer,
    ModuleViewSet,
    ScopedPrimaryKeyField,
    ServiceActionsMixin,
    money,
    require_version,
)
from monitoring.models import Household
from projects.codes import FourBatches

MODULE = "assets"
DIGITS = 14  # the ledger's money columns (assets.models MONEY)
RATE = {"max_digits": 5, "decimal_places": 2, "coerce_to_string": True}
OWNER_FIELDS = ("owner_kind", "collective", "owner_department", "owner_household")


def yuan(**kwargs) -> serializers.DecimalField:
    return money(max_digits=DIGITS, **kwargs)


class AssetsViewSetMixin(ServiceActionsMixin):
    """What every viewset of the asset ledger shares: the module (``assets.use``)."""

    module = MODULE


class AssetVersionSerializer(serializers.Serializer):
    version = serializers.IntegerField(
        help_text=_("The version you loaded; a newer saved version answers 409.")
    )


# =============================================================================================
# What the ledger shows
# =============================================================================================


class AssetFundingSerializer(serializers.ModelSerializer):
    amount = yuan(read_only=True)

    class Meta:
        model = AssetFunding
        fields = ["source", "amount"]
        read_only_fields = fields


class AssetReviewSerializer(serializers.ModelSerializer):
    class Meta:
        model = AssetReview
        fields = ["id", "batch", "reviewed_on", "reason", "recorded_at"]
        read_only_fields = fields


class AssetSerializer(serializers.ModelSerializer):
    village_name = serializers.CharField(source="area.name", read_only=True)
    township_name = serializers.CharField(source="area.parent.name", read_only=True, default=None)
    project_code = serializers.CharField(source="project.code", read_only=True, default=None)
    quantity = serializers.DecimalField(max_digits=12, decimal_places=2, read_only=True)
    original_value = yuan(read_only=True)
    funding = AssetFundingSerializer(many=True, read_only=True)
    collective_name = serializers.CharField(source="collective.name", read_only=True, default=None)
    collective_uscc = serializers.CharField(source="collective.uscc", read_only=True, default=None)
    owner_name = serializers.CharField(read_only=True)
    guaranteed_return_percent = serializers.DecimalField(read_only=True, allow_null=True, **RATE)
    is_pv_station = serializers.BooleanField(read_only=True)
    is_confirmed = serializers.BooleanField(read_only=True)
    is_on_sanzi = serializers.BooleanField(read_only=True)
    return_basis = serializers.SerializerMethodField(
        help_text=_(
            "Which minimum return applies: debt (the placement's returns) or self_built "
            "(what the households receive); null for none."
        )
    )
    flags = serializers.SerializerMethodField(
        help_text=_("Registration still missing: not confirmed, or not on the 三资 platform.")
    )

    class Meta:
        model = Asset
        fields = [
            "id",
            "code",
            "name",
            "asset_class",
            "asset_type",
            "is_pv_station",
            "quantity",
            "unit",
            "area",
            "village_name",
            "township_name",
            "location",
            "gps",
            "project",
            "project_code",
            "placement",
            "source_note",
            "formed_year",
            "completed_on",
            "handed_over_on",
            "original_value",
            "funding",
            "owner_kind",
            "owner_name",
            "collective",
            "collective_name",
            "collective_uscc",
            "owner_township",
            "owner_department",
            "owner_household",
            "operator",
            "operator_uscc",
            "operating_mode",
            "contract_counterparty",
            "contract_start",
            "contract_end",
            "guaranteed_return_percent",
            "variable_return",
            "custodian",
            "maintenance_funding",
            "confirmed_on",
            "certificate_number",
            "is_confirmed",
            "sanzi_entered_on",
            "sanzi_id",
            "is_on_sanzi",
            "status",
            "status_on",
            "status_note",
            "four_batches",
            "four_batches_on",
            "return_basis",
            "flags",
            "version",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    def get_return_basis(self, asset) -> str | None:
        return selectors.return_basis(asset)

    def get_flags(self, asset) -> list[dict]:
        flags = rules.missing_registration(asset)
        return FlagSerializer([v.as_dict() for v in flags], many=True).data


class AssetDetailSerializer(AssetSerializer):
    reviews = AssetReviewSerializer(many=True, read_only=True)

    class Meta(AssetSerializer.Meta):
        fields = [*AssetSerializer.Meta.fields, "reviews"]
        read_only_fields = fields


# =============================================================================================
# What a clerk sends
# =============================================================================================


class FundingRowSerializer(serializers.Serializer):
    source = serializers.ChoiceField(choices=FundingSource.choices)
    amount = yuan(min_value=Decimal("0.01"))


class AssetFieldsSerializer(serializers.ModelSerializer):
    """The fields of an asset a clerk enters, shape-checked only (the service checks the
    rest: the owner, the fund sources against the value, the contract's term)."""

    original_value = yuan(min_value=Decimal("0"))
    funding = FundingRowSerializer(
        many=True,
        help_text=_("The value by fund source; the amounts add up to the original value."),
    )
    collective = ScopedPrimaryKeyField(
        queryset=Collective.objects.all(),
        required=False,
        allow_null=True,
        default=None,
        help_text=_("Left out, the village's own collective economic organisation."),
    )
    owner_household = ScopedPrimaryKeyField(
        queryset=Household.objects.all(), required=False, allow_null=True, default=None
    )
    owner_department = serializers.CharField(
        max_length=60, required=False, allow_blank=True, default=""
    )
    guaranteed_return_percent = serializers.DecimalField(
        required=False,
        allow_null=True,
        min_value=Decimal("0"),
        max_value=Decimal("100"),
        **RATE,
    )

    class Meta:
        model = Asset
        fields = [
            *services.DETAIL_FIELDS,
            "original_value",
            "funding",
            *OWNER_FIELDS,
        ]

    def validate_funding(self, rows):
        sources = [row["source"] for row in rows]
        if len(set(sources)) != len(sources):
            raise serializers.ValidationError(_("Each fund source once."))
        return rows


def funding_of(rows) -> dict[str, Decimal]:
    return {row["source"]: row["amount"] for row in rows}


class AssetCreateSerializer(AssetFieldsSerializer):
    asset_class = serializers.ChoiceField(choices=AssetClass.choices)
    area = ScopedPrimaryKeyField(
        queryset=Area.objects.filter(level=Area.Level.VILLAGE),
        help_text=_("The village where the asset stands."),
    )
    owner_kind = serializers.ChoiceField(choices=OwnerKind.choices)
    source_note = serializers.CharField(
        max_length=200, help_text=_("The funds and year that formed the asset.")
    )
    formed_year = serializers.IntegerField(min_value=2000, max_value=2100)
    handed_over_on = serializers.DateField(required=False, allow_null=True, default=None)

    class Meta(AssetFieldsSerializer.Meta):
        fields = [
            "asset_class",
            "area",
            "formed_year",
            "handed_over_on",
            *AssetFieldsSerializer.Meta.fields,
        ]


class AssetUpdateSerializer(AssetFieldsSerializer):
    """A change in part: what is not sent stays. The value changes with its fund sources."""

    version = serializers.IntegerField(
        help_text=_("The version you loaded; a newer saved version answers 409.")
    )
    owner_kind = serializers.ChoiceField(choices=OwnerKind.choices, required=False)

    class Meta(AssetFieldsSerializer.Meta):
        fields = ["version", *AssetFieldsSerializer.Meta.fields]

    def validate(self, attrs):
        require_version(attrs)
        if "original_value" in attrs and "funding" not in attrs:
            raise serializers.ValidationError(
                {"funding": _("Send the fund sources with the original value.")}
            )
        return attrs


class AssetConfirmSerializer(AssetVersionSerializer):
    confirmed_on = serializers.DateField()
    certificate_number = serializers.CharField(max_length=60)


class AssetSanziSerializer(AssetVersionSerializer):
    entered_on = serializers.DateField()
    sanzi_id = serializers.CharField(max_length=40, help_text=_("The asset's id on the platform."))


class AssetStatusInputSerializer(AssetVersionSerializer):
    status = serializers.ChoiceField(
        choices=AssetStatus.choices,
        help_text=_("In use, idle or damaged; disposal has its own procedure."),
    )
    status_on = serializers.DateField()
    status_note = serializers.CharField(
        max_length=300,
        required=False,
        allow_blank=True,
        default="",
        help_text=_("Why the asset is idle or damaged."),
    )


class AssetReviewInputSerializer(serializers.Serializer):
    batch = serializers.ChoiceField(choices=FourBatches.choices)
    reviewed_on = serializers.DateField()
    reason = serializers.CharField(max_length=300)


def with_detail(assets):
    return assets.prefetch_related(
        Prefetch("reviews", queryset=AssetReview.objects.order_by("-reviewed_on", "-id"))
    )


@extend_schema(tags=["assets"])
class AssetViewSet(AssetsViewSetMixin, ModuleViewSet):
    """The assets of the user's area, on the ledger and disposed of."""

    queryset = Asset.objects.all()
    filterset_class = AssetFilter

    def get_queryset(self):
        rows = selectors.assets_for(self.request.user).prefetch_related(
            Prefetch("funding", queryset=AssetFunding.objects.order_by("id"))
        )
        return rows if self.action == "list" else with_detail(rows)

    def get_serializer_class(self):
        return AssetSerializer if self.action == "list" else AssetDetailSerializer

    def _asset(self, asset, status_code=status.HTTP_200_OK):
        return self._answer(asset, status_code, AssetDetailSerializer)

    @extend_schema(request=AssetCreateSerializer, responses={201: AssetDetailSerializer})
    def create(self, request, *args, **kwargs):
        """An asset formed before the project library, with the funds and year it came from."""
        require(request.user, "assets.record")
        values = self._valid(AssetCreateSerializer)
        funding = funding_of(values.pop("funding"))
        asset = services.asset_create(values=values, funding=funding, actor=request.user)
        return self._asset(asset, status.HTTP_201_CREATED)

    @extend_schema(request=AssetUpdateSerializer, responses={200: AssetDetailSerializer})
    def partial_update(self, request, *args, **kwargs):
        """Its details, owner or value changed; what is not sent stays."""
        asset = self.get_object()
        require(request.user, "assets.record")
        serializer = AssetUpdateSerializer(
            data=request.data, partial=True, context=self.get_serializer_context()
        )
        serializer.is_valid(raise_exception=True)
        values = dict(serializer.validated_data)
        version = values.pop("version")
        funding = values.pop("funding", None)
        for name in OWNER_FIELDS:  # what is not sent of the owner stays as it is
            values.setdefault(name, getattr(asset, name))
        asset = services.asset_update(
            asset=asset,
            values=values,
            funding=None if funding is None else funding_of(funding),
            expected_version=version,
            actor=request.user,
        )
        return self._asset(asset)

    @extend_schema(request=AssetConfirmSerializer, responses={200: AssetDetailSerializer})
    @action(detail=True, methods=["post"])
    def confirm(self, request, pk=None):
        """确权登记: the ownership confirmed, with its certificate."""
        asset = self.get_object()
        require(request.user, "assets.record")
        values = self._valid(AssetConfirmSerializer)
        services.asset_confirm(
            asset=asset,
            confirmed_on=values["confirmed_on"],
            certificate_number=values["certificate_number"],
            expected_version=values["version"],
            actor=request.user,
        )
        return self._asset(asset)

    @extend_schema(request=AssetSanziSerializer, responses={200: AssetDetailSerializer})
    @action(detail=True, methods=["post"])
    def sanzi(self, request, pk=None):
        """The asset's entry on the "三资" platform, with the platform's id (after its 确权)."""
        asset = self.get_object()
        require(request.user, "assets.record")
        values = self._valid(AssetSanziSerializer)
        services.asset_enter_sanzi(
            asset=asset,
            entered_on=values["entered_on"],
            sanzi_id=values["sanzi_id"],
            expected_version=values["version"],
            actor=request.user,
        )
        return self._asset(asset)

    @extend_schema(request=AssetStatusInputSerializer, responses={200: AssetDetailSerializer})
    @action(detail=True, methods=["post"], url_path="status", url_name="status")
    def set_status(self, request, pk=None):
        """In use, idle or damaged (with the reason)."""
        asset = self.get_object()
        require(request.user, "assets.record")
        values = self._valid(AssetStatusInputSerializer)
        services.asset_set_status(
            asset=asset,
            status=values["status"],
            on=values["status_on"],
            note=values["status_note"],
            expected_version=values["version"],
            actor=request.user,
        )
        return self._asset(asset)

    @extend_schema(request=AssetReviewInputSerializer, responses={201: AssetDetailSerializer})
    @action(detail=True, methods=["post"])
    def review(self, request, pk=None):
        """A dated 四个一批 review of an operating asset; the asset carries the latest."""
        asset = self.get_object()
        require(request.user, "assets.record")
        values = self._valid(AssetReviewInputSerializer)
        review_services.asset_review(asset=asset, actor=request.user, **values)
        return self._asset(asset, status.HTTP_201_CREATED)
