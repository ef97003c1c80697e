"""The county chain export of the asset ledger: 2,000 assets formed by 1,000 projects (two each),
each project paid in three payments drawn on its central, provincial and county money (nine
draws), each asset with two years of settled income, each distributed to ten households
(40,000 lines).

- the chain export job (``assets.exports.chains``: the three streamed queries of
  ``assets.selectors.ledgers.chain_of``, the rows laid out, written through the shared audited
  export, hashed, attached to the job, recorded) against openpyxl write-only writing the same
  rows, already fetched as tuples, same run.

The rows are bulk-made by the benchmark itself under the codes ``BA<year>-…`` (the demo's
assets, if any, are too few), once per database; a rerun with ``--reuse`` finds them.
"""

from __future__ import annotations

import datetime
import tempfile
from decimal import Decimal
from pathlib import Path

from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from openpyxl import Workbook
from stdnum.cn import uscc as stdnum_uscc

from assets.codes import AssetClass, AssetType, FundingSource, LineUse, OwnerKind
from assets.exports.chains import CHAIN_EXPORT, HEADERS, chain_rows
from assets.models import (
    Asset,
    AssetFunding,
    AssetIncome,
    Collective,
    Distribution,
    DistributionLine,
)
from assets.selectors.ledgers import chain_of, scoped_assets
from benchmarks.funded import fund_and_pay
from benchmarks.harness import Result, interleaved_medians
from funds.codes import FundLevel, Tranche
from kaiyuan.accounts.models import User
from kaiyuan.areas.models import Area
from kaiyuan.jobs.models import Job
from kaiyuan.jobs.services import job_run
from monitoring.models import Household
from projects.codes import Category, EntityType, FinanceMode, ProposerLevel, Subcategory
from projects.models import Project

YEAR = 2032  # a plan year of its own, apart from the demo's and the other benchmarks'
INCOME_YEARS = (YEAR, YEAR + 1)
ASSETS_PER_PROJECT = 2
LINES_PER_DISTRIBUTION = 10
LEVELS = {
    FundLevel.CENTRAL: Decimal("300000.00"),
    FundLevel.PROVINCIAL: Decimal("100000.00"),
    FundLevel.COUNTY: Decimal("50000.00"),
}
SOURCE_OF_LEVEL = {
    FundLevel.CENTRAL: FundingSource.CENTRAL,
    FundLevel.PROVINCIAL: FundingSource.PROVINCIAL,
    FundLevel.COUNTY: FundingSource.COUNTY,
}
# The three payments of a project: (tranche, share of its money, day paid).
PAYMENTS = (
    (Tranche.ADVANCE, Decimal("0.3"), datetime.date(YEAR, 4, 20)),
    (Tranche.PROGRESS, Decimal("0.4"), datetime.date(YEAR, 8, 10)),
    (Tranche.FINAL, Decimal("0.27"), datetime.date(YEAR, 11, 20)),
)
PAID_SHARE = sum(part for _tranche, part, _day in PAYMENTS)
GROSS, DEPRECIATION, MAINTENANCE = Decimal("20000.00"), Decimal("1000.00"), Decimal("500.00")
NET = GROSS - DEPRECIATION - MAINTENANCE


def assets_for(households: int) -> int:
    """2,000 at county scale; a couple of dozen in the test suite's tiny county."""
    return 2000 if households >= 10_000 else 20


def _project(number: int, village: Area, admin: User) -> Project:
    return Project(
        code=f"BA{YEAR}-{number:05d}",
        name=f"{village.name}产业帮扶项目{number}",
        year=YEAR,
        plan_year=YEAR,
        category=Category.INDUSTRY,
        subcategory=Subcategory.BEEF_CATTLE,
        finance_mode=FinanceMode.SELF_BUILT,
        area=village,
        proposer_level=ProposerLevel.VILLAGE,
        entity_name="股份经济合作社",
        entity_type=EntityType.COLLECTIVE_ORGANISATION,
        responsible_person="李国强",
        content="新建标准化圈舍",
        scale="圈舍1200平方米",
        location=village.name,
        start_date=f"{YEAR}-04-01",
        end_date=f"{YEAR}-10-31",
        total_investment=sum(LEVELS.values()),
        central_funds=LEVELS[FundLevel.CENTRAL],
        provincial_funds=LEVELS[FundLevel.PROVINCIAL],
        county_funds=LEVELS[FundLevel.COUNTY],
        status=Project.Status.OPERATING,
        created_by=admin,
    )


def _collectives(villages: list[Area]) -> dict[int, Collective]:
    have = {c.village_id: c for c in Collective.objects.filter(village__in=villages)}
    missing = []
    for village in villages:
        if village.pk not in have:
            body = f"N2211282{village.pk:09d}"
            missing.append(
                Collective(
                    village=village,
                    name=f"{village.name}股份经济合作社",
                    uscc=body + stdnum_uscc.calc_check_digit(body),
                )
            )
    Collective.objects.bulk_create(missing)
    return {c.village_id: c for c in Collective.objects.filter(village__in=villages)}


def _assets(projects: list[Project], admin: User, collectives: dict[int, Collective]) -> list:
    value = (sum(LEVELS.values()) * PAID_SHARE / ASSETS_PER_PROJECT).quantize(Decimal("0.01"))
    assets = Asset.objects.bulk_create(
        [
            Asset(
                code=f"BA{YEAR}{project.pk:07d}{part}",
                name=f"{project.area.name}肉牛养殖圈舍{part}号",
                asset_class=AssetClass.OPERATING,
                asset_type=AssetType.FARM_BASE,
                quantity=Decimal("600"),
                unit="平方米",
                area=project.area,
                location=f"{project.area.name}村部东侧",
                project=project,
                formed_year=YEAR,
                completed_on=datetime.date(YEAR, 10, 31),
                handed_over_on=datetime.date(YEAR, 12, 1),
                original_value=value,
                owner_kind=OwnerKind.COLLECTIVE,
                collective=collectives[project.area_id],
                operator="开原市肉牛养殖专业合作社",
                custodian="李德福",
                maintenance_funding="资产收益",
                created_by=admin,
            )
            for project in projects
            for part in range(1, ASSETS_PER_PROJECT + 1)
        ],
        batch_size=2000,
    )
    AssetFunding.objects.bulk_create(
        [
            AssetFunding(
                asset=asset,
                source=SOURCE_OF_LEVEL[level],
                amount=(amount * PAID_SHARE / ASSETS_PER_PROJECT).quantize(Decimal("0.01")),
            )
            for asset in assets
            for level, amount in LEVELS.items()
        ],
        batch_size=5000,
    )
    return assets


def _incomes(assets: list[Asset], admin: User, households: list[int]) -> None:
    incomes = AssetIncome.objects.bulk_create(
        [
            AssetIncome(
                asset=asset,
                year=year,
                gross_income=GROSS,
                depreciation=DEPRECIATION,
                maintenance=MAINTENANCE,
                settled_on=datetime.date(year + 1, 1, 15),
                recorded_by=admin,
            )
            for asset in assets
            for year in INCOME_YEARS
        ],
        batch_size=5000,
    )
    distributions = Distribution.objects.bulk_create(
        [
            Distribution(
                income=income,
                asset_id=income.asset_id,
                year=income.year,
                amount=NET,
                status=Distribution.Status.PAID,
                publicity_from=datetime.date(income.year + 1, 2, 1),
                publicity_to=datetime.date(income.year + 1, 2, 7),
                publicity_place="村务公开栏",
                paid_on=datetime.date(income.year + 1, 2, 20),
                payment_reference="代发",
                created_by=admin,
            )
            for income in incomes
        ],
        batch_size=5000,
    )
    share = NET / LINES_PER_DISTRIBUTION
    lines = []
    for number, distribution in enumerate(distributions):
        for offset in range(LINES_PER_DISTRIBUTION):
            household = households[(number * LINES_PER_DISTRIBUTION + offset) % len(households)]
            lines.append(
                DistributionLine(
                    distribution=distribution,
                    use=LineUse.SHARE,
                    household_id=household,
                    amount=share,
                )
            )
    DistributionLine.objects.bulk_create(lines, batch_size=5000)


@transaction.atomic
def _make(count: int) -> None:
    made = Project.objects.filter(code__startswith=f"BA{YEAR}-").count()
    if made * ASSETS_PER_PROJECT >= count:
        return
    admin = User.objects.get(username="admin")
    villages = list(Area.objects.villages().order_by("code"))
    households = list(Household.objects.order_by("pk").values_list("pk", flat=True)[:20_000])
    assert len(households) >= LINES_PER_DISTRIBUTION, "the county needs households"
    made_projects = Project.objects.bulk_create(
        [
            _project(number, villages[number % len(villages)], admin)
            for number in range(made + 1, count // ASSETS_PER_PROJECT + 1)
        ],
        batch_size=1000,
    )
    projects = list(
        Project.objects.filter(code__in=[p.code for p in made_projects])
        .select_related("area")
        .order_by("pk")
    )
    fund_and_pay(
        projects,
        admin=admin,
        year=YEAR,
        levels=LEVELS,
        payments=PAYMENTS,
        document=f"基准资产〔{YEAR}〕{{level}}-{projects[0].pk}号",
    )
    collectives = _collectives(sorted({p.area for p in projects}, key=lambda a: a.code))
    _incomes(_assets(projects, admin, collectives), admin, households)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE assets_asset, assets_assetfunding, assets_assetincome")
            cursor.execute("ANALYZE assets_distribution, assets_distributionline")
            cursor.execute("ANALYZE funds_paymentdraw, funds_payment, funds_projectfund")


def _export(user: User) -> int:
    """The chain job, as the worker runs it."""
    job = Job.objects.create(
        kind=CHAIN_EXPORT, params={"area": user.area_id}, created_by=user, area=user.area
    )
    job_run(job_id=job.pk)
    job.refresh_from_db()
    assert job.status == Job.Status.DONE, job.message
    job.result_file.delete(save=False)
    return job.result["rows"]


def run(households: int) -> list[Result]:
    count = assets_for(households)
    _make(count)
    bureau = User.objects.get(username="bureau")
    county = bureau.area
    rows = [tuple(row) for row in chain_rows(chain_of(bureau, scoped_assets(bureau, county)))]
    lines = DistributionLine.objects.filter(distribution__asset__code__startswith=f"BA{YEAR}")
    with CaptureQueriesContext(connection) as captured:
        list(chain_rows(chain_of(bureau, scoped_assets(bureau, county))))
    queries = len(captured.captured_queries)

    with tempfile.TemporaryDirectory() as name:
        target = Path(name) / "baseline.xlsx"

        def baseline() -> None:
            workbook = Workbook(write_only=True)
            sheet = workbook.create_sheet("资金链条")
            sheet.append(HEADERS)
            for row in rows:
                sheet.append(row)
            workbook.save(target)

        exported, plain = interleaved_medians(lambda: _export(bureau), baseline)
    assert _export(bureau) == len(rows)
    return [
        Result(
            "county chain export (job, streamed)",
            exported,
            "openpyxl write-only, same rows as tuples",
            plain,
            {
                "rows": str(len(rows)),
                "assets": str(scoped_assets(bureau, county).count()),
                "lines": str(lines.count()),
                "queries": str(queries),
            },
        )
    ]
