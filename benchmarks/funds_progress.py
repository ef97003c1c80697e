"""The spending progress (FND-8) of a county year: 3,000 projects of one plan year, each with its
central, provincial and county money assigned and arrived, and three payments drawn on it.

- ``funds.selectors.progress.spending_progress`` for the year (what the progress page, the
  export and the API show: allocated and spent by township and level, the lights, the county's
  rows, the industry share) against ONE hand-written SQL aggregate of the same spent-by-township-
  and-level numbers (``cursor.execute`` of a GROUP BY over the payments' draws), same run; both
  must give the same numbers.

The rows are bulk-made by the benchmark itself (the demo's are too few) for a year of their own,
once per database; a rerun with ``--reuse`` finds them.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.db import connection, transaction

from benchmarks.funded import fund_and_pay
from benchmarks.harness import Result, interleaved_medians
from funds.codes import FundLevel, Tranche
from funds.selectors.progress import TOWNSHIP_CODE_LENGTH, spending_progress
from kaiyuan.accounts.models import User
from kaiyuan.areas.models import Area
from projects.codes import Category, EntityType, FinanceMode, ProposerLevel, Subcategory
from projects.models import Project

YEAR = 2031  # a plan year of its own, apart from the demo's 2023–2025
AS_OF = datetime.date(YEAR, 9, 30)
LEVELS = {
    FundLevel.CENTRAL: Decimal("300000.00"),
    FundLevel.PROVINCIAL: Decimal("100000.00"),
    FundLevel.COUNTY: Decimal("50000.00"),
}
# The three payments of a project: (tranche, share of its money, day paid).
PAYMENTS = (
    (Tranche.ADVANCE, Decimal("0.3"), datetime.date(YEAR, 4, 20)),
    (Tranche.PROGRESS, Decimal("0.4"), datetime.date(YEAR, 8, 10)),
    (Tranche.FINAL, Decimal("0.27"), datetime.date(YEAR, 11, 20)),  # after AS_OF
)

SPENT_SQL = f"""
SELECT substr(area.code, 1, {TOWNSHIP_CODE_LENGTH}) AS township, allocation.level,
       sum(draw.amount) AS spent
  FROM funds_paymentdraw draw
  JOIN funds_payment payment ON payment.id = draw.payment_id
  JOIN funds_projectfund fund ON fund.id = draw.fund_id
  JOIN funds_fundallocation allocation ON allocation.id = fund.allocation_id
  JOIN funds_fundtype fund_type ON fund_type.id = allocation.fund_type_id
  JOIN projects_project project ON project.id = fund.project_id
  JOIN areas_area area ON area.id = project.area_id
 WHERE allocation.year = %s AND fund_type.is_linkage AND payment.paid_on <= %s
 GROUP BY 1, 2
"""  # noqa: S608 (a constant)


def projects_for(households: int) -> int:
    """3,000 at county scale; a few dozen in the test suite's tiny county."""
    return 3000 if households >= 10_000 else 40


@transaction.atomic
def _make(count: int) -> None:
    made = Project.objects.filter(code__startswith=f"FB{YEAR}-").count()
    if made >= count:
        return
    admin = User.objects.get(username="admin")
    villages = list(Area.objects.villages().order_by("code"))
    projects = [
        Project(
            code=f"FB{YEAR}-{number:05d}",
            name=f"{villages[number % len(villages)].name}产业帮扶项目{number}",
            year=YEAR,
            plan_year=YEAR,
            category=Category.INDUSTRY if number % 3 else Category.RURAL_CONSTRUCTION,
            subcategory=Subcategory.BEEF_CATTLE,
            finance_mode=FinanceMode.SELF_BUILT,
            area=villages[number % len(villages)],
            proposer_level=ProposerLevel.VILLAGE,
            entity_name="股份经济合作社",
            entity_type=EntityType.COLLECTIVE_ORGANISATION,
            responsible_person="李国强",
            content="新建标准化圈舍",
            scale="圈舍1200平方米",
            location=villages[number % len(villages)].name,
            start_date=f"{YEAR}-04-01",
            end_date=f"{YEAR}-10-31",
            total_investment=Decimal("500000.00"),
            central_funds=LEVELS[FundLevel.CENTRAL],
            provincial_funds=LEVELS[FundLevel.PROVINCIAL],
            county_funds=LEVELS[FundLevel.COUNTY],
            self_raised=Decimal("50000.00"),
            status=Project.Status.IMPLEMENTING,
            created_by=admin,
        )
        for number in range(made + 1, count + 1)
    ]
    Project.objects.bulk_create(projects, batch_size=1000)
    projects = list(Project.objects.filter(code__in=[p.code for p in projects]).order_by("pk"))
    fund_and_pay(
        projects,
        admin=admin,
        year=YEAR,
        levels=LEVELS,
        payments=PAYMENTS,
        document=f"基准〔{YEAR}〕{{level}}-{made}号",
    )
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE funds_paymentdraw, funds_payment, funds_projectfund")
            cursor.execute("ANALYZE funds_fundallocation, projects_project")


def _selector() -> dict[tuple[str, str], Decimal]:
    progress = spending_progress(year=YEAR, as_of=AS_OF)
    return {
        (row.code, level): cell.spent
        for row in progress.rows
        for level, cell in row.cells.items()
        if cell.spent
    }


def _sql() -> dict[tuple[str, str], Decimal]:
    with connection.cursor() as cursor:
        cursor.execute(SPENT_SQL, [YEAR, AS_OF])
        return {(township, level): spent for township, level, spent in cursor.fetchall() if spent}


def run(households: int) -> list[Result]:
    count = projects_for(households)
    _make(count)
    assert _selector() == _sql(), "the selector and the SQL aggregate disagree"
    assert sum(_sql().values()) > 0
    selector, baseline = interleaved_medians(_selector, _sql, repeat=5)
    return [
        Result(
            "spending progress of a year (selector)",
            selector,
            "one SQL GROUP BY of the draws",
            baseline,
            {"projects": str(count), "draws": str(count * len(PAYMENTS) * len(LEVELS))},
        )
    ]
