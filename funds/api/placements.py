"""/api/v1/debt-placements/: the money of debt-type projects placed with an entity (债权投入).

Each placement is listed with what it returned, the principal recovered and outstanding, and its
flags (FND-10: ended with principal outstanding, or ending within the days set). The township
records it (``POST``), then its returns (``/returns/``), the principal recovered
(``/recoveries/``), a proposed redeployment of recovered principal (``/redeployments/``, which
waits for the bureau's consent) and the year's 六清楚 checklist (``/six-clears/``). Each answers
the placement as it now stands.
"""

from __future__ import annotations

from decimal import Decimal

from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.decorators import action

from funds.api.allocations import FundViewSetMixin, positive, yuan
from funds.codes import SixClears
from funds.filters import FIRST_YEAR, LAST_YEAR, DebtPlacementFilter
from funds.models import (
    DebtPlacement,
    PlacementReturn,
    PrincipalRecovery,
    Redeployment,
    SixClearsReview,
)
from funds.selectors import placements as selectors
from funds.services import placements as services
from kaiyuan.accounts.capabilities import require
from kaiyuan.common.api import FlagSerializer, ModuleViewSet, ScopedPrimaryKeyField
from projects.models import Project

RATE = {"max_digits": 5, "decimal_places": 2, "coerce_to_string": True}


class PlacementReturnSerializer(serializers.ModelSerializer):
    amount = yuan(read_only=True)

    class Meta:
        model = PlacementReturn
        fields = ["id", "year", "amount", "received_on", "reverses", "reason"]
        read_only_fields = fields


class PrincipalRecoverySerializer(serializers.ModelSerializer):
    amount = yuan(read_only=True)

    class Meta:
        model = PrincipalRecovery
        fields = ["id", "amount", "recovered_on", "reverses", "reason"]
        read_only_fields = fields


class RedeploymentSerializer(serializers.ModelSerializer):
    amount = yuan(read_only=True)

    class Meta:
        model = Redeployment
        fields = [
            "id",
            "amount",
            "to_project",
            "purpose",
            "status",
            "proposed_at",
            "decided_on",
            "decision_note",
            "version",
        ]
        read_only_fields = fields


class SixClearsReviewSerializer(serializers.ModelSerializer):
    open_items = serializers.ListField(child=serializers.CharField(), read_only=True)

    class Meta:
        model = SixClearsReview
        fields = [
            "id",
            "year",
            "items",
            "open_items",
            "problems",
            "measures",
            "reviewed_on",
            "version",
        ]
        read_only_fields = fields


class DebtPlacementSerializer(serializers.ModelSerializer):
    project_code = serializers.CharField(source="project.code", read_only=True)
    project_name = serializers.CharField(source="project.name", read_only=True)
    principal = yuan(read_only=True)
    agreed_rate = serializers.DecimalField(read_only=True, **RATE)
    returned = yuan(read_only=True)
    recovered = yuan(read_only=True)
    outstanding = serializers.SerializerMethodField()
    flags = serializers.SerializerMethodField()

    class Meta:
        model = DebtPlacement
        fields = [
            "id",
            "project",
            "project_code",
            "project_name",
            "counterparty",
            "counterparty_uscc",
            "principal",
            "start_date",
            "end_date",
            "agreed_rate",
            "collateral",
            "risk_measures",
            "agreement_number",
            "returned",
            "recovered",
            "outstanding",
            "flags",
            "version",
            "created_at",
        ]
        read_only_fields = fields

    def get_outstanding(self, placement) -> str:
        return f"{placement.outstanding:.2f}"

    def get_flags(self, placement) -> list[dict]:
        flags = selectors.flags_of(placement, ending_days=self.context.get("ending_days"))
        return FlagSerializer([v.as_dict() for v in flags], many=True).data


class DebtPlacementDetailSerializer(DebtPlacementSerializer):
    returns = PlacementReturnSerializer(many=True, read_only=True)
    recoveries = PrincipalRecoverySerializer(many=True, read_only=True)
    redeployments = RedeploymentSerializer(many=True, read_only=True)
    six_clears = SixClearsReviewSerializer(many=True, read_only=True)

    class Meta(DebtPlacementSerializer.Meta):
        fields = [
            *DebtPlacementSerializer.Meta.fields,
            "returns",
            "recoveries",
            "redeployments",
            "six_clears",
        ]
        read_only_fields = fields


class PlacementCreateSerializer(serializers.Serializer):
    project = ScopedPrimaryKeyField(queryset=Project.objects.all())
    counterparty = serializers.CharField(max_length=120)
    counterparty_uscc = serializers.CharField(max_length=24)
    principal = positive()
    start_date = serializers.DateField()
    end_date = serializers.DateField()
    agreed_rate = serializers.DecimalField(min_value=Decimal("0"), max_value=Decimal("100"), **RATE)
    collateral = serializers.CharField(max_length=300)
    risk_measures = serializers.CharField(max_length=500)
    agreement_number = serializers.CharField(
        max_length=80, required=False, allow_blank=True, default=""
    )

    def validate(self, attrs):
        if attrs["end_date"] <= attrs["start_date"]:
            raise serializers.ValidationError({"end_date": _("The term ends after it starts.")})
        return attrs


class ReturnInputSerializer(serializers.Serializer):
    year = serializers.IntegerField(min_value=FIRST_YEAR, max_value=LAST_YEAR)
    amount = positive()
    received_on = serializers.DateField()


class RecoveryInputSerializer(serializers.Serializer):
    amount = positive()
    recovered_on = serializers.DateField()


class RedeploymentInputSerializer(serializers.Serializer):
    amount = positive()
    purpose = serializers.CharField(max_length=300)
    to_project = ScopedPrimaryKeyField(
        queryset=Project.objects.all(), required=False, allow_null=True, default=None
    )


class SixClearsItemSerializer(serializers.Serializer):
    clear = serializers.BooleanField()
    note = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")


class SixClearsInputSerializer(serializers.Serializer):
    year = serializers.IntegerField(min_value=FIRST_YEAR, max_value=LAST_YEAR)
    items = serializers.DictField(
        child=SixClearsItemSerializer(),
        help_text=_(
            "Item code (industry_funds, household_funds, injected_funds, dividends, operations, "
            "problems) → {clear, note}."
        ),
    )
    problems = serializers.CharField(max_length=5000, required=False, allow_blank=True, default="")
    measures = serializers.CharField(max_length=5000, required=False, allow_blank=True, default="")
    reviewed_on = serializers.DateField()
    version = serializers.IntegerField(
        required=False,
        allow_null=True,
        default=None,
        help_text=_("The version of the year's checklist you loaded, when changing it."),
    )

    def validate_items(self, items):
        unknown = sorted(set(items) - set(SixClears.values))
        if unknown:
            raise serializers.ValidationError(
                _("Unknown item: %(code)s.") % {"code": ", ".join(unknown)}
            )
        return items


def with_detail(placements):
    return placements.prefetch_related(
        Prefetch("returns", queryset=PlacementReturn.objects.order_by("year", "received_on", "id")),
        Prefetch("recoveries", queryset=PrincipalRecovery.objects.order_by("recovered_on", "id")),
        Prefetch("redeployments", queryset=Redeployment.objects.order_by("proposed_at", "id")),
        Prefetch("six_clears", queryset=SixClearsReview.objects.order_by("-year")),
    )


@extend_schema(tags=["funds"])
class DebtPlacementViewSet(FundViewSetMixin, ModuleViewSet):
    """Debt placements of the projects the user sees."""

    http_method_names = ["get", "post", "head", "options"]
    queryset = DebtPlacement.objects.all()
    filterset_class = DebtPlacementFilter

    def get_queryset(self):
        rows = selectors.placements_for(self.request.user)
        return rows if self.action == "list" else with_detail(rows)

    def get_serializer_class(self):
        return DebtPlacementSerializer if self.action == "list" else DebtPlacementDetailSerializer

    def get_serializer_context(self):
        context = super().get_serializer_context()
        context["ending_days"] = selectors.ending_days_on()
        return context

    def _placement(self, placement, status_code=status.HTTP_201_CREATED):
        return self._answer(placement, status_code, DebtPlacementDetailSerializer)

    @extend_schema(
        request=PlacementCreateSerializer, responses={201: DebtPlacementDetailSerializer}
    )
    def create(self, request, *args, **kwargs):
        require(request.user, "funds.placements")
        values = self._valid(PlacementCreateSerializer)
        placement = services.placement_create(actor=request.user, **values)
        return self._placement(placement)

    @extend_schema(request=ReturnInputSerializer, responses={201: DebtPlacementDetailSerializer})
    @action(detail=True, methods=["post"])
    def returns(self, request, pk=None):
        """A year's return received from the counterparty."""
        placement = self.get_object()
        values = self._valid(ReturnInputSerializer)
        services.return_record(placement=placement, actor=request.user, **values)
        return self._placement(placement)

    @extend_schema(request=RecoveryInputSerializer, responses={201: DebtPlacementDetailSerializer})
    @action(detail=True, methods=["post"])
    def recoveries(self, request, pk=None):
        """Principal recovered from the counterparty."""
        placement = self.get_object()
        values = self._valid(RecoveryInputSerializer)
        services.recovery_record(placement=placement, actor=request.user, **values)
        return self._placement(placement)

    @extend_schema(
        request=RedeploymentInputSerializer, responses={201: DebtPlacementDetailSerializer}
    )
    @action(detail=True, methods=["post"])
    def redeployments(self, request, pk=None):
        """Recovered principal proposed for a new use (the bureau consents, FND-10)."""
        placement = self.get_object()
        values = self._valid(RedeploymentInputSerializer)
        services.redeployment_propose(placement=placement, actor=request.user, **values)
        return self._placement(placement)

    @extend_schema(request=SixClearsInputSerializer, responses={200: DebtPlacementDetailSerializer})
    @action(detail=True, methods=["post"], url_path="six-clears", url_name="six-clears")
    def six_clears(self, request, pk=None):
        """The year's 六清楚 checklist, recorded or changed (with its ``version``)."""
        placement = self.get_object()
        values = self._valid(SixClearsInputSerializer)
        values["items"] = {code: dict(item) for code, item in values["items"].items()}
        services.six_clears_record(
            placement=placement,
            year=values["year"],
            items=values["items"],
            problems=values["problems"],
            measures=values["measures"],
            reviewed_on=values["reviewed_on"],
            expected_version=values["version"],
            actor=request.user,
        )
        return self._placement(placement, status.HTTP_200_OK)
