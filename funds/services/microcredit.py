"""Micro-credit loans of 脱贫户 and monitored households: the loan, its repayments and its
interest subsidy (贴息)."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from funds.exceptions import FundsError
from funds.models import InterestSubsidy, LoanRepayment, MicrocreditLoan
from funds.rules import microcredit as rules
from funds.services.allocations import not_future, percent_value, positive_amount
from kaiyuan.accounts.capabilities import require
from kaiyuan.audit import record
from kaiyuan.common.dates import add_months
from kaiyuan.common.errors import ConcurrentUpdate
from kaiyuan.common.ledger import net
from kaiyuan.common.rules import refuse_errors
from kaiyuan.common.scoping import ensure_may_change
from kaiyuan.policy.services import policy_for
from monitoring.models import Household, Member


def outstanding(loan: MicrocreditLoan) -> Decimal:
    return loan.amount - net(loan.repayments.all())


@transaction.atomic
def loan_create(
    *,
    household: Household,
    borrower: Member,
    bank: str,
    contract_number: str,
    amount,
    issued_on: datetime.date,
    term_months: int,
    purpose: str,
    purpose_note: str = "",
    annual_rate,
    actor,
) -> MicrocreditLoan:
    require(actor, "funds.microcredit")
    ensure_may_change(actor, household)
    amount = positive_amount(amount)
    issued_on = not_future(issued_on, "issued_on")
    if borrower.household_id != household.pk:
        raise FundsError(_("The borrower is a member of the household."), field="borrower")
    if not (bank or "").strip():
        raise FundsError(_("Enter the lending bank."), field="bank")
    if not (contract_number or "").strip():
        raise FundsError(_("Enter the loan contract number."), field="contract_number")
    if not term_months or term_months < 1:
        raise FundsError(_("Enter the term in months."), field="term_months")
    rate = percent_value(
        annual_rate, "annual_rate", _("Enter the annual interest rate in percent.")
    )
    refuse_errors(
        rules.loan_problems(
            household=household,
            amount=amount,
            term_months=term_months,
            policy=policy_for(issued_on.year),
        )
    )
    if MicrocreditLoan.objects.filter(
        bank=bank.strip(), contract_number=contract_number.strip()
    ).exists():
        raise FundsError(
            _("Loan contract %(number)s of %(bank)s is already recorded.")
            % {"number": contract_number.strip(), "bank": bank.strip()},
            field="contract_number",
        )
    loan = MicrocreditLoan.objects.create(
        household=household,
        borrower=borrower,
        bank=bank.strip(),
        contract_number=contract_number.strip(),
        amount=amount,
        issued_on=issued_on,
        term_months=term_months,
        due_on=add_months(issued_on, term_months),
        purpose=purpose,
        purpose_note=(purpose_note or "").strip(),
        annual_rate=rate,
        created_by=actor,
    )
    record(loan, action="create", actor=actor, data={"amount": str(amount)})
    return loan


def _lock(loan: MicrocreditLoan) -> MicrocreditLoan:
    return MicrocreditLoan.objects.select_for_update().get(pk=loan.pk)


@transaction.atomic
def repayment_record(
    *, loan: MicrocreditLoan, amount, repaid_on: datetime.date, actor
) -> LoanRepayment:
    require(actor, "funds.microcredit")
    ensure_may_change(actor, loan)
    amount = positive_amount(amount)
    repaid_on = not_future(repaid_on, "repaid_on")
    locked = _lock(loan)
    if repaid_on < locked.issued_on:
        raise FundsError(_("A repayment comes after the loan was issued."), field="repaid_on")
    refuse_errors(rules.repayment_problems(amount=amount, outstanding=outstanding(locked)))
    entry = LoanRepayment.objects.create(
        loan=locked, amount=amount, repaid_on=repaid_on, recorded_by=actor
    )
    record(locked, action="repayment", actor=actor, data={"amount": str(amount)})
    return entry


@transaction.atomic
def subsidy_record(
    *,
    loan: MicrocreditLoan,
    amount,
    period_start: datetime.date,
    period_end: datetime.date,
    paid_on: datetime.date,
    project=None,
    actor,
) -> InterestSubsidy:
    require(actor, "funds.microcredit")
    ensure_may_change(actor, loan)
    amount = positive_amount(amount)
    paid_on = not_future(paid_on, "paid_on")
    if period_start is None or period_end is None or period_end < period_start:
        raise FundsError(_("The period ends after it starts."), field="period_end")
    locked = _lock(loan)
    if period_start < locked.issued_on or period_end > locked.final_due:
        raise FundsError(
            _("The subsidy's period lies within the loan's term (%(start)s to %(end)s).")
            % {"start": locked.issued_on.isoformat(), "end": locked.final_due.isoformat()},
            field="period_start",
        )
    if locked.subsidies.filter(
        reverses__isnull=True,
        reversed_by__isnull=True,
        period_start__lte=period_end,
        period_end__gte=period_start,
    ).exists():
        raise FundsError(
            _("An interest subsidy for part of this period is already recorded."),
            field="period_start",
        )
    entry = InterestSubsidy.objects.create(
        loan=locked,
        amount=amount,
        period_start=period_start,
        period_end=period_end,
        paid_on=paid_on,
        project=project,
        recorded_by=actor,
    )
    record(locked, action="interest_subsidy", actor=actor, data={"amount": str(amount)})
    return entry


@transaction.atomic
def loan_extend(
    *, loan: MicrocreditLoan, extended_to: datetime.date, expected_version: int, actor
) -> MicrocreditLoan:
    """The bank's extension (展期): the loan is overdue only after the new date."""
    require(actor, "funds.microcredit")
    ensure_may_change(actor, loan)
    locked = _lock(loan)
    if locked.version != expected_version:
        raise ConcurrentUpdate(
            _("Someone else changed this loan since you opened it. Reload the page.")
        )
    if extended_to is None or extended_to <= locked.final_due:
        raise FundsError(
            _("An extension runs past %(day)s.") % {"day": locked.final_due.isoformat()},
            field="extended_to",
        )
    before = locked.extended_to
    locked.extended_to = extended_to
    locked.version += 1
    locked.save(update_fields=["extended_to", "version"])
    record(
        locked,
        action="change",
        actor=actor,
        data={"extended_to": [str(before) if before else None, extended_to.isoformat()]},
    )
    return locked
