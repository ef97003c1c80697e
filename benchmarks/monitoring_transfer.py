"""Import of the national household/member Excel and export of 已脱贫人口名单, each beside a plain
openpyxl baseline measured in the same run on the same data.

(1) import of min(10,000, households) new households (about three members each) from a generated
    file, against "openpyxl read-only read of the same file"; each timed import is rolled back so
    that every repetition imports into an empty set of household numbers.
(2) export of every 脱贫 person of the county as the job runs it (count, query, rows, workbook,
    SHA-256, file attached to the job, audit event), against "openpyxl write-only writing the
    same rows" (rows fetched beforehand).
"""

from __future__ import annotations

import datetime
import statistics
import tempfile
import time
from pathlib import Path

from django.db import transaction
from openpyxl import Workbook, load_workbook

from benchmarks.harness import Result, interleaved_medians, megabytes, peak_memory
from kaiyuan.accounts.models import User
from kaiyuan.accounts.roles import Role
from kaiyuan.areas.models import Area
from kaiyuan.common import dates
from kaiyuan.common.idcard import build_id_number
from kaiyuan.jobs.models import Job
from kaiyuan.jobs.services import job_run
from monitoring.exports.households import (
    EXPORT_JOB,
    LISTS,
    export_areas,
    export_member_rows,
    export_members,
    headers_of,
    list_rows,
)
from monitoring.imports.households import layout
from monitoring.imports.households.writer import IMPORTED, import_file
from monitoring.models import Household

MAX_HOUSEHOLDS = 10_000
# A division code no seeded person has, so generated ID numbers never clash with the county's.
ADDRESS = "219901"
NUMBER_PREFIX = "9"  # seeded household numbers start with the county code 2


class _Rollback(Exception):
    pass


def _actor() -> User:
    county = Area.objects.home_county()
    actor = User.objects.filter(role=Role.BUREAU, area=county, is_active=True).first()
    if actor is None:
        actor = User.objects.create(username="bench_bureau", role=Role.BUREAU, area=county)
    return actor


def _villages() -> list[Area]:
    villages = list(Area.objects.villages().select_related("parent").order_by("code"))
    if not villages:
        township = Area.objects.townships().order_by("code").first()
        villages = [
            Area.objects.create(
                code=f"{township.code}901",
                name="基准村",
                level=Area.Level.VILLAGE,
                kind=Area.Kind.VILLAGE_COMMITTEE,
                parent=township,
                path=f"{township.path}{township.code}901/",
            )
        ]
        villages[0].parent = township
    return villages


def build_file(
    path: Path, households: int, *, prefix: str = NUMBER_PREFIX, address: str = ADDRESS
) -> int:
    """A national-layout file of ``households`` 脱贫户 with a head, a spouse and a pupil each;
    returns the number of data rows."""
    villages = _villages()
    headers = [column.header for column in layout.IMPORT_COLUMNS]
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("家庭成员")
    sheet.append(headers)
    rows = 0
    for n in range(households):
        village = villages[n % len(villages)]
        number = f"{prefix}{n:011d}"
        born = datetime.date(1950, 1, 1) + datetime.timedelta(days=n % 15000)
        child = datetime.date(2010, 1, 1) + datetime.timedelta(days=n % 2500)
        # Unique ID numbers for n < 15,000: parents by birth date, children by date and sequence
        # (odd sequences are men, even women).
        people = (
            ("户主", "男", born, 1, "初中", None, "普通劳动力"),
            ("配偶", "女", born, 2, "小学", None, "普通劳动力"),
            ("之子", "男", child, 3 + 2 * (n // 2500), None, "七年级", "无劳动力"),
        )
        for index, (relation, sex, birth, seq, education, schooling, labour) in enumerate(people):
            values = {
                "序号": rows + 1,
                "县(市、区、旗)": village.parent.parent.name if village.parent.parent else None,
                "乡(镇)": village.parent.name,
                "行政村": village.name,
                "户编号": number,
                "人编号": f"{number}{index + 1:02d}",
                "姓名": f"基准{n}{relation}",
                "证件号码": build_id_number(address, birth, seq),
                "人数": 3,
                "与户主关系": relation,
                "民族": "汉族",
                "文化程度": education,
                "在校生状况": schooling,
                "健康状况": "健康",
                "劳动技能": labour,
                "务工时间（月）": 0,
                "是否参加大病保险": "是",
                "危房户": "否",
                "是否解决安全饮用水": "是",
                "户类型": "脱贫户",
                "性别": sex,
                "是否参加新型农村合作医疗（城乡居民基本医疗保险）": "是",
                "是否参加城镇职工基本医疗保险": "否",
            }
            sheet.append([values.get(header) for header in headers])
            rows += 1
    workbook.save(path)
    return rows


def _import(path: Path, actor: User, *, keep: bool = False) -> None:
    try:
        with transaction.atomic():
            outcome = import_file(path=path, actor=actor, file_name=path.name)
            assert outcome.state == IMPORTED, outcome.report.errors[:3]
            if not keep:
                raise _Rollback
    except _Rollback:
        pass


def _read_baseline(path: Path) -> None:
    workbook = load_workbook(path, read_only=True)
    for _row in workbook.active.iter_rows(values_only=True):
        pass
    workbook.close()


def run(households: int) -> list[Result]:
    size = max(1, min(MAX_HOUSEHOLDS, households))
    actor = _actor()
    results = []
    with tempfile.TemporaryDirectory() as folder:
        if not Household.objects.exited().exists():
            # An empty county: give the export something to write, under other numbers and IDs.
            seed = Path(folder) / "seed.xlsx"
            build_file(seed, size, prefix="8", address="219902")
            _import(seed, actor, keep=True)
        source = Path(folder) / "import.xlsx"
        rows = build_file(source, size)
        repeat = 3 if size >= 1000 else 5
        import_time, read_time = interleaved_medians(
            lambda: _import(source, actor), lambda: _read_baseline(source), repeat=repeat
        )
        _t, import_peak = peak_memory(lambda: _import(source, actor))
        _t, read_peak = peak_memory(lambda: _read_baseline(source))
        results.append(
            Result(
                name=f"import {size} households ({rows} rows)",
                median_s=import_time,
                baseline_name="openpyxl read-only read",
                baseline_median_s=read_time,
                extra={"peak": megabytes(import_peak), "baseline_peak": megabytes(read_peak)},
            )
        )
        results.append(_export_result(actor, Path(folder)))
    return results


def _export_result(actor: User, folder: Path) -> Result:
    county = actor.area
    spec = LISTS["exited"]
    headers = headers_of(spec.columns)
    day = dates.today()

    def export() -> None:
        job = Job.objects.create(
            kind=EXPORT_JOB,
            params={"list": spec.key, "area": county.pk},
            created_by=actor,
            area=county,
        )
        job_run(job_id=job.pk)
        job.refresh_from_db()
        assert job.status == Job.Status.DONE, job.message
        job.result_file.delete(save=False)

    prefetched = list(
        list_rows(
            export_member_rows(export_members(user=actor, list_key="exited", area=county)),
            columns=spec.columns,
            full_ids=True,
            as_of=day,
            areas=export_areas(county),
        )
    )

    def baseline() -> None:
        workbook = Workbook(write_only=True)
        sheet = workbook.create_sheet(spec.name)
        sheet.append(headers)
        for row in prefetched:
            sheet.append(row)
        workbook.save(folder / "baseline.xlsx")

    # Alternated, so that a neighbour's load on the machine weighs on both alike.
    export(), baseline()
    timings = [(_seconds(export), _seconds(baseline)) for _round in range(3)]
    export_time = statistics.median(pair[0] for pair in timings)
    baseline_time = statistics.median(pair[1] for pair in timings)
    _t, export_peak = peak_memory(export)
    _t, baseline_peak = peak_memory(baseline)
    return Result(
        name=f"export 已脱贫人口名单 ({len(prefetched)} rows)",
        median_s=export_time,
        baseline_name="openpyxl write-only, rows prefetched",
        baseline_median_s=baseline_time,
        extra={"peak": megabytes(export_peak), "baseline_peak": megabytes(baseline_peak)},
    )


def _seconds(fn) -> float:
    started = time.perf_counter()
    fn()
    return time.perf_counter() - started
