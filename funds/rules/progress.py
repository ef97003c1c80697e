"""Spending progress (FND-8) and the industry share (FND-9) of the provincial-and-above linkage
funds of a year (DOMAIN.md §4.4, the plan's §五(三) and §四(二)1)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from kaiyuan.common.rules import FLAG, Rule

FND_8 = Rule(
    "FND-8",
    _(
        "Provincial-and-above linkage funds are spent to at least 30 per cent by 30 April, 50 by "
        "30 June, 75 by 30 September and 100 by 31 December."
    ),
    FLAG,
)
FND_9 = Rule(
    "FND-9",
    _("At least 60 per cent of the year's provincial-and-above linkage funds go to industry."),
    FLAG,
)

GREEN, AMBER, RED = "green", "amber", "red"


@dataclass(frozen=True)
class Milestone:
    due: datetime.date
    percent: Decimal


def milestones(year: int, policy) -> list[Milestone]:
    """The year's four milestones, from the PolicySettings of that year."""
    return [
        Milestone(datetime.date(year, 4, 30), policy.spending_target_april),
        Milestone(datetime.date(year, 6, 30), policy.spending_target_june),
        Milestone(datetime.date(year, 9, 30), policy.spending_target_september),
        Milestone(datetime.date(year, 12, 31), policy.spending_target_december),
    ]


def passed_milestone(year: int, policy, as_of: datetime.date) -> Milestone | None:
    """The last milestone whose day is over by ``as_of`` ("4月底前…达到": on 30 April itself
    the 30 % is due)."""
    passed = [m for m in milestones(year, policy) if m.due <= as_of]
    return passed[-1] if passed else None


def next_milestone(year: int, policy, as_of: datetime.date) -> Milestone | None:
    coming = [m for m in milestones(year, policy) if m.due > as_of]
    return coming[0] if coming else None


def ratio(spent: Decimal, allocated: Decimal) -> Decimal | None:
    """Spent ÷ allocated in percent, to two places (None when nothing is allocated)."""
    if not allocated:
        return None
    return (spent * 100 / allocated).quantize(Decimal("0.01"))


def light(spent: Decimal, allocated: Decimal, *, year: int, policy, as_of) -> str:
    """Red below the milestone already due, amber below the next one, green at or above it
    (≥, §1.5). Exact amounts are compared, not the rounded percentage."""
    if not allocated:
        return GREEN
    due = passed_milestone(year, policy, as_of)
    if due is not None and spent * 100 < due.percent * allocated:
        return RED
    upcoming = next_milestone(year, policy, as_of)
    if upcoming is not None and spent * 100 < upcoming.percent * allocated:
        return AMBER
    return GREEN


def industry_share_met(industry: Decimal, allocated: Decimal, policy) -> bool:
    """FND-9: "不低于60%" is at least 60 %."""
    return not allocated or industry * 100 >= policy.industry_share_percent * allocated
