"""/api/v1/measures/: assistance measures and their status."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.response import Response

from kaiyuan.common.api import READ_AND_POST, ModuleViewSet, ScopedPrimaryKeyField
from monitoring.api.cases import VersionSerializer
from monitoring.models import AssistanceMeasure, Household
from monitoring.services import measures as measure_services


class MeasureSerializer(serializers.ModelSerializer):
    household = ScopedPrimaryKeyField(queryset=Household.objects.all())
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
class MeasureViewSet(ModuleViewSet):
    """Assistance measures of households in the user's area."""

    module = "monitoring"
    http_method_names = READ_AND_POST
    queryset = AssistanceMeasure.objects.select_related("household")
    serializer_class = MeasureSerializer
    filterset_fields = ["household", "year", "group", "status"]

    @extend_schema(request=MeasureSerializer, responses={201: MeasureSerializer})
    def create(self, request, *args, **kwargs):
        data = MeasureSerializer(data=request.data, context=self.get_serializer_context())
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        household = values.pop("household")
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
