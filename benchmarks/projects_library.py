"""The project library at county scale: 3,000 projects of one library year, each with its
village, performance targets and beneficiary households from the registry.

- the library's list page (`/projects/list/`, the bureau's first page, all filters open)
  against Django admin's change list of projects, same run;
- the published library export (the job's own work: the rows with their villages, targets and
  beneficiary counts, written through the shared audited export) against openpyxl write-only
  writing the same rows, same run.

The projects are bulk-made by the benchmark itself (the demo's ~300 are too few) under the
codes ``BM<year>-…``, once per database; a rerun with ``--reuse`` finds them.
"""

from __future__ import annotations

import itertools
import tempfile
from decimal import Decimal
from pathlib import Path

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from openpyxl import Workbook

from benchmarks.harness import Result, interleaved_medians
from kaiyuan.accounts.models import User
from kaiyuan.areas.models import Area
from kaiyuan.common import exports as files
from monitoring.models import Household
from projects.codes import (
    Category,
    EntityType,
    FinanceMode,
    IndicatorGroup,
    IndicatorKind,
    Mechanism,
    ProposerLevel,
    Subcategory,
)
from projects.exports.library.layout import library_row, library_sheet
from projects.models import PerformanceIndicator, Project, ProjectBeneficiary, ProjectVillage
from projects.selectors.library import library_rows, with_export_parts

YEAR = 2030  # a library year of its own, apart from the demo's 2023–2025
BENEFICIARIES_PER_PROJECT = 8
ADMIN_PROJECTS = "/admin/projects/project/"


def projects_for(households: int) -> int:
    """3,000 at county scale; a few dozen in the test suite's tiny county."""
    return 3000 if households >= 10_000 else 40


def _make(count: int) -> None:
    made = Project.objects.filter(code__startswith=f"BM{YEAR}-").count()
    if made >= count:
        return
    creator = User.objects.get(username="admin")
    villages = list(Area.objects.villages().order_by("code"))
    by_village: dict[int, list[int]] = {}
    for household_id, area_id in Household.objects.current().values_list("pk", "area_id"):
        by_village.setdefault(area_id, []).append(household_id)
    subcategories = [Subcategory.ORGANIC_RICE, Subcategory.BEEF_CATTLE, Subcategory.GRAPE]
    projects = []
    for number in range(made + 1, count + 1):
        village = villages[number % len(villages)]
        projects.append(
            Project(
                code=f"BM{YEAR}-{number:05d}",
                name=f"{village.name}产业帮扶项目{number}",
                year=YEAR,
                category=Category.INDUSTRY,
                subcategory=subcategories[number % 3],
                finance_mode=FinanceMode.SELF_BUILT,
                area=village,
                proposer_level=ProposerLevel.VILLAGE,
                entity_name=f"{village.name}股份经济合作社",
                entity_type=EntityType.COLLECTIVE_ORGANISATION,
                responsible_person="李国强",
                content="新建标准化圈舍，配套粪污处理设施",
                scale="圈舍1200平方米",
                location=village.name,
                start_date=f"{YEAR}-04-01",
                end_date=f"{YEAR}-10-31",
                total_investment=Decimal("500000.00"),
                central_funds=Decimal("300000.00"),
                provincial_funds=Decimal("100000.00"),
                county_funds=Decimal("50000.00"),
                self_raised=Decimal("50000.00"),
                mechanisms=[Mechanism.EMPLOYMENT, Mechanism.ASSET_SHARES],
                status=Project.Status.IN_LIBRARY,
                created_by=creator,
            )
        )
    Project.objects.bulk_create(projects, batch_size=1000)
    projects = list(Project.objects.filter(code__in=[p.code for p in projects]))
    ProjectVillage.objects.bulk_create(
        [
            ProjectVillage(
                project=p, village_id=p.area_id, share_percent=100, asset_share_percent=100
            )
            for p in projects
        ],
        batch_size=2000,
    )
    PerformanceIndicator.objects.bulk_create(
        [
            PerformanceIndicator(project=p, group=group, kind=kind, name=name, unit=unit, target=t)
            for p in projects
            for group, kind, name, unit, t in (
                (IndicatorGroup.OUTPUT, IndicatorKind.QUANTITY, "新建圈舍", "平方米", 1200),
                (IndicatorGroup.BENEFIT, IndicatorKind.ECONOMIC, "带动增收", "元/户", 1500),
                (
                    IndicatorGroup.SATISFACTION,
                    IndicatorKind.BENEFICIARY_SATISFACTION,
                    "受益户满意度",
                    "%",
                    90,
                ),
            )
        ],
        batch_size=3000,
    )
    beneficiaries = []
    for p in projects:
        pool = by_village.get(p.area_id, [])
        for household_id in itertools.islice(pool, BENEFICIARIES_PER_PROJECT):
            beneficiaries.append(
                ProjectBeneficiary(project=p, household_id=household_id, role="分红")
            )
    ProjectBeneficiary.objects.bulk_create(beneficiaries, batch_size=5000)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("ANALYZE projects_project, projects_projectvillage")
            cursor.execute("ANALYZE projects_projectbeneficiary, projects_performanceindicator")


def _get(client: Client, url: str) -> None:
    assert client.get(url).status_code == 200, url


def _queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        _get(client, url)
    return len(captured.captured_queries)


def _export(user, directory: Path) -> int:
    caption = files.caption("项目库", scope="开原市", as_of=timezone.now())
    rows = with_export_parts(library_rows(user, YEAR, admitted_only=False)).iterator(chunk_size=500)
    written = files.write_workbook(
        directory / "library.xlsx", [library_sheet(rows, caption=caption)]
    )
    return written.rows


def _openpyxl(user, directory: Path) -> int:
    """The same rows (same query, same cells) through openpyxl write-only, nothing more."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet()
    rows = with_export_parts(library_rows(user, YEAR, admitted_only=False)).iterator(chunk_size=500)
    count = 0
    for count, project in enumerate(rows, start=1):
        sheet.append(library_row(count, project))
    workbook.save(directory / "plain.xlsx")
    return count


def run(households: int) -> list[Result]:
    count = projects_for(households)
    _make(count)
    bureau = User.objects.get(username="bureau")
    admin = Client()
    admin.force_login(User.objects.get(username="admin"))
    client = Client()
    client.force_login(bureau)
    list_url = f"/projects/list/?year={YEAR}"
    page, baseline = interleaved_medians(
        lambda: _get(client, list_url), lambda: _get(admin, ADMIN_PROJECTS)
    )
    results = [
        Result(
            "project list page, bureau, first page",
            page,
            "admin project change list",
            baseline,
            {"projects": str(count), "queries": str(_queries(client, list_url))},
        )
    ]
    with tempfile.TemporaryDirectory() as name:
        directory = Path(name)
        exported, plain = interleaved_medians(
            lambda: _export(bureau, directory), lambda: _openpyxl(bureau, directory)
        )
        rows = _export(bureau, directory)
    results.append(
        Result(
            "library export (published layout)",
            exported,
            "openpyxl write-only, same rows",
            plain,
            {"rows": str(rows)},
        )
    )
    return results
