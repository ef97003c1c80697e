"""API foundations shared by every app: the scoped viewset base and the error format."""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import permissions, serializers, status, throttling, viewsets
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from kaiyuan.audit.context import client_ip
from kaiyuan.common.errors import DomainError
from kaiyuan.common.scoping import user_may_write


def exception_handler(exc, context):
    """Domain refusals become 400 with a stable ``code`` and a Chinese ``detail``; a conflict
    between two editors becomes 409."""
    if isinstance(exc, DomainError):
        body = {"code": exc.code, "detail": exc.message}
        if exc.field:
            body["field"] = exc.field
        code = status.HTTP_409_CONFLICT if exc.code == "concurrent_update" else 400
        return Response(body, status=code)
    if isinstance(exc, DjangoValidationError):
        return Response(
            {
                "code": "invalid",
                "detail": exc.message_dict if hasattr(exc, "error_dict") else exc.messages,
            },
            status=status.HTTP_400_BAD_REQUEST,
        )
    return drf_exception_handler(exc, context)


class ErrorSerializer(serializers.Serializer):
    """The body of a refusal, as ``exception_handler`` writes it (for the schema)."""

    code = serializers.CharField()
    detail = serializers.CharField()
    field = serializers.CharField(required=False)


class ClientAddressThrottle(throttling.ScopedRateThrottle):
    """DRF's scoped throttle, counting anonymous clients by the address the audit trail and the
    lock-out use. DRF's own guess reads X-Forwarded-For from anyone, so a client could claim a
    new address with every request and never be throttled."""

    def get_ident(self, request) -> str:
        return client_ip(request) or "unknown"


class WriteRolePermission(permissions.BasePermission):
    """Read-only roles (leader, auditor) may read but never write through the API."""

    def has_permission(self, request, view) -> bool:
        if request.method in permissions.SAFE_METHODS:
            return True
        return user_may_write(request.user)


class ScopedViewSetMixin:
    """The queryset of every API view passes through ``visible_to(request.user)``."""

    permission_classes = [permissions.IsAuthenticated, WriteRolePermission]

    def get_queryset(self):
        return super().get_queryset().visible_to(self.request.user)


class ScopedReadOnlyViewSet(ScopedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    pass


class ScopedModelViewSet(ScopedViewSetMixin, viewsets.ModelViewSet):
    pass
