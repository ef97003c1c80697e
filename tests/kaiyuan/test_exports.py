"""The audited export (kaiyuan.common.exports) and what happens to its files: formulas written as
text, a job's file served to its owner only with each download recorded, and files deleted after
the retention period, on the clock (time-machine), never by waiting.

Cast: auditor and bureau (county), clerk_a (township A), clerk_b (township B), admin_user.
"""

from __future__ import annotations

import datetime
import hashlib
import io
import os
from decimal import Decimal

import pytest
import time_machine
from django.conf import settings as django_settings
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from kaiyuan.audit import record
from kaiyuan.audit.models import AuditEvent
from kaiyuan.celery import app
from kaiyuan.common import exports
from kaiyuan.jobs.models import Job
from kaiyuan.jobs.services import files_purge

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)


# =============================================================================================
# Cells
# =============================================================================================


CAPTION = "测试名单 · 范围：中固镇 · 截至 2026-12-02 10:00"


def _xlsx(path, rows, headers, **options):
    return exports.write_xlsx(
        path, title="表", headers=headers, rows=rows, caption=CAPTION, **options
    )


def test_every_string_is_text_and_numbers_and_dates_keep_their_types(tmp_path):
    rows = [
        ["=SUM(1,2)", "+86 138", "-", "@x", "普通", 12, 3.5, datetime.date(2024, 6, 30), None, ""],
    ]

    written = _xlsx(tmp_path / "x.xlsx", rows, [f"h{i}" for i in range(10)])

    sheet = load_workbook(written.path).active
    cells = list(sheet[3])
    assert [(c.data_type, c.value) for c in cells[:5]] == [
        ("s", "=SUM(1,2)"),
        ("s", "+86 138"),
        ("s", "-"),
        ("s", "@x"),
        ("s", "普通"),
    ]
    assert [c.quotePrefix for c in cells[:5]] == [True, True, True, True, False]
    assert (cells[5].data_type, cells[6].data_type, cells[7].is_date) == ("n", "n", True)
    assert cells[8].value is None and cells[9].value is None
    assert written.rows == 1
    assert written.sha256 == hashlib.sha256(written.path.read_bytes()).hexdigest()


def test_text_columns_keep_every_digit(tmp_path):
    written = _xlsx(
        tmp_path / "x.xlsx",
        [[211282197503090012, 5], ["=13800000000", 6]],
        ["证件号码", "金额"],
        text_columns=frozenset({0}),
    )

    sheet = load_workbook(written.path).active
    cells = list(sheet[3])
    assert (cells[0].data_type, cells[0].value) == ("s", "211282197503090012")
    # formatted as text too: retyped in Excel, the number is not rounded to 2.11282E+17
    assert cells[0].number_format == "@" and sheet.column_dimensions["A"].number_format == "@"
    assert cells[1].data_type == "n"
    # a text column keeps the formula guard
    assert (sheet["A4"].data_type, sheet["A4"].value, sheet["A4"].quotePrefix) == (
        "s",
        "=13800000000",
        True,
    )


def test_progress_is_reported_while_the_rows_stream(tmp_path):
    seen: list[int] = []

    written = _xlsx(tmp_path / "x.xlsx", ([n] for n in range(2500)), ["n"], on_progress=seen.append)

    assert seen == [1000, 2000] and written.rows == 2500


# ---- what an auditor would otherwise fix by hand ----------------------------------------------


def test_the_caption_is_above_a_bold_frozen_header_with_an_autofilter(tmp_path):
    rows = [["张三", 1], ["李四", 2], ["王五", 3]]

    written = _xlsx(tmp_path / "x.xlsx", rows, ["姓名", "序号"])

    sheet = load_workbook(written.path).active
    assert sheet["A1"].value == CAPTION and sheet["A1"].font.b
    assert [c.value for c in sheet[2]] == ["姓名", "序号"]
    assert all(cell.font.b for cell in sheet[2])
    assert sheet.freeze_panes == "A3"  # header stays in view, caption scrolls with it
    assert sheet.auto_filter.ref == "A2:B5"
    assert sheet.print_title_rows == "$2:$2"  # and is repeated on every printed page
    assert written.rows == 3  # the caption and the header are not rows of the export


def test_an_empty_export_still_has_its_caption_filter_and_header(tmp_path):
    written = _xlsx(tmp_path / "x.xlsx", [], ["姓名", "序号"])

    sheet = load_workbook(written.path).active
    assert sheet["A1"].value == CAPTION and sheet["B2"].value == "序号"
    assert sheet.auto_filter.ref == "A2:B2" and written.rows == 0


def test_a_data_sheet_without_a_caption_is_refused(tmp_path):
    sheet = exports.Sheet(title="表", headers=["a"], rows=[["x"]])

    with pytest.raises(ValueError, match="caption"):
        exports.workbook_bytes([sheet])


def test_the_caption_names_the_list_its_filter_and_the_as_of_time_in_beijing_time():
    moment = datetime.datetime(2026, 12, 2, 2, 0, tzinfo=datetime.UTC)  # 10:00 in Beijing

    text = exports.caption(
        "已脱贫人口名单",
        scope="中固镇",
        filters=[("监测类型", "边缘易致贫户"), ("村", "")],
        as_of=moment,
    )

    assert text == "已脱贫人口名单 · 范围：中固镇 · 监测类型：边缘易致贫户 · 截至 2026-12-02 10:00"


def test_column_widths_fit_the_content_with_cjk_counted_double_and_a_cap(tmp_path):
    rows = [
        [
            "张三",
            "211282197503090012",
            "ab",
            "开" * 40,
            datetime.date(2024, 6, 30),
            Decimal("1234567.50"),
        ]
    ]
    headers = ["姓名", "证件号码", "x", "备注", "日期", "金额"]

    written = _xlsx(tmp_path / "x.xlsx", rows, headers, text_columns=frozenset({1}))

    widths = {
        letter: dimension.width
        for letter, dimension in load_workbook(written.path).active.column_dimensions.items()
    }
    assert widths["A"] == 6  # 张三: two wide characters (4), the minimum width
    assert widths["B"] == 20  # 18 digits + padding
    assert widths["C"] == 6
    assert widths["D"] == exports.MAX_WIDTH  # 80 wide, capped
    assert widths["E"] == 12  # yyyy-mm-dd
    assert widths["F"] == 14  # 1,234,567.50
    assert exports.text_width("中固镇 A1") == 9


def test_widths_come_from_the_first_rows_and_the_rest_still_stream(tmp_path):
    # A value past the measured rows does not widen its column (the widths are written before
    # the rows), and every row is still there.
    rows = ([f"r{n}"] for n in range(exports.SAMPLE_ROWS + 100))

    def with_a_long_one():
        yield from rows
        yield ["x" * 30]

    written = _xlsx(tmp_path / "x.xlsx", with_a_long_one(), ["编号"])

    sheet = load_workbook(written.path).active
    assert sheet.column_dimensions["A"].width == 6
    assert written.rows == exports.SAMPLE_ROWS + 101
    assert sheet.cell(row=written.rows + 2, column=1).value == "x" * 30


def test_a_declared_width_wins_over_the_fitted_one(tmp_path):
    sheet = exports.Sheet(
        title="表", headers=["备注"], rows=[["短"]], caption=CAPTION, widths={"A": 70}
    )

    content = exports.workbook_bytes([sheet]).content

    assert load_workbook(io.BytesIO(content)).active.column_dimensions["A"].width == 70


def test_a_long_header_wraps_and_its_row_is_tall_enough(tmp_path):
    header = "是否参加新型农村合作医疗（城乡居民基本医疗保险）"  # 24 wide characters: 48

    written = _xlsx(tmp_path / "x.xlsx", [["是"]], [header])

    sheet = load_workbook(written.path).active
    assert sheet.column_dimensions["A"].width == exports.HEADER_WIDTH + exports.PADDING
    assert sheet["A2"].alignment.wrap_text
    assert sheet.row_dimensions[2].height >= 2 * exports.LINE_HEIGHT


def test_dates_times_money_and_percentages_are_typed_with_chinese_readable_formats(tmp_path):
    at = datetime.datetime(2026, 12, 1, 16, 30, tzinfo=datetime.UTC)  # 00:30 next day, Beijing
    rows = [[datetime.date(2024, 6, 30), at, Decimal("9123.45"), 2024, 0.125, "是"]]
    headers = ["日期", "时间", "金额", "年度", "比例", "是否"]

    written = _xlsx(tmp_path / "x.xlsx", rows, headers, formats={4: exports.PERCENT_FORMAT})

    day, moment, money, year, share, text = load_workbook(written.path).active[3]
    assert day.is_date and day.number_format == "yyyy-mm-dd"
    assert day.value.date() == datetime.date(2024, 6, 30)
    assert moment.is_date and moment.number_format == "yyyy-mm-dd hh:mm"
    # the wall-clock time in Beijing, naive (a cell has no time zone)
    assert moment.value.tzinfo is None and moment.value.isoformat() == "2026-12-02T00:30:00"
    assert (money.data_type, money.value, money.number_format) == ("n", 9123.45, "#,##0.00")
    # a year or a count never shows a thousands separator
    assert (year.data_type, year.value, year.number_format) == ("n", 2024, "General")
    assert (share.data_type, share.number_format) == ("n", "0.0%")
    assert text.data_type == "s"


def test_a_template_has_no_caption_and_its_header_stays_the_first_row():
    sheet = exports.Sheet(title="模板", headers=["证件号码"], rows=[[None]], counted=False)

    written = exports.workbook_bytes([sheet])

    loaded = load_workbook(io.BytesIO(written.content)).active
    assert loaded["A1"].value == "证件号码" and loaded["A1"].font.b
    assert loaded.freeze_panes == "A2" and loaded.auto_filter.ref is None
    assert written.rows == 0


# =============================================================================================
# Downloads: the owner only, each one recorded
# =============================================================================================


def _audit_export(client, user, capture) -> Job:
    client.force_login(user)
    with capture(execute=True):
        client.post("/audit/export/", {})
    job = Job.objects.filter(created_by=user).latest("pk")
    assert job.status == Job.Status.DONE, job.message
    return job


def _download(client, job):
    return client.get(reverse("jobs:job_download", args=[job.pk]))


def test_each_download_is_recorded_with_the_sha256_of_what_was_sent(
    client, auditor, clerk_a, grid_a, django_capture_on_commit_callbacks
):
    record(grid_a, action="change", actor=clerk_a)
    job = _audit_export(client, auditor, django_capture_on_commit_callbacks)

    first = b"".join(_download(client, job).streaming_content)
    second = b"".join(_download(client, job).streaming_content)

    downloads = AuditEvent.objects.filter(action="download").order_by("at", "id")
    assert downloads.count() == 2
    event = downloads.first()
    assert (event.actor, event.object_id, event.area) == (auditor, str(job.pk), job.area)
    assert event.data["sha256"] == hashlib.sha256(first).hexdigest() == job.result["sha256"]
    assert event.data["file"] == job.result_name and event.data["rows"] == job.result["rows"]
    assert first == second


def test_an_export_answers_everyone_but_its_owner_as_a_missing_file(
    client,
    clerk_a,
    clerk_b,
    auditor,
    bureau,
    admin_user,
    township_a,
    django_capture_on_commit_callbacks,
):
    client.force_login(clerk_a)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("monitoring:export_lists"), {"list": "exited", "area": township_a.pk})
    job = Job.objects.get(created_by=clerk_a)
    missing = Job.objects.order_by("-pk").first().pk + 1000

    for outsider in (clerk_b, auditor, bureau, admin_user):
        client.force_login(outsider)
        assert _download(client, job).status_code == 404, outsider
        assert client.get(reverse("jobs:job_detail", args=[job.pk])).status_code == 404
        assert client.get(reverse("jobs:job_download", args=[missing])).status_code == 404
    assert not AuditEvent.objects.filter(action="download").exists()

    client.force_login(clerk_a)
    assert _download(client, job).status_code == 200


def test_the_auditor_reaches_only_their_own_exports(
    client, auditor, bureau, django_capture_on_commit_callbacks
):
    own = _audit_export(client, auditor, django_capture_on_commit_callbacks)
    others = _audit_export(client, bureau, django_capture_on_commit_callbacks)

    client.force_login(auditor)
    assert _download(client, own).status_code == 200
    assert _download(client, others).status_code == 404


def test_a_clerk_moved_to_another_township_no_longer_reaches_the_old_files(
    client, clerk_a, township_a, township_b, django_capture_on_commit_callbacks
):
    client.force_login(clerk_a)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("monitoring:export_lists"), {"list": "exited", "area": township_a.pk})
    job = Job.objects.get(created_by=clerk_a)

    clerk_a.area = township_b
    clerk_a.save(update_fields=["area"])

    assert _download(client, job).status_code == 404


# =============================================================================================
# The audit log and the departments' feedback: real times, large ones as jobs
# =============================================================================================


def _now() -> str:
    """The as-of time a caption names (this module's clock stands still: see ``clock``)."""
    return f"{timezone.localtime():%Y-%m-%d %H:%M}"


def test_the_audit_log_has_real_times_in_beijing_time_under_its_caption(
    client, auditor, clerk_a, grid_a, django_capture_on_commit_callbacks
):
    record(grid_a, action="change", actor=clerk_a, note="改了")
    job = _audit_export(client, auditor, django_capture_on_commit_callbacks)

    sheet = load_workbook(io.BytesIO(b"".join(_download(client, job).streaming_content))).active

    assert sheet["A1"].value == f"审计日志 · 范围：开原市 · 截至 {_now()}"
    assert sheet["A2"].value == "时间" and sheet["A2"].font.b
    assert sheet.freeze_panes == "A3" and sheet.auto_filter.ref == f"A2:K{2 + job.result['rows']}"
    event = AuditEvent.objects.get(action="change")
    time = sheet["A3"]
    # a real time, in the county's time zone; seconds shown, to tell one minute's events apart
    assert time.is_date and time.number_format == "yyyy-mm-dd hh:mm:ss"
    local = timezone.localtime(event.at).replace(tzinfo=None)
    assert time.value.tzinfo is None
    assert abs(time.value - local) < datetime.timedelta(milliseconds=1)  # Excel keeps ms
    assert sheet.column_dimensions["A"].width == len("yyyy-mm-dd hh:mm:ss") + exports.PADDING


def test_the_audit_logs_caption_names_its_filter(
    client, auditor, clerk_a, grid_a, django_capture_on_commit_callbacks
):
    record(grid_a, action="change", actor=clerk_a)
    client.force_login(auditor)
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/audit/export/", {"action": "change", "date_from": "2026-12-01"})
    job = Job.objects.get(created_by=auditor)

    sheet = load_workbook(io.BytesIO(b"".join(_download(client, job).streaming_content))).active

    assert sheet["A1"].value == (
        f"审计日志 · 范围：开原市 · 操作：change · 开始日期：2026-12-01 · 截至 {_now()}"
    )


def test_the_audit_export_answers_at_once_with_the_jobs_page(
    client, auditor, django_capture_on_commit_callbacks
):
    client.force_login(auditor)

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client.post("/audit/export/", {})

    job = Job.objects.get()
    assert response["Location"] == reverse("jobs:job_detail", args=[job.pk])
    assert len(callbacks) == 1 and job.status == Job.Status.PENDING and not job.result_file
    assert not AuditEvent.objects.filter(action="export").exists()


@pytest.fixture
def refused_upload(dept_medical):
    from monitoring.models import WarningUpload

    errors = [
        {"row": row, "id": "1101**********002X", "name": "张三", "reason": "日期不对"}
        for row in range(2, 6)
    ]
    return WarningUpload.objects.create(
        department="medical",
        file_name="医保名单.xlsx",
        sha256="0" * 64,
        status=WarningUpload.Status.DONE,
        rows=4,
        errors=errors,
        uploaded_by=dept_medical,
    )


def test_a_small_feedback_is_served_at_once_under_its_caption(client, dept_medical, refused_upload):
    client.force_login(dept_medical)

    response = client.get(reverse("monitoring:warning_upload_feedback", args=[refused_upload.pk]))

    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    assert sheet["A1"].value == f"未推送的行 · 筛查名单：医保名单.xlsx · 截至 {_now()}"
    assert [cell.value for cell in sheet[3]] == [2, "1101**********002X", "张三", "日期不对"]
    assert sheet.auto_filter.ref == "A2:D6"
    assert not Job.objects.exists()


def test_a_large_feedback_is_written_by_a_job(
    client, dept_medical, refused_upload, monkeypatch, django_capture_on_commit_callbacks
):
    from monitoring.exports import warnings as template

    monkeypatch.setattr(template, "FEEDBACK_IN_REQUEST_ROWS", 3)
    client.force_login(dept_medical)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.get(
            reverse("monitoring:warning_upload_feedback", args=[refused_upload.pk])
        )

    job = Job.objects.get(kind=template.FEEDBACK_JOB)
    assert response["Location"] == reverse("jobs:job_detail", args=[job.pk])
    assert job.status == Job.Status.DONE, job.message
    content = b"".join(_download(client, job).streaming_content)
    sheet = load_workbook(io.BytesIO(content)).active
    assert sheet["A1"].value.startswith("未推送的行 · 筛查名单：医保名单.xlsx")
    assert [row[0] for row in sheet.iter_rows(min_row=3, values_only=True)] == [2, 3, 4, 5]
    event = AuditEvent.objects.get(action="export")
    assert (event.object_id, event.data["what"]) == (str(refused_upload.pk), "warning_feedback")
    assert event.data["sha256"] == hashlib.sha256(content).hexdigest()
    assert job.result_name == "医保名单-未推送行.xlsx"


# =============================================================================================
# Retention
# =============================================================================================


@pytest.fixture
def media(settings, tmp_path):
    """A MEDIA_ROOT of the test's own: the purge deletes files, and other tests (in other
    workers) keep theirs in the shared one."""
    settings.MEDIA_ROOT = tmp_path
    settings.EXPORT_RETENTION_DAYS = 30
    return tmp_path


@pytest.fixture
def clock():
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        yield traveller


def _aged(path, when: datetime.datetime):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"x" * 10)
    os.utime(path, (when.timestamp(), when.timestamp()))
    return path


def test_an_export_past_the_retention_is_deleted_and_its_page_says_so(
    client, auditor, media, clock, django_capture_on_commit_callbacks
):
    job = _audit_export(client, auditor, django_capture_on_commit_callbacks)
    stored = media / job.result_file.name
    assert stored.is_file()

    clock.shift(30 * DAY + datetime.timedelta(minutes=1))
    report = files_purge()

    job.refresh_from_db()
    client.force_login(auditor)  # a month later: a new session
    assert report.jobs == [job.pk] and not stored.exists()
    assert not job.result_file and job.purged_at == timezone.now()
    page = client.get(reverse("jobs:job_detail", args=[job.pk])).content.decode()
    assert 'data-testid="job-purged"' in page and job.result_name in page
    assert 'data-testid="job-download"' not in page
    response = _download(client, job)
    assert response["Location"] == reverse("jobs:job_detail", args=[job.pk])
    event = AuditEvent.objects.get(action="purge")
    assert event.data["jobs"] == [job.pk] and event.data["retention_days"] == 30
    assert event.data["files"] >= 1 and event.source == AuditEvent.Source.TASK


def test_an_export_within_the_retention_is_kept(
    client, auditor, media, clock, django_capture_on_commit_callbacks
):
    job = _audit_export(client, auditor, django_capture_on_commit_callbacks)

    clock.shift(30 * DAY - datetime.timedelta(minutes=1))
    report = files_purge()

    job.refresh_from_db()
    client.force_login(auditor)
    assert report.jobs == [] and report.files == 0 and job.result_file
    assert not AuditEvent.objects.filter(action="purge").exists()
    assert _download(client, job).status_code == 200


def test_the_retention_is_a_setting(
    client, auditor, media, clock, settings, django_capture_on_commit_callbacks
):
    settings.EXPORT_RETENTION_DAYS = 7
    job = _audit_export(client, auditor, django_capture_on_commit_callbacks)

    clock.shift(8 * DAY)
    files_purge()

    job.refresh_from_db()
    assert job.purged_at is not None


def test_kept_uploads_and_leftovers_go_too_but_records_stay(media, clock):
    now = timezone.now()
    old, recent = now - 31 * DAY, now - 29 * DAY
    upload = _aged(media / "imports" / "never-imported.xlsx", old)
    kept_upload = _aged(media / "imports" / "awaiting-choice.xlsx", recent)
    leftover = _aged(media / "tmp" / "import-7-marked.xlsx", old)
    orphan = _aged(media / "jobs" / "2024" / "01" / "orphan.xlsx", old)
    photo = _aged(media / "visits" / "2024" / "01" / "photo.jpg", old)
    department_list = _aged(media / "warnings" / "2024" / "01" / "list.xlsx", old)

    report = files_purge()

    assert not upload.exists() and not leftover.exists() and not orphan.exists()
    assert kept_upload.exists() and photo.exists() and department_list.exists()
    assert (report.files, report.bytes) == (3, 30)
    event = AuditEvent.objects.get(action="purge")
    assert (event.data["files"], event.data["jobs"]) == (3, [])


def test_the_purge_runs_daily_from_the_one_beat_schedule(media, clock):
    entry = django_settings.CELERY_BEAT_SCHEDULE["purge-files-daily"]
    task = app.tasks[entry["task"]]
    upload = _aged(media / "imports" / "old.xlsx", timezone.now() - 31 * DAY)

    task.delay()

    assert not upload.exists()
    assert entry["schedule"].hour == {2}


def test_a_marked_import_workbook_is_purged_like_an_export(client, clerk_a, media, clock):
    from django.core.files.base import ContentFile

    job = Job.objects.create(
        kind="monitoring_import",
        status=Job.Status.DONE,
        created_by=clerk_a,
        area=clerk_a.area,
        finished_at=timezone.now(),
        result_name="名单-错误标注.xlsx",
        result={"state": "invalid"},
    )
    job.result_file.save("import-1-marked.xlsx", ContentFile(b"PK"), save=True)

    clock.shift(31 * DAY)
    files_purge()

    job.refresh_from_db()
    assert job.purged_at is not None and not list((media / "jobs").rglob("*.xlsx"))
    client.force_login(clerk_a)
    page = client.get(reverse("monitoring:import_result", args=[job.pk])).content.decode()
    assert 'data-testid="job-purged"' in page and 'data-testid="marked-workbook"' not in page


def test_a_workbook_read_back_is_the_file_the_trail_describes(tmp_path):
    written = exports.workbook_bytes(
        [exports.Sheet(title="表", headers=["a"], rows=[["=1"], ["x"]], caption=CAPTION)]
    )

    sheet = load_workbook(io.BytesIO(written.content)).active
    assert [c.value for c in sheet["A"]] == [CAPTION, "a", "=1", "x"]
    assert written.rows == 2
    assert written.sha256 == hashlib.sha256(written.content).hexdigest()
