from __future__ import annotations

from rest_framework import serializers

from kaiyuan.areas.models import Area, Grid
from kaiyuan.common.api import ScopedReadOnlyViewSet


class AreaSerializer(serializers.ModelSerializer):
    parent_code = serializers.CharField(source="parent.code", read_only=True, default=None)

    class Meta:
        model = Area
        fields = ["id", "code", "name", "level", "kind", "parent_code"]


class GridSerializer(serializers.ModelSerializer):
    village_code = serializers.CharField(source="area.code", read_only=True)
    worker = serializers.CharField(source="worker.username", read_only=True, default=None)

    class Meta:
        model = Grid
        fields = ["id", "name", "village_code", "worker"]


class AreaViewSet(ScopedReadOnlyViewSet):
    """Divisions in the user's area (their own and those below it)."""

    queryset = Area.objects.select_related("parent")
    serializer_class = AreaSerializer
    filterset_fields = ["level", "code", "parent__code"]


class GridViewSet(ScopedReadOnlyViewSet):
    queryset = Grid.objects.select_related("area", "worker")
    serializer_class = GridSerializer
    filterset_fields = ["area__code"]
