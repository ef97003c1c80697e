"""Funded projects for the benchmarks that need money behind them (the spending progress, the
asset ledger's chain): each project's linkage money of each level assigned from one allocation
per level and arrived, then paid in tranches, every payment drawing the same share of each of
the project's entries so that the draws add up to it."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from decimal import Decimal

from funds.codes import PayeeKind
from funds.models import FundAllocation, FundType, Payment, PaymentDraw, ProjectFund
from kaiyuan.accounts.models import User
from kaiyuan.areas.models import Area
from projects.models import Project


def fund_and_pay(
    projects: Sequence[Project],
    *,
    admin: User,
    year: int,
    levels: dict[str, Decimal],
    payments: Sequence[tuple[str, Decimal, datetime.date]],
    document: str,
) -> None:
    """``levels``: each level's money per project; ``payments``: (tranche, share of the
    project's money, day paid); ``document``: the allocations' document number, with
    ``{level}`` in it."""
    county = Area.objects.home_county()
    linkage = FundType.objects.get(code="linkage")
    allocations = FundAllocation.objects.bulk_create(
        FundAllocation(
            document_number=document.format(level=level),
            issued_on=datetime.date(year, 2, 1),
            level=level,
            fund_type=linkage,
            year=year,
            amount=amount * len(projects),
            area=county,
            recorded_by=admin,
        )
        for level, amount in levels.items()
    )
    entries = ProjectFund.objects.bulk_create(
        [
            ProjectFund(
                allocation=allocation,
                project=project,
                kind=ProjectFund.Kind.ASSIGNMENT,
                amount=levels[allocation.level],
                assigned_on=datetime.date(year, 3, 1),
                arrived_on=datetime.date(year, 3, 15),
                township_account="乡镇财政所专户",
                recorded_by=admin,
            )
            for project in projects
            for allocation in allocations
        ],
        batch_size=3000,
    )
    by_project: dict[int, list[ProjectFund]] = {}
    for entry in entries:
        by_project.setdefault(entry.project_id, []).append(entry)
    made = Payment.objects.bulk_create(
        [
            Payment(
                project=project,
                tranche=tranche,
                amount=sum(levels.values()) * part,
                paid_on=day,
                payee_name="股份经济合作社",
                payee_account="6228480012345678",
                payee_kind=PayeeKind.ENTITY,
                basis="施工合同",
                recorded_by=admin,
            )
            for project in projects
            for tranche, part, day in payments
        ],
        batch_size=3000,
    )
    PaymentDraw.objects.bulk_create(
        [
            PaymentDraw(payment=payment, fund=entry, amount=entry.amount * part)
            for payment, (_tranche, part, _day) in zip(
                made, list(payments) * len(projects), strict=True
            )
            for entry in by_project[payment.project_id]
        ],
        batch_size=5000,
    )
