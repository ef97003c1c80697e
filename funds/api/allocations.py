"""/api/v1/allocations/ and /api/v1/project-funds/: the 资金指标 and what each project receives.

Allocations are the county's: the roles that see the county's funds (``funds.county_view``) list
them; the bureau and finance record one (``POST``), reverse it (``/reverse/``) and assign it to a
project of the year's plan (``/assign/``, answering the new entry). The entries of the projects'
funds are listed at ``/project-funds/`` with what is left of each; the township records an
entry's arrival (``/arrival/``), the bureau reverses an assignment (``/reverse/``, answering the
reversing entry). Every write is one call of the service the pages use.
"""

from __future__ import annotations

from decimal import Decimal

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.response import Response

from funds.codes import FundLevel
from funds.filters import FIRST_YEAR, LAST_YEAR, AllocationFilter, ProjectFundFilter
from funds.models import FundAllocation, FundType, ProjectFund
from funds.selectors import allocations as selectors
from funds.services import allocations as services
from kaiyuan.accounts.capabilities import require
from kaiyuan.common.api import (
    CapabilityPermission,
    ModuleReadOnlyViewSet,
    ModuleViewSet,
    ScopedPrimaryKeyField,
    ServiceActionsMixin,
    money,
)
from projects.models import Project

MODULE = "funds"
REASON = 300


def yuan(**kwargs) -> serializers.DecimalField:
    """The shared money field at the ledgers' 14 digits."""
    return money(max_digits=14, **kwargs)


def positive(**kwargs) -> serializers.DecimalField:
    return yuan(min_value=Decimal("0.01"), **kwargs)


class FundReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=REASON)


class FundViewSetMixin(ServiceActionsMixin):
    """What every funds viewset shares: the module, and the helpers of its actions."""

    module = MODULE


# =============================================================================================
# The entries of a project's funds, and the allocations
# =============================================================================================


class ProjectFundSerializer(serializers.ModelSerializer):
    document_number = serializers.CharField(source="allocation.document_number", read_only=True)
    level = serializers.CharField(source="allocation.level", read_only=True)
    year = serializers.IntegerField(source="allocation.year", read_only=True)
    fund_type_name = serializers.CharField(source="allocation.fund_type.name", read_only=True)
    project_code = serializers.CharField(source="project.code", read_only=True)
    project_name = serializers.CharField(source="project.name", read_only=True)
    area_name = serializers.CharField(source="project.area.name", read_only=True)
    amount = yuan(read_only=True)
    reduced = yuan(read_only=True, help_text=_("Taken out by reversals and reallocations."))
    drawn = yuan(read_only=True, help_text=_("Paid from this entry."))
    balance = serializers.SerializerMethodField(
        help_text=_("What is left of an incoming entry (null for a reducing entry).")
    )

    class Meta:
        model = ProjectFund
        fields = [
            "id",
            "allocation",
            "document_number",
            "level",
            "year",
            "fund_type_name",
            "project",
            "project_code",
            "project_name",
            "area_name",
            "kind",
            "amount",
            "reduces",
            "reallocation",
            "assigned_on",
            "arrived_on",
            "township_account",
            "reason",
            "reduced",
            "drawn",
            "balance",
            "recorded_at",
        ]
        read_only_fields = fields

    def get_balance(self, entry) -> str | None:
        if not entry.is_positive:
            return None
        return f"{selectors.balance(entry):.2f}"


class AllocationSerializer(serializers.ModelSerializer):
    fund_type = serializers.SlugRelatedField(slug_field="code", read_only=True)
    fund_type_name = serializers.CharField(source="fund_type.name", read_only=True)
    amount = yuan(read_only=True)
    reversed_amount = yuan(read_only=True, help_text=_("Negative once the document is reversed."))
    net_amount = serializers.SerializerMethodField()
    assigned = yuan(read_only=True, help_text=_("Assigned to projects, less reductions."))
    unassigned = serializers.SerializerMethodField()
    spent = yuan(read_only=True, help_text=_("Paid from it (the payments' draws)."))
    is_reversed = serializers.SerializerMethodField()

    class Meta:
        model = FundAllocation
        fields = [
            "id",
            "document_number",
            "issued_on",
            "level",
            "fund_type",
            "fund_type_name",
            "year",
            "for_industry",
            "title",
            "amount",
            "reversed_amount",
            "net_amount",
            "assigned",
            "unassigned",
            "spent",
            "is_reversed",
            "recorded_at",
        ]
        read_only_fields = fields

    def _money(self, value: Decimal) -> str:
        return f"{value:.2f}"

    def get_net_amount(self, allocation) -> str:
        return self._money(allocation.amount + allocation.reversed_amount)

    def get_unassigned(self, allocation) -> str:
        return self._money(allocation.amount + allocation.reversed_amount - allocation.assigned)

    def get_is_reversed(self, allocation) -> bool:
        return allocation.reversed_amount != 0


class AllocationCreateSerializer(serializers.Serializer):
    document_number = serializers.CharField(max_length=80, help_text=_("The document (文号)."))
    issued_on = serializers.DateField()
    level = serializers.ChoiceField(choices=FundLevel.choices)
    fund_type = serializers.SlugRelatedField(
        slug_field="code",
        queryset=FundType.objects.all(),
        help_text=_("The fund type's code (linkage, special, other)."),
    )
    year = serializers.IntegerField(min_value=FIRST_YEAR, max_value=LAST_YEAR)
    amount = positive()
    for_industry = serializers.BooleanField(default=False)
    title = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")


class AssignSerializer(serializers.Serializer):
    project = ScopedPrimaryKeyField(queryset=Project.objects.all())
    amount = positive()
    assigned_on = serializers.DateField()


@extend_schema(tags=["funds"])
class AllocationViewSet(FundViewSetMixin, ModuleViewSet):
    """The county's allocations (资金指标), with what is assigned and spent of each."""

    http_method_names = ["get", "post", "head", "options"]
    capability = "funds.county_view"
    queryset = FundAllocation.objects.all()
    serializer_class = AllocationSerializer
    filterset_class = AllocationFilter

    def get_permissions(self):
        return [*super().get_permissions(), CapabilityPermission()]

    def get_queryset(self):
        return selectors.allocations_for(self.request.user)

    @extend_schema(request=AllocationCreateSerializer, responses={201: AllocationSerializer})
    def create(self, request, *args, **kwargs):
        """A new allocation document."""
        require(request.user, "funds.allocate")
        values = self._valid(AllocationCreateSerializer)
        allocation = services.allocation_create(actor=request.user, **values)
        return self._answer(allocation, status.HTTP_201_CREATED)

    @extend_schema(request=FundReasonSerializer, responses={200: AllocationSerializer})
    @action(detail=True, methods=["post"])
    def reverse(self, request, pk=None):
        """A document entered in error or withdrawn, reversed in full (its assignments first)."""
        allocation = self.get_object()
        values = self._valid(FundReasonSerializer)
        services.allocation_reverse(allocation=allocation, actor=request.user, **values)
        return self._answer(allocation)

    @extend_schema(request=AssignSerializer, responses={201: ProjectFundSerializer})
    @action(detail=True, methods=["post"])
    def assign(self, request, pk=None):
        """Part of the allocation assigned to a project of its year's plan; answers the entry."""
        allocation = self.get_object()
        require(request.user, "funds.allocate")
        values = self._valid(AssignSerializer)
        entry = services.assignment_add(allocation=allocation, actor=request.user, **values)
        fresh = selectors.entries_for(request.user).get(pk=entry.pk)
        return Response(
            ProjectFundSerializer(fresh, context=self.get_serializer_context()).data,
            status=status.HTTP_201_CREATED,
        )


# =============================================================================================
# The project-funds endpoint
# =============================================================================================


class ArrivalSerializer(serializers.Serializer):
    arrived_on = serializers.DateField()
    township_account = serializers.CharField(max_length=60)


@extend_schema(tags=["funds"])
class ProjectFundViewSet(FundViewSetMixin, ModuleReadOnlyViewSet):
    """The fund entries of the projects the user sees (assignments, reallocations in and out,
    reversals), each with what is left of it."""

    queryset = ProjectFund.objects.all()
    serializer_class = ProjectFundSerializer
    filterset_class = ProjectFundFilter

    def get_queryset(self):
        return selectors.entries_for(self.request.user)

    @extend_schema(request=ArrivalSerializer, responses={200: ProjectFundSerializer})
    @action(detail=True, methods=["post"])
    def arrival(self, request, pk=None):
        """The day the money arrived at the township, and its account (once)."""
        entry = self.get_object()
        values = self._valid(ArrivalSerializer)
        services.arrival_record(entry=entry, actor=request.user, **values)
        return self._answer(entry)

    @extend_schema(request=FundReasonSerializer, responses={201: ProjectFundSerializer})
    @action(detail=True, methods=["post"])
    def reverse(self, request, pk=None):
        """An assignment made in error reversed for what is left of it; answers the reversal."""
        entry = self.get_object()
        values = self._valid(FundReasonSerializer)
        reversal = services.assignment_reverse(entry=entry, actor=request.user, **values)
        return self._answer(reversal, status.HTTP_201_CREATED)
