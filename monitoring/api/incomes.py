"""/api/v1/incomes/: income records per household, year and assessment, with their flags."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response

from kaiyuan.accounts.capabilities import require
from kaiyuan.common.api import (
    FlagSerializer,
    ModuleViewSet,
    ScopedPrimaryKeyField,
    money,
    require_version,
)
from monitoring.filters import IncomeRecordFilter
from monitoring.models import Household, IncomeRecord
from monitoring.services import incomes

MONEY_FIELDS = IncomeRecord.MONEY_FIELDS


class IncomeRecordSerializer(serializers.ModelSerializer):
    household_number = serializers.CharField(source="household.household_number", read_only=True)
    wage_income = money(read_only=True)
    business_income = money(read_only=True)
    property_income = money(read_only=True)
    transfer_income = money(read_only=True)
    business_expense = money(read_only=True)
    net_income = money(read_only=True)
    per_capita_net_income = money(read_only=True)
    claim_income = money(read_only=True)
    compliant_self_paid = money(read_only=True)

    class Meta:
        model = IncomeRecord
        fields = [
            "id",
            "household",
            "household_number",
            "year",
            "kind",
            *MONEY_FIELDS[:5],
            "net_income",
            "household_size",
            "per_capita_net_income",
            *MONEY_FIELDS[5:],
            "note",
            "recorded_at",
            "version",
        ]
        read_only_fields = fields


class IncomeSavedSerializer(IncomeRecordSerializer):
    """A saved record with the rules it should be reviewed against (MON-INC-4, MON-INC-5)."""

    flags = FlagSerializer(many=True, read_only=True)

    class Meta(IncomeRecordSerializer.Meta):
        fields = [*IncomeRecordSerializer.Meta.fields, "flags"]
        read_only_fields = fields


class IncomeValuesSerializer(serializers.Serializer):
    wage_income = money(required=False)
    business_income = money(required=False)
    property_income = money(required=False)
    transfer_income = money(required=False)
    business_expense = money(required=False)
    claim_income = money(required=False)
    compliant_self_paid = money(required=False)
    household_size = serializers.IntegerField(
        required=False,
        min_value=1,
        help_text=_("Members living together; the household's size when left out."),
    )
    note = serializers.CharField(max_length=200, required=False, allow_blank=True)


class IncomeSaveSerializer(IncomeValuesSerializer):
    """Create, or replace, the record of (household, year, kind). Replacing needs the version
    of the record you loaded."""

    household = ScopedPrimaryKeyField(queryset=Household.objects.all())
    year = serializers.IntegerField(min_value=2000, max_value=2100)
    kind = serializers.ChoiceField(choices=IncomeRecord.Kind.choices)
    version = serializers.IntegerField(
        required=False,
        allow_null=True,
        help_text=_("Required when the record already exists: the version you loaded."),
    )


class IncomeUpdateSerializer(IncomeValuesSerializer):
    version = serializers.IntegerField()

    def validate(self, attrs):
        require_version(attrs)
        return attrs


def incomes_money_fields() -> tuple[str, ...]:
    return IncomeRecord.MONEY_FIELDS


@extend_schema(tags=["monitoring"])
class IncomeRecordViewSet(ModuleViewSet):
    """Income and expenditure records. POST creates the record of (household, year, kind), or
    replaces it when it exists and the version you loaded is sent; PATCH changes some amounts.
    Net and per-capita income are computed (MON-INC-1/2), never sent."""

    module = "monitoring"
    queryset = IncomeRecord.objects.select_related("household")
    filterset_class = IncomeRecordFilter

    def get_serializer_class(self):
        return {
            "create": IncomeSaveSerializer,
            "partial_update": IncomeUpdateSerializer,
        }.get(self.action, IncomeRecordSerializer)

    def _saved(self, record: IncomeRecord, flags, code: int) -> Response:
        fresh = self.get_queryset().get(pk=record.pk)
        fresh.flags = [{"rule": f.rule, "field": f.field, "message": f.message} for f in flags]
        return Response(IncomeSavedSerializer(fresh).data, status=code)

    @extend_schema(
        request=IncomeSaveSerializer,
        responses={201: IncomeSavedSerializer, 200: IncomeSavedSerializer},
    )
    def create(self, request, *args, **kwargs):
        require(request.user, "households.edit")
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        household, year, kind = data.pop("household"), data.pop("year"), data.pop("kind")
        household_size = data.pop("household_size", None)
        note = data.pop("note", "")
        version = data.pop("version", None)
        existed = IncomeRecord.objects.filter(household=household, year=year, kind=kind).exists()
        record, flags = incomes.income_record_save(
            household=household,
            actor=request.user,
            year=year,
            kind=kind,
            values=data,
            household_size=household_size,
            note=note,
            expected_version=version,
        )
        return self._saved(
            record, flags, status.HTTP_200_OK if existed else status.HTTP_201_CREATED
        )

    @extend_schema(request=IncomeUpdateSerializer, responses={200: IncomeSavedSerializer})
    def partial_update(self, request, *args, **kwargs):
        require(request.user, "households.edit")
        record = self.get_object()
        serializer = self.get_serializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        values = {name: getattr(record, name) for name in incomes_money_fields()}
        values.update({k: v for k, v in data.items() if k in values})
        record, flags = incomes.income_record_save(
            household=record.household,
            actor=request.user,
            year=record.year,
            kind=record.kind,
            values=values,
            household_size=data.get("household_size", record.household_size),
            note=data.get("note", record.note),
            expected_version=data["version"],
        )
        return self._saved(record, flags, status.HTTP_200_OK)
