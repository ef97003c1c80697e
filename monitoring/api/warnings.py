"""/api/v1/warnings/: department warnings and the township's verification."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from kaiyuan.common.api import READ_AND_POST, ModuleViewSet
from monitoring.models import (
    DeptWarning,
)


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
        read_only_fields = fields


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
class WarningViewSet(ModuleViewSet):
    """Department warnings routed to the user's area; a department sees its own warnings."""

    module = "monitoring"
    http_method_names = READ_AND_POST
    queryset = DeptWarning.objects.select_related("household", "area", "member")
    serializer_class = WarningSerializer
    filterset_fields = ["department", "result", "overdue", "household"]
    http_method_names = ["get", "post", "head", "options"]

    def get_queryset(self):
        queryset = super().get_queryset()
        if self.request.user.department:
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
