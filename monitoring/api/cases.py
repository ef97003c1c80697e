"""/api/v1/leads/ and /api/v1/cases/: risk leads, identification and elimination cases.

Transitions are POST sub-resources of a case (``/cases/{id}/township-review/``), each one call of
the same service the pages use; refusals come back as 400 with ``code`` and a Chinese ``detail``,
a case that moved meanwhile as 409.
"""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.response import Response

from kaiyuan.common.api import READ_AND_POST, FlagSerializer, ModuleViewSet, ScopedPrimaryKeyField
from monitoring.models import Household, MonitoringCase, RiskLead
from monitoring.models.households import GuaranteeAnswers
from monitoring.services import cases as case_services


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
        read_only_fields = fields  # leads are created through LeadCreateSerializer


class LeadCreateSerializer(serializers.Serializer):
    household = ScopedPrimaryKeyField(queryset=Household.objects.all())
    description = serializers.CharField(max_length=300)
    source = serializers.ChoiceField(
        choices=[RiskLead.Source.SELF_APPLICATION, RiskLead.Source.VISIT]
    )
    received_on = serializers.DateField(required=False)


class ReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=300)


# =============================================================================================
# Cases
# =============================================================================================


class CaseOpenSerializer(serializers.Serializer):
    household = ScopedPrimaryKeyField(queryset=Household.objects.all())
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


GUARANTEES = GuaranteeAnswers.GUARANTEE_FIELDS


@extend_schema(tags=["monitoring"])
class LeadViewSet(ModuleViewSet):
    """Risk leads of the user's area (a household's own application, a visit's finding, a
    department warning confirmed as a risk)."""

    module = "monitoring"
    http_method_names = READ_AND_POST
    queryset = RiskLead.objects.select_related("household", "area")
    serializer_class = LeadSerializer
    filterset_fields = ["status", "source", "overdue", "household"]

    @extend_schema(request=LeadCreateSerializer, responses={201: LeadSerializer})
    def create(self, request, *args, **kwargs):
        data = LeadCreateSerializer(data=request.data, context=self.get_serializer_context())
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        household = values.pop("household")
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


@extend_schema(tags=["monitoring"])
class CaseViewSet(ModuleViewSet):
    """Identification and elimination cases; each step is a POST to a sub-resource."""

    module = "monitoring"
    http_method_names = READ_AND_POST
    queryset = MonitoringCase.objects.select_related("household", "area")
    serializer_class = CaseSerializer
    filterset_fields = ["kind", "status", "overdue", "household"]

    def _result(self, case, flags=()):
        case.refresh_from_db()
        return Response(StepResultSerializer(case, context={"flags": list(flags)}).data)

    def _valid(self, serializer_class):
        data = serializer_class(data=self.request.data, context=self.get_serializer_context())
        data.is_valid(raise_exception=True)
        return dict(data.validated_data)

    @extend_schema(request=CaseOpenSerializer, responses={201: CaseSerializer})
    def create(self, request, *args, **kwargs):
        values = self._valid(CaseOpenSerializer)
        household = values["household"]
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
