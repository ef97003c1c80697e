"""Assigning allocations to projects, and money idle at the townships (DOMAIN.md §4.2, FND-7,
§10 Q-6 d, Q-14)."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from kaiyuan.common.dates import add_months
from kaiyuan.common.money import format_yuan
from kaiyuan.common.rules import FLAG, Rule, Violation

FND_ALLOCATION = Rule("FND-ALLOCATION", _("An allocation is never assigned beyond its amount."))
FND_LEVEL = Rule(
    "FND-LEVEL",
    _("A project receives of each level no more than its approved funding of that level."),
)
FND_INDUSTRY = Rule(
    "FND-INDUSTRY",
    _("Industry-assistance money goes only to industry projects (the plan's §四(五)2 二)."),
)
FND_7 = Rule(
    "FND-7",
    _(
        "Money idle at a township for more than the months set after its arrival may be "
        "reallocated by the bureau."
    ),
    FLAG,
)
FND_NO_PAYMENT = Rule(
    "FND-NO-PAYMENT",
    _("Money arrived more than the months set ago and nothing has been paid."),
    FLAG,
)


def assignment_problems(
    *,
    amount: Decimal,
    allocation,
    assigned_before: Decimal,
    project,
    level_received: Decimal,
    level_approved: Decimal,
) -> list[Violation]:
    """Assigning ``amount`` of ``allocation`` to ``project``: within what is left of the
    allocation, and acceptable to the project (``receiving_problems``)."""
    problems = []
    left = allocation.amount - assigned_before
    if amount > left:
        problems.append(
            FND_ALLOCATION.violation(
                "amount",
                _(
                    "Allocation %(document)s has %(left)s yuan left to assign; %(amount)s yuan "
                    "is more."
                )
                % {
                    "document": allocation.document_number,
                    "left": format_yuan(left),
                    "amount": format_yuan(amount),
                },
            )
        )
    return problems + receiving_problems(
        amount=amount,
        allocation=allocation,
        project=project,
        level_received=level_received,
        level_approved=level_approved,
    )


def receiving_problems(
    *, amount: Decimal, allocation, project, level_received: Decimal, level_approved: Decimal
) -> list[Violation]:
    """Money of ``allocation`` coming to ``project`` (an assignment, a reallocation): within the
    project's approved funding of that level, and industry money only to an industry project."""
    problems = []
    if level_received + amount > level_approved:
        problems.append(
            FND_LEVEL.violation(
                "amount",
                _(
                    "The project's approved %(level)s funds are %(approved)s yuan; with this "
                    "assignment it would receive %(after)s yuan."
                )
                % {
                    "level": allocation.get_level_display(),
                    "approved": format_yuan(level_approved),
                    "after": format_yuan(level_received + amount),
                },
            )
        )
    if allocation.for_industry and not project.is_industry:
        problems.append(
            FND_INDUSTRY.violation(
                "allocation",
                _(
                    "Allocation %(document)s is industry-assistance money; %(project)s is not an "
                    "industry project."
                )
                % {"document": allocation.document_number, "project": project.code},
            )
        )
    return problems


def idle_since(arrived_on: datetime.date, months: int) -> datetime.date:
    """The first day the money counts as idle: "超过1个月以上" is more than a month (§1.5), so
    money that arrived on 31 October is idle from 1 December, not on 30 November."""
    return add_months(arrived_on, months) + datetime.timedelta(days=1)


def is_idle(arrived_on: datetime.date | None, months: int, today: datetime.date) -> bool:
    return arrived_on is not None and today >= idle_since(arrived_on, months)


def latest_idle_arrival(months: int, today: datetime.date) -> datetime.date:
    """The queryset form of ``is_idle``: money that arrived on or before this day is idle."""
    one = datetime.timedelta(days=1)
    day = add_months(today, -months)
    while idle_since(day, months) > today:
        day -= one
    while idle_since(day + one, months) <= today:
        day += one
    return day


def idle_flags(*, balance: Decimal, paid_any: bool, arrived_on, months: int, today) -> list:
    if balance <= 0 or not is_idle(arrived_on, months, today):
        return []
    flags = [
        FND_7.violation(
            "balance",
            _("%(balance)s yuan arrived on %(day)s and is unspent.")
            % {"balance": format_yuan(balance), "day": arrived_on.isoformat()},
        )
    ]
    if not paid_any:
        flags.append(FND_NO_PAYMENT.violation("balance", FND_NO_PAYMENT.statement))
    return flags
