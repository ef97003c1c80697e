"""Micro-credit loans of 脱贫户 with repayments and 贴息, one overdue."""

from __future__ import annotations

import datetime
from decimal import Decimal

from funds.codes import LoanPurpose
from funds.demo import (
    BANKS,
    CENT,
    DAY,
    YEARS,
    share,
)
from funds.services import microcredit
from kaiyuan.common.dates import add_months
from monitoring.codes import HouseholdType
from monitoring.models import Household, Member


class MicrocreditDemo:
    """Part of ``funds.demo.funds.FundsDemo`` (its ``rng``, ``users``, ``today``, ``counts``)."""

    def loans(self) -> None:
        wanted = max(3, min(6, self.context.households // 300))
        candidates = (
            Household.objects.current()
            .filter(household_type=HouseholdType.EXITED)
            .select_related("area")
            .order_by("household_number")
        )
        households = [h for h in candidates[: wanted * 3] if h.is_exited or h.is_monitored]
        self.rng.shuffle(households)
        made = 0
        for household in households:
            if made >= wanted:
                break
            borrower = (
                Member.objects.filter(household=household, status=Member.Status.ACTIVE)
                .order_by("person_number")
                .first()
            )
            clerk = self.users.get(f"clerk_{household.area.code[:9]}")
            if borrower is None or clerk is None:
                continue
            overdue = made == 0
            issued = (
                datetime.date(2023, 3, 15)
                if overdue
                else datetime.date(self.rng.choice(YEARS), self.rng.randint(1, 9), 10)
            )
            term = 24 if overdue else self.rng.choice([12, 24, 36])
            amount = Decimal(self.rng.choice([20000, 30000, 50000]))
            loan = microcredit.loan_create(
                household=household,
                borrower=borrower,
                bank=self.rng.choice(BANKS),
                contract_number=f"XD{issued:%Y%m}{household.household_number[-6:]}",
                amount=amount,
                issued_on=issued,
                term_months=term,
                purpose=self.rng.choice([LoanPurpose.PLANTING, LoanPurpose.BREEDING]),
                purpose_note="扩大种养规模",
                annual_rate="3.85",
                actor=clerk,
            )
            made += 1
            due = loan.due_on
            # Repaid in halves: at the term's middle and at its end (the overdue one only half).
            middle = add_months(issued, term // 2)
            for day, part in ((middle, 50), (due, 50)):
                if day > self.today or (overdue and day == due):
                    continue
                microcredit.repayment_record(
                    loan=loan, amount=share(amount, part), repaid_on=day, actor=clerk
                )
                self.counts["loan repayments"] += 1
            # The interest subsidy (贴息) year by year of the term, paid after each year.
            period_start = issued
            while period_start < due:
                period_end = min(add_months(period_start, 12) - DAY, due)
                paid_on = period_end + 10 * DAY
                if paid_on > self.today:
                    break
                months = Decimal((period_end - period_start).days) / Decimal(365)
                microcredit.subsidy_record(
                    loan=loan,
                    amount=(amount * Decimal("3.85") / 100 * months).quantize(CENT),
                    period_start=period_start,
                    period_end=period_end,
                    paid_on=paid_on,
                    actor=clerk,
                )
                self.counts["interest subsidies"] += 1
                period_start = period_end + DAY
        self.counts["loans"] = made
