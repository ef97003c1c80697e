"""The monitoring grid's endpoints under /api/v1/ (kaiyuan/api.py registers every app's ROUTES)."""

from monitoring.api.cases import CaseViewSet, LeadViewSet
from monitoring.api.households import HouseholdViewSet
from monitoring.api.incomes import IncomeRecordViewSet
from monitoring.api.measures import MeasureViewSet
from monitoring.api.members import MemberViewSet
from monitoring.api.visits import VisitViewSet
from monitoring.api.warnings import WarningViewSet

# (prefix, viewset, basename)
ROUTES = [
    ("households", HouseholdViewSet, "household"),
    ("members", MemberViewSet, "member"),
    ("incomes", IncomeRecordViewSet, "incomerecord"),
    ("visits", VisitViewSet, "visit"),
    ("leads", LeadViewSet, "lead"),
    ("warnings", WarningViewSet, "deptwarning"),
    ("cases", CaseViewSet, "case"),
    ("measures", MeasureViewSet, "measure"),
]
