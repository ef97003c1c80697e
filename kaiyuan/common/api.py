"""API foundations shared by every app: the scoped viewset base and the error format."""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext_lazy as _
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework import permissions, serializers, status, throttling, viewsets
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from kaiyuan.accounts.capabilities import user_can
from kaiyuan.audit.context import client_ip
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


READ_AND_WRITE = ["get", "post", "patch", "head", "options"]
READ_AND_POST = ["get", "post", "head", "options"]


class ModulePermission(permissions.BasePermission):
    """The roles that see an app in the navigation are the ones that may use its API (the
    finance bureau, for one, does not use the monitoring grid)."""

    def has_permission(self, request, view) -> bool:
        return user_can(request.user, f"{view.module}.use")


class ModuleViewSet(ScopedModelViewSet):
    """The base of every app's viewsets: scoped, filtered with the API's error format, open to
    the roles of the app ``module``. Writes go through services, never ``serializer.save()``."""

    module = ""
    http_method_names = READ_AND_WRITE

    @property
    def filter_backends(self):
        return [FilterBackend]

    def get_permissions(self):
        return [*super().get_permissions(), ModulePermission()]


def money(**kwargs) -> serializers.DecimalField:
    """Yuan with two places, as a string ("8500.00"): never a float."""
    return serializers.DecimalField(
        max_digits=12, decimal_places=2, coerce_to_string=True, **kwargs
    )


def kind_choices(kinds) -> list[tuple[str, str]]:
    return [(kind.value, kind.label) for kind in kinds]


class ScopedRelatedMixin:
    """Related fields whose choices are limited to what the requesting user may see, so that an
    id from another township is answered like a missing one."""

    def get_queryset(self):
        queryset = super().get_queryset()
        request = self.context.get("request")
        user = getattr(request, "user", None)
        return queryset.visible_to(user)


class ScopedPrimaryKeyField(ScopedRelatedMixin, serializers.PrimaryKeyRelatedField):
    pass


class ScopedSlugField(ScopedRelatedMixin, serializers.SlugRelatedField):
    pass


def require_version(attrs: dict) -> None:
    if attrs.get("version") is None:
        raise serializers.ValidationError(
            {"version": _("Send the version of the record you loaded.")}
        )


class FlagSerializer(serializers.Serializer):
    rule = serializers.CharField()
    field = serializers.CharField()
    message = serializers.CharField()


class FilterBackend(DjangoFilterBackend):
    """django-filter, with a bad filter value answered in the API's error format (400 with
    ``code``, ``detail`` and ``field``) instead of DRF's field map."""

    def filter_queryset(self, request, queryset, view):
        filterset = self.get_filterset(request, queryset, view)
        if filterset is None:
            return queryset
        if not filterset.is_valid():
            field, messages = next(iter(filterset.errors.items()))
            raise DomainError(messages[0], code="invalid_filter", field=field)
        return filterset.qs
