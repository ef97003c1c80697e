from funds.models.allocations import (
    FundAccount,
    FundAllocation,
    FundType,
    FundUse,
    ProjectFund,
)
from funds.models.microcredit import InterestSubsidy, LoanRepayment, MicrocreditLoan
from funds.models.payments import (
    Payment,
    PaymentDraw,
    Reimbursement,
    ReimbursementVoucher,
    RetentionDeduction,
)
from funds.models.placements import (
    DebtPlacement,
    PlacementReturn,
    PrincipalRecovery,
    Redeployment,
    SixClearsReview,
)
from funds.models.reallocations import Reallocation

__all__ = [
    "DebtPlacement",
    "FundAccount",
    "FundAllocation",
    "FundType",
    "FundUse",
    "InterestSubsidy",
    "LoanRepayment",
    "MicrocreditLoan",
    "Payment",
    "PaymentDraw",
    "PlacementReturn",
    "PrincipalRecovery",
    "ProjectFund",
    "Reallocation",
    "Redeployment",
    "Reimbursement",
    "ReimbursementVoucher",
    "RetentionDeduction",
    "SixClearsReview",
]
