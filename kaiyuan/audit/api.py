from __future__ import annotations

from rest_framework import serializers
from rest_framework.exceptions import PermissionDenied

from kaiyuan.accounts.capabilities import user_can
from kaiyuan.audit.filters import AuditEventFilter
from kaiyuan.audit.models import AuditEvent
from kaiyuan.common.api import ScopedReadOnlyViewSet


class AuditEventSerializer(serializers.ModelSerializer):
    object_type = serializers.CharField(source="content_type.model", default="", read_only=True)
    area_code = serializers.CharField(source="area.code", default=None, read_only=True)
    action_label = serializers.CharField(read_only=True)

    class Meta:
        model = AuditEvent
        fields = [
            "id",
            "at",
            "actor_name",
            "action",
            "action_label",
            "object_type",
            "object_id",
            "object_repr",
            "area_code",
            "from_state",
            "to_state",
            "note",
            "data",
            "source",
        ]


class AuditEventViewSet(ScopedReadOnlyViewSet):
    """The audit trail, for auditors and administrators."""

    queryset = AuditEvent.objects.select_related("content_type", "area")
    serializer_class = AuditEventSerializer
    filterset_class = AuditEventFilter

    def get_queryset(self):
        user = self.request.user
        if not user_can(user, "audit.read_log"):
            raise PermissionDenied
        return super().get_queryset()
