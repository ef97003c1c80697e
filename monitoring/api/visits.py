"""/api/v1/visits/: visits recorded by grid workers and township clerks."""

from __future__ import annotations

import uuid

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response

from kaiyuan.common.api import ModuleViewSet, ScopedPrimaryKeyField
from kaiyuan.common.errors import DomainError
from monitoring.filters import VisitFilter
from monitoring.models import Household, Visit


class VisitSerializer(serializers.ModelSerializer):
    household_number = serializers.CharField(source="household.household_number", read_only=True)
    village_code = serializers.CharField(source="area.code", read_only=True)
    visitor_name = serializers.SerializerMethodField()

    class Meta:
        model = Visit
        fields = [
            "id",
            "household",
            "household_number",
            "village_code",
            "visitor",
            "visitor_name",
            "level",
            "visited_on",
            "method",
            *Visit.GUARANTEE_FIELDS,
            "income_change",
            "new_risk",
            "risk_note",
            "no_change",
            "note",
            "photo",
            "created_at",
        ]
        read_only_fields = fields

    def get_visitor_name(self, visit: Visit) -> str:
        return visit.visitor.get_full_name() or visit.visitor.get_username()


class VisitCreateSerializer(serializers.Serializer):
    """A visit as the visitor records it: the four 三保障/water questions must be answered
    (True = a problem was found)."""

    household = ScopedPrimaryKeyField(queryset=Household.objects.all())
    visited_on = serializers.DateField()
    method = serializers.ChoiceField(choices=Visit.Method.choices)
    child_out_of_school = serializers.BooleanField()
    housing_unsafe = serializers.BooleanField()
    member_uninsured = serializers.BooleanField()
    water_unsafe = serializers.BooleanField()
    income_change = serializers.ChoiceField(
        choices=Visit.IncomeChange.choices, default=Visit.IncomeChange.NONE
    )
    new_risk = serializers.BooleanField(default=False)
    risk_note = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    no_change = serializers.BooleanField(default=False)
    note = serializers.CharField(required=False, allow_blank=True, default="")
    photo = serializers.ImageField(required=False, allow_null=True, default=None)


@extend_schema(tags=["monitoring"])
class VisitViewSet(ModuleViewSet):
    """Visits to households (village level monthly, township level quarterly). Recorded by the
    visitor through the visit service, which checks the visitor's level; never edited."""

    module = "monitoring"
    queryset = Visit.objects.select_related("household", "area", "visitor")
    filterset_class = VisitFilter
    http_method_names = ["get", "post", "head", "options"]

    def get_serializer_class(self):
        return VisitCreateSerializer if self.action == "create" else VisitSerializer

    @extend_schema(request=VisitCreateSerializer, responses={201: VisitSerializer})
    def create(self, request, *args, **kwargs):
        # Imported here: the visit service is a sibling module that may load after this one.
        from monitoring.services.visits import visit_record

        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        key = request.headers.get("Idempotency-Key") or None
        try:
            submission_key = uuid.UUID(key) if key else None
        except ValueError:
            raise DomainError(
                _("The Idempotency-Key header must be a UUID."), code="invalid_idempotency_key"
            ) from None
        visit = visit_record(
            actor=request.user, submission_key=submission_key, **serializer.validated_data
        )
        fresh = self.get_queryset().get(pk=visit.pk)
        return Response(
            VisitSerializer(fresh, context=self.get_serializer_context()).data,
            status=status.HTTP_201_CREATED,
        )
