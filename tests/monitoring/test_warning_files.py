"""The files a department gets back: the screening-list template and the workbook of the rows
that became no warning, written by the audited export (what a department typed comes back as
text, never as a live formula; each file handed out is recorded with its SHA-256).

Cast: dept_medical (医保局, county-wide).
"""

from __future__ import annotations

import datetime
import hashlib
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from kaiyuan.audit.models import AuditEvent
from kaiyuan.common.dates import today
from kaiyuan.jobs.models import Job
from monitoring.exports import warnings as template
from monitoring.models import WarningUpload
from tests.monitoring.factories import next_id_number

pytestmark = pytest.mark.django_db

FORMULA = '=HYPERLINK("http://x","y")'


def _list_bytes(rows) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = template.LIST_SHEET
    sheet.append(list(template.HEADERS))
    for row in rows:
        sheet.append(row)
    for cell in (cell for line in sheet.iter_rows(min_row=2) for cell in line):
        if cell.data_type == "f":  # the department typed it as text ('=...)
            cell.data_type = "s"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _content(response) -> bytes:
    assert response.status_code == 200
    return b"".join(response.streaming_content)


@pytest.fixture
def upload(client, dept_medical, django_capture_on_commit_callbacks) -> WarningUpload:
    """A list of two rows, neither pushed: a stranger whose name is a formula, and a row whose
    ID number is not one (its indicator a formula too)."""
    day = today() - datetime.timedelta(days=1)
    content = _list_bytes(
        [
            [next_id_number(), FORMULA, "大额医疗费用自付", "12500.00", day],
            ["x1", "李四", "大额医疗费用自付", "+1+2", day],
        ]
    )
    client.force_login(dept_medical)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("monitoring:warning_upload"),
            {"file": SimpleUploadedFile("名单.xlsx", content)},
        )
    assert response.status_code == 302
    return WarningUpload.objects.get()


def test_the_feedback_workbook_gives_a_formula_back_as_text(client, upload):
    content = _content(client.get(reverse("monitoring:warning_upload_feedback", args=[upload.pk])))

    sheet = load_workbook(io.BytesIO(content)).active
    names = {row[0].value: row[2] for row in sheet.iter_rows(min_row=3)}  # below the caption
    assert (names[2].data_type, names[2].value) == ("s", FORMULA)
    assert sheet["A3"].data_type == "n"  # the row number stays a number


def test_the_feedback_download_is_recorded_with_its_sha256(client, dept_medical, upload):
    content = _content(client.get(reverse("monitoring:warning_upload_feedback", args=[upload.pk])))

    event = AuditEvent.objects.get(action="export", data__what="warning_feedback")
    assert event.actor == dept_medical
    assert event.data["rows"] == 2
    assert event.data["sha256"] == hashlib.sha256(content).hexdigest()
    assert event.data["filters"] == {"upload": upload.pk, "file_name": "名单.xlsx"}
    assert event.data["as_of"]


def test_the_matching_jobs_feedback_file_holds_text_too(client, dept_medical, upload):
    job = Job.objects.get(created_by=dept_medical)

    content = _content(client.get(reverse("jobs:job_download", args=[job.pk])))

    cell = next(
        row[2]
        for row in load_workbook(io.BytesIO(content)).active.iter_rows(min_row=3)
        if row[0].value == 2
    )
    assert (cell.data_type, cell.value) == ("s", FORMULA)
    download = AuditEvent.objects.get(action="download")
    assert download.data["sha256"] == hashlib.sha256(content).hexdigest()


def test_the_template_keeps_its_layout_and_its_download_is_recorded(client, dept_medical):
    client.force_login(dept_medical)

    content = _content(client.get(reverse("monitoring:warning_template", args=["medical"])))

    workbook = load_workbook(io.BytesIO(content))
    sheet = workbook[template.LIST_SHEET]
    assert [cell.value for cell in sheet[1]] == list(template.HEADERS)
    assert sheet["A2"].value == template.SAMPLE_ID and sheet["A2"].data_type == "s"
    assert sheet["A2"].number_format == "@" and sheet.column_dimensions["A"].number_format == "@"
    assert sheet["E2"].is_date and sheet.freeze_panes == "A2"
    assert sheet.data_validations.dataValidation[0].sqref == "C2:C5001"
    help_sheet = workbook[template.HELP_SHEET]
    assert help_sheet["C2"].alignment.wrap_text
    event = AuditEvent.objects.get(action="export")
    assert event.data["what"] == "warning_template"
    assert event.data["sha256"] == hashlib.sha256(content).hexdigest()
    assert event.area == dept_medical.area
