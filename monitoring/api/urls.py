"""The monitoring grid's endpoints under /api/v1/ (kaiyuan/api.py registers every app's ROUTES)."""

from django.urls import path

from monitoring.api.cases import CaseViewSet, LeadViewSet
from monitoring.api.households import HouseholdViewSet
from monitoring.api.incomes import IncomeRecordViewSet
from monitoring.api.lists import (
    CaseListViewSet,
    FocusListViewSet,
    MeasureGapListViewSet,
    MonitoredListViewSet,
    OverdueCaseListViewSet,
    OverdueLeadListViewSet,
)
from monitoring.api.measures import MeasureViewSet
from monitoring.api.members import MemberViewSet
from monitoring.api.visits import VisitCoverageView, VisitDueViewSet, VisitViewSet
from monitoring.api.warnings import WarningViewSet

# (prefix, viewset, basename). A prefix below another's ("visits/due" under "visits") comes
# first, or the other's detail route would take it for an id.
ROUTES = [
    ("visits/due", VisitDueViewSet, "visit-due"),
    ("lists/monitored", MonitoredListViewSet, "list-monitored"),
    ("lists/cases", CaseListViewSet, "list-cases"),
    ("lists/overdue-cases", OverdueCaseListViewSet, "list-overdue-cases"),
    ("lists/overdue-leads", OverdueLeadListViewSet, "list-overdue-leads"),
    ("lists/focus", FocusListViewSet, "list-focus"),
    ("lists/measure-gaps", MeasureGapListViewSet, "list-measure-gaps"),
    ("households", HouseholdViewSet, "household"),
    ("members", MemberViewSet, "member"),
    ("incomes", IncomeRecordViewSet, "incomerecord"),
    ("visits", VisitViewSet, "visit"),
    ("leads", LeadViewSet, "lead"),
    ("warnings", WarningViewSet, "deptwarning"),
    ("cases", CaseViewSet, "case"),
    ("measures", MeasureViewSet, "measure"),
]

# Endpoints that answer one object, not a collection (before the router's routes).
PATHS = [
    path("visits/coverage/", VisitCoverageView.as_view(), name="visit-coverage"),
]
