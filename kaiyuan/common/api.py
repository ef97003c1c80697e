"""API foundations shared by every app: the scoped viewset base and the error format."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import FieldDoesNotExist, ObjectDoesNotExist
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext_lazy as _
from drf_spectacular.openapi import AutoSchema
from rest_framework import permissions, serializers, status, throttling, viewsets
from rest_framework.exceptions import APIException
from rest_framework.fields import empty
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from kaiyuan.accounts.capabilities import user_can
from kaiyuan.audit.context import client_ip
from kaiyuan.common.api_filters import (  # noqa: F401  (the API's shared pieces, one import)
    MAX_ID,
    ApiFilterSet,
    FilterBackend,
    IdField,
    IdFilter,
    as_id,
)
from kaiyuan.common.api_paging import ProbePagination  # noqa: F401
from kaiyuan.common.errors import (
    CONCURRENT_SAVE_MESSAGE,
    ConcurrentUpdate,
    DomainError,
    is_database_locked,
)
from kaiyuan.common.scoping import CHANGE, user_may_write


def exception_handler(exc, context):
    """Domain refusals become 400 with a stable ``code`` and a Chinese ``detail`` (and, for
    broken rules, ``violations``: each rule id with its field and message); a conflict between
    two editors becomes 409, and so does a save that found SQLite locked by another."""
    if isinstance(exc, DomainError):
        body = {"code": exc.code, "detail": exc.message}
        if exc.field:
            body["field"] = exc.field
        violations = getattr(exc, "violations", None)
        if violations:  # RulesBroken: every broken rule, each beside its field
            body["violations"] = [
                {"rule": v.rule, "field": v.field, "message": v.message} for v in violations
            ]
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
    response = drf_exception_handler(exc, context)
    if response is not None and isinstance(response.data, dict) and "detail" in response.data:
        # DRF's own refusals (401, 403, 404, 405, 429) carry the same stable ``code``.
        codes = exc.get_codes() if isinstance(exc, APIException) else None
        if codes is None:  # Django's Http404 and PermissionDenied, which DRF answered
            codes = {403: "permission_denied", 404: "not_found"}.get(response.status_code)
        if isinstance(codes, str):
            response.data.setdefault("code", codes)
    return response


class ViolationSerializer(serializers.Serializer):
    rule = serializers.CharField()
    field = serializers.CharField(required=False)
    message = serializers.CharField()


class ErrorSerializer(serializers.Serializer):
    """The body of a refusal, as ``exception_handler`` writes it (for the schema)."""

    code = serializers.CharField()
    detail = serializers.JSONField(help_text=_("The reason, in the user's language."))
    field = serializers.CharField(required=False)
    violations = ViolationSerializer(many=True, required=False)


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


class CapabilityPermission(permissions.BasePermission):
    """403 unless the user's role holds the view's ``capability`` (the capability matrix)."""

    def has_permission(self, request, view) -> bool:
        capability = getattr(view, "capability", "")
        return not capability or user_can(request.user, capability)


class ModuleViewSet(ScopedModelViewSet):
    """The base of every app's viewsets: scoped, filtered with the API's error format, open to
    the roles of the app ``module``. Writes go through services, never ``serializer.save()``."""

    module = ""
    http_method_names = READ_AND_WRITE

    def get_permissions(self):
        return [*super().get_permissions(), ModulePermission()]


class ServiceActionsMixin:
    """The helpers of a viewset whose writes are service calls: the input checked by its own
    serializer, and the changed record answered as the list and detail show it (read again
    through the scoped queryset, so its annotations are there)."""

    def _valid(self, serializer_class, data=None) -> dict:
        serializer = serializer_class(
            data=self.request.data if data is None else data,
            context=self.get_serializer_context(),
        )
        serializer.is_valid(raise_exception=True)
        return dict(serializer.validated_data)

    def _answer(self, obj, status_code=status.HTTP_200_OK, serializer_class=None) -> Response:
        fresh = self.get_queryset().get(pk=obj.pk)
        serializer = (serializer_class or self.get_serializer_class())(
            fresh, context=self.get_serializer_context()
        )
        return Response(serializer.data, status=status_code)


class ModuleReadOnlyViewSet(ScopedReadOnlyViewSet):
    """An app's records that are listed and read but not created at their collection (they come
    from another record's step); their own steps, if any, are POST ``@action``s."""

    module = ""
    http_method_names = READ_AND_POST

    def get_permissions(self):
        return [*super().get_permissions(), ModulePermission()]


def money(*, max_digits: int = 12, **kwargs) -> serializers.DecimalField:
    """Yuan with two places, as a string ("8500.00"): never a float. ``max_digits`` follows the
    model's field (a household's incomes 12, the ledgers of the funds 14)."""
    return serializers.DecimalField(
        max_digits=max_digits, decimal_places=2, coerce_to_string=True, **kwargs
    )


def kind_choices(kinds) -> list[tuple[str, str]]:
    return [(kind.value, kind.label) for kind in kinds]


class ScopedRelatedMixin:
    """Related fields whose choices are limited to what the requesting user may see (and, on a
    write, change), so that an id from another township is answered exactly like a missing
    one: same status, same body."""

    def get_queryset(self):
        queryset = super().get_queryset()
        request = self.context.get("request")
        user = getattr(request, "user", None)
        return queryset.visible_to(user, action=CHANGE)


class ScopedPrimaryKeyField(ScopedRelatedMixin, serializers.PrimaryKeyRelatedField):
    """The only way a serializer takes the id of another record. Hidden, missing and
    impossible ids (0, -1, 2^63) all answer ``{"<field>": ["No such record."]}``; a value
    that is no id at all answers that an id is expected."""

    default_error_messages = {
        "required": _("This field is required."),
        "does_not_exist": _("No such record."),
        "incorrect_type": _("Send the record's id (a whole number)."),
    }

    def to_internal_value(self, data):
        if isinstance(data, bool) or not isinstance(data, int | str):
            self.fail("incorrect_type", data_type=type(data).__name__)
        pk = as_id(data)
        if pk is None:
            if isinstance(data, int) or str(data).strip().lstrip("-").isdigit():
                self.fail("does_not_exist", pk_value=data)
            self.fail("incorrect_type", data_type=type(data).__name__)
        try:
            return self.get_queryset().get(pk=pk)
        except ObjectDoesNotExist:
            self.fail("does_not_exist", pk_value=pk)


class ScopedSlugField(ScopedRelatedMixin, serializers.SlugRelatedField):
    """A related record named by its code (a division code), scoped like
    ``ScopedPrimaryKeyField``: a hidden code answers like an unknown one."""

    default_error_messages = {"does_not_exist": _("No such record.")}


def require_version(attrs: dict) -> None:
    if attrs.get("version") is None:
        raise serializers.ValidationError(
            {"version": _("Send the version of the record you loaded.")}
        )


class FlagSerializer(serializers.Serializer):
    rule = serializers.CharField()
    field = serializers.CharField()
    message = serializers.CharField()


# =============================================================================================
# The schema: every operation documents the refusals it can answer
# =============================================================================================

WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


class ApiSchema(AutoSchema):
    """drf-spectacular's AutoSchema with what this API always does written down, so that no
    app has to repeat it (and a client, or schemathesis, can rely on it):

    - the refusals of each operation (400 bad input, 401 no or expired token, 403 role, 404
      hidden or missing, 409 a version conflict or a locked save, 429 throttled), in the
      error format of ``exception_handler``;
    - a read-only field whose source may be missing (``default=None``) is nullable;
    - a read-only choice whose model field may be blank lists "" among its values;
    - a view answering one object computed over its filters documents them too."""

    def get_filter_backends(self):
        """A view whose one answer is computed over its filters (a count for an area and a
        month) sets ``documents_filters = True``: its filters are documented as a list's are."""
        if getattr(self.view, "documents_filters", False):
            return getattr(self.view, "filter_backends", [])
        return super().get_filter_backends()

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        if direction != "response":
            return responses
        if "400" in responses and "content" in responses["400"]:
            # Declared by a view: still either shape (a serializer's field map, or an error).
            for media in responses["400"]["content"].values():
                media["schema"] = self._error_schema("400")
        for code, description in self._error_codes().items():
            if code in responses:
                continue
            schema = self._error_schema(code)
            responses[code] = {
                "description": str(description),
                "content": {"application/json": {"schema": schema}},
            }
        return responses

    def _error_codes(self) -> dict[str, Any]:
        codes: dict[str, Any] = {}
        writes = self.method in WRITE_METHODS
        detail = "{" in self.path
        if writes or not detail:
            codes["400"] = _("Refused: the input, a filter or a rule (code, detail, field).")
        if self.view.get_authenticators():
            codes["401"] = _("No valid token or session.")
        codes["403"] = _("The role may not do this.")
        if detail or writes:
            codes["404"] = _("Not found, or outside the user's area (the same answer).")
        if writes:
            codes["409"] = _("Changed by someone else meanwhile, or the save found a lock.")
        if getattr(self.view, "throttle_scope", None) or self.view.get_throttles():
            codes["429"] = _("Too many requests; wait and try again.")
        return codes

    def _error_schema(self, code: str) -> dict:
        error = self.resolve_serializer(ErrorSerializer, "response").ref
        if code != "400":
            return error
        # A serializer's refusal is DRF's map of field → messages; anything else is an error.
        return {"anyOf": [error, {"type": "object", "additionalProperties": {}}]}

    def _get_serializer_field_meta(self, field, direction):
        meta = super()._get_serializer_field_meta(field, direction)
        if direction == "response" and field.read_only and getattr(field, "default", empty) is None:
            meta["nullable"] = True
        return meta

    def _map_serializer_field(self, field, direction, bypass_extensions=False):
        if isinstance(field, serializers.ChoiceField) and field.read_only:
            model_field = _model_field_of(field)
            if model_field is not None:
                field.allow_blank = field.allow_blank or model_field.blank
                field.allow_null = field.allow_null or model_field.null
        return super()._map_serializer_field(field, direction, bypass_extensions)


def _model_field_of(field):
    model = getattr(getattr(field.parent, "Meta", None), "model", None)
    if model is None or not field.source or "." in field.source:
        return None
    try:
        return model._meta.get_field(field.source)
    except FieldDoesNotExist:
        return None
