"""Serializers of the monitoring API. Output serializers shape rows for reading; input serializers
only check the shape of what was sent ("400-type" errors). Writes are made by the services, never
by ``serializer.save()``; the domain rules answer there, with a code and a Chinese message."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from kaiyuan.areas.models import Area, Grid
from monitoring.models import Household, IncomeRecord, Member, Visit
from monitoring.services.households import HOUSEHOLD_EDITABLE
from monitoring.services.members import ADD_KINDS, MEMBER_EDITABLE, REMOVE_KINDS


def money(**kwargs) -> serializers.DecimalField:
    """Yuan with two places, as a string ("8500.00"): never a float."""
    return serializers.DecimalField(
        max_digits=12, decimal_places=2, coerce_to_string=True, **kwargs
    )


def kind_choices(kinds) -> list[tuple[str, str]]:
    return [(kind.value, kind.label) for kind in kinds]


class ScopedRelatedMixin:
    """Related fields whose choices are limited to what the requesting user may see, so that an
    id from another township is answered like a missing one."""

    def get_queryset(self):
        queryset = super().get_queryset()
        request = self.context.get("request")
        user = getattr(request, "user", None)
        return queryset.visible_to(user)


class ScopedPrimaryKeyField(ScopedRelatedMixin, serializers.PrimaryKeyRelatedField):
    pass


class ScopedSlugField(ScopedRelatedMixin, serializers.SlugRelatedField):
    pass


def require_version(attrs: dict) -> None:
    if attrs.get("version") is None:
        raise serializers.ValidationError(
            {"version": _("Send the version of the record you loaded.")}
        )


# =============================================================================================
# Members
# =============================================================================================


class MemberSummarySerializer(serializers.ModelSerializer):
    id_number_masked = serializers.CharField(source="id_masked", read_only=True)

    class Meta:
        model = Member
        fields = ["id", "name", "relation", "sex", "birth_date", "id_number_masked", "status"]


class MemberSerializer(serializers.ModelSerializer):
    """A member as lists and details show it: the ID number only masked (the full number comes
    from POST /members/{id}/reveal-id/, audited)."""

    household_number = serializers.CharField(source="household.household_number", read_only=True)
    id_number_masked = serializers.CharField(source="id_masked", read_only=True)

    class Meta:
        model = Member
        fields = [
            "id",
            "household",
            "household_number",
            "person_number",
            "name",
            "sex",
            "birth_date",
            "id_type",
            "id_number_masked",
            *[name for name in MEMBER_EDITABLE if name not in ("person_number", "name", "id_type")],
            "status",
            "removed_on",
            "removal_reason",
            "version",
            "updated_at",
        ]
        read_only_fields = fields


class MemberFieldsSerializer(serializers.ModelSerializer):
    """The editable member fields (MEMBER_EDITABLE), shape-checked only."""

    class Meta:
        model = Member
        fields = list(MEMBER_EDITABLE)
        extra_kwargs = {
            # Uniqueness and every other rule are the service's to answer (with a rule code).
            "person_number": {"validators": []},
        }


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


class MemberCreateSerializer(MemberFieldsSerializer):
    household = ScopedPrimaryKeyField(queryset=Household.objects.all())
    kind = serializers.ChoiceField(choices=kind_choices(ADD_KINDS))
    happened_on = serializers.DateField()
    reason = serializers.CharField(max_length=200)
    id_number = serializers.CharField(max_length=22)
    certificate = serializers.CharField(max_length=22, required=False, allow_blank=True)

    class Meta(MemberFieldsSerializer.Meta):
        fields = [
            "household",
            "kind",
            "happened_on",
            "reason",
            "id_number",
            "certificate",
            *MEMBER_EDITABLE,
        ]
        extra_kwargs = {
            **MemberFieldsSerializer.Meta.extra_kwargs,
            "name": {"required": True},
            "relation": {"required": True},
            "health": {"required": True},
            "labour_skill": {"required": True},
        }


class MemberUpdateSerializer(MemberFieldsSerializer):
    version = serializers.IntegerField()
    id_number = serializers.CharField(max_length=22, required=False)
    certificate = serializers.CharField(max_length=22, required=False, allow_blank=True)

    class Meta(MemberFieldsSerializer.Meta):
        fields = ["version", "id_number", "certificate", *MEMBER_EDITABLE]

    def validate(self, attrs):
        require_version(attrs)
        return attrs


class MemberRemoveSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=kind_choices(REMOVE_KINDS))
    happened_on = serializers.DateField()
    reason = serializers.CharField(max_length=200)


class RevealedIdSerializer(serializers.Serializer):
    id_number = serializers.CharField(read_only=True)


# =============================================================================================
# Households
# =============================================================================================


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


# =============================================================================================
# Incomes
# =============================================================================================

MONEY_FIELDS = (
    "wage_income",
    "business_income",
    "property_income",
    "transfer_income",
    "business_expense",
    "claim_income",
    "compliant_self_paid",
)


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


class FlagSerializer(serializers.Serializer):
    rule = serializers.CharField()
    field = serializers.CharField()
    message = serializers.CharField()


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


# =============================================================================================
# Visits
# =============================================================================================


class VisitSerializer(serializers.ModelSerializer):
    household_number = serializers.CharField(source="household.household_number", read_only=True)
    village_code = serializers.CharField(source="area.code", read_only=True)
    visitor_name = serializers.SerializerMethodField()

    class Meta:
        model = Visit
        fields = [
            "id",
            "household",
            "household_number",
            "village_code",
            "visitor",
            "visitor_name",
            "level",
            "visited_on",
            "method",
            *Visit.GUARANTEE_FIELDS,
            "income_change",
            "new_risk",
            "risk_note",
            "no_change",
            "note",
            "photo",
            "created_at",
        ]
        read_only_fields = fields

    def get_visitor_name(self, visit: Visit) -> str:
        return visit.visitor.get_full_name() or visit.visitor.get_username()


class VisitCreateSerializer(serializers.Serializer):
    """A visit as the visitor records it: the four 三保障/water questions must be answered
    (True = a problem was found)."""

    household = ScopedPrimaryKeyField(queryset=Household.objects.all())
    visited_on = serializers.DateField()
    method = serializers.ChoiceField(choices=Visit.Method.choices)
    child_out_of_school = serializers.BooleanField()
    housing_unsafe = serializers.BooleanField()
    member_uninsured = serializers.BooleanField()
    water_unsafe = serializers.BooleanField()
    income_change = serializers.ChoiceField(
        choices=Visit.IncomeChange.choices, default=Visit.IncomeChange.NONE
    )
    new_risk = serializers.BooleanField(default=False)
    risk_note = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    no_change = serializers.BooleanField(default=False)
    note = serializers.CharField(required=False, allow_blank=True, default="")
    photo = serializers.ImageField(required=False, allow_null=True, default=None)
