"""The API of monitoring part 2: /api/v1/leads/, /warnings/, /cases/ and /measures/.

Transitions are POST sub-resources of a case (``/cases/{id}/township-review/``), each one call of
the same service the pages use; refusals come back as 400 with ``code`` and a Chinese ``detail``,
a case that moved meanwhile as 409.
"""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from kaiyuan.common.api import ScopedModelViewSet
from monitoring.api.views import FilterBackend, MonitoringModulePermission
from monitoring.models import (
    AssistanceMeasure,
    DeptWarning,
    Household,
    MonitoringCase,
    RiskLead,
)
from monitoring.services import cases as case_services
from monitoring.services import measures as measure_services

READ_AND_POST = ["get", "post", "head", "options"]


class PartTwoViewSet(ScopedModelViewSet):
    filter_backends = [FilterBackend]
    http_method_names = READ_AND_POST

    def get_permissions(self):
        return [*super().get_permissions(), MonitoringModulePermission()]

    def household_for_write(self, pk) -> Household:
        household = get_object_or_404(Household.objects.visible_to(self.request.user), pk=pk)
        if (
            not Household.objects.visible_to(self.request.user, action="change")
            .filter(pk=household.pk)
            .exists()
        ):
            raise PermissionDenied
        return household


class FlagSerializer(serializers.Serializer):
    rule = serializers.CharField()
    field = serializers.CharField()
    message = serializers.CharField()


class CaseSerializer(serializers.ModelSerializer):
    household_number = serializers.CharField(source="household.household_number", read_only=True)
    village_code = serializers.CharField(source="area.code", read_only=True)
    risks = serializers.ListField(child=serializers.CharField(), read_only=True)

    class Meta:
        model = MonitoringCase
        fields = [
            "id",
            "kind",
            "household",
            "household_number",
            "village_code",
            "lead",
            "status",
            "category",
            "risks",
            "elimination_mode",
            "application_date",
            "deadline",
            "overdue",
            "verifiers",
            "publicity_start",
            "publicity_end",
            "objections",
            "announced_on",
            "opened_at",
            "version",
        ]
        read_only_fields = fields


# =============================================================================================
# Leads
# =============================================================================================


class LeadSerializer(serializers.ModelSerializer):
    household_number = serializers.CharField(source="household.household_number", read_only=True)
    village_code = serializers.CharField(source="area.code", read_only=True)

    class Meta:
        model = RiskLead
        fields = [
            "id",
            "household",
            "household_number",
            "village_code",
            "source",
            "description",
            "status",
            "deadline",
            "overdue",
            "created_at",
        ]
        read_only_fields = ["status", "deadline", "overdue", "created_at"]


class LeadCreateSerializer(serializers.Serializer):
    household = serializers.IntegerField()
    description = serializers.CharField(max_length=300)
    source = serializers.ChoiceField(
        choices=[RiskLead.Source.SELF_APPLICATION, RiskLead.Source.VISIT]
    )
    received_on = serializers.DateField(required=False)


class ReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=300)


@extend_schema(tags=["monitoring"])
class LeadViewSet(PartTwoViewSet):
    """Risk leads of the user's area (a household's own application, a visit's finding, a
    department warning confirmed as a risk)."""

    queryset = RiskLead.objects.select_related("household", "area")
    serializer_class = LeadSerializer
    filterset_fields = ["status", "source", "overdue", "household"]

    @extend_schema(request=LeadCreateSerializer, responses={201: LeadSerializer})
    def create(self, request, *args, **kwargs):
        data = LeadCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        household = self.household_for_write(values.pop("household"))
        lead = case_services.lead_create(household=household, actor=request.user, **values)
        return Response(LeadSerializer(lead).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=ReasonSerializer, responses={200: LeadSerializer})
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        lead = self.get_object()
        data = ReasonSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        lead = case_services.lead_close_no_risk(
            lead=lead, actor=request.user, reason=data.validated_data["reason"]
        )
        return Response(LeadSerializer(lead).data)

    @extend_schema(request=None, responses={201: CaseSerializer})
    @action(detail=True, methods=["post"], url_path="open-case")
    def open_case(self, request, pk=None):
        lead = self.get_object()
        case = case_services.case_open_identification(
            household=lead.household, actor=request.user, lead=lead
        )
        return Response(CaseSerializer(case).data, status=status.HTTP_201_CREATED)


# =============================================================================================
# Department warnings
# =============================================================================================


class WarningSerializer(serializers.ModelSerializer):
    household_number = serializers.CharField(source="household.household_number", read_only=True)
    village_code = serializers.CharField(source="area.code", read_only=True)
    id_number_masked = serializers.CharField(source="member.id_masked", read_only=True)

    class Meta:
        model = DeptWarning
        fields = [
            "id",
            "department",
            "household",
            "household_number",
            "village_code",
            "listed_name",
            "id_number_masked",
            "warning_type",
            "indicator",
            "warned_on",
            "deadline",
            "overdue",
            "result",
            "verified_at",
            "note",
            "lead",
            "version",
        ]


class WarningVerifySerializer(serializers.Serializer):
    result = serializers.ChoiceField(
        choices=[
            DeptWarning.Result.RISK,
            DeptWarning.Result.NO_RISK,
            DeptWarning.Result.ALREADY_MONITORED,
        ]
    )
    note = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")
    version = serializers.IntegerField()


@extend_schema(tags=["monitoring"])
class WarningViewSet(PartTwoViewSet):
    """Department warnings routed to the user's area; a department sees its own warnings."""

    queryset = DeptWarning.objects.select_related("household", "area", "member")
    serializer_class = WarningSerializer
    filterset_fields = ["department", "result", "overdue", "household"]
    http_method_names = ["get", "post", "head", "options"]

    def get_queryset(self):
        queryset = super().get_queryset()
        if self.request.user.role == "department":
            queryset = queryset.filter(department=self.request.user.department)
        return queryset

    def create(self, request, *args, **kwargs):
        raise PermissionDenied  # warnings come from uploaded screening lists only

    @extend_schema(request=WarningVerifySerializer, responses={200: WarningSerializer})
    @action(detail=True, methods=["post"])
    def verify(self, request, pk=None):
        from monitoring.services.warnings import warning_verify

        warning = self.get_object()
        data = WarningVerifySerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        warning_verify(
            warning=warning,
            actor=request.user,
            result=values["result"],
            note=values["note"],
            expected_version=values["version"],
        )
        warning.refresh_from_db()
        return Response(WarningSerializer(warning).data)


# =============================================================================================
# Cases
# =============================================================================================


class CaseOpenSerializer(serializers.Serializer):
    household = serializers.IntegerField()
    kind = serializers.ChoiceField(choices=MonitoringCase.Kind.choices)
    elimination_mode = serializers.CharField(required=False, allow_blank=True, default="")
    reason = serializers.CharField(required=False, allow_blank=True, default="")


class VersionSerializer(serializers.Serializer):
    version = serializers.IntegerField()


class ApplicationSerializer(VersionSerializer):
    application_date = serializers.DateField()
    authorisation = serializers.FileField(required=False)
    category = serializers.CharField()
    risks = serializers.ListField(child=serializers.CharField(), max_length=10)
    disaster_subitem = serializers.CharField(required=False, allow_blank=True, default="")
    income_unstable_reason = serializers.CharField(required=False, allow_blank=True, default="")
    child_out_of_school = serializers.BooleanField()
    housing_unsafe = serializers.BooleanField()
    member_uninsured = serializers.BooleanField()
    water_unsafe = serializers.BooleanField()


class CrosscheckSerializer(VersionSerializer):
    result = serializers.CharField(max_length=1000)


class VerificationSerializer(VersionSerializer):
    verifiers = serializers.ListField(child=serializers.CharField(max_length=64))
    verified_on = serializers.DateField()
    findings = serializers.CharField(required=False, allow_blank=True, default="")
    form = serializers.FileField(required=False)


class AppraisalSerializer(VersionSerializer):
    eligible = serializers.BooleanField()
    appraisal_on = serializers.DateField()
    reason = serializers.CharField(required=False, allow_blank=True, default="")
    minutes = serializers.FileField(required=False)


class ObjectionSerializer(serializers.Serializer):
    text = serializers.CharField(max_length=500)


class PublicityCloseSerializer(VersionSerializer):
    objection_upheld = serializers.BooleanField()
    reason = serializers.CharField(required=False, allow_blank=True, default="")


class ReviewSerializer(VersionSerializer):
    passed = serializers.BooleanField()
    reason = serializers.CharField(required=False, allow_blank=True, default="")


class DecisionSerializer(VersionSerializer):
    approved = serializers.BooleanField()
    reason = serializers.CharField(required=False, allow_blank=True, default="")


class IndicatorsSerializer(serializers.Serializer):
    wage_income = serializers.DecimalField(max_digits=12, decimal_places=2, min_value=0)
    business_income = serializers.DecimalField(max_digits=12, decimal_places=2, min_value=0)
    property_income = serializers.DecimalField(max_digits=12, decimal_places=2, min_value=0)
    transfer_income = serializers.DecimalField(max_digits=12, decimal_places=2, min_value=0)
    business_expense = serializers.DecimalField(max_digits=12, decimal_places=2, min_value=0)
    claim_income = serializers.DecimalField(max_digits=12, decimal_places=2, min_value=0, default=0)
    compliant_self_paid = serializers.DecimalField(
        max_digits=12, decimal_places=2, min_value=0, default=0
    )
    child_out_of_school = serializers.BooleanField()
    housing_unsafe = serializers.BooleanField()
    member_uninsured = serializers.BooleanField()
    water_unsafe = serializers.BooleanField()


class StepResultSerializer(CaseSerializer):
    flags = serializers.SerializerMethodField()

    class Meta(CaseSerializer.Meta):
        fields = [*CaseSerializer.Meta.fields, "flags"]
        read_only_fields = fields

    def get_flags(self, case) -> list[dict]:
        return [FlagSerializer(flag).data for flag in self.context.get("flags", [])]


GUARANTEES = ("child_out_of_school", "housing_unsafe", "member_uninsured", "water_unsafe")


@extend_schema(tags=["monitoring"])
class CaseViewSet(PartTwoViewSet):
    """Identification and elimination cases; each step is a POST to a sub-resource."""

    queryset = MonitoringCase.objects.select_related("household", "area")
    serializer_class = CaseSerializer
    filterset_fields = ["kind", "status", "overdue", "household"]

    def _result(self, case, flags=()):
        case.refresh_from_db()
        return Response(StepResultSerializer(case, context={"flags": list(flags)}).data)

    def _valid(self, serializer_class):
        data = serializer_class(data=self.request.data)
        data.is_valid(raise_exception=True)
        return dict(data.validated_data)

    @extend_schema(request=CaseOpenSerializer, responses={201: CaseSerializer})
    def create(self, request, *args, **kwargs):
        values = self._valid(CaseOpenSerializer)
        household = self.household_for_write(values["household"])
        if values["kind"] == MonitoringCase.Kind.IDENTIFICATION:
            case = case_services.case_open_identification(
                household=household, actor=request.user, note=values["reason"]
            )
        else:
            case = case_services.case_open_elimination(
                household=household,
                actor=request.user,
                mode=values["elimination_mode"],
                reason=values["reason"],
            )
        return Response(CaseSerializer(case).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=ApplicationSerializer, responses={200: StepResultSerializer})
    @action(detail=True, methods=["post"], url_path="submit-application")
    def submit_application(self, request, pk=None):
        values = self._valid(ApplicationSerializer)
        case, flags = case_services.case_submit_application(
            case=self.get_object(),
            actor=request.user,
            application_date=values["application_date"],
            authorisation=values.get("authorisation"),
            category=values["category"],
            risks=values["risks"],
            disaster_subitem=values["disaster_subitem"],
            income_unstable_reason=values["income_unstable_reason"],
            guarantees={name: values[name] for name in GUARANTEES},
            expected_version=values["version"],
        )
        return self._result(case, flags)

    @extend_schema(request=CrosscheckSerializer, responses={200: StepResultSerializer})
    @action(detail=True, methods=["post"])
    def crosscheck(self, request, pk=None):
        values = self._valid(CrosscheckSerializer)
        case = case_services.case_record_crosscheck(
            case=self.get_object(),
            actor=request.user,
            result=values["result"],
            expected_version=values["version"],
        )
        return self._result(case)

    @extend_schema(request=IndicatorsSerializer, responses={200: StepResultSerializer})
    @action(detail=True, methods=["post"], url_path="elimination-indicators")
    def elimination_indicators(self, request, pk=None):
        values = self._valid(IndicatorsSerializer)
        case = self.get_object()
        flags = case_services.case_record_elimination_indicators(
            case=case,
            actor=request.user,
            guarantees={name: values.pop(name) for name in GUARANTEES},
            income=values,
        )
        return self._result(case, flags)

    @extend_schema(request=VerificationSerializer, responses={200: StepResultSerializer})
    @action(detail=True, methods=["post"])
    def verify(self, request, pk=None):
        values = self._valid(VerificationSerializer)
        case = case_services.case_complete_verification(
            case=self.get_object(),
            actor=request.user,
            verifiers=values["verifiers"],
            verified_on=values["verified_on"],
            findings=values["findings"],
            form=values.get("form"),
            expected_version=values["version"],
        )
        return self._result(case)

    @extend_schema(request=AppraisalSerializer, responses={200: StepResultSerializer})
    @action(detail=True, methods=["post"])
    def appraise(self, request, pk=None):
        values = self._valid(AppraisalSerializer)
        case = case_services.case_appraise(
            case=self.get_object(),
            actor=request.user,
            eligible=values["eligible"],
            appraisal_on=values["appraisal_on"],
            reason=values["reason"],
            minutes=values.get("minutes"),
            expected_version=values["version"],
        )
        return self._result(case)

    @extend_schema(request=ObjectionSerializer, responses={200: StepResultSerializer})
    @action(detail=True, methods=["post"])
    def objection(self, request, pk=None):
        values = self._valid(ObjectionSerializer)
        case = case_services.case_record_objection(
            case=self.get_object(), actor=request.user, text=values["text"]
        )
        return self._result(case)

    @extend_schema(request=PublicityCloseSerializer, responses={200: StepResultSerializer})
    @action(detail=True, methods=["post"], url_path="close-publicity")
    def close_publicity(self, request, pk=None):
        values = self._valid(PublicityCloseSerializer)
        case = case_services.case_close_publicity(
            case=self.get_object(),
            actor=request.user,
            objection_upheld=values["objection_upheld"],
            reason=values["reason"],
            expected_version=values["version"],
        )
        return self._result(case)

    @extend_schema(request=ReviewSerializer, responses={200: StepResultSerializer})
    @action(detail=True, methods=["post"], url_path="township-review")
    def township_review(self, request, pk=None):
        values = self._valid(ReviewSerializer)
        case = case_services.case_township_review(
            case=self.get_object(),
            actor=request.user,
            passed=values["passed"],
            reason=values["reason"],
            expected_version=values["version"],
        )
        return self._result(case)

    @extend_schema(request=DecisionSerializer, responses={200: StepResultSerializer})
    @action(detail=True, methods=["post"], url_path="county-decide")
    def county_decide(self, request, pk=None):
        values = self._valid(DecisionSerializer)
        case, flags = case_services.case_county_decide(
            case=self.get_object(),
            actor=request.user,
            approved=values["approved"],
            reason=values["reason"],
            expected_version=values["version"],
        )
        return self._result(case, flags)


# =============================================================================================
# Measures
# =============================================================================================


class MeasureSerializer(serializers.ModelSerializer):
    amount = serializers.DecimalField(
        max_digits=12, decimal_places=2, allow_null=True, required=False, coerce_to_string=True
    )

    class Meta:
        model = AssistanceMeasure
        fields = [
            "id",
            "household",
            "year",
            "group",
            "subtype",
            "description",
            "department",
            "amount",
            "start_date",
            "status",
            "version",
        ]
        read_only_fields = ["version"]


class MeasureStatusSerializer(VersionSerializer):
    status = serializers.ChoiceField(choices=AssistanceMeasure.Status.choices)


@extend_schema(tags=["monitoring"])
class MeasureViewSet(PartTwoViewSet):
    """Assistance measures of households in the user's area."""

    queryset = AssistanceMeasure.objects.select_related("household")
    serializer_class = MeasureSerializer
    filterset_fields = ["household", "year", "group", "status"]

    @extend_schema(request=MeasureSerializer, responses={201: MeasureSerializer})
    def create(self, request, *args, **kwargs):
        data = MeasureSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        household = self.household_for_write(values.pop("household").pk)
        measure = measure_services.measure_create(household=household, actor=request.user, **values)
        return Response(MeasureSerializer(measure).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=MeasureStatusSerializer, responses={200: MeasureSerializer})
    @action(detail=True, methods=["post"], url_path="status")
    def set_status(self, request, pk=None):
        data = MeasureStatusSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        measure = measure_services.measure_set_status(
            measure=self.get_object(),
            actor=request.user,
            status=data.validated_data["status"],
            expected_version=data.validated_data["version"],
        )
        return Response(MeasureSerializer(measure).data)
