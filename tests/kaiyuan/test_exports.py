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


def test_every_string_is_text_and_numbers_and_dates_keep_their_types(tmp_path):
    rows = [
        ["=SUM(1,2)", "+86 138", "-", "@x", "普通", 12, 3.5, datetime.date(2024, 6, 30), None, ""],
    ]

    written = exports.write_xlsx(
        tmp_path / "x.xlsx", title="表", headers=[f"h{i}" for i in range(10)], rows=rows
    )

    sheet = load_workbook(written.path).active
    cells = list(sheet[2])
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
    written = exports.write_xlsx(
        tmp_path / "x.xlsx",
        title="表",
        headers=["证件号码", "金额"],
        rows=[[211282197503090012, 5]],
        text_columns=frozenset({0}),
    )

    cells = list(load_workbook(written.path).active[2])
    assert (cells[0].data_type, cells[0].value) == ("s", "211282197503090012")
    assert cells[1].data_type == "n"


def test_progress_is_reported_while_the_rows_stream(tmp_path):
    seen: list[int] = []

    written = exports.write_xlsx(
        tmp_path / "x.xlsx",
        title="表",
        headers=["n"],
        rows=([n] for n in range(2500)),
        on_progress=seen.append,
    )

    assert seen == [1000, 2000] and written.rows == 2500


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
        [exports.Sheet(title="表", headers=["a"], rows=[["=1"], ["x"]])]
    )

    sheet = load_workbook(io.BytesIO(written.content)).active
    assert [c.value for c in sheet["A"]] == ["a", "=1", "x"]
    assert written.rows == 2
    assert written.sha256 == hashlib.sha256(written.content).hexdigest()
