"""/api/v1/households/: households (户) of the user's area. Querysets pass through ``visible_to``
(404 for another area's rows), read-only roles get 403 on writes, only the roles that keep the
registry change it, and every write is one service call whose refusals come back as 400
``{"code", "detail", "field"}`` (409 for a stale version)."""

from __future__ import annotations

from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response

from kaiyuan.accounts.capabilities import require
from kaiyuan.areas.models import Area, Grid
from kaiyuan.common.api import (
    ModuleViewSet,
    ScopedPrimaryKeyField,
    ScopedSlugField,
    money,
    require_version,
)
from monitoring.api.members import (
    MemberFieldsSerializer,
    MemberSummarySerializer,
)
from monitoring.filters import HouseholdFilter
from monitoring.models import (
    Household,
    Member,
)
from monitoring.services import households as household_services
from monitoring.services.households import HOUSEHOLD_EDITABLE
from monitoring.services.members import MEMBER_EDITABLE


class HeadSerializer(MemberFieldsSerializer):
    """The head sent with a new household; the relation is always 户主."""

    class Meta(MemberFieldsSerializer.Meta):
        fields = [name for name in MEMBER_EDITABLE if name != "relation"]
        extra_kwargs = {
            **MemberFieldsSerializer.Meta.extra_kwargs,
            "name": {"required": True},
            "health": {"required": True},
            "labour_skill": {"required": True},
        }


class HouseholdSerializer(serializers.ModelSerializer):
    """A household in lists: its place, type, monitoring state and latest per-capita income."""

    village_code = serializers.CharField(source="area.code", read_only=True)
    village_name = serializers.CharField(source="area.name", read_only=True)
    township_name = serializers.CharField(source="area.parent.name", read_only=True, default="")
    group_code = serializers.CharField(source="group.code", read_only=True, default=None)
    grid_name = serializers.CharField(source="grid.name", read_only=True, default=None)
    risks = serializers.ListField(child=serializers.CharField(), read_only=True)
    per_capita_income = money(read_only=True, allow_null=True)

    class Meta:
        model = Household
        fields = [
            "id",
            "household_number",
            "village_code",
            "village_name",
            "township_name",
            "group_code",
            "grid",
            "grid_name",
            "natural_village",
            "head_name",
            "address",
            "phone",
            "household_type",
            "exited_attribute",
            "household_size",
            "flagged_for_attention",
            "monitoring_status",
            "monitoring_category",
            "risks",
            "per_capita_income",
            "income_year",
            "merged_into",
            "version",
            "updated_at",
        ]
        read_only_fields = fields


class HouseholdDetailSerializer(HouseholdSerializer):
    """One household with the fields of its basic record and a summary of its members."""

    members = MemberSummarySerializer(many=True, read_only=True)

    class Meta(HouseholdSerializer.Meta):
        fields = [
            *HouseholdSerializer.Meta.fields,
            "military_family",
            "in_relocation_site",
            "relocation_site_address",
            "whole_household_no_labour",
            "poverty_cause",
            "disaster_subitem",
            "disaster_note",
            "first_identified_on",
            "risk_identified_on",
            "risk_eliminated_on",
            "elimination_mode",
            "development_measures",
            "monitoring_contact",
            "monitoring_contact_phone",
            "helper_name",
            "helper_unit",
            "helper_phone",
            "dangerous_house",
            "safe_drinking_water",
            "members",
        ]
        read_only_fields = fields


class HouseholdFieldsSerializer(serializers.ModelSerializer):
    """The editable household fields (HOUSEHOLD_EDITABLE), shape-checked only."""

    group = ScopedSlugField(
        slug_field="code",
        queryset=Area.objects.filter(level=Area.Level.GROUP),
        required=False,
        allow_null=True,
        help_text=_("The villager group's division code."),
    )
    grid = ScopedPrimaryKeyField(queryset=Grid.objects.all(), required=False, allow_null=True)

    class Meta:
        model = Household
        fields = list(HOUSEHOLD_EDITABLE)


class HouseholdCreateSerializer(HouseholdFieldsSerializer):
    """A new household and its head in one call (a household always has exactly one head)."""

    household_number = serializers.CharField(max_length=32)
    area = ScopedSlugField(
        slug_field="code",
        queryset=Area.objects.filter(level=Area.Level.VILLAGE),
        help_text=_("The administrative village's division code."),
    )
    head = HeadSerializer()
    head_id_number = serializers.CharField(max_length=22)

    class Meta(HouseholdFieldsSerializer.Meta):
        fields = [
            "household_number",
            "area",
            "head",
            "head_id_number",
            *HOUSEHOLD_EDITABLE,
        ]
        extra_kwargs = {"household_type": {"required": True}}


class HouseholdUpdateSerializer(HouseholdFieldsSerializer):
    version = serializers.IntegerField(
        help_text=_("The version you loaded; a newer saved version answers 409.")
    )

    class Meta(HouseholdFieldsSerializer.Meta):
        fields = ["version", *HOUSEHOLD_EDITABLE]

    def validate(self, attrs):
        require_version(attrs)
        return attrs


@extend_schema(tags=["monitoring"])
class HouseholdViewSet(ModuleViewSet):
    """Households (户) of the user's area: list with filters, detail with members, create with
    the head, and edits that must carry the version the user loaded."""

    module = "monitoring"
    queryset = Household.objects.select_related("area", "area__parent", "group", "grid")
    filterset_class = HouseholdFilter

    def get_queryset(self):
        queryset = super().get_queryset()
        if self.action == "retrieve":
            queryset = queryset.prefetch_related(
                Prefetch("members", queryset=Member.objects.order_by("status", "id"))
            )
        return queryset

    def get_serializer_class(self):
        return {
            "retrieve": HouseholdDetailSerializer,
            "create": HouseholdCreateSerializer,
            "partial_update": HouseholdUpdateSerializer,
        }.get(self.action, HouseholdSerializer)

    def _detail(self, household: Household) -> dict:
        fresh = self.get_queryset().prefetch_related(
            Prefetch("members", queryset=Member.objects.order_by("status", "id"))
        )
        return HouseholdDetailSerializer(
            fresh.get(pk=household.pk), context=self.get_serializer_context()
        ).data

    @extend_schema(request=HouseholdCreateSerializer, responses={201: HouseholdDetailSerializer})
    def create(self, request, *args, **kwargs):
        require(request.user, "households.edit")
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        household = household_services.household_create(
            actor=request.user,
            area=data.pop("area"),
            household_number=data.pop("household_number"),
            head=dict(data.pop("head")),
            id_number=data.pop("head_id_number"),
            **data,
        )
        return Response(self._detail(household), status=status.HTTP_201_CREATED)

    @extend_schema(request=HouseholdUpdateSerializer, responses={200: HouseholdDetailSerializer})
    def partial_update(self, request, *args, **kwargs):
        require(request.user, "households.edit")
        household = self.get_object()
        serializer = self.get_serializer(household, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        changes = dict(serializer.validated_data)
        version = changes.pop("version")
        household = household_services.household_update(
            household=household, actor=request.user, expected_version=version, changes=changes
        )
        return Response(self._detail(household))
