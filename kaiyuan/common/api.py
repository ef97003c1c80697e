"""API foundations shared by every app: the scoped viewset base and the error format."""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import permissions, status, viewsets
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from kaiyuan.common.errors import (
    CONCURRENT_SAVE_MESSAGE,
    ConcurrentUpdate,
    DomainError,
    is_database_locked,
)
from kaiyuan.common.scoping import user_may_write


def exception_handler(exc, context):
    """Domain refusals become 400 with a stable ``code`` and a Chinese ``detail``; a conflict
    between two editors becomes 409, and so does a save that found SQLite locked by another."""
    if isinstance(exc, DomainError):
        body = {"code": exc.code, "detail": exc.message}
        if exc.field:
            body["field"] = exc.field
        code = status.HTTP_409_CONFLICT if exc.code == ConcurrentUpdate.code else 400
        return Response(body, status=code)
    if is_database_locked(exc):
        return Response(
            {"code": ConcurrentUpdate.code, "detail": str(CONCURRENT_SAVE_MESSAGE)},
            status=status.HTTP_409_CONFLICT,
        )
    if isinstance(exc, DjangoValidationError):
        return Response(
            {
                "code": "invalid",
                "detail": exc.message_dict if hasattr(exc, "error_dict") else exc.messages,
            },
            status=status.HTTP_400_BAD_REQUEST,
        )
    return drf_exception_handler(exc, context)


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
