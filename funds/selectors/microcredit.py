"""Reads of micro-credit loans: the loans with what is repaid and subsidised, and the overdue
ones (FND-LOAN-OVERDUE)."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.db.models import (
    DecimalField,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce

from funds.models import InterestSubsidy, LoanRepayment, MicrocreditLoan
from kaiyuan.common.dates import today

ZERO = Value(Decimal("0.00"), output_field=DecimalField(max_digits=14, decimal_places=2))


def _total(model):
    return Coalesce(
        Subquery(
            model.objects.filter(loan=OuterRef("pk"))
            .order_by()
            .values("loan")
            .annotate(total=Sum("amount"))
            .values("total")
        ),
        ZERO,
    )


def loans_for(user) -> QuerySet:
    """Loans with ``repaid``, ``subsidised`` and ``outstanding`` (constant query count)."""
    return (
        MicrocreditLoan.objects.visible_to(user)
        .select_related("household", "household__area", "borrower")
        .annotate(repaid=_total(LoanRepayment), subsidised=_total(InterestSubsidy))
        .annotate(outstanding=F("amount") - F("repaid"))
    )


def overdue(queryset: QuerySet, *, on: datetime.date | None = None) -> QuerySet:
    """Loans past their (extended) due date with principal outstanding."""
    day = on or today()
    return queryset.filter(outstanding__gt=0).filter(
        Q(extended_to__isnull=True, due_on__lt=day) | Q(extended_to__lt=day)
    )


def household_loans(household, user) -> QuerySet:
    return loans_for(user).filter(household=household).order_by("-issued_on", "-id")
