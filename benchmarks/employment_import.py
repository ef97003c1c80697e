"""The monthly roster coming back at county scale: the bureau's roster of this month (the first
10,000 people of the county's, fewer in a smaller county), as the download writes it, with some
rows changed as a month brings (every 40th job ended at the end of last month, every 40th wage
corrected, every 40th person without a job given one), validated and committed by
``employment.imports.rosters`` (every row judged, then the confirmations, ends, corrections and
new jobs through the record services, audited, in one transaction), against openpyxl read-only
reading the same file, same run. Each timed import is rolled back, so every repetition finds the
same records at the same versions.

The records are the database's, or those ``benchmarks.employment_jobs`` makes.
"""

from __future__ import annotations

import datetime
import tempfile
from decimal import Decimal
from pathlib import Path

from django.db import transaction
from django.utils import timezone
from openpyxl import load_workbook

from benchmarks.employment_jobs import ensure_jobs
from benchmarks.harness import Result, interleaved_medians, megabytes, peak_memory
from employment.exports import rosters as roster
from employment.imports.rosters.writer import IMPORTED, import_file
from employment.rules.records import months_spanned
from employment.selectors.labour import month_bounds
from employment.selectors.rosters import previous_month, roster_members
from kaiyuan.accounts.models import User
from kaiyuan.common import dates
from kaiyuan.common import exports as files

MAX_ROWS = 10_000
EVERY = 40
COLUMN = {header: index for index, header in enumerate(roster.HEADERS)}
NEW_JOB = {
    roster.PLACE_CATEGORY: "县内务工",
    roster.PLACE: "开原市经济开发区",
    roster.EMPLOYER: "开原市某食品有限公司",
    roster.JOB_TYPE: "务工（工资性就业）",
    roster.BATCH: "招聘活动推送一批",
    roster.SOURCE: "走访核实",
}


class _Rollback(Exception):
    pass


def build_file(path: Path, actor: User, year: int, month: int) -> dict[str, int]:
    """The roster of ``year``-``month`` for the county, changed; what was changed."""
    county = actor.area
    members = roster_members(actor, county, year, month)[:MAX_ROWS]
    rows = list(roster.roster_rows(members))
    last_month_end = month_bounds(*previous_month(year, month))[1]
    changed = {"rows": len(rows), "ended": 0, "corrected": 0, "new": 0}
    for n, row in enumerate(rows):
        has_job = row[COLUMN[roster.RECORD_ID]] is not None
        if row[COLUMN[roster.JOB_TYPE]] == "公益性岗位":
            continue  # a post's job is changed on the post's page, never in the file
        if has_job and n % EVERY == 1 and row[COLUMN[roster.END]] is None:
            row[COLUMN[roster.END]] = last_month_end
            # The months worked fit the period that now ends (a job of the whole year so far).
            start = row[COLUMN[roster.START]]
            if start is not None and row[COLUMN[roster.MONTHS]] is not None:
                spanned = months_spanned(start, last_month_end)
                row[COLUMN[roster.MONTHS]] = min(row[COLUMN[roster.MONTHS]], spanned)
            changed["ended"] += 1
        elif has_job and n % EVERY == 2 and row[COLUMN[roster.END]] is None:
            row[COLUMN[roster.WAGE]] = Decimal("3100.00")
            changed["corrected"] += 1
        elif not has_job and n % EVERY in (3, 4):
            for header, value in NEW_JOB.items():
                row[COLUMN[header]] = value
            row[COLUMN[roster.START]] = datetime.date(year, month, 1)
            changed["new"] += 1
    caption = roster.roster_caption(county, year, month, as_of=timezone.now())
    files.write_workbook(path, roster.roster_sheets(rows, count=len(rows), caption=caption))
    return changed


def _import(path: Path, actor: User, year: int, month: int) -> None:
    try:
        with transaction.atomic():
            outcome = import_file(
                path=path,
                actor=actor,
                year=year,
                month=month,
                file_name=path.name,
                marked_path=path.with_name("marked.xlsx"),
            )
            assert outcome.state == IMPORTED, outcome.report.problems.errors[:3]
            raise _Rollback
    except _Rollback:
        pass


def _read_baseline(path: Path) -> None:
    workbook = load_workbook(path, read_only=True)
    for _row in workbook[roster.ROSTER_SHEET].iter_rows(values_only=True):
        pass
    workbook.close()


def run(households: int) -> list[Result]:
    ensure_jobs()
    actor = User.objects.get(username="bureau")
    this = dates.today()
    year, month = this.year, this.month
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "roster.xlsx"
        changed = build_file(source, actor, year, month)
        repeat = 3 if changed["rows"] >= 1000 else 5
        imported, read = interleaved_medians(
            lambda: _import(source, actor, year, month),
            lambda: _read_baseline(source),
            repeat=repeat,
        )
        _t, import_peak = peak_memory(lambda: _import(source, actor, year, month))
        _t, read_peak = peak_memory(lambda: _read_baseline(source))
    return [
        Result(
            f"monthly roster import, {changed['rows']} rows",
            imported,
            "openpyxl read-only read",
            read,
            {
                **{key: str(value) for key, value in changed.items() if key != "rows"},
                "peak": megabytes(import_peak),
                "baseline_peak": megabytes(read_peak),
            },
        )
    ]
