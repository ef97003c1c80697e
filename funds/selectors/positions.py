"""Where a project's money stands: assigned, arrived, paid by tranche, available, retained. The
payment service reads it under the fund account's lock; pages and exports read the same
figures."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.db.models import Sum

from funds.codes import Tranche
from funds.models import Payment, ProjectFund, RetentionDeduction
from funds.rules.payments import Position
from funds.selectors.allocations import at_township_q, balance, with_balance
from kaiyuan.common.ledger import net


def entries_with_balance(project, *, arrived_by: datetime.date | None = None):
    """The project's positive fund entries with what is left of each (``balance``), oldest
    arrival first: what payments draw on."""
    rows = ProjectFund.objects.filter(project=project, kind__in=ProjectFund.POSITIVE)
    if arrived_by is not None:
        rows = rows.filter(arrived_on__lte=arrived_by)
    return with_balance(rows).order_by("arrived_on", "id")


def paid(project, *, tranche: str | None = None) -> Decimal:
    rows = Payment.objects.filter(project=project)
    if tranche:
        rows = rows.filter(tranche=tranche)
    return net(rows)


def latest_progress_by(project, day: datetime.date) -> Decimal | None:
    return (
        project.progress_reports.filter(reported_on__lte=day)
        .order_by("-reported_on", "-id")
        .values_list("percent", flat=True)
        .first()
    )


def passed_acceptance_by(project, day: datetime.date):
    """The project's acceptance if its latest one by ``day`` passed (a failed one after a pass
    sends it back to rectification)."""
    latest = (
        project.acceptances.filter(accepted_on__lte=day).order_by("-accepted_on", "-id").first()
    )
    return latest if latest is not None and latest.passed else None


def position(project, *, on: datetime.date, retention_required: bool) -> Position:
    acceptance = passed_acceptance_by(project, on)
    return Position(
        finance_mode=project.finance_mode,
        fund_total=project.linkage_funds,
        paid=paid(project),
        available=sum(
            (balance(e) for e in entries_with_balance(project, arrived_by=on)), Decimal("0.00")
        ),
        latest_progress=latest_progress_by(project, on),
        accepted_on=acceptance.accepted_on if acceptance else None,
        retention_required=retention_required,
        retention_paid=paid(project, tranche=Tranche.RETENTION),
        retention_deducted=net(RetentionDeduction.objects.filter(project=project)),
    )


def household_subsidies_in_year(household, year: int) -> Decimal:
    """PRJ-HH-2 (Q-7): what the household received as subsidies in the calendar year, across
    every project, reversals netted."""
    return net(
        Payment.objects.filter(household=household, tranche=Tranche.HOUSEHOLD, paid_on__year=year)
    )


def assigned(project, *, level: str | None = None) -> Decimal:
    rows = ProjectFund.objects.filter(project=project)
    if level:
        rows = rows.filter(allocation__level=level)
    return net(rows)


def arrived(project) -> Decimal:
    """Money at the township for the project: arrived entries, less reversals and
    reallocations out."""
    return net(ProjectFund.objects.filter(project=project).filter(at_township_q()))


def paid_by_tranche(project) -> dict[str, Decimal]:
    """Tranche → what was paid in it, reversals netted."""
    return dict(
        Payment.objects.filter(project=project)
        .order_by()
        .values("tranche")
        .annotate(total=Sum("amount"))
        .values_list("tranche", "total")
    )
