"""/api/v1/distributions/ and /api/v1/distribution-lines/: the distribution of a settled income
to households anywhere in the county (差异化分配, AST-5..7, the stacked share) or, for a PV
station, to its three uses (6:3:1, AST-PV-1), its publicity (AST-PV-2) and its payment.

A distribution is drawn up from an income (``POST``, all of what is left after depreciation and
maintenance unless less is given; ``PATCH`` changes the amount while it is drawn up). Its lines
are added (``POST /distribution-lines/``) and removed (``DELETE``) while it is drawn up; then it
is publicised (``/publicise/``), reopened after an upheld objection (``/revise/``) and paid
(``/pay/``), each with the distribution's ``version``. The detail shows the plan: what is given
per use, a PV station's 6:3:1 shares and the flags (平均分配, the tilt, a missing stacked share,
the minimum return of a self-built asset).

A line is seen from the asset's area and from its household's: each township sees the lines of
its own households in other townships' distributions. Its household is shown only to a user
who may see the household; to anyone else the line shows its amount and use, and neither the
household nor the payee.
"""

from __future__ import annotations

from decimal import Decimal

from django.db.models import DecimalField, OuterRef, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.response import Response

from assets.api.assets import AssetsViewSetMixin, yuan
from assets.codes import LineUse
from assets.filters import DistributionFilter, DistributionLineFilter
from assets.models import AssetIncome, Distribution, DistributionLine
from assets.selectors import distributions as selectors
from assets.services import distributions as services
from kaiyuan.accounts.capabilities import require
from kaiyuan.common.api import FlagSerializer, ModuleViewSet, ScopedPrimaryKeyField
from monitoring.models import Household

MONEY = DecimalField(max_digits=14, decimal_places=2)


def with_planned(distributions):
    """Each distribution with what its lines give out so far (one subquery, any page size)."""
    lines = (
        DistributionLine.objects.filter(distribution=OuterRef("pk"))
        .values("distribution")
        .annotate(total=Sum("amount"))
        .values("total")
    )
    return distributions.annotate(
        planned=Coalesce(
            Subquery(lines, output_field=MONEY), Value(Decimal("0.00"), output_field=MONEY)
        )
    )


# =============================================================================================
# Distributions
# =============================================================================================


class DistributionSerializer(serializers.ModelSerializer):
    asset_code = serializers.CharField(source="asset.code", read_only=True)
    asset_name = serializers.CharField(source="asset.name", read_only=True)
    village_name = serializers.CharField(source="asset.area.name", read_only=True)
    is_pv_station = serializers.BooleanField(source="asset.is_pv_station", read_only=True)
    amount = yuan(read_only=True)
    planned = yuan(read_only=True, help_text=_("What the lines give out so far."))

    class Meta:
        model = Distribution
        fields = [
            "id",
            "income",
            "asset",
            "asset_code",
            "asset_name",
            "village_name",
            "is_pv_station",
            "year",
            "amount",
            "planned",
            "status",
            "publicity_from",
            "publicity_to",
            "publicity_place",
            "publicity_objections",
            "paid_on",
            "payment_reference",
            "created_at",
            "version",
        ]
        read_only_fields = fields


class DistributionUseSerializer(serializers.Serializer):
    use = serializers.ChoiceField(choices=LineUse.choices)
    amount = yuan()


class DistributionPvShareSerializer(serializers.Serializer):
    use = serializers.ChoiceField(choices=LineUse.choices)
    label = serializers.CharField(help_text=_("The use as the year's policy names it."))
    share = yuan(help_text=_("Its share of the amount (6:3:1, to the fen)."))
    given = yuan(help_text=_("What the lines give to it so far."))


class DistributionDetailSerializer(DistributionSerializer):
    """A distribution with its plan: what is given per use, a PV station's shares, the flags."""

    by_use = serializers.SerializerMethodField()
    pv_shares = serializers.SerializerMethodField(
        help_text=_("A PV station's three uses and their shares; null for other assets.")
    )
    flags = serializers.SerializerMethodField()

    class Meta(DistributionSerializer.Meta):
        fields = [*DistributionSerializer.Meta.fields, "by_use", "pv_shares", "flags"]
        read_only_fields = fields

    def _plan(self, distribution) -> selectors.Plan:
        plans = self.context.setdefault("plans", {})
        if distribution.pk not in plans:
            plans[distribution.pk] = selectors.plan_of(
                distribution, user=self.context["request"].user
            )
        return plans[distribution.pk]

    @extend_schema_field(DistributionUseSerializer(many=True))
    def get_by_use(self, distribution) -> list[dict]:
        by_use = self._plan(distribution).by_use
        return DistributionUseSerializer(
            [{"use": use, "amount": amount} for use, amount in sorted(by_use.items())], many=True
        ).data

    @extend_schema_field(DistributionPvShareSerializer(many=True, allow_null=True))
    def get_pv_shares(self, distribution) -> list[dict] | None:
        plan = self._plan(distribution)
        if plan.pv_shares is None:
            return None
        rows = [
            {
                "use": use,
                "label": plan.pv_labels[use],
                "share": share,
                "given": plan.by_use.get(use, Decimal("0.00")),
            }
            for use, share in plan.pv_shares.items()
        ]
        return DistributionPvShareSerializer(rows, many=True).data

    @extend_schema_field(FlagSerializer(many=True))
    def get_flags(self, distribution) -> list[dict]:
        flags = self._plan(distribution).flags
        return FlagSerializer([v.as_dict() for v in flags], many=True).data


class DistributionCreateSerializer(serializers.Serializer):
    income = ScopedPrimaryKeyField(
        queryset=AssetIncome.objects.all(), help_text=_("The settled income it distributes.")
    )
    amount = yuan(
        min_value=Decimal("0.01"),
        required=False,
        allow_null=True,
        default=None,
        help_text=_("Left out, all of the income after depreciation and maintenance."),
    )


class DistributionAmountSerializer(serializers.Serializer):
    version = serializers.IntegerField(
        help_text=_("The version you loaded; a newer saved version answers 409.")
    )
    amount = yuan(min_value=Decimal("0.01"))


class DistributionPubliciseSerializer(serializers.Serializer):
    version = serializers.IntegerField()
    publicity_from = serializers.DateField()
    publicity_to = serializers.DateField()
    place = serializers.CharField(max_length=120, help_text=_("Where it was publicised."))
    objections = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")


class DistributionReviseSerializer(serializers.Serializer):
    version = serializers.IntegerField()
    reason = serializers.CharField(max_length=300, help_text=_("The objection upheld."))


class DistributionPaySerializer(serializers.Serializer):
    version = serializers.IntegerField()
    paid_on = serializers.DateField()
    payment_reference = serializers.CharField(
        max_length=80, help_text=_("The payment voucher's number.")
    )


@extend_schema(tags=["assets"])
class DistributionViewSet(AssetsViewSetMixin, ModuleViewSet):
    """The distributions of the incomes of the assets of the user's area."""

    queryset = Distribution.objects.all()
    filterset_class = DistributionFilter

    def get_queryset(self):
        return with_planned(selectors.distributions_for(self.request.user))

    def get_serializer_class(self):
        return DistributionSerializer if self.action == "list" else DistributionDetailSerializer

    def _plan(self, distribution, status_code=status.HTTP_200_OK):
        return self._answer(distribution, status_code, DistributionDetailSerializer)

    @extend_schema(
        request=DistributionCreateSerializer, responses={201: DistributionDetailSerializer}
    )
    def create(self, request, *args, **kwargs):
        """A plan drawn up for a settled income."""
        require(request.user, "assets.distribute")
        values = self._valid(DistributionCreateSerializer)
        distribution = services.distribution_create(actor=request.user, **values)
        return self._plan(distribution, status.HTTP_201_CREATED)

    @extend_schema(
        request=DistributionAmountSerializer, responses={200: DistributionDetailSerializer}
    )
    def partial_update(self, request, *args, **kwargs):
        """The amount changed while the plan is drawn up."""
        distribution = self.get_object()
        require(request.user, "assets.distribute")
        values = self._valid(DistributionAmountSerializer)
        services.distribution_change_amount(
            distribution=distribution,
            amount=values["amount"],
            expected_version=values["version"],
            actor=request.user,
        )
        return self._plan(distribution)

    @extend_schema(
        request=DistributionPubliciseSerializer, responses={200: DistributionDetailSerializer}
    )
    @action(detail=True, methods=["post"])
    def publicise(self, request, pk=None):
        """The plan's publicity recorded, once its lines give out the whole amount."""
        distribution = self.get_object()
        require(request.user, "assets.distribute")
        values = self._valid(DistributionPubliciseSerializer)
        services.distribution_publicise(
            distribution=distribution,
            publicity_from=values["publicity_from"],
            publicity_to=values["publicity_to"],
            place=values["place"],
            objections=values["objections"],
            expected_version=values["version"],
            actor=request.user,
        )
        return self._plan(distribution)

    @extend_schema(
        request=DistributionReviseSerializer, responses={200: DistributionDetailSerializer}
    )
    @action(detail=True, methods=["post"])
    def revise(self, request, pk=None):
        """Back to drawing up, after an objection to the publicised plan is upheld."""
        distribution = self.get_object()
        require(request.user, "assets.distribute")
        values = self._valid(DistributionReviseSerializer)
        services.distribution_revise(
            distribution=distribution,
            reason=values["reason"],
            expected_version=values["version"],
            actor=request.user,
        )
        return self._plan(distribution)

    @extend_schema(request=DistributionPaySerializer, responses={200: DistributionDetailSerializer})
    @action(detail=True, methods=["post"])
    def pay(self, request, pk=None):
        """Paid, after its publicity has ended."""
        distribution = self.get_object()
        require(request.user, "assets.pay")
        values = self._valid(DistributionPaySerializer)
        services.distribution_pay(
            distribution=distribution,
            paid_on=values["paid_on"],
            payment_reference=values["payment_reference"],
            expected_version=values["version"],
            actor=request.user,
        )
        return self._plan(distribution)


# =============================================================================================
# Distribution lines
# =============================================================================================


class LineHouseholdSerializer(serializers.ModelSerializer):
    village_name = serializers.CharField(source="area.name", read_only=True)

    class Meta:
        model = Household
        fields = ["id", "head_name", "village_name"]
        read_only_fields = fields


class DistributionLineSerializer(serializers.ModelSerializer):
    asset = serializers.IntegerField(source="distribution.asset_id", read_only=True)
    asset_code = serializers.CharField(source="distribution.asset.code", read_only=True)
    asset_name = serializers.CharField(source="distribution.asset.name", read_only=True)
    year = serializers.IntegerField(source="distribution.year", read_only=True)
    distribution_status = serializers.CharField(source="distribution.status", read_only=True)
    household = serializers.SerializerMethodField(
        help_text=_("The household, when you may see it; null otherwise (or for a PV use).")
    )
    payee = serializers.SerializerMethodField(
        help_text=_("The post holder or the payee; null for a household you may not see.")
    )
    amount = yuan(read_only=True)

    class Meta:
        model = DistributionLine
        fields = [
            "id",
            "distribution",
            "asset",
            "asset_code",
            "asset_name",
            "year",
            "distribution_status",
            "use",
            "household",
            "payee",
            "item",
            "amount",
            "note",
        ]
        read_only_fields = fields

    def _shown(self, line) -> bool:
        return line.household_id is None or line.household_visible

    @extend_schema_field(LineHouseholdSerializer(allow_null=True))
    def get_household(self, line) -> dict | None:
        if line.household_id is None or not line.household_visible:
            return None
        return LineHouseholdSerializer(line.household).data

    def get_payee(self, line) -> str | None:
        return line.payee if self._shown(line) else None


class DistributionLineCreateSerializer(serializers.Serializer):
    distribution = ScopedPrimaryKeyField(queryset=Distribution.objects.all())
    use = serializers.ChoiceField(choices=LineUse.choices)
    household = ScopedPrimaryKeyField(
        queryset=Household.objects.all(),
        required=False,
        allow_null=True,
        default=None,
        help_text=_(
            "A 脱贫户 or monitored household of the county (a township picks its own, the "
            "bureau any); for a household share, or a post held by a household's member."
        ),
    )
    payee = serializers.CharField(max_length=64, required=False, allow_blank=True, default="")
    item = serializers.CharField(
        max_length=120,
        required=False,
        allow_blank=True,
        default="",
        help_text=_("The post or the public work named (a PV station's uses)."),
    )
    amount = yuan(min_value=Decimal("0.01"))
    note = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    version = serializers.IntegerField(
        required=False,
        allow_null=True,
        default=None,
        help_text=_("The distribution's version you loaded (a newer one answers 409)."),
    )


def lines_for(user):
    """The lines the user sees, each knowing whether its household is one the user may see."""
    return (
        DistributionLine.objects.visible_to(user)
        .select_related("distribution__asset", "household__area")
        .annotate(household_visible=selectors.household_visible(user))
    )


@extend_schema(tags=["assets"])
class DistributionLineViewSet(AssetsViewSetMixin, ModuleViewSet):
    """The lines of the distributions of the user's area, and of its households."""

    http_method_names = ["get", "post", "delete", "head", "options"]
    queryset = DistributionLine.objects.all()
    serializer_class = DistributionLineSerializer
    filterset_class = DistributionLineFilter

    def get_queryset(self):
        return lines_for(self.request.user)

    @extend_schema(
        request=DistributionLineCreateSerializer, responses={201: DistributionLineSerializer}
    )
    def create(self, request, *args, **kwargs):
        """A line added to a plan being drawn up."""
        require(request.user, "assets.distribute")
        values = self._valid(DistributionLineCreateSerializer)
        line = services.line_add(
            distribution=values.pop("distribution"),
            expected_version=values.pop("version"),
            actor=request.user,
            **values,
        )
        return self._answer(line, status.HTTP_201_CREATED)

    @extend_schema(responses={204: None})
    def destroy(self, request, *args, **kwargs):
        """A line removed from a plan being drawn up."""
        line = self.get_object()
        require(request.user, "assets.distribute")
        services.line_remove(line=line, actor=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)
