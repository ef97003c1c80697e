"""Matching a department's screening list: a 20,000-row list (IDs of existing members, about 10 %
unknown numbers and a few invalid ones) matched and turned into warnings, then the same list
again (all duplicates), each against reading the same file alone with openpyxl in read-only mode
(same run, timed in turns with the matching), with the peak memory of both."""

from __future__ import annotations

import datetime
import statistics
import tempfile
import time
from pathlib import Path

from django.core.files import File
from openpyxl import Workbook, load_workbook

from benchmarks.harness import Result, megabytes, peak_memory
from kaiyuan.accounts.models import User
from kaiyuan.accounts.roles import Department, Role
from kaiyuan.areas.models import Area
from kaiyuan.common import pii
from kaiyuan.common.dates import today
from kaiyuan.common.idcard import build_id_number
from monitoring.exports import warnings as template
from monitoring.models import DeptWarning, Member, WarningUpload
from monitoring.services.warnings import warning_upload_match

LIST_ROWS = 20_000
UNKNOWN_SHARE = 0.10
INVALID_ROWS = 5
REPEAT = 3


def _ensure_members() -> None:
    if Member.objects.filter(status=Member.Status.ACTIVE).exists():
        return
    from tests.monitoring.factories import make_household

    for village in Area.objects.villages()[:5]:
        for _ in range(4):
            make_household(village, head_name="王建国")


def _department_user() -> User:
    user = User.objects.filter(role=Role.DEPARTMENT, department=Department.MEDICAL).first()
    if user is not None:
        return user
    return User.objects.create(
        username="bench_dept_medical",
        role=Role.DEPARTMENT,
        department=Department.MEDICAL,
        area=Area.objects.home_county(),
    )


def _build_list(path: Path) -> int:
    """The screening list: up to 20,000 members' numbers, 10 % unknown, a few invalid."""
    ciphers = list(
        Member.objects.filter(status=Member.Status.ACTIVE)
        .order_by("id")
        .values_list("id_cipher", flat=True)[:LIST_ROWS]
    )
    day = today() - datetime.timedelta(days=1)
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(template.LIST_SHEET)
    sheet.append(list(template.HEADERS))
    rows = 0
    unknown_every = round(1 / UNKNOWN_SHARE)
    for index, cipher in enumerate(ciphers):
        sheet.append([pii.decrypt(cipher), "张三", "大额医疗费用自付", "12500.00", day])
        rows += 1
        if index % unknown_every == 0:
            # Beijing numbers: nobody in the county has them.
            unknown = build_id_number("110105", datetime.date(1960, 1, 1), index)
            sheet.append([unknown, "李四", "大额医疗费用自付", "9800.00", day])
            rows += 1
    for index in range(INVALID_ROWS):
        sheet.append([f"21128219800517{index:03d}", "王五", "大额医疗费用自付", "1", day])
        rows += 1
    workbook.save(path)
    return rows


def _new_upload(path: Path, actor: User) -> WarningUpload:
    upload = WarningUpload(
        department=Department.MEDICAL, file_name=path.name, sha256="0" * 64, uploaded_by=actor
    )
    with path.open("rb") as handle:
        upload.file.save(path.name, File(handle), save=False)
    upload.save()
    return upload


def _clean(uploads: list[WarningUpload]) -> None:
    DeptWarning.objects.filter(upload__in=uploads).delete()
    for upload in uploads:
        upload.file.delete(save=False)
    WarningUpload.objects.filter(pk__in=[u.pk for u in uploads]).delete()


def _read_alone(path: Path) -> int:
    workbook = load_workbook(path, read_only=True, data_only=True)
    count = 0
    for _values in workbook.worksheets[0].iter_rows(min_row=2, values_only=True):
        count += 1
    workbook.close()
    return count


def run(households: int) -> list[Result]:
    _ensure_members()
    actor = _department_user()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "医保局-筛查名单.xlsx"
        rows = _build_list(path)

        first_times: list[float] = []
        read_times: list[float] = []
        again_times: list[float] = []
        first_peak = again_peak = 0
        matched = duplicates = 0
        for attempt in range(REPEAT + 1):  # the first attempt measures peak memory
            uploads = [_new_upload(path, actor), _new_upload(path, actor)]
            try:
                if attempt == 0:
                    _elapsed, first_peak = peak_memory(
                        lambda u=uploads[0]: warning_upload_match(upload=u)
                    )
                    _elapsed, again_peak = peak_memory(
                        lambda u=uploads[1]: warning_upload_match(upload=u)
                    )
                    continue
                # The baseline in turn with the matching, so that other load weighs on both.
                started = time.perf_counter()
                _read_alone(path)
                read_times.append(time.perf_counter() - started)
                started = time.perf_counter()
                first = warning_upload_match(upload=uploads[0])
                first_times.append(time.perf_counter() - started)
                started = time.perf_counter()
                again = warning_upload_match(upload=uploads[1])
                again_times.append(time.perf_counter() - started)
                matched, duplicates = first.matched, again.duplicates
            finally:
                _clean(uploads)

        _elapsed, read_peak = peak_memory(lambda: _read_alone(path))

    baseline = statistics.median(read_times)
    extra = {"rows": str(rows), "baseline_peak": megabytes(read_peak)}
    return [
        Result(
            f"match a {rows}-row department list",
            statistics.median(first_times),
            "openpyxl read_only read of the same file",
            baseline,
            extra={**extra, "matched": str(matched), "peak": megabytes(first_peak)},
        ),
        Result(
            "match the same list again (duplicates)",
            statistics.median(again_times),
            "openpyxl read_only read of the same file",
            baseline,
            extra={**extra, "duplicates": str(duplicates), "peak": megabytes(again_peak)},
        ),
    ]
