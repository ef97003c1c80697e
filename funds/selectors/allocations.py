"""Reads of allocations and project funds: the allocation ledger, a project's fund account and
the money idle at the townships (FND-7)."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.db.models import Exists, F, OuterRef, Q, QuerySet

from funds.models import FundAllocation, Payment, PaymentDraw, ProjectFund
from funds.rules import allocations as rules
from kaiyuan.common.dates import today
from kaiyuan.common.ledger import total_of
from kaiyuan.policy.services import policy_for


def allocations_for(user) -> QuerySet:
    """Allocations (not their reversals) with ``reversed_amount``, ``assigned`` and
    ``arrived`` (constant query count)."""
    return (
        FundAllocation.objects.visible_to(user)
        .filter(reverses__isnull=True)
        .select_related("fund_type")
        .annotate(
            reversed_amount=total_of(
                FundAllocation.objects.filter(reverses=OuterRef("pk")), "reverses"
            ),
            assigned=total_of(ProjectFund.objects.filter(allocation=OuterRef("pk")), "allocation"),
            spent=total_of(
                PaymentDraw.objects.filter(fund__allocation=OuterRef("pk")), "fund__allocation"
            ),
        )
    )


def with_balance(entries: QuerySet) -> QuerySet:
    """Fund entries with ``reduced`` (what reversals and reallocations took out of each) and
    ``drawn`` (what payments drew on it); ``balance(entry)`` is what is left."""
    return entries.annotate(
        reduced=total_of(ProjectFund.objects.filter(reduces=OuterRef("pk")), "reduces"),
        drawn=total_of(PaymentDraw.objects.filter(fund=OuterRef("pk")), "fund"),
    )


def at_township_q() -> Q:
    """Money at the township: arrived entries, and the reversals and reallocations out of
    arrived ones."""
    return Q(kind__in=ProjectFund.POSITIVE, arrived_on__isnull=False) | Q(
        reduces__arrived_on__isnull=False
    )


def entries_for(user) -> QuerySet:
    """Project fund entries with ``reduced`` and ``drawn`` (constant query count)."""
    return with_balance(
        ProjectFund.objects.visible_to(user).select_related(
            "allocation", "allocation__fund_type", "project", "project__area"
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
