"""/api/v1/visits/: visits recorded by grid workers and township clerks; /visits/due/, the
visitor's households of the period; /visits/coverage/, coverage by village and grid."""

from __future__ import annotations

import datetime
import uuid

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import generics, mixins, permissions, serializers, status, viewsets
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from kaiyuan.common import dates
from kaiyuan.common.api import (
    CapabilityPermission,
    FilterBackend,
    ModuleViewSet,
    ScopedPrimaryKeyField,
)
from kaiyuan.common.errors import DomainError
from monitoring.filters import VisitCoverageFilter, VisitDueFilter, VisitFilter
from monitoring.models import Household, Visit
from monitoring.rules.visits import VisitStatus, visit_level_of
from monitoring.selectors.visits import visit_coverage, visit_month_list


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


# =============================================================================================
# The visitor's list of the period and visit coverage (the pages' selectors and FilterSets)
# =============================================================================================


def _period_day(filterset, today: datetime.date) -> datetime.date:
    """The month asked for; the current one when none is, or one that has not begun."""
    day = filterset.form.cleaned_data.get("month")
    return day if day is not None and day <= today else today.replace(day=1)


class VisitDueSerializer(serializers.ModelSerializer):
    village_code = serializers.CharField(source="area.code", read_only=True)
    village_name = serializers.CharField(source="area.name", read_only=True)
    grid_name = serializers.CharField(source="grid.name", read_only=True, default=None)
    status = serializers.SerializerMethodField()
    last_visit = serializers.DateField(read_only=True, allow_null=True)

    class Meta:
        model = Household
        fields = [
            "id",
            "household_number",
            "head_name",
            "village_code",
            "village_name",
            "grid_name",
            "status",
            "last_visit",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.ChoiceField(choices=list(VisitStatus.KEYS)))
    def get_status(self, household) -> str:
        return STATUS_KEYS[household.visit_status]


STATUS_KEYS = {value: key for key, value in VisitStatus.KEYS.items()}


@extend_schema(tags=["monitoring"])
class VisitDueViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """The households the user must visit in the period (``month``, default the current one):
    a grid worker's of this month, a township clerk's of this quarter; overdue first. Only the
    roles that record visits (``visits.record_village``, ``visits.record_township``)."""

    permission_classes = [permissions.IsAuthenticated]
    filter_backends = [FilterBackend]
    filterset_class = VisitDueFilter
    serializer_class = VisitDueSerializer

    def get_queryset(self):
        return Household.objects.none()  # the rows come from visit_month_list

    def list(self, request, *args, **kwargs):
        user = request.user
        if visit_level_of(user) is None:
            raise PermissionDenied
        today = dates.today()
        filterset = FilterBackend().validated_filterset(request, self.get_queryset(), self)
        pick = filterset.pick
        households, _obligation = visit_month_list(
            user=user,
            day=_period_day(filterset, today),
            village=None if pick.village_fixed else pick.village,
            today=today,
        )
        status = VisitStatus.KEYS.get(filterset.form.cleaned_data.get("status") or "")
        if status is not None:
            households = households.filter(visit_status=status)
        page = self.paginate_queryset(households)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)


class CoverageRowSerializer(serializers.Serializer):
    area_id = serializers.IntegerField()
    area_name = serializers.CharField()
    grid_id = serializers.IntegerField(allow_null=True)
    grid_name = serializers.CharField(allow_blank=True)
    visited = serializers.IntegerField()
    due = serializers.IntegerField()
    overdue = serializers.IntegerField()
    in_scope = serializers.IntegerField()
    percent = serializers.IntegerField(allow_null=True)


class CoverageSerializer(serializers.Serializer):
    area_code = serializers.CharField(source="area.code")
    area_name = serializers.CharField(source="area.name")
    by_township = serializers.BooleanField()
    month_start = serializers.DateField(source="month.period.start")
    quarter_start = serializers.DateField(source="quarter.period.start")
    quarter_end = serializers.DateField(source="quarter.period.end")
    month_rows = CoverageRowSerializer(many=True)
    quarter_rows = CoverageRowSerializer(many=True)
    month_total = CoverageRowSerializer()
    quarter_total = CoverageRowSerializer()
    overdue_households = serializers.IntegerField()


@extend_schema(tags=["monitoring"])
class VisitCoverageView(generics.GenericAPIView):
    """Village-level coverage of a month by village and grid, township-level coverage of its
    quarter by village, for the picked township or village (else the user's whole area, by
    township for a county). ``visits.coverage``."""

    permission_classes = [permissions.IsAuthenticated, CapabilityPermission]
    capability = "visits.coverage"
    filter_backends = [FilterBackend]
    filterset_class = VisitCoverageFilter
    serializer_class = CoverageSerializer
    pagination_class = None

    def get_queryset(self):
        return Household.objects.none()

    def get(self, request, *args, **kwargs):
        today = dates.today()
        filterset = FilterBackend().validated_filterset(request, self.get_queryset(), self)
        area = filterset.pick.scope
        if area is None:
            raise PermissionDenied  # an account without an area has nothing to cover
        coverage = visit_coverage(
            user=request.user, area=area, day=_period_day(filterset, today), today=today
        )
        return Response(CoverageSerializer(coverage).data)
