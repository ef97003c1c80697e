"""Demo linkage funds for ``manage.py seed_demo``: the allocations of 2023–2025 at every level
(central, provincial, city and the county's own, 10,000,000.00 of it in 2024), assigned to the
demo library's funded projects within their approved funding by level and arrived at the
townships; payments in every tranche driven through the services (the advance, the progress
payment after a progress report of at least 70 %, the final payment after the acceptance with
the retention withheld, the retention's release a year on, a debt-type project's one transfer
to its placement's counterparty, household subsidies to the beneficiary 脱贫/监测 households),
their 报账 not reported, reported, returned or accepted (some overdue), money left idle at a
township, a debt placement past its term with principal not recovered, and micro-credit loans
with repayments and interest subsidies, one overdue.

Dates are those of the project's own records (its progress reports, its acceptance), never
after today: the services refuse a future date. Randomness is the module's own generator,
seeded by the seed and the county's household count, so the project library's data does not
move when this changes.
"""

from __future__ import annotations

import random
from collections import defaultdict
from decimal import Decimal

from funds.demo import (
    YEARS,
    ZERO,
)
from funds.demo.allocations import AllocationsDemo
from funds.demo.microcredit import MicrocreditDemo
from funds.demo.payments import PaymentsDemo
from funds.demo.placements import PlacementsDemo
from funds.models import (
    DebtPlacement,
    FundAccount,
    FundAllocation,
    FundType,
    InterestSubsidy,
    LoanRepayment,
    MicrocreditLoan,
    Payment,
    PaymentDraw,
    PlacementReturn,
    PrincipalRecovery,
    ProjectFund,
    Reallocation,
    Redeployment,
    Reimbursement,
    ReimbursementVoucher,
    RetentionDeduction,
    SixClearsReview,
)
from kaiyuan.areas.models import Area
from kaiyuan.common.dates import today
from kaiyuan.common.ledger import purge
from projects.codes import FinanceMode
from projects.models import Project


class FundsDemo(AllocationsDemo, PaymentsDemo, PlacementsDemo, MicrocreditDemo):
    def __init__(self, context) -> None:
        self.context = context
        # Its own generator: seeded by the seed and the county's size (the task's households).
        self.rng = random.Random(context.seed * 100_003 + context.households)  # noqa: S311
        self.users = context.made["users"]
        self.bureau = self.users["bureau"]
        self.finance = self.users["finance"]
        self.today = today()
        self.linkage = FundType.objects.get(code="linkage")
        self.special = FundType.objects.filter(code="special").first() or self.linkage
        self.documents = 0
        self.counts: dict[str, int] = defaultdict(int)
        self.subsidised: dict[tuple[int, int], Decimal] = defaultdict(lambda: ZERO)
        self.report_turn = 0
        self.planned_seen = 0

    def clerk(self, project: Project):
        code = project.area.code[: Area.CODE_LENGTH[Area.Level.TOWNSHIP]]
        return self.users[f"clerk_{code}"]

    def run(self) -> None:
        overdue_placed = False
        for year in YEARS:
            projects = self.chosen(self.funded(year))
            if not projects:
                continue
            docs = self.allocations_of(year, projects)
            self.assign(year, projects, docs)
            for project in projects:
                mode = project.finance_mode
                if mode == FinanceMode.DEBT:
                    overdue = not overdue_placed and project.status != Project.Status.PLANNED
                    self.debt(project, year, overdue=overdue)
                    overdue_placed = overdue_placed or overdue
                elif mode == FinanceMode.HOUSEHOLD:
                    self.household(project, year)
                else:
                    self.self_built(project, year)
        self.recent_and_reversed()
        self.loans()


def seed(context) -> None:
    demo = FundsDemo(context)
    demo.run()
    shown = ", ".join(f"{count} {name}" for name, count in sorted(demo.counts.items()))
    context.log(f"funds: {shown}")


# The money rows in the order they may go: what points at a row before the row, a reversal
# before what it reverses.
LEDGER_ORDER = (
    ReimbursementVoucher,
    Reimbursement,
    PaymentDraw,
    Payment,
    RetentionDeduction,
    ProjectFund,
    Reallocation,
    FundAccount,
    FundAllocation,
    PlacementReturn,
    PrincipalRecovery,
    Redeployment,
    SixClearsReview,
    DebtPlacement,
    InterestSubsidy,
    LoanRepayment,
    MicrocreditLoan,
)


def delete_all() -> None:
    """Delete every linkage-fund row but the code tables (fund types, uses), for the demo's
    reset: inside ``kaiyuan.common.ledger.purge()``, the only way past the database's refusal
    to delete a money row. The vouchers' files go with them."""
    for stored in ReimbursementVoucher.objects.all():
        stored.file.delete(save=False)
    with purge():
        for model in LEDGER_ORDER:
            rows = model.objects.all()
            for self_link in ("reverses", "reduces"):
                if any(f.name == self_link for f in model._meta.concrete_fields):
                    rows.filter(**{f"{self_link}__isnull": False}).delete()
            rows.delete()
