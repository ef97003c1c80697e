"""Micro-credit for 脱贫户 and monitored households (the plan's §四(二)1: 落实过渡期小额信贷政策;
the national policy's 5万元以下、3年以内, kept in PolicySettings)."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from kaiyuan.common.money import format_yuan
from kaiyuan.common.rules import FLAG, Rule, Violation

FND_LOAN = Rule(
    "FND-LOAN",
    _(
        "Micro-credit goes to poverty-exited and monitored households, within the policy's amount "
        "and term."
    ),
)
FND_LOAN_OVERDUE = Rule(
    "FND-LOAN-OVERDUE", _("The loan is past its due date and not fully repaid."), FLAG
)


def loan_problems(*, household, amount: Decimal, term_months: int, policy) -> list[Violation]:
    problems = []
    if not (household.is_exited or household.is_monitored):
        problems.append(
            FND_LOAN.violation(
                "household",
                _(
                    "Household %(number)s is neither a 脱贫户 nor a monitored household; "
                    "micro-credit is for them."
                )
                % {"number": household.household_number},
            )
        )
    if amount > policy.microcredit_max_amount:
        problems.append(
            FND_LOAN.violation(
                "amount",
                _("A micro-credit loan is at most %(limit)s yuan.")
                % {"limit": format_yuan(policy.microcredit_max_amount)},
            )
        )
    if term_months > policy.microcredit_max_months:
        problems.append(
            FND_LOAN.violation(
                "term_months",
                _("A micro-credit loan runs at most %(months)s months.")
                % {"months": policy.microcredit_max_months},
            )
        )
    return problems


def repayment_problems(*, amount: Decimal, outstanding: Decimal) -> list[Violation]:
    if amount > outstanding:
        return [
            FND_LOAN.violation(
                "amount",
                _("Only %(outstanding)s yuan of the loan is outstanding.")
                % {"outstanding": format_yuan(outstanding)},
            )
        ]
    return []


def is_overdue(final_due: datetime.date, outstanding: Decimal, today: datetime.date) -> bool:
    """Overdue the day after the (extended) due date, while anything is outstanding."""
    return outstanding > 0 and today > final_due


def overdue_q(today: datetime.date) -> Q:
    """The queryset form of ``is_overdue`` over loans annotated with ``outstanding``."""
    return Q(outstanding__gt=0) & (
        Q(extended_to__isnull=True, due_on__lt=today) | Q(extended_to__lt=today)
    )
