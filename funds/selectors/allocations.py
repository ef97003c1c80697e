"""Reads of allocations and project funds: the allocation ledger, a project's fund account and
the money idle at the townships (FND-7)."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.db.models import DecimalField, Exists, F, OuterRef, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce

from funds.models import FundAllocation, Payment, PaymentDraw, ProjectFund
from funds.rules import allocations as rules
from kaiyuan.common.dates import today
from kaiyuan.policy.services import policy_for

ZERO = Value(Decimal("0.00"), output_field=DecimalField(max_digits=14, decimal_places=2))


def _sum(queryset: QuerySet, group: str, field: str = "amount"):
    return Coalesce(
        Subquery(queryset.order_by().values(group).annotate(total=Sum(field)).values("total")[:1]),
        ZERO,
    )


def allocations_for(user) -> QuerySet:
    """Allocations (not their reversals) with ``reversed_amount``, ``assigned`` and
    ``arrived`` (constant query count)."""
    return (
        FundAllocation.objects.visible_to(user)
        .filter(reverses__isnull=True)
        .select_related("fund_type")
        .annotate(
            reversed_amount=_sum(
                FundAllocation.objects.filter(reverses=OuterRef("pk")), "reverses"
            ),
            assigned=_sum(ProjectFund.objects.filter(allocation=OuterRef("pk")), "allocation"),
            spent=_sum(
                PaymentDraw.objects.filter(fund__allocation=OuterRef("pk")), "fund__allocation"
            ),
        )
    )


def entries_for(user) -> QuerySet:
    """Project fund entries with ``reduced`` and ``drawn`` (constant query count)."""
    return (
        ProjectFund.objects.visible_to(user)
        .select_related("allocation", "allocation__fund_type", "project", "project__area")
        .annotate(
            reduced=_sum(ProjectFund.objects.filter(reduces=OuterRef("pk")), "reduces"),
            drawn=_sum(PaymentDraw.objects.filter(fund=OuterRef("pk")), "fund"),
        )
    )


def idle_entries(user, *, on: datetime.date | None = None) -> QuerySet:
    """FND-7, the queryset form (Q-6 d, Q-14): money of a fund type the idle rule applies to,
    arrived more than the months set before ``on``, with an unspent balance. Each row has
    ``balance`` and ``paid_any`` (whether the project has paid anything)."""
    day = on or today()
    months = policy_for(day.year).idle_fund_months
    latest = rules.latest_idle_arrival(months, day)
    return (
        entries_for(user)
        .filter(
            kind__in=ProjectFund.POSITIVE,
            arrived_on__lte=latest,
            allocation__fund_type__idle_rule=True,
        )
        .annotate(
            paid_any=Exists(Payment.objects.filter(project=OuterRef("project"))),
        )
        .annotate(unspent=F("amount") + F("reduced") - F("drawn"))
        .filter(unspent__gt=0)
        .order_by("arrived_on", "id")
    )


def balance(entry) -> Decimal:
    return entry.amount + entry.reduced - entry.drawn
