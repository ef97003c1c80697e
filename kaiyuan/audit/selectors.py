from __future__ import annotations

from django.db.models import QuerySet

from kaiyuan.audit.filters import AuditEventFilter
from kaiyuan.audit.models import AuditEvent


def audit_event_list(*, user, filters: dict) -> tuple[QuerySet[AuditEvent], AuditEventFilter]:
    queryset = AuditEvent.objects.visible_to(user).select_related("content_type", "area")
    filterset = AuditEventFilter(filters, queryset=queryset)
    return filterset.qs, filterset
