"""Debt placements (DOMAIN.md FND-10, §5.8, the plan's §四(五)1 三 and §四(五)2 二)."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from kaiyuan.common.money import format_yuan
from kaiyuan.common.rules import FLAG, Rule, Violation
from projects.codes import FinanceMode

FND_10 = Rule(
    "FND-10",
    _(
        "When a debt-type agreement ends, its principal is recovered; redeploying it needs the "
        "bureau's consent."
    ),
)
FND_10_OVERDUE = Rule(
    "FND-10-OVERDUE", _("The agreement has ended and its principal is not recovered."), FLAG
)
FND_ENDING = Rule("FND-ENDING", _("The agreement ends within the days set."), FLAG)
FND_RATE = Rule(
    "FND-RATE",
    _(
        "The agreed annual return of a debt placement is at least the minimum return set "
        "(6 per cent)."
    ),
)


def placement_problems(
    *, project, principal: Decimal, agreed_rate: Decimal, minimum_rate: Decimal, placed: Decimal
) -> list[Violation]:
    problems = []
    if project.finance_mode != FinanceMode.DEBT:
        problems.append(
            FND_10.violation(
                "project", _("Only a debt-type (债权类) project places its money with an entity.")
            )
        )
    if agreed_rate < minimum_rate:
        problems.append(
            FND_RATE.violation(
                "agreed_rate",
                _("The agreed return of %(rate)s%% is below the minimum of %(minimum)s%%.")
                % {"rate": agreed_rate.normalize(), "minimum": minimum_rate.normalize()},
            )
        )
    if placed + principal > project.linkage_funds:
        problems.append(
            FND_10.violation(
                "principal",
                _(
                    "Placements of %(placed)s yuan exceed the project's linkage funds of "
                    "%(funds)s yuan."
                )
                % {
                    "placed": format_yuan(placed + principal),
                    "funds": format_yuan(project.linkage_funds),
                },
            )
        )
    return problems


def recovery_problems(*, amount: Decimal, outstanding: Decimal) -> list[Violation]:
    if amount > outstanding:
        return [
            FND_10.violation(
                "amount",
                _("Only %(outstanding)s yuan of principal is outstanding.")
                % {"outstanding": format_yuan(outstanding)},
            )
        ]
    return []


def redeployment_problems(*, amount: Decimal, recovered: Decimal, redeployed: Decimal):
    left = recovered - redeployed
    if amount > left:
        return [
            FND_10.violation(
                "amount",
                _(
                    "Only recovered principal is redeployed: %(left)s yuan is recovered and not "
                    "yet redeployed."
                )
                % {"left": format_yuan(left)},
            )
        ]
    return []


def placement_flags(
    *, end_date: datetime.date, outstanding: Decimal, today: datetime.date, ending_days: int
) -> list[Violation]:
    if outstanding <= 0:
        return []
    if end_date < today:
        return [
            FND_10_OVERDUE.violation(
                "end_date",
                _("Ended on %(day)s with %(outstanding)s yuan of principal not recovered.")
                % {"day": end_date.isoformat(), "outstanding": format_yuan(outstanding)},
            )
        ]
    if (end_date - today).days <= ending_days:
        return [
            FND_ENDING.violation(
                "end_date",
                _("Ends on %(day)s, in %(days)s days.")
                % {"day": end_date.isoformat(), "days": (end_date - today).days},
            )
        ]
    return []


def ending_window(today: datetime.date, ending_days: int) -> datetime.date:
    """The queryset form of ``placement_flags``: agreements ending on or before this day."""
    return today + datetime.timedelta(days=ending_days)
