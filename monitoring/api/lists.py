"""/api/v1/lists/...: the bureau's lists (monitored households, cases by state, overdue cases and
leads, the focus list, measure gaps), from the same selectors, FilterSets and capability as the
pages (``lists.view``; a township clerk sees their township)."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, permissions, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from kaiyuan.common import dates
from kaiyuan.common.api import CapabilityPermission, FilterBackend, money
from kaiyuan.common.dates import working_days_between
from monitoring.api.cases import CaseSerializer, LeadSerializer
from monitoring.exports.lists import broken_rules
from monitoring.filters import (
    AreaListFilter,
    CaseListFilter,
    FocusListFilter,
    MeasureListFilter,
    MonitoredListFilter,
)
from monitoring.models import Household, MonitoringCase, RiskLead
from monitoring.selectors import lists as selectors
from monitoring.selectors.lists import filters_of, may_see_lists


class ListHouseholdSerializer(serializers.ModelSerializer):
    village_code = serializers.CharField(source="area.code", read_only=True)
    village_name = serializers.CharField(source="area.name", read_only=True)
    township_name = serializers.CharField(source="area.parent.name", read_only=True)
    risks = serializers.ListField(child=serializers.CharField(), read_only=True)

    class Meta:
        model = Household
        fields = [
            "id",
            "household_number",
            "head_name",
            "village_code",
            "village_name",
            "township_name",
            "household_type",
            "household_size",
            "monitoring_status",
            "monitoring_category",
            "risks",
            "risk_identified_on",
        ]
        read_only_fields = fields


class FocusHouseholdSerializer(ListHouseholdSerializer):
    """A household on the focus list (MON-FOCUS-1), with the figures that put it there."""

    low_income = serializers.BooleanField(read_only=True)
    income_fell = serializers.BooleanField(read_only=True, allow_null=True)
    focus_threshold = money(read_only=True, allow_null=True)
    latest_year = serializers.IntegerField(read_only=True, allow_null=True)
    latest_annual = money(read_only=True, allow_null=True)
    previous_annual = money(read_only=True, allow_null=True)

    class Meta(ListHouseholdSerializer.Meta):
        fields = [
            *ListHouseholdSerializer.Meta.fields,
            "low_income",
            "income_fell",
            "focus_threshold",
            "latest_year",
            "latest_annual",
            "previous_annual",
        ]
        read_only_fields = fields


class MeasureGapSerializer(ListHouseholdSerializer):
    rules = serializers.SerializerMethodField()

    class Meta(ListHouseholdSerializer.Meta):
        fields = [*ListHouseholdSerializer.Meta.fields, "rules"]
        read_only_fields = fields

    def get_rules(self, household) -> list[str]:
        """MON-MEAS-1 or MON-MEAS-2."""
        return broken_rules(household)


class ListCaseSerializer(CaseSerializer):
    days_open = serializers.IntegerField(read_only=True, allow_null=True)
    days_since_application = serializers.IntegerField(read_only=True, allow_null=True)
    working_days_over = serializers.IntegerField(read_only=True)

    class Meta(CaseSerializer.Meta):
        fields = [
            *CaseSerializer.Meta.fields,
            "days_open",
            "days_since_application",
            "working_days_over",
        ]
        read_only_fields = fields


class OverdueLeadSerializer(LeadSerializer):
    working_days_over = serializers.IntegerField(read_only=True)

    class Meta(LeadSerializer.Meta):
        fields = [*LeadSerializer.Meta.fields, "working_days_over"]
        read_only_fields = fields


class SummaryCellSerializer(serializers.Serializer):
    category = serializers.CharField(help_text="the monitored category ('' in a total)")
    households = serializers.IntegerField()
    persons = serializers.IntegerField(help_text="household sizes added up")


class SummaryRowSerializer(serializers.Serializer):
    risk = serializers.CharField()
    cells = SummaryCellSerializer(many=True, help_text="one per category, in `categories` order")
    total = SummaryCellSerializer()


class MonitoredSummarySerializer(serializers.Serializer):
    """The table above the monitored list: households and persons by category x risk type (a
    household under each risk it has), per category each household once."""

    categories = serializers.ListField(child=serializers.CharField())
    rows = SummaryRowSerializer(many=True)
    totals = SummaryCellSerializer(many=True)
    total = SummaryCellSerializer()


class BureauListViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """One of the bureau's lists: its FilterSet checks the query (400 in the API's format, a
    township or village outside the user's area like a missing one), its selector bounds and
    orders the rows, pages never COUNT."""

    permission_classes = [permissions.IsAuthenticated, CapabilityPermission]
    capability = "lists.view"
    filter_backends = [FilterBackend]
    filterset_class = AreaListFilter
    model = Household

    def get_queryset(self):
        return self.model.objects.none()  # the rows come from ``rows``; this names the model

    def rows(self, user, filters, today):
        raise NotImplementedError

    def decorate(self, row, today):
        return row

    def list(self, request, *args, **kwargs):
        if not may_see_lists(request.user):
            raise PermissionDenied
        today = dates.today()
        filterset = FilterBackend().validated_filterset(request, self.get_queryset(), self)
        page = self.paginate_queryset(self.rows(request.user, filters_of(filterset), today))
        rows = [self.decorate(row, today) for row in page]
        return self.get_paginated_response(self.get_serializer(rows, many=True).data)


@extend_schema(tags=["lists"])
class MonitoredListViewSet(BureauListViewSet):
    """Monitored households by category and risk type (risk eliminated or not)."""

    filterset_class = MonitoredListFilter
    serializer_class = ListHouseholdSerializer

    def rows(self, user, filters, today):
        return selectors.monitored_households(user, filters)

    @extend_schema(responses=MonitoredSummarySerializer, filters=True)
    @action(detail=False, pagination_class=None)
    def summary(self, request):
        """The summary table of the monitored list, for the same area and status filters (the
        category and risk filters do not narrow it: it is what they choose from)."""
        if not may_see_lists(request.user):
            raise PermissionDenied
        filterset = FilterBackend().validated_filterset(request, self.get_queryset(), self)
        filters = filters_of(filterset)
        known_risks = [value for value, _label in filters.choices["risk"]]
        summary = selectors.monitored_summary(request.user, filters, known_risks)
        return Response(MonitoredSummarySerializer(summary).data)


@extend_schema(tags=["lists"])
class CaseListViewSet(BureauListViewSet):
    """Identification and elimination cases by state, newest first, with their ages."""

    filterset_class = CaseListFilter
    serializer_class = ListCaseSerializer
    model = MonitoringCase

    def rows(self, user, filters, today):
        return selectors.case_list(user, filters, today)

    def decorate(self, row, today):
        return selectors.case_ages(row, today)


class _Overdue(BureauListViewSet):
    def decorate(self, row, today):
        row.working_days_over = working_days_between(row.deadline, today)
        return row


@extend_schema(tags=["lists"])
class OverdueCaseListViewSet(_Overdue):
    """Open identification cases past their deadline (MON-ID-4), the longest overdue first."""

    serializer_class = ListCaseSerializer
    model = MonitoringCase

    def rows(self, user, filters, today):
        return selectors.overdue_cases(user, filters.area, today)

    def decorate(self, row, today):
        return super().decorate(selectors.case_ages(row, today), today)


@extend_schema(tags=["lists"])
class OverdueLeadListViewSet(_Overdue):
    """Open risk leads past their deadline, the longest overdue first."""

    serializer_class = OverdueLeadSerializer
    model = RiskLead

    def rows(self, user, filters, today):
        return selectors.overdue_leads(user, filters.area, today)


@extend_schema(tags=["lists"])
class FocusListViewSet(BureauListViewSet):
    """The focus list (MON-FOCUS-1): poverty-exited households at or below the focus line, or
    whose income fell year-on-year."""

    filterset_class = FocusListFilter
    serializer_class = FocusHouseholdSerializer

    def rows(self, user, filters, today):
        return selectors.focus_households(user, filters)


@extend_schema(tags=["lists"])
class MeasureGapListViewSet(BureauListViewSet):
    """Households breaking MON-MEAS-1 (no development-type measure) or MON-MEAS-2 (no
    safety-net measure)."""

    filterset_class = MeasureListFilter
    serializer_class = MeasureGapSerializer

    def rows(self, user, filters, today):
        return selectors.measure_breakers(user, filters, today)
