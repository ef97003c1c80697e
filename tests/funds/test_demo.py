"""The demo's linkage funds: in a tiny county every state is there (every level's allocations,
every tranche, every 报账 status, overdue and recent 报账, idle money, a placement past its term
with principal outstanding, micro-credit with one overdue loan), no rule is broken, the same
seed gives the same money, and the demo reset removes it."""

from __future__ import annotations

import hashlib
from collections import defaultdict
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db.models import Sum

from funds.codes import PROJECT_FUNDING_FIELD, FundLevel, ReimbursementStatus, Tranche
from funds.demo.funds import LEDGER_ORDER
from funds.models import (
    DebtPlacement,
    FundAllocation,
    FundType,
    FundUse,
    InterestSubsidy,
    LoanRepayment,
    MicrocreditLoan,
    Payment,
    PaymentDraw,
    PlacementReturn,
    ProjectFund,
    SixClearsReview,
)
from funds.selectors.allocations import idle_entries
from funds.selectors.microcredit import loans_for, overdue
from funds.selectors.payments import overdue_reimbursements, payments_for
from funds.selectors.placements import flags_of, placements_for
from kaiyuan.accounts.models import User
from kaiyuan.areas.models import Area, Grid
from kaiyuan.common.dates import today
from kaiyuan.common.ledger import net
from kaiyuan.policy.services import policy_for
from monitoring.demo.households import delete_all

pytestmark = pytest.mark.django_db
HOUSEHOLDS = 80  # the smallest county whose library has a funded project of every finance mode
D = Decimal


def _fingerprint() -> str:
    rows = [
        *FundAllocation.objects.order_by("document_number", "level").values_list(
            "document_number", "level", "year", "amount", "issued_on", "fund_type__code"
        ),
        *ProjectFund.objects.order_by("project__code", "allocation__document_number").values_list(
            "project__code", "allocation__document_number", "amount", "assigned_on", "arrived_on"
        ),
        *Payment.objects.order_by("project__code", "paid_on", "tranche", "amount").values_list(
            "project__code", "tranche", "amount", "paid_on", "payee_name", "payee_id_masked",
            "reimbursement__status", "reimbursement__reported_on",
        ),
        *DebtPlacement.objects.order_by("project__code").values_list(
            "project__code", "principal", "start_date", "end_date", "agreed_rate"
        ),
        *MicrocreditLoan.objects.order_by("contract_number").values_list(
            "contract_number", "amount", "issued_on", "due_on"
        ),
    ]  # fmt: skip
    return hashlib.sha256(repr(rows).encode()).hexdigest()


def _wipe() -> None:
    delete_all()
    Grid.objects.all().delete()
    User.objects.all().delete()
    Area.objects.filter(level="group").delete()
    Area.objects.filter(level="village").delete()


@pytest.fixture
def demo(db):
    call_command("seed_demo", households=HOUSEHOLDS, seed=3)


def test_every_state_of_the_money_is_there(demo):
    county = User.objects.get(username="bureau")
    for year in (2023, 2024):
        levels = set(FundAllocation.objects.filter(year=year).values_list("level", flat=True))
        assert levels == set(FundLevel.values), year
    own = FundAllocation.objects.get(year=2024, level=FundLevel.COUNTY, fund_type__code="linkage")
    assert own.amount == D("10000000.00")
    assert FundAllocation.objects.exclude(fund_type__code="linkage").exists()
    assert ProjectFund.objects.filter(arrived_on__isnull=False).exists()

    tranches = set(Payment.objects.values_list("tranche", flat=True))
    assert tranches == set(Tranche.values)
    statuses = set(Payment.objects.values_list("reimbursement__status", flat=True))
    assert {
        ReimbursementStatus.UNREPORTED,
        ReimbursementStatus.REPORTED,
        ReimbursementStatus.ACCEPTED,
    } <= statuses
    assert Payment.objects.filter(reverses__isnull=False).exists()
    assert Payment.objects.filter(tranche=Tranche.HOUSEHOLD, payee_id_masked__contains="****")
    payments = payments_for(county)
    assert overdue_reimbursements(payments).exists()
    recent = payments.filter(reimbursement__status=ReimbursementStatus.UNREPORTED).exclude(
        pk__in=overdue_reimbursements(payments).values("pk")
    )
    assert recent.filter(reverses__isnull=True, reversed=False).exists()
    assert idle_entries(county).exists()

    flagged = [p for p in placements_for(county) if flags_of(p)]
    assert any(f.rule == "FND-10-OVERDUE" for p in flagged for f in flags_of(p))
    assert PlacementReturn.objects.exists() and SixClearsReview.objects.exists()
    assert SixClearsReview.objects.exclude(problems="").exists()

    assert LoanRepayment.objects.exists() and InterestSubsidy.objects.exists()
    assert overdue(loans_for(county)).count() >= 1


def test_no_rule_of_the_money_is_broken(demo):
    day = today()
    for model, field in (
        (FundAllocation, "issued_on"),
        (ProjectFund, "arrived_on"),
        (Payment, "paid_on"),
        (PlacementReturn, "received_on"),
        (LoanRepayment, "repaid_on"),
        (InterestSubsidy, "paid_on"),
    ):
        assert not model.objects.filter(**{f"{field}__gt": day}).exists(), model
    # FND-ALLOCATION: no allocation assigned beyond its amount.
    for allocation in FundAllocation.objects.filter(reverses__isnull=True):
        assert net(ProjectFund.objects.filter(allocation=allocation)) <= allocation.amount
    # FND-LEVEL: no project receives of a level more than its approved funding of that level.
    received = defaultdict(lambda: D("0"))
    for row in ProjectFund.objects.values("project", "allocation__level").annotate(
        total=Sum("amount")
    ):
        received[(row["project"], row["allocation__level"])] = row["total"]
    from projects.models import Project

    for project in Project.objects.filter(funds__isnull=False).distinct():
        for level, field in PROJECT_FUNDING_FIELD.items():
            assert received[(project.pk, level)] <= getattr(project, field), project.code
        paid = net(Payment.objects.filter(project=project))
        assert paid <= project.linkage_funds
        # Every payment is drawn on money that arrived before it.
        for draw in PaymentDraw.objects.filter(payment__project=project).select_related(
            "payment", "fund"
        ):
            if draw.amount > 0:
                assert draw.fund.arrived_on <= draw.payment.paid_on
    # PRJ-HH-2 and PRJ-HH-3: within the cap, to 脱贫/监测 households only.
    per_year = defaultdict(lambda: D("0"))
    for payment in Payment.objects.filter(tranche=Tranche.HOUSEHOLD).select_related("household"):
        assert payment.household.is_exited or payment.household.is_monitored
        per_year[(payment.household_id, payment.paid_on.year)] += payment.amount
    for (_household, year), total in per_year.items():
        assert total <= policy_for(year).household_subsidy_cap
    # FND-RATE: every placement returns at least the minimum.
    for placement in DebtPlacement.objects.all():
        assert placement.agreed_rate >= policy_for(placement.start_date.year).minimum_return_percent


def test_the_same_seed_gives_the_same_money_and_the_reset_removes_it():
    call_command("seed_demo", households=HOUSEHOLDS, seed=3)
    first = _fingerprint()
    assert Payment.objects.exists()
    _wipe()
    for model in LEDGER_ORDER:
        assert not model.objects.exists(), model
    assert FundType.objects.exists() and FundUse.objects.exists()  # the code tables stay
    call_command("seed_demo", households=HOUSEHOLDS, seed=3)
    assert _fingerprint() == first
