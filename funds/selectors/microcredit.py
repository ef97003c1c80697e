"""Reads of micro-credit loans: the loans with what is repaid and subsidised, and the overdue
ones (FND-LOAN-OVERDUE)."""

from __future__ import annotations

import datetime

from django.db.models import BooleanField, Case, F, OuterRef, QuerySet, When

from funds.models import InterestSubsidy, LoanRepayment, MicrocreditLoan
from funds.rules import microcredit as rules
from kaiyuan.common.dates import today
from kaiyuan.common.ledger import total_of


def _total(model):
    return total_of(model.objects.filter(loan=OuterRef("pk")), "loan")


def loans_for(user) -> QuerySet:
    """Loans with ``repaid``, ``subsidised`` and ``outstanding`` (constant query count)."""
    return (
        MicrocreditLoan.objects.visible_to(user)
        .select_related("household", "household__area", "borrower")
        .annotate(repaid=_total(LoanRepayment), subsidised=_total(InterestSubsidy))
        .annotate(outstanding=F("amount") - F("repaid"))
        .annotate(
            overdue=Case(
                When(rules.overdue_q(today()), then=True),
                default=False,
                output_field=BooleanField(),
            )
        )
    )


def overdue(queryset: QuerySet, *, on: datetime.date | None = None) -> QuerySet:
    """Loans past their (extended) due date with principal outstanding."""
    return queryset.filter(rules.overdue_q(on or today()))


def household_loans(household, user) -> QuerySet:
    return loans_for(user).filter(household=household).order_by("-issued_on", "-id")
