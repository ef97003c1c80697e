"""/api/v1/progress-reports/ and /api/v1/acceptances/: what happened after the funded plan.

They are read here; they are written as steps of their project (``POST /projects/{id}/progress/``,
``/acceptance/``, in ``projects.api.projects``), with the input serializers below.
"""

from __future__ import annotations

from decimal import Decimal

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers

from kaiyuan.common.api import ModuleReadOnlyViewSet
from projects.codes import AcceptanceResult, OperatingMode
from projects.filters import AcceptanceFilter, ProgressReportFilter
from projects.models import Acceptance, MaintenanceArrangement, ProgressReport

PERCENT = {"max_digits": 5, "decimal_places": 2, "coerce_to_string": True}


def amount(**kwargs) -> serializers.DecimalField:
    """Yuan with two places, as a string, up to the project's 14 digits (never a float)."""
    return serializers.DecimalField(
        max_digits=14, decimal_places=2, coerce_to_string=True, **kwargs
    )


# =============================================================================================
# Read
# =============================================================================================


class ProgressReportSerializer(serializers.ModelSerializer):
    project_code = serializers.CharField(source="project.code", read_only=True)
    percent = serializers.DecimalField(read_only=True, **PERCENT)

    class Meta:
        model = ProgressReport
        fields = ["id", "project", "project_code", "reported_on", "percent", "text", "created_at"]
        read_only_fields = fields


class AcceptanceSerializer(serializers.ModelSerializer):
    project_code = serializers.CharField(source="project.code", read_only=True)
    passed = serializers.BooleanField(read_only=True)

    class Meta:
        model = Acceptance
        fields = [
            "id",
            "project",
            "project_code",
            "accepted_on",
            "result",
            "passed",
            "findings",
            "inspectors",
            "created_at",
        ]
        read_only_fields = fields


class MaintenanceSerializer(serializers.ModelSerializer):
    """Who maintains a project, with what responsibility, how and from what money."""

    class Meta:
        model = MaintenanceArrangement
        fields = ["maintainer", "responsibility", "method", "funding_source"]


@extend_schema(tags=["projects"])
class ProgressReportViewSet(ModuleReadOnlyViewSet):
    """Progress reports of the projects the user sees, oldest first per project."""

    module = "projects"
    http_method_names = ["get", "head", "options"]
    queryset = ProgressReport.objects.select_related("project")
    serializer_class = ProgressReportSerializer
    filterset_class = ProgressReportFilter


@extend_schema(tags=["projects"])
class AcceptanceViewSet(ModuleReadOnlyViewSet):
    """Completion acceptances (验收, organised by the bureau) of the projects the user sees."""

    module = "projects"
    http_method_names = ["get", "head", "options"]
    queryset = Acceptance.objects.select_related("project")
    serializer_class = AcceptanceSerializer
    filterset_class = AcceptanceFilter


# =============================================================================================
# Input of the project's implementation steps
# =============================================================================================


class StartSerializer(serializers.Serializer):
    version = serializers.IntegerField()
    started_on = serializers.DateField(
        required=False, allow_null=True, default=None, help_text=_("Today when not given.")
    )


class ProgressInputSerializer(serializers.Serializer):
    reported_on = serializers.DateField(
        required=False, allow_null=True, default=None, help_text=_("Today when not given.")
    )
    percent = serializers.DecimalField(min_value=Decimal("0"), max_value=Decimal("100"), **PERCENT)
    text = serializers.CharField(max_length=2000)


class MaintenanceInputSerializer(serializers.Serializer):
    arrangements = MaintenanceSerializer(many=True, max_length=20)


class AcceptanceInputSerializer(serializers.Serializer):
    version = serializers.IntegerField()
    accepted_on = serializers.DateField(
        required=False, allow_null=True, default=None, help_text=_("Today when not given.")
    )
    result = serializers.ChoiceField(choices=AcceptanceResult.choices)
    findings = serializers.CharField(
        max_length=2000,
        required=False,
        allow_blank=True,
        default="",
        help_text=_("What must be rectified (required when the result is 不合格)."),
    )
    inspectors = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")


class HandOverSerializer(serializers.Serializer):
    version = serializers.IntegerField()
    handed_over_on = serializers.DateField(
        required=False, allow_null=True, default=None, help_text=_("Today when not given.")
    )
    asset_formed = serializers.BooleanField(default=True)
    assets = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")
    value = amount(min_value=Decimal("0"), required=False, allow_null=True, default=None)
    recipient = serializers.CharField(max_length=120, required=False, allow_blank=True, default="")
    no_asset_reason = serializers.CharField(
        max_length=300, required=False, allow_blank=True, default=""
    )


class AgreementSerializer(serializers.Serializer):
    mode = serializers.ChoiceField(choices=OperatingMode.choices)
    operator = serializers.CharField(max_length=120)
    operator_uscc = serializers.CharField(
        max_length=24, required=False, allow_blank=True, default=""
    )
    signed_on = serializers.DateField()
    term_start = serializers.DateField()
    term_end = serializers.DateField()
    guaranteed_return_percent = serializers.DecimalField(
        min_value=Decimal("0"), max_value=Decimal("100"), **PERCENT
    )
    variable_return = serializers.CharField(
        max_length=300, required=False, allow_blank=True, default=""
    )
    rights_obligations = serializers.CharField(max_length=5000)


class OperateSerializer(serializers.Serializer):
    version = serializers.IntegerField()
    mode = serializers.ChoiceField(choices=OperatingMode.choices)
