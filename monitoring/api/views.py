"""The monitoring API: /api/v1/households/, /members/, /incomes/, /visits/.

Thin viewsets over the same services and scoping as the pages: querysets pass through
``visible_to`` (404 for another area's rows), read-only roles get 403 on writes, only the roles
that keep the registry change households, members and incomes, and every write is one service
call whose refusals come back as 400 ``{"code", "detail", "field"}`` (409 for a stale version).
"""

from __future__ import annotations

from django.db.models import Prefetch
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema
from rest_framework import permissions, status
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from kaiyuan.common.api import ScopedModelViewSet
from kaiyuan.common.errors import DomainError
from kaiyuan.web.navigation import nav_items_for
from monitoring.api.serializers import (
    HouseholdCreateSerializer,
    HouseholdDetailSerializer,
    HouseholdSerializer,
    HouseholdUpdateSerializer,
    IncomeRecordSerializer,
    IncomeSavedSerializer,
    IncomeSaveSerializer,
    IncomeUpdateSerializer,
    MemberCreateSerializer,
    MemberRemoveSerializer,
    MemberSerializer,
    MemberUpdateSerializer,
    RevealedIdSerializer,
    VisitCreateSerializer,
    VisitSerializer,
)
from monitoring.filters import HouseholdFilter, IncomeRecordFilter, MemberFilter, VisitFilter
from monitoring.models import Household, IncomeRecord, Member, Visit
from monitoring.services import households as household_services
from monitoring.services import incomes
from monitoring.services import members as member_services
from monitoring.views.households import REGISTRY_WRITERS

READ_AND_WRITE = ["get", "post", "patch", "head", "options"]


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


class MonitoringModulePermission(permissions.BasePermission):
    """The roles that see the monitoring grid in the navigation are the ones that may use its API
    (the finance bureau, for one, does not)."""

    def has_permission(self, request, view) -> bool:
        return any(item.key == "monitoring" for item in nav_items_for(request.user))


def require_registry_writer(user) -> None:
    """The same roles that edit the registry pages (township clerks, the bureau, the
    administrator) edit it through the API; grid workers and departments read it."""
    if not (user.is_superuser or user.role in REGISTRY_WRITERS):
        raise PermissionDenied


class MonitoringViewSet(ScopedModelViewSet):
    filter_backends = [FilterBackend]
    http_method_names = READ_AND_WRITE

    def get_permissions(self):
        return [*super().get_permissions(), MonitoringModulePermission()]


# =============================================================================================
# Households
# =============================================================================================


@extend_schema(tags=["monitoring"])
class HouseholdViewSet(MonitoringViewSet):
    """Households (户) of the user's area: list with filters, detail with members, create with
    the head, and edits that must carry the version the user loaded."""

    queryset = Household.objects.select_related("area", "area__parent", "group", "grid")
    filterset_class = HouseholdFilter

    def get_queryset(self):
        queryset = super().get_queryset()
        if self.action == "retrieve":
            queryset = queryset.prefetch_related(
                Prefetch("members", queryset=Member.objects.order_by("status", "id"))
            )
        return queryset

    def get_serializer_class(self):
        return {
            "retrieve": HouseholdDetailSerializer,
            "create": HouseholdCreateSerializer,
            "partial_update": HouseholdUpdateSerializer,
        }.get(self.action, HouseholdSerializer)

    def _detail(self, household: Household) -> dict:
        fresh = self.get_queryset().prefetch_related(
            Prefetch("members", queryset=Member.objects.order_by("status", "id"))
        )
        return HouseholdDetailSerializer(
            fresh.get(pk=household.pk), context=self.get_serializer_context()
        ).data

    @extend_schema(request=HouseholdCreateSerializer, responses={201: HouseholdDetailSerializer})
    def create(self, request, *args, **kwargs):
        require_registry_writer(request.user)
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        household = household_services.household_create(
            actor=request.user,
            area=data.pop("area"),
            household_number=data.pop("household_number"),
            head=dict(data.pop("head")),
            id_number=data.pop("head_id_number"),
            **data,
        )
        return Response(self._detail(household), status=status.HTTP_201_CREATED)

    @extend_schema(request=HouseholdUpdateSerializer, responses={200: HouseholdDetailSerializer})
    def partial_update(self, request, *args, **kwargs):
        require_registry_writer(request.user)
        household = self.get_object()
        serializer = self.get_serializer(household, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        changes = dict(serializer.validated_data)
        version = changes.pop("version")
        household = household_services.household_update(
            household=household, actor=request.user, expected_version=version, changes=changes
        )
        return Response(self._detail(household))


# =============================================================================================
# Members
# =============================================================================================


@extend_schema(tags=["monitoring"])
class MemberViewSet(MonitoringViewSet):
    """Household members. ID numbers are shown masked; ``id_number`` filters by the exact number
    through the blind index; the full number is revealed one member at a time, audited."""

    queryset = Member.objects.select_related("household", "household__area")
    filterset_class = MemberFilter

    def get_serializer_class(self):
        return {
            "create": MemberCreateSerializer,
            "partial_update": MemberUpdateSerializer,
            "remove": MemberRemoveSerializer,
        }.get(self.action, MemberSerializer)

    def _out(self, member: Member, code: int = status.HTTP_200_OK) -> Response:
        fresh = self.get_queryset().get(pk=member.pk)
        return Response(MemberSerializer(fresh).data, status=code)

    @extend_schema(request=MemberCreateSerializer, responses={201: MemberSerializer})
    def create(self, request, *args, **kwargs):
        require_registry_writer(request.user)
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        member = member_services.member_create(
            household=data.pop("household"),
            actor=request.user,
            id_number=data.pop("id_number"),
            kind=data.pop("kind"),
            happened_on=data.pop("happened_on"),
            reason=data.pop("reason"),
            certificate=data.pop("certificate", ""),
            data=data,
        )
        return self._out(member, status.HTTP_201_CREATED)

    @extend_schema(request=MemberUpdateSerializer, responses={200: MemberSerializer})
    def partial_update(self, request, *args, **kwargs):
        require_registry_writer(request.user)
        member = self.get_object()
        serializer = self.get_serializer(member, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        changes = dict(serializer.validated_data)
        version = changes.pop("version")
        id_number = changes.pop("id_number", None)
        certificate = changes.pop("certificate", "")
        member = member_services.member_update(
            member=member,
            actor=request.user,
            expected_version=version,
            changes=changes,
            id_number=id_number,
            certificate=certificate,
        )
        return self._out(member)

    @extend_schema(request=MemberRemoveSerializer, responses={200: MemberSerializer})
    @action(detail=True, methods=["post"])
    def remove(self, request, pk=None):
        """End a membership (death, marriage out, registration moved out) with date and reason."""
        require_registry_writer(request.user)
        member = self.get_object()
        serializer = MemberRemoveSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        member = member_services.member_remove(
            member=member, actor=request.user, **serializer.validated_data
        )
        return self._out(member)

    @extend_schema(request=None, responses={200: RevealedIdSerializer})
    @action(
        detail=True,
        methods=["post"],
        url_path="reveal-id",
        # Revealing reads data: auditors (read-only) may do it; the role check is below.
        permission_classes=[permissions.IsAuthenticated],
    )
    def reveal_id(self, request, pk=None):
        """The member's full ID number, for the roles whose work needs it; every reveal is
        written to the audit trail."""
        member = self.get_object()
        try:
            number = member_services.member_reveal_id(
                member=member, actor=request.user, source="api"
            )
        except member_services.RevealNotAllowed as exc:
            raise PermissionDenied(exc.message) from None
        return Response({"id_number": number})


# =============================================================================================
# Incomes
# =============================================================================================


@extend_schema(tags=["monitoring"])
class IncomeRecordViewSet(MonitoringViewSet):
    """Income and expenditure records. POST creates the record of (household, year, kind), or
    replaces it when it exists and the version you loaded is sent; PATCH changes some amounts.
    Net and per-capita income are computed (MON-INC-1/2), never sent."""

    queryset = IncomeRecord.objects.select_related("household")
    filterset_class = IncomeRecordFilter

    def get_serializer_class(self):
        return {
            "create": IncomeSaveSerializer,
            "partial_update": IncomeUpdateSerializer,
        }.get(self.action, IncomeRecordSerializer)

    def _saved(self, record: IncomeRecord, flags, code: int) -> Response:
        fresh = self.get_queryset().get(pk=record.pk)
        fresh.flags = [{"rule": f.rule, "field": f.field, "message": f.message} for f in flags]
        return Response(IncomeSavedSerializer(fresh).data, status=code)

    @extend_schema(
        request=IncomeSaveSerializer,
        responses={201: IncomeSavedSerializer, 200: IncomeSavedSerializer},
    )
    def create(self, request, *args, **kwargs):
        require_registry_writer(request.user)
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        household, year, kind = data.pop("household"), data.pop("year"), data.pop("kind")
        household_size = data.pop("household_size", None)
        note = data.pop("note", "")
        version = data.pop("version", None)
        existed = IncomeRecord.objects.filter(household=household, year=year, kind=kind).exists()
        record, flags = incomes.income_record_save(
            household=household,
            actor=request.user,
            year=year,
            kind=kind,
            values=data,
            household_size=household_size,
            note=note,
            expected_version=version,
        )
        return self._saved(
            record, flags, status.HTTP_200_OK if existed else status.HTTP_201_CREATED
        )

    @extend_schema(request=IncomeUpdateSerializer, responses={200: IncomeSavedSerializer})
    def partial_update(self, request, *args, **kwargs):
        require_registry_writer(request.user)
        record = self.get_object()
        serializer = self.get_serializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        values = {name: getattr(record, name) for name in incomes_money_fields()}
        values.update({k: v for k, v in data.items() if k in values})
        record, flags = incomes.income_record_save(
            household=record.household,
            actor=request.user,
            year=record.year,
            kind=record.kind,
            values=values,
            household_size=data.get("household_size", record.household_size),
            note=data.get("note", record.note),
            expected_version=data["version"],
        )
        return self._saved(record, flags, status.HTTP_200_OK)


def incomes_money_fields() -> tuple[str, ...]:
    return (*incomes.COMPONENTS, "business_expense", "claim_income", "compliant_self_paid")


# =============================================================================================
# Visits
# =============================================================================================


@extend_schema(tags=["monitoring"])
class VisitViewSet(MonitoringViewSet):
    """Visits to households (village level monthly, township level quarterly). Recorded by the
    visitor through the visit service, which checks the visitor's level; never edited."""

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
        visit = visit_record(actor=request.user, **serializer.validated_data)
        fresh = self.get_queryset().get(pk=visit.pk)
        return Response(
            VisitSerializer(fresh, context=self.get_serializer_context()).data,
            status=status.HTTP_201_CREATED,
        )
