"""The linkage funds' endpoints under /api/v1/ (kaiyuan/api.py registers every app's ROUTES)."""

from funds.api.allocations import AllocationViewSet, ProjectFundViewSet
from funds.api.microcredit import MicrocreditLoanViewSet
from funds.api.payments import PaymentViewSet
from funds.api.placements import DebtPlacementViewSet
from funds.api.reallocations import ReallocationViewSet

# (prefix, viewset, basename)
ROUTES = [
    ("allocations", AllocationViewSet, "fundallocation"),
    ("project-funds", ProjectFundViewSet, "projectfund"),
    ("payments", PaymentViewSet, "payment"),
    ("reallocations", ReallocationViewSet, "reallocation"),
    ("debt-placements", DebtPlacementViewSet, "debtplacement"),
    ("microcredit-loans", MicrocreditLoanViewSet, "microcreditloan"),
]
