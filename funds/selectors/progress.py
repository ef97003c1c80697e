"""Spending progress (FND-8) and the industry share (FND-9) of a year, as of any day.

Three aggregate queries, whatever the size of the county: the year's allocations by level, the
money assigned by township and level, and the money paid (the payments' draws) by township and
level, each counted up to the day asked for (allocations by their date, assignments by theirs,
payments by the day paid; a reversal counts from its own day, so a past day's figures stay what
they were that day).
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import F, Sum
from django.db.models.functions import Substr

from funds.codes import PROVINCIAL_AND_ABOVE, FundLevel
from funds.models import FundAllocation, PaymentDraw, ProjectFund
from funds.rules import progress as rules
from kaiyuan.areas.models import Area
from kaiyuan.policy.services import policy_for
from projects.codes import INDUSTRY_CATEGORIES

ZERO = Decimal("0.00")
TOWNSHIP_CODE_LENGTH = Area.CODE_LENGTH[Area.Level.TOWNSHIP]


@dataclass
class Cell:
    allocated: Decimal = ZERO
    spent: Decimal = ZERO
    light: str = rules.GREEN

    @property
    def percent(self) -> Decimal | None:
        return rules.ratio(self.spent, self.allocated)


@dataclass
class Row:
    """A township (or, for projects spanning townships, the county itself) by level."""

    code: str
    name: str
    cells: dict[str, Cell] = field(default_factory=dict)
    total: Cell = field(default_factory=Cell)


@dataclass
class Progress:
    year: int
    as_of: datetime.date
    passed: rules.Milestone | None
    next: rules.Milestone | None
    levels: tuple[str, ...]
    county: dict[str, Cell]  # per level, against the allocations themselves
    county_total: Cell  # provincial-and-above
    rows: list[Row]
    industry: Decimal
    industry_base: Decimal
    industry_met: bool
    industry_target: Decimal

    @property
    def industry_percent(self) -> Decimal | None:
        return rules.ratio(self.industry, self.industry_base)


def spending_progress(*, year: int, as_of: datetime.date, townships=None) -> Progress:
    """The year's progress as of ``as_of``. ``townships`` (codes) narrows the rows to a user's
    own; the county figures are the county's."""
    policy = policy_for(year)
    levels = tuple(FundLevel.values)

    allocations = FundAllocation.objects.filter(
        year=year, fund_type__is_linkage=True, issued_on__lte=as_of
    )
    by_level = dict(
        allocations.values_list("level").annotate(total=Sum("amount")).values_list("level", "total")
    )

    township = Substr(F("project__area__code"), 1, TOWNSHIP_CODE_LENGTH)
    assigned = (
        ProjectFund.objects.filter(
            allocation__year=year, allocation__fund_type__is_linkage=True, assigned_on__lte=as_of
        )
        .annotate(township=township, level=F("allocation__level"))
        .values("township", "level")
        .annotate(total=Sum("amount"))
    )
    spent = (
        PaymentDraw.objects.filter(
            fund__allocation__year=year,
            fund__allocation__fund_type__is_linkage=True,
            payment__paid_on__lte=as_of,
        )
        .annotate(
            township=Substr(F("fund__project__area__code"), 1, TOWNSHIP_CODE_LENGTH),
            level=F("fund__allocation__level"),
        )
        .values("township", "level")
        .annotate(total=Sum("amount"))
    )
    industry = (
        ProjectFund.objects.filter(
            allocation__year=year,
            allocation__fund_type__is_linkage=True,
            allocation__level__in=PROVINCIAL_AND_ABOVE,
            assigned_on__lte=as_of,
            project__category__in=INDUSTRY_CATEGORIES,
        ).aggregate(total=Sum("amount"))["total"]
        or ZERO
    )

    cells: dict[str, dict[str, Cell]] = defaultdict(dict)
    spent_by_level: dict[str, Decimal] = defaultdict(lambda: ZERO)
    for row in assigned:
        cells[row["township"]].setdefault(row["level"], Cell()).allocated += row["total"]
    for row in spent:
        cells[row["township"]].setdefault(row["level"], Cell()).spent += row["total"]
        spent_by_level[row["level"]] += row["total"]

    def lit(cell: Cell) -> Cell:
        cell.light = rules.light(cell.spent, cell.allocated, year=year, policy=policy, as_of=as_of)
        return cell

    names = dict(Area.objects.filter(code__in=list(cells)).values_list("code", "name"))
    rows = []
    for code in sorted(cells):
        if townships is not None and code not in townships:
            continue
        row = Row(code=code, name=names.get(code, code))
        for level in levels:
            row.cells[level] = lit(cells[code].get(level, Cell()))
        row.total = lit(
            Cell(
                allocated=sum((row.cells[lv].allocated for lv in PROVINCIAL_AND_ABOVE), ZERO),
                spent=sum((row.cells[lv].spent for lv in PROVINCIAL_AND_ABOVE), ZERO),
            )
        )
        rows.append(row)

    county = {
        level: lit(Cell(allocated=by_level.get(level) or ZERO, spent=spent_by_level[level]))
        for level in levels
    }
    county_total = lit(
        Cell(
            allocated=sum((county[lv].allocated for lv in PROVINCIAL_AND_ABOVE), ZERO),
            spent=sum((county[lv].spent for lv in PROVINCIAL_AND_ABOVE), ZERO),
        )
    )
    return Progress(
        year=year,
        as_of=as_of,
        passed=rules.passed_milestone(year, policy, as_of),
        next=rules.next_milestone(year, policy, as_of),
        levels=levels,
        county=county,
        county_total=county_total,
        rows=rows,
        industry=industry,
        industry_base=county_total.allocated,
        industry_met=rules.industry_share_met(industry, county_total.allocated, policy),
        industry_target=policy.industry_share_percent,
    )
