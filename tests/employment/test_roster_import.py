"""The monthly roster (月度务工名册): the download of a month's roster, and its upload back, on
the import pipeline: every row judged before anything is written, the pages' refusals beside
their cells, the marked copy, the explicit "valid rows only", unchanged rows confirming their job
(carried into the new year in January), a job changed since the download refused, other areas'
ids answered as missing ones, bad files refused, everything audited.

Cast: clerk_a (township A 中固镇: 烟厂村), clerk_b (township B 威远堡镇: 威远村), leader (reads
and exports, never uploads), grid_worker_a (neither). The clock is 2 December 2026: the roster
of December holds the jobs of November.
"""

from __future__ import annotations

import datetime
import io
from dataclasses import replace
from decimal import Decimal
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from employment.codes import JobType, PlaceCategory, PostFunding, Source
from employment.exports.rosters import (
    BATCH,
    EMPLOYER,
    END,
    HEADERS,
    ID_NUMBER,
    JOB_TYPE,
    MEMBER_ID,
    MONTHS,
    NOTE,
    PLACE,
    PLACE_CATEGORY,
    RECORD_ID,
    ROSTER_EXPORT,
    ROSTER_SHEET,
    SOURCE,
    START,
    VERSION,
    WAGE,
)
from employment.imports.rosters.layout import IMPORT_JOB
from employment.models import EmploymentRecord
from employment.rules.records import EMP_4, EMP_7
from employment.services.posts import PostDetails, post_create
from employment.services.records import JobDetails, record_change, record_confirm
from kaiyuan.audit.models import AuditEvent
from kaiyuan.jobs.models import Job
from monitoring.codes import LabourSkill
from tests.employment.factories import record_job, worker

pytestmark = pytest.mark.django_db

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DEC = {"year": 2026, "month": 12}
NEW_JOB = {
    START: datetime.date(2026, 12, 1),
    PLACE_CATEGORY: "县内务工",
    PLACE: "开原市经济开发区",
    EMPLOYER: "开原市某食品有限公司",
    JOB_TYPE: "务工（工资性就业）",
    BATCH: "招聘活动推送一批",
    SOURCE: "走访核实",
}


@pytest.fixture
def people(village_a, clerk_a):
    """In 烟厂村: one person at the same job since March, one whose job since May ends in
    November, one without a job who finds one in December (each household's head, without a
    job, is on the roster too)."""
    stays = worker(village_a, name="李长久")
    leaves = worker(village_a, name="赵明远")
    idle = worker(village_a, name="钱新业")
    return SimpleNamespace(
        stays=stays,
        leaves=leaves,
        idle=idle,
        stays_job=record_job(stays, clerk_a, note="=1+1"),
        leaves_job=record_job(
            leaves,
            clerk_a,
            start_date=datetime.date(2026, 5, 1),
            months_worked=6,
            employer="开原市某服装有限公司",
        ),
    )


# ---- files ---------------------------------------------------------------------------------


def download(client, callbacks, *, year=2026, month=12, **area) -> bytes:
    """The roster as the user downloads it: at once for a village, else through its job."""
    with callbacks(execute=True):
        response = client.post(
            reverse("employment:roster_download"), {"year": year, "month": month, **area}
        )
    if response.status_code == 200:
        return b"".join(response.streaming_content)
    assert response.status_code == 302, response
    job = Job.objects.filter(kind=ROSTER_EXPORT).latest("pk")
    assert job.status == Job.Status.DONE, job.message
    got = client.get(reverse("jobs:job_download", args=[job.pk]))
    return b"".join(got.streaming_content)


def sheet_of(content: bytes):
    return load_workbook(io.BytesIO(content))[ROSTER_SHEET]


def rows_of(content: bytes) -> dict[int, dict[str, object]]:
    """The roster's rows by 系统人员编号 (the header is on row 2, below the caption)."""
    sheet = sheet_of(content)
    headers = [c.value for c in sheet[2]]
    rows = {}
    for values in sheet.iter_rows(min_row=3, values_only=True):
        row = dict(zip(headers, values, strict=False))
        rows[row[MEMBER_ID]] = row
    return rows


def edit(content: bytes, changes: dict[int, dict[str, object]], *, add=()) -> bytes:
    """The roster with the cells of some people's rows changed, and rows added at the end."""
    book = load_workbook(io.BytesIO(content))
    sheet = book[ROSTER_SHEET]
    column = {c.value: c.column for c in sheet[2]}
    where = {
        sheet.cell(row=r, column=column[MEMBER_ID]).value: r for r in range(3, sheet.max_row + 1)
    }
    for member_id, cells in changes.items():
        for header, value in cells.items():
            sheet.cell(row=where[member_id], column=column[header]).value = value
    for extra in add:
        sheet.append([extra.get(header) for header in HEADERS])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def upload(client, content: bytes, *, name="中固镇务工名册.xlsx", year=2026, month=12):
    return client.post(
        reverse("employment:roster_upload"),
        {
            "file": SimpleUploadedFile(name, content, content_type=XLSX),
            "year": year,
            "month": month,
        },
    )


def last_job() -> Job:
    return Job.objects.filter(kind=IMPORT_JOB).latest("pk")


def errors_at(job: Job, column: str) -> list[dict]:
    return [e for e in job.result["errors"] if e["column"] == column]


def result_page(client, job: Job) -> str:
    return client.get(reverse("employment:roster_import", args=[job.pk])).content.decode()


def refreshed(record):
    record.refresh_from_db()
    return record


def trail_since(mark: int) -> list[tuple[str, int | None]]:
    return sorted(
        (e.action, e.data.get("record"))
        for e in AuditEvent.objects.filter(pk__gt=mark, action__startswith="employment_")
    )


def last_event() -> int:
    return AuditEvent.objects.order_by("-pk").values_list("pk", flat=True).first() or 0


# =============================================================================================
# The downloaded workbook
# =============================================================================================


def test_the_roster_lists_the_labour_force_with_last_months_job_as_text_without_formulas(
    client, clerk_a, people, django_capture_on_commit_callbacks
):
    client.force_login(clerk_a)

    content = download(client, django_capture_on_commit_callbacks)

    sheet = sheet_of(content)
    assert "中固镇" in sheet["A1"].value and "2026-12" in sheet["A1"].value
    assert [c.value for c in sheet[2]] == list(HEADERS)
    column = {c.value: c.column - 1 for c in sheet[2]}
    cells = list(sheet.iter_rows(min_row=3))
    assert len(cells) == 6  # three workers and their three heads of household
    assert all(cell.data_type != "f" for row in cells for cell in row)
    for row in cells:
        id_cell = row[column[ID_NUMBER]]
        assert id_cell.data_type == "s" and "*" in id_cell.value
    rows = rows_of(content)
    stays = rows[people.stays.pk]
    assert (stays[RECORD_ID], stays[VERSION]) == (people.stays_job.pk, 1)
    assert stays[START].date() == datetime.date(2026, 3, 1) and stays[MONTHS] == 9
    assert stays[JOB_TYPE] == "务工（工资性就业）" and stays[EMPLOYER] == "开原市某食品有限公司"
    note = next(r for r in cells if r[column[MEMBER_ID]].value == people.stays.pk)[column[NOTE]]
    assert note.value == "=1+1" and note.data_type == "s"  # a user's text never becomes a formula
    assert rows[people.idle.pk][RECORD_ID] is None and rows[people.idle.pk][START] is None
    lists = {v.formula1 for v in sheet.data_validations.dataValidation}
    assert any("县内务工" in f for f in lists) and any("灵活就业一批" in f for f in lists)
    event = AuditEvent.objects.get(action="export")
    assert event.data["what"] == ROSTER_EXPORT and event.data["rows"] == 6
    assert event.data["filters"]["month"] == "2026-12"


def test_the_roster_holds_the_latest_job_of_last_month_and_people_without_labour_who_worked(
    client, clerk_a, village_a, django_capture_on_commit_callbacks
):
    person = worker(village_a, labour_skill=LabourSkill.NONE)
    record_job(
        person, clerk_a, start_date=datetime.date(2026, 3, 1), end_date=datetime.date(2026, 6, 30),
        months_worked=4,
    )  # fmt: skip
    later = record_job(person, clerk_a, start_date=datetime.date(2026, 7, 1), months_worked=5)
    client.force_login(clerk_a)

    rows = rows_of(download(client, django_capture_on_commit_callbacks))

    assert rows[person.pk][RECORD_ID] == later.pk


def test_a_villages_roster_is_served_at_once_and_recorded(
    client, clerk_a, people, village_a2, django_capture_on_commit_callbacks
):
    elsewhere = worker(village_a2)
    client.force_login(clerk_a)

    content = download(
        client, django_capture_on_commit_callbacks, village=people.stays.household.area_id
    )

    assert not Job.objects.filter(kind=ROSTER_EXPORT).exists()
    rows = rows_of(content)
    assert people.stays.pk in rows and elsewhere.pk not in rows
    assert AuditEvent.objects.get(action="export").data["filters"]["area_name"] == "烟厂村"


# =============================================================================================
# The round trip
# =============================================================================================


def test_the_round_trip_writes_exactly_the_changes_and_confirms_the_rest(
    client, clerk_a, people, django_capture_on_commit_callbacks
):
    client.force_login(clerk_a)
    content = download(client, django_capture_on_commit_callbacks)
    changed = edit(
        content,
        {people.leaves.pk: {END: datetime.date(2026, 11, 30)}, people.idle.pk: NEW_JOB},
    )
    before = set(EmploymentRecord.objects.values_list("pk", flat=True))
    mark = last_event()

    response = upload(client, changed)

    job = last_job()
    assert response["Location"] == reverse("employment:roster_import", args=[job.pk])
    assert job.result["state"] == "imported", job.result
    counts = job.result["counts"]
    assert (counts["confirmed"], counts["ended"], counts["created"], counts["changed"]) == (
        1,
        1,
        1,
        0,
    )
    assert counts["nothing"] == 3  # the heads of household, without a job before or now
    stays = refreshed(people.stays_job)
    assert stays.end_date is None and stays.verified_on == datetime.date(2026, 12, 2)
    assert stays.months_worked == 10 and stays.version == 2  # March to December
    leaves = refreshed(people.leaves_job)
    assert leaves.end_date == datetime.date(2026, 11, 30) and leaves.months_worked == 7
    new = EmploymentRecord.objects.exclude(pk__in=before).get()
    assert new.member == people.idle and new.start_date == datetime.date(2026, 12, 1)
    assert (new.job_type, new.batch, new.source, new.months_worked) == (
        JobType.WAGE, "招聘活动推送一批", Source.VISIT, 1,
    )  # fmt: skip
    assert new.place_category == PlaceCategory.IN_COUNTY and new.verified_by == clerk_a
    assert EmploymentRecord.objects.count() == 3
    assert trail_since(mark) == [
        ("employment_change", leaves.pk),
        ("employment_confirm", stays.pk),
        ("employment_record", new.pk),
    ]
    event = AuditEvent.objects.get(action="import")
    assert event.data["what"] == "employment_roster_import" and event.data["valid_only"] is False
    assert event.data["counts"]["confirmed"] == 1 and event.data["rows"] == 6
    assert "导入" in result_page(client, job)


def test_the_same_file_uploaded_twice_does_not_record_the_new_job_twice(
    client, clerk_a, people, django_capture_on_commit_callbacks
):
    client.force_login(clerk_a)
    changed = edit(download(client, django_capture_on_commit_callbacks), {people.idle.pk: NEW_JOB})
    upload(client, changed)
    assert last_job().result["state"] == "imported"

    upload(client, changed)

    job = last_job()
    (error,) = errors_at(job, START)
    assert "已有" in error["message"] and job.result["state"] == "invalid"
    assert EmploymentRecord.objects.filter(member=people.idle).count() == 1


def test_an_unchanged_roster_only_confirms_and_a_job_ended_before_is_left_alone(
    client, clerk_a, people, django_capture_on_commit_callbacks
):
    record_confirm(record=people.leaves_job, on=datetime.date(2026, 11, 20), actor=clerk_a)
    ended = record_job(
        worker(people.stays.household.area), clerk_a,
        start_date=datetime.date(2026, 4, 1), end_date=datetime.date(2026, 11, 15), months_worked=8,
    )  # fmt: skip
    client.force_login(clerk_a)

    upload(client, download(client, django_capture_on_commit_callbacks))

    job = last_job()
    assert job.result["state"] == "imported", job.result
    assert job.result["counts"]["confirmed"] == 2
    assert refreshed(ended).version == 1 and ended.end_date == datetime.date(2026, 11, 15)


# =============================================================================================
# All or nothing, and the explicit "valid rows only"
# =============================================================================================


def test_one_bad_row_writes_nothing_until_the_valid_rows_only_are_chosen(
    client, clerk_a, people, django_capture_on_commit_callbacks
):
    client.force_login(clerk_a)
    content = download(client, django_capture_on_commit_callbacks)
    changed = edit(
        content,
        {
            people.leaves.pk: {END: datetime.date(2026, 11, 30)},
            people.idle.pk: {**NEW_JOB, BATCH: "产业一批"},
        },
    )
    mark = last_event()

    upload(client, changed)

    checked = last_job()
    assert checked.result["state"] == "invalid", checked.result
    (error,) = checked.result["errors"]
    assert error["column"] == BATCH and error["rule"] == EMP_7.id
    assert error["cell"] == f"T{error['row']}"
    assert refreshed(people.leaves_job).end_date is None and people.leaves_job.version == 1
    assert refreshed(people.stays_job).version == 1
    assert EmploymentRecord.objects.count() == 2
    assert trail_since(mark) == [] and not AuditEvent.objects.filter(action="import").exists()
    page = result_page(client, checked)
    assert 'data-testid="valid-rows-form"' in page and 'data-testid="marked-workbook"' in page
    url = reverse("employment:roster_import", args=[checked.pk])

    assert client.post(url, {}).status_code == 302  # the box was not ticked
    assert EmploymentRecord.objects.count() == 2 and refreshed(people.leaves_job).version == 1
    response = client.post(url, {"confirm": "on"})

    job = last_job()
    assert response["Location"] == reverse("employment:roster_import", args=[job.pk])
    assert job.result["state"] == "imported" and job.result["valid_only"] is True
    assert refreshed(people.leaves_job).end_date == datetime.date(2026, 11, 30)
    assert refreshed(people.stays_job).version == 2
    assert not EmploymentRecord.objects.filter(member=people.idle).exists()
    event = AuditEvent.objects.get(action="import")
    assert event.data["valid_only"] is True and event.data["errors"] == 1
    assert event.data["counts"]["rows_skipped"] == 1


def test_the_marked_copy_shows_errors_red_and_flags_yellow_beside_their_cells(
    client, clerk_a, people, village_a, django_capture_on_commit_callbacks
):
    weak = worker(village_a, name="孙志强", labour_skill=LabourSkill.WEAK)
    client.force_login(clerk_a)
    content = download(client, django_capture_on_commit_callbacks)
    away = {**NEW_JOB, PLACE_CATEGORY: "省外务工", PLACE: "大连市"}
    upload(client, edit(content, {weak.pk: away, people.idle.pk: {**NEW_JOB, MONTHS: 13}}))
    job = last_job()
    assert job.result["state"] == "invalid"
    assert [w["rule"] for w in job.result["warnings"]] == [EMP_4.id]

    response = client.get(reverse("jobs:job_download", args=[job.pk]))

    marked = load_workbook(io.BytesIO(b"".join(response.streaming_content)))[ROSTER_SHEET]
    column = {c.value: c.column for c in marked[2]}
    where = {marked.cell(row=r, column=1).value: r for r in range(3, marked.max_row + 1)}
    bad = marked.cell(row=where[people.idle.pk], column=column[MONTHS])
    assert bad.value == 13 and bad.fill.fgColor.rgb.endswith("FFC7CE") and bad.comment
    flagged = marked.cell(row=where[weak.pk], column=column[PLACE_CATEGORY])
    assert flagged.fill.fgColor.rgb.endswith("FFEB9C") and flagged.comment
    explanation = len(HEADERS) + 1
    assert marked.cell(row=2, column=explanation).value == "错误说明"
    assert marked.cell(row=where[people.stays.pk], column=explanation).value is None


def test_a_flag_is_a_warning_and_the_row_is_imported(
    client, clerk_a, village_a, django_capture_on_commit_callbacks
):
    weak = worker(village_a, labour_skill=LabourSkill.WEAK)
    client.force_login(clerk_a)
    content = download(client, django_capture_on_commit_callbacks)

    upload(client, edit(content, {weak.pk: {**NEW_JOB, PLACE_CATEGORY: "省外务工"}}))

    job = last_job()
    assert job.result["state"] == "imported", job.result
    assert job.result["warnings"][0]["column"] == PLACE_CATEGORY
    record = EmploymentRecord.objects.get(member=weak)
    assert record.place_category == PlaceCategory.OUT_OF_PROVINCE and record.needs_review
    assert job.result_file  # the rows to review, marked


# =============================================================================================
# Rows refused
# =============================================================================================


def test_a_job_changed_since_the_download_is_refused_for_its_row(
    client, clerk_a, people, django_capture_on_commit_callbacks
):
    client.force_login(clerk_a)
    content = download(client, django_capture_on_commit_callbacks)
    record_change(
        record=people.stays_job,
        details=replace(JobDetails.of(people.stays_job), monthly_wage=Decimal("3200.00")),
        expected_version=1,
        actor=clerk_a,
    )
    # A visit confirmed the other job since: its unchanged row is still "the same job".
    record_confirm(record=people.leaves_job, on=datetime.date(2026, 12, 1), actor=clerk_a)

    upload(client, edit(content, {people.stays.pk: {WAGE: 3500}}))

    job = last_job()
    (error,) = errors_at(job, VERSION)
    assert "已被他人修改" in error["message"]
    assert len(job.result["errors"]) == 1 and job.result["planned"]["confirmed"] == 1
    assert refreshed(people.stays_job).monthly_wage == Decimal("3200.00")


def test_another_townships_ids_answer_like_missing_ones(
    client, clerk_a, clerk_b, people, village_b, django_capture_on_commit_callbacks
):
    other = worker(village_b, name="周外乡")
    other_job = record_job(other, clerk_b)
    client.force_login(clerk_a)
    content = download(client, django_capture_on_commit_callbacks)
    missing_member = other.pk + 10_000
    missing_record = other_job.pk + 10_000
    changed = edit(
        content,
        {people.leaves.pk: {RECORD_ID: other_job.pk}, people.stays.pk: {RECORD_ID: missing_record}},
        add=[{MEMBER_ID: other.pk, **NEW_JOB}, {MEMBER_ID: missing_member, **NEW_JOB}],
    )

    upload(client, changed)

    job = last_job()
    row_of = {member_id: n for n, member_id in enumerate(rows_of(changed), start=3)}

    def message(column: str, row: int, number: int) -> str:
        (error,) = [e for e in errors_at(job, column) if e["row"] == row]
        return error["message"].replace(str(number), "N")

    assert message(MEMBER_ID, row_of[other.pk], other.pk) == message(
        MEMBER_ID, row_of[missing_member], missing_member
    )
    assert message(RECORD_ID, row_of[people.leaves.pk], other_job.pk) == message(
        RECORD_ID, row_of[people.stays.pk], missing_record
    )
    page = result_page(client, job)
    assert "周外乡" not in page
    assert refreshed(other_job).version == 1
    assert not EmploymentRecord.objects.filter(member=other).exclude(pk=other_job.pk).exists()


def test_a_person_twice_in_the_file_is_an_error_on_both_rows(
    client, clerk_a, people, django_capture_on_commit_callbacks
):
    client.force_login(clerk_a)
    content = download(client, django_capture_on_commit_callbacks)
    copy = rows_of(content)[people.stays.pk]

    upload(client, edit(content, {}, add=[copy]))

    job = last_job()
    rows = sorted(e["row"] for e in errors_at(job, MEMBER_ID))
    assert len(rows) == 2 and rows[1] == 9
    assert job.result["planned"]["confirmed"] == 1  # the other job, not this person's
    assert refreshed(people.stays_job).version == 1


def test_a_public_welfare_posts_job_is_only_confirmed_here(
    client, clerk_a, village_a, django_capture_on_commit_callbacks
):
    holder = worker(village_a, name="吴护林")
    post_create(
        village=village_a,
        details=PostDetails(
            post_type="护林员",
            funding=PostFunding.POST_SUBSIDY,
            holder=holder,
            start_date=datetime.date(2026, 3, 1),
            months=9,
            monthly_pay=Decimal("500.00"),
        ),
        actor=clerk_a,
    )
    post_job = EmploymentRecord.objects.get(member=holder)
    client.force_login(clerk_a)
    content = download(client, django_capture_on_commit_callbacks)

    upload(client, edit(content, {holder.pk: {WAGE: 800}}))
    (error,) = errors_at(last_job(), WAGE)
    assert "公益性岗位" in error["message"]
    upload(client, content)

    assert last_job().result["counts"]["confirmed"] == 1
    assert refreshed(post_job).monthly_wage == Decimal("500.00") and post_job.version == 2


# =============================================================================================
# Bad files: refused on the upload page, nothing stored
# =============================================================================================


def _roster_like(rows, headers=HEADERS) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = ROSTER_SHEET
    sheet.append(list(headers))
    for row in rows:
        sheet.append([row.get(h) for h in headers])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _empty_workbook() -> bytes:
    buffer = io.BytesIO()
    Workbook().save(buffer)
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (lambda: "系统人员编号,姓名\n1,张三\n".encode(), "a.xlsx", "不是真正的 Excel"),
        (lambda: b"PK\x03\x04broken zip", "a.xlsx", "不是真正的 Excel"),
        (lambda: _roster_like([{MEMBER_ID: 1}]), "a.csv", ".xlsx"),
        (
            lambda: _roster_like([{MEMBER_ID: 1}], [h for h in HEADERS if h != RECORD_ID]),
            "a.xlsx",
            "缺少必填列：记录编号",
        ),
        (lambda: b"", "a.xlsx", "文件是空的"),
        (_empty_workbook, "a.xlsx", "工作表是空的"),
        (lambda: _roster_like([]), "a.xlsx", "没有人员行"),
    ],
    ids=[
        "not-xlsx",
        "broken-zip",
        "csv-name",
        "wrong-headers",
        "empty-file",
        "empty-sheet",
        "no-rows",
    ],
)
def test_bad_files_are_refused_on_the_upload_page(client, clerk_a, content, name, message):
    client.force_login(clerk_a)

    response = upload(client, content(), name=name)

    assert response.status_code == 200
    page = response.content.decode()
    assert message in page, page[:3000]
    assert not Job.objects.exists()
    assert not AuditEvent.objects.filter(action="import").exists()


@override_settings(IMPORT_MAX_ROWS=3)
def test_a_file_too_big_is_refused_before_it_is_parsed(
    client, clerk_a, people, django_capture_on_commit_callbacks
):
    client.force_login(clerk_a)
    content = download(client, django_capture_on_commit_callbacks)

    page = upload(client, content).content.decode()

    assert "导入最多读取 3 行" in page
    assert not Job.objects.filter(kind=IMPORT_JOB).exists()


def test_a_formula_refuses_its_row_and_nothing_is_written(
    client, clerk_a, people, django_capture_on_commit_callbacks
):
    client.force_login(clerk_a)
    content = download(client, django_capture_on_commit_callbacks)

    upload(client, edit(content, {people.leaves.pk: {MONTHS: "=6+1"}}))

    job = last_job()
    (error,) = errors_at(job, MONTHS)
    assert "公式" in error["message"] and "=6+1" in error["message"]
    assert job.result["state"] == "invalid"
    assert refreshed(people.leaves_job).version == 1 and refreshed(people.stays_job).version == 1


# =============================================================================================
# January: December's jobs go on into the new year
# =============================================================================================


def test_a_january_upload_carries_decembers_jobs_into_the_new_year(
    client, clerk_a, people, clock, django_capture_on_commit_callbacks
):
    clock.move_to(datetime.datetime(2027, 1, 12, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai")))
    client.force_login(clerk_a)
    content = download(client, django_capture_on_commit_callbacks, year=2027, month=1)
    assert rows_of(content)[people.stays.pk][RECORD_ID] == people.stays_job.pk

    upload(client, content, year=2027, month=1)

    job = last_job()
    assert job.result["state"] == "imported", job.result
    assert (job.result["counts"]["confirmed"], job.result["counts"]["carried"]) == (2, 2)
    old = refreshed(people.stays_job)
    assert old.year == 2026 and old.end_date == datetime.date(2026, 12, 31)
    new = EmploymentRecord.objects.get(member=people.stays, year=2027)
    assert new.start_date == datetime.date(2027, 1, 1) and new.end_date is None
    assert new.months_worked == 1 and new.verified_on == datetime.date(2027, 1, 12)
    assert new.employer == old.employer and new.batch == old.batch
    assert EmploymentRecord.objects.filter(member=people.leaves, year=2027).exists()


# =============================================================================================
# Who may download and upload
# =============================================================================================


@pytest.mark.sqlite
def test_the_officer_uploads_the_leader_only_downloads_and_others_see_nothing(
    client, clerk_a, clerk_b, leader, grid_worker_a, people, township_a, village_a
):
    client.force_login(clerk_a)
    page = client.get(reverse("employment:roster_index")).content.decode()
    assert 'data-testid="roster-download"' in page and 'data-testid="roster-upload-link"' in page
    assert client.get(reverse("employment:roster_upload")).status_code == 200
    content = _roster_like([{MEMBER_ID: people.stays.pk, BATCH: "产业一批"}])
    upload(client, content)
    job = last_job()
    assert job.result["state"] == "invalid"

    client.force_login(leader)
    page = client.get(reverse("employment:roster_index")).content.decode()
    assert 'data-testid="roster-download"' in page and "roster-upload-link" not in page
    assert client.get(reverse("employment:roster_upload")).status_code == 403
    assert upload(client, content).status_code == 403
    assert client.get(reverse("employment:roster_import", args=[job.pk])).status_code == 403

    client.force_login(grid_worker_a)
    assert client.get(reverse("employment:roster_index")).status_code == 403
    assert client.post(reverse("employment:roster_download"), DEC).status_code == 403

    client.force_login(clerk_b)
    url = reverse("employment:roster_import", args=[job.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {"confirm": "on"}).status_code == 404
    assert client.get(reverse("jobs:job_download", args=[job.pk])).status_code == 404
    download_url = reverse("employment:roster_download")
    assert client.post(download_url, {**DEC, "township": township_a.pk}).status_code == 404
    assert client.post(download_url, {**DEC, "village": village_a.pk}).status_code == 404
    assert Job.objects.filter(kind=IMPORT_JOB).count() == 1


def test_a_later_month_cannot_be_downloaded_or_uploaded(client, clerk_a, people):
    client.force_login(clerk_a)

    response = client.post(reverse("employment:roster_download"), {"year": 2027, "month": 1})
    page = upload(client, _roster_like([{MEMBER_ID: people.stays.pk}]), year=2026, month=13)

    assert response.status_code == 302 and response["Location"] == reverse(
        "employment:roster_index"
    )
    assert page.status_code == 200 and not Job.objects.exists()
