"""Department screening lists and warnings (部门筛查预警): matching by ID number only, routing to
the member's village, verification by the township, overdue marks, the handling list and the
department's view of its own lists.

Cast: dept_medical (医保局), clerk_a (township A 中固镇, village_a 烟厂村, village_a2),
grid_worker_a (village_a), clerk_b (township B 威远堡镇, village_b 威远村), bureau, leader.
"""

from __future__ import annotations

import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook

from kaiyuan.accounts.roles import Department, Role
from kaiyuan.audit.models import AuditEvent
from kaiyuan.common.dates import add_working_days, today
from kaiyuan.common.errors import ConcurrentUpdate, DomainError
from kaiyuan.common.idcard import InvalidIdNumber, build_id_number, parse_id_number
from kaiyuan.jobs.models import Job
from kaiyuan.jobs.services import job_run
from kaiyuan.policy.services import policy_for
from monitoring.codes import MonitoringCategory
from monitoring.exports import warnings as template
from monitoring.models import DeptWarning, Household, MonitoringCase, RiskLead, WarningUpload
from monitoring.services.warnings import (
    MATCH_JOB,
    ListRefused,
    WarningError,
    warning_upload_create,
    warning_upload_match,
    warning_verify,
    warnings_mark_overdue,
)
from tests.factories import UserFactory
from tests.kaiyuan.bombs import LoaderSpy, with_dimension, with_huge_shared_strings
from tests.monitoring.factories import (
    make_department_warning,
    make_household,
    make_member,
    next_id_number,
)

pytestmark = pytest.mark.django_db

HEADERS = list(template.HEADERS)
Result = DeptWarning.Result


# =============================================================================================
# Building lists
# =============================================================================================


def workbook_bytes(rows, *, headers=HEADERS) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = template.LIST_SHEET
    sheet.append(headers)
    for row in rows:
        sheet.append(list(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def list_file(rows, *, headers=HEADERS, name="医保筛查名单.xlsx") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, workbook_bytes(rows, headers=headers))


def row(id_number, name="李秀英", kind="大额医疗费用自付", indicator="12500.00", day=None):
    return [id_number, name, kind, indicator, day or today() - datetime.timedelta(days=1)]


def upload_list(actor, rows, capture, **kwargs) -> WarningUpload:
    """Upload through the service; the matching job runs when the transaction commits. ``rows``
    may be the bytes of a workbook built before (to upload the very same file twice)."""
    if isinstance(rows, bytes):
        file = SimpleUploadedFile("医保筛查名单.xlsx", rows)
    else:
        file = list_file(rows, **kwargs)
    with capture(execute=True):
        upload = warning_upload_create(actor=actor, file=file)
    upload.refresh_from_db()
    return upload


def id_ending_in_x() -> str:
    for sequence in range(1, 1000):
        number = build_id_number("211282", datetime.date(1975, 3, 9), sequence)
        if number.endswith("X"):
            return number
    raise AssertionError("no number ending in X")


def stored_number(member) -> str:
    from kaiyuan.common import pii

    return pii.decrypt(member.id_cipher)


def make_warning(member, *, department=Department.MEDICAL, deadline=None, **fields) -> DeptWarning:
    """A warning as matching makes it, built directly (for the tests of what follows)."""
    return make_department_warning(member, department=department, deadline=deadline, **fields)


@pytest.fixture
def member_a(village_a):
    return make_household(village_a, head_name="李秀英").members.get()


@pytest.fixture
def member_b(village_b):
    return make_household(village_b, head_name="李秀英").members.get()


# =============================================================================================
# Matching: by ID number only
# =============================================================================================


def test_it_warns_only_the_namesake_whose_id_number_is_listed(
    dept_medical, member_a, member_b, django_capture_on_commit_callbacks
):
    stranger = next_id_number()  # valid, but nobody in the county has it
    upload = upload_list(
        dept_medical,
        [row(stored_number(member_b), name="李秀英"), row(stranger, name="李秀英")],
        django_capture_on_commit_callbacks,
    )

    assert upload.status == WarningUpload.Status.DONE
    warning = DeptWarning.objects.get()
    assert warning.member == member_b
    assert warning.listed_name == "李秀英"
    assert not DeptWarning.objects.filter(member=member_a).exists()
    assert (upload.rows, upload.matched, upload.duplicates) == (2, 1, 0)
    assert upload.unmatched == [
        {"row": 3, "id": stranger[:6] + "********" + stranger[-4:], "name": "李秀英"}
    ]


def test_a_name_that_differs_is_still_matched_by_id_and_shown_to_the_township(
    client, dept_medical, clerk_a, member_a, django_capture_on_commit_callbacks
):
    upload_list(
        dept_medical,
        [row(stored_number(member_a), name="李秀颖")],
        django_capture_on_commit_callbacks,
    )

    warning = DeptWarning.objects.get()
    assert warning.member == member_a and warning.listed_name == "李秀颖"
    client.force_login(clerk_a)
    page = client.get(reverse("monitoring:warning_verify", args=[warning.pk]))
    assert page.status_code == 200 and page.context["name_differs"] is True
    assert "李秀颖" in page.content.decode()


def test_15_digit_numbers_and_a_lower_case_x_are_normalised(
    dept_medical, village_a, django_capture_on_commit_callbacks
):
    household = make_household(village_a)
    with_x = make_member(household, name="赵丽", id_number=id_ending_in_x())
    old_card = make_member(household, name="赵刚")
    number = stored_number(old_card)
    fifteen = number[:6] + number[8:17]

    upload = upload_list(
        dept_medical,
        [row(stored_number(with_x).lower()), row(fifteen)],
        django_capture_on_commit_callbacks,
    )

    assert upload.errors == []
    assert set(DeptWarning.objects.values_list("member", flat=True)) == {with_x.pk, old_card.pk}


def test_bad_id_numbers_are_listed_with_their_row_and_reason(
    dept_medical, member_a, django_capture_on_commit_callbacks
):
    good = stored_number(member_a)
    wrong_check = good[:17] + ("0" if good[17] != "0" else "1")

    upload = upload_list(
        dept_medical,
        [row("12345"), row(good), row(wrong_check, name="王五"), row(None, name="赵六")],
        django_capture_on_commit_callbacks,
    )

    def reason(raw):
        with pytest.raises(InvalidIdNumber) as refused:
            parse_id_number(raw)
        return refused.value.message

    assert [(e["row"], e["reason"]) for e in upload.errors] == [
        (2, reason("12345")),
        (4, reason(wrong_check)),
        (5, reason("")),
    ]
    assert upload.errors[1]["name"] == "王五"
    assert wrong_check not in str(upload.errors)  # only masked numbers are kept
    assert upload.matched == 1 and DeptWarning.objects.count() == 1


def test_an_id_number_excel_turned_into_a_number_is_refused_not_guessed(
    dept_medical, member_a, django_capture_on_commit_callbacks
):
    upload = upload_list(
        dept_medical,
        [row(float(stored_number(member_a)[:17] + "1"))],
        django_capture_on_commit_callbacks,
    )

    assert upload.matched == 0 and len(upload.errors) == 1
    assert "Excel" in upload.errors[0]["reason"]


def test_rows_without_type_or_with_a_bad_or_future_date_are_refused(
    dept_medical, member_a, django_capture_on_commit_callbacks
):
    number = stored_number(member_a)
    upload = upload_list(
        dept_medical,
        [
            row(number, kind=""),
            [number, "李秀英", "大额医疗费用自付", "", "上个月"],
            row(number, day=today() + datetime.timedelta(days=1)),
        ],
        django_capture_on_commit_callbacks,
    )

    assert [e["row"] for e in upload.errors] == [2, 3, 4]
    assert DeptWarning.objects.count() == 0


def test_a_removed_member_is_not_warned(
    dept_medical, village_a, django_capture_on_commit_callbacks
):
    household = make_household(village_a)
    gone = make_member(household, name="钱进", status="removed")

    upload = upload_list(
        dept_medical, [row(stored_number(gone))], django_capture_on_commit_callbacks
    )

    assert upload.matched == 0 and len(upload.unmatched) == 1


# =============================================================================================
# Re-uploads and new lists
# =============================================================================================


def test_uploading_the_same_list_again_creates_no_new_warning(
    dept_medical, member_a, member_b, django_capture_on_commit_callbacks
):
    content = workbook_bytes([row(stored_number(member_a)), row(stored_number(member_b))])
    first = upload_list(dept_medical, content, django_capture_on_commit_callbacks)

    second = upload_list(dept_medical, content, django_capture_on_commit_callbacks)

    assert (first.matched, first.duplicates) == (2, 0)
    assert (second.matched, second.duplicates) == (0, 2)
    assert second.sha256 == first.sha256
    assert DeptWarning.objects.count() == 2


def test_the_same_row_twice_in_one_list_is_one_warning(
    dept_medical, member_a, django_capture_on_commit_callbacks
):
    rows = [row(stored_number(member_a))] * 2
    upload = upload_list(dept_medical, rows, django_capture_on_commit_callbacks)

    assert (upload.rows, upload.matched, upload.duplicates) == (2, 1, 1)


def test_a_later_list_with_a_new_date_creates_new_warnings(
    dept_medical, member_a, django_capture_on_commit_callbacks
):
    number = stored_number(member_a)
    upload_list(
        dept_medical,
        [row(number, day=today() - datetime.timedelta(days=40))],
        django_capture_on_commit_callbacks,
    )

    later = upload_list(dept_medical, [row(number)], django_capture_on_commit_callbacks)

    assert later.matched == 1
    assert DeptWarning.objects.filter(member=member_a).count() == 2


def test_matching_a_list_again_changes_nothing(
    dept_medical, member_a, django_capture_on_commit_callbacks
):
    upload = upload_list(
        dept_medical, [row(stored_number(member_a))], django_capture_on_commit_callbacks
    )
    events = AuditEvent.objects.count()

    again = warning_upload_match(upload=upload)

    assert (again.matched, again.duplicates) == (1, 0)
    assert DeptWarning.objects.count() == 1
    assert AuditEvent.objects.count() == events


def test_matching_looks_members_up_per_batch_not_per_row(
    dept_medical, village_a, django_capture_on_commit_callbacks
):
    household = make_household(village_a)
    people = [
        make_member(household, birth_date=datetime.date(1970, 1, 1) + datetime.timedelta(days=i))
        for i in range(30)
    ]

    def queries_to_match(members) -> int:
        with django_capture_on_commit_callbacks(execute=False):  # the job is run by hand below
            upload = warning_upload_create(
                actor=dept_medical,
                file=list_file([row(stored_number(m), name=m.name) for m in members]),
            )
        with CaptureQueriesContext(connection) as queries:
            matched = warning_upload_match(upload=upload)
        assert matched.matched == len(members)
        return len(queries)

    assert queries_to_match(people[:3]) == queries_to_match(people[3:])


def test_the_deadline_counts_calendar_days_from_the_warning_date(
    dept_medical, member_a, django_capture_on_commit_callbacks
):
    day = today() - datetime.timedelta(days=3)
    upload_list(
        dept_medical, [row(stored_number(member_a), day=day)], django_capture_on_commit_callbacks
    )

    warning = DeptWarning.objects.get()
    days = policy_for(day.year).warning_verification_days
    assert warning.deadline == day + datetime.timedelta(days=days)
    assert warning.overdue is False


def test_the_upload_and_the_matching_are_audited(
    dept_medical, member_a, django_capture_on_commit_callbacks
):
    upload = upload_list(
        dept_medical,
        [row(stored_number(member_a)), row(next_id_number()), row("bad")],
        django_capture_on_commit_callbacks,
    )

    received = AuditEvent.objects.get(action="upload", object_id=str(upload.pk))
    assert received.actor == dept_medical and received.data["sha256"] == upload.sha256
    matched = AuditEvent.objects.get(action="match", object_id=str(upload.pk))
    assert matched.data == {
        "department": "medical",
        "rows": 3,
        "matched": 1,
        "duplicates": 0,
        "unmatched": 1,
        "errors": 1,
        "sha256": upload.sha256,
    }


# =============================================================================================
# Upload page, refusals and the job
# =============================================================================================


def post_list(client, content: bytes, name="名单.xlsx"):
    return client.post(
        reverse("monitoring:warning_upload"), {"file": SimpleUploadedFile(name, content)}
    )


def test_the_upload_page_runs_the_matching_as_a_job_and_shows_the_result(
    client, dept_medical, member_a, django_capture_on_commit_callbacks
):
    client.force_login(dept_medical)
    stranger = next_id_number()
    content = workbook_bytes([row(stored_number(member_a)), row(stranger, name="孙七"), row("x1")])

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = post_list(client, content)

    upload = WarningUpload.objects.get()
    assert len(callbacks) == 1  # enqueued on commit, like every job
    assert response["Location"] == reverse("monitoring:warning_upload_detail", args=[upload.pk])
    job = Job.objects.get(kind=MATCH_JOB)
    assert upload.job == job and job.status == Job.Status.DONE, job.message
    assert job.result["matched"] == 1 and job.result_file  # the rows not pushed, as Excel
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert page.context["upload"].matched == 1
    body = page.content.decode()
    assert "孙七" in body and stranger not in body  # unmatched rows shown, masked
    feedback = client.get(reverse("monitoring:warning_upload_feedback", args=[upload.pk]))
    sheet = load_workbook(io.BytesIO(b"".join(feedback.streaming_content))).active
    assert [r[0] for r in sheet.iter_rows(min_row=3, values_only=True)] == [3, 4]


NOT_XLSX = (
    "This file is not a real Excel workbook (.xlsx): it may be an .xls, .csv or text file "
    "that was renamed. Open it in Excel or WPS and save it as “Excel 工作簿 (.xlsx)”."
)
ONLY_XLSX = (
    "Only Excel workbooks (.xlsx) can be imported. Open the file in Excel or WPS and save it "
    "as “Excel 工作簿 (.xlsx)”."
)


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("名单.csv", b"a,b\n1,2\n", lambda: _(ONLY_XLSX)),
        ("名单.xlsx", b"not a zip at all", lambda: _(NOT_XLSX)),
        ("名单.xlsx", b"", lambda: _("The file is empty.")),
        (
            "名单.xlsx",
            workbook_bytes([["x", "y"]], headers=["身份证", "姓名"]),
            lambda: "证件号码、预警类型、金额或指标、预警日期",  # the missing columns are named
        ),
        (
            "名单.xlsx",
            workbook_bytes([]),
            lambda: _("The list has headers but no rows: there is nothing to push."),
        ),
    ],
)
def test_a_file_that_is_not_a_usable_list_is_refused_and_nothing_is_stored(
    client, dept_medical, name, content, expected, django_capture_on_commit_callbacks
):
    client.force_login(dept_medical)

    with django_capture_on_commit_callbacks(execute=True):
        response = post_list(client, content, name=name)

    assert response.status_code == 200
    assert expected() in " ".join(response.context["form"].errors["file"])
    assert not WarningUpload.objects.exists() and not Job.objects.exists()


@pytest.mark.parametrize(
    ("bomb", "expected"),
    [
        (lambda content: with_dimension(content, "A1:XFD20000"), ["16384 列", "A1:XFD20000"]),
        (lambda content: with_huge_shared_strings(content), ["倍", "MB"]),
    ],
    ids=["declared-dimension", "shared-strings"],
)
def test_a_spreadsheet_bomb_is_refused_before_it_is_parsed(
    client, dept_medical, member_a, monkeypatch, bomb, expected, django_capture_on_commit_callbacks
):
    content = bomb(workbook_bytes([row(stored_number(member_a))]))
    loader = LoaderSpy(monkeypatch)
    client.force_login(dept_medical)

    with django_capture_on_commit_callbacks(execute=True):
        response = post_list(client, content)

    assert response.status_code == 200
    errors = " ".join(response.context["form"].errors["file"])
    assert all(part in errors for part in expected) and "拆分" in errors, errors
    assert loader.calls == 0
    assert not WarningUpload.objects.exists() and not Job.objects.exists()
    assert not DeptWarning.objects.exists()


def test_a_list_finds_its_header_below_title_rows_and_reads_dates_as_written(
    dept_medical, member_a, django_capture_on_commit_callbacks
):
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = template.LIST_SHEET
    sheet.append(["开原市医疗保障局 2024 年大额医疗费用筛查名单"])
    sheet.append(["填报单位：医保局"])
    sheet.append([])
    sheet.append(HEADERS)
    number = stored_number(member_a)
    day = today() - datetime.timedelta(days=3)
    for written in (day.strftime("%Y/%m/%d"), f"{day.year}年{day.month}月{day.day}日"):
        sheet.append([number, "李秀英", f"类型{written}", "1", written])
    sheet.append([number, "李秀英", "序列号", "1", (day - datetime.date(1899, 12, 30)).days])
    buffer = io.BytesIO()
    workbook.save(buffer)

    upload = upload_list(dept_medical, buffer.getvalue(), django_capture_on_commit_callbacks)

    assert upload.errors == [] and upload.matched == 3
    assert set(DeptWarning.objects.values_list("warned_on", flat=True)) == {day}


def test_a_list_whose_file_is_gone_fails_with_a_message(
    client, dept_medical, member_a, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False):
        upload = warning_upload_create(
            actor=dept_medical, file=list_file([row(stored_number(member_a))])
        )
    upload.file.delete(save=False)

    job_run(job_id=upload.job_id)

    upload.refresh_from_db()
    assert upload.status == WarningUpload.Status.FAILED
    assert upload.job.status == Job.Status.FAILED
    assert upload.job.message == _("The stored list can no longer be read: upload it again.")
    client.force_login(dept_medical)
    page = client.get(reverse("monitoring:warning_upload_detail", args=[upload.pk]))
    assert upload.job.message in page.content.decode()
    assert not DeptWarning.objects.exists()


@override_settings(MAX_UPLOAD_MB=1)
def test_a_file_over_the_size_limit_is_refused(dept_medical):
    big = SimpleUploadedFile("名单.xlsx", b"0" * (1024 * 1024 + 1))

    with pytest.raises(ListRefused):
        warning_upload_create(actor=dept_medical, file=big)

    assert not WarningUpload.objects.exists()


@pytest.mark.parametrize("cast", ["clerk_a", "grid_worker_a", "leader", "bureau"])
def test_only_department_staff_upload_lists(client, request, cast):
    client.force_login(request.getfixturevalue(cast))

    assert client.get(reverse("monitoring:warning_upload")).status_code == 403
    assert post_list(client, workbook_bytes([row(next_id_number())])).status_code == 403
    assert not WarningUpload.objects.exists()


def test_the_template_has_the_headers_a_sample_row_and_an_explanation(client, dept_medical):
    client.force_login(dept_medical)

    response = client.get(reverse("monitoring:warning_template", args=["medical"]))

    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    sheet = workbook[template.LIST_SHEET]
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0]) == HEADERS
    assert rows[1][0] == template.SAMPLE_ID and rows[1][2] == "大额医疗费用自付"
    explained = [r[0] for r in workbook[template.HELP_SHEET].iter_rows(min_row=2, values_only=True)]
    assert set(HEADERS) <= set(explained)
    assert client.get("/monitoring/warnings/template/nobody.xlsx").status_code == 404


def test_the_template_is_accepted_as_it_is_and_its_sample_row_is_reported_back(
    dept_medical, django_capture_on_commit_callbacks
):
    content = template.build_template("civil")
    with django_capture_on_commit_callbacks(execute=True):
        upload = warning_upload_create(
            actor=dept_medical, file=SimpleUploadedFile("模板.xlsx", content)
        )
    upload.refresh_from_db()

    assert upload.rows == 1 and upload.errors == [] and len(upload.unmatched) == 1


# =============================================================================================
# Routing to the township
# =============================================================================================


def test_the_warning_goes_to_the_members_village_and_only_that_township_sees_it(
    client,
    dept_medical,
    clerk_a,
    clerk_b,
    grid_worker_a,
    member_a,
    django_capture_on_commit_callbacks,
):
    upload_list(dept_medical, [row(stored_number(member_a))], django_capture_on_commit_callbacks)
    warning = DeptWarning.objects.get()
    assert warning.area == member_a.household.area
    assert warning.household == member_a.household

    for user, expected in ((clerk_a, [warning.pk]), (grid_worker_a, [warning.pk]), (clerk_b, [])):
        client.force_login(user)
        listed = client.get(reverse("monitoring:warning_list"))
        assert [w.pk for w in listed.context["page"]] == expected, user.username

    client.force_login(clerk_b)
    assert client.get(reverse("monitoring:warning_verify", args=[warning.pk])).status_code == 404


def test_the_township_list_is_ordered_by_deadline_and_marks_overdue(client, clerk_a, village_a):
    household = make_household(village_a)
    late = make_warning(household.members.get(), deadline=today() - datetime.timedelta(days=1))
    soon = make_warning(make_member(household), deadline=today() + datetime.timedelta(days=3))
    client.force_login(clerk_a)

    response = client.get(reverse("monitoring:warning_list"))

    assert [w.pk for w in response.context["page"]] == [late.pk, soon.pk]
    assert response.context["counts"] == {"pending": 2, "overdue": 1, "verified": 0}
    assert response.content.decode().count('data-testid="overdue"') == 1


def test_a_grid_worker_does_not_see_another_villages_warnings(client, grid_worker_a, village_a2):
    make_warning(make_household(village_a2).members.get())
    client.force_login(grid_worker_a)

    assert list(client.get(reverse("monitoring:warning_list")).context["page"]) == []


# =============================================================================================
# Verification
# =============================================================================================


@pytest.fixture
def warning_a(member_a):
    return make_warning(member_a)


def test_risk_opens_a_department_lead_with_its_deadline(clerk_a, warning_a):
    verified = warning_verify(
        warning=warning_a, actor=clerk_a, result=Result.RISK, note="", expected_version=1
    )

    lead = RiskLead.objects.get()
    assert verified.result == Result.RISK and verified.lead == lead
    assert (verified.verified_by, verified.version) == (clerk_a, 2)
    assert verified.verified_at is not None
    assert lead.source == RiskLead.Source.DEPARTMENT
    assert lead.household == warning_a.household and lead.area == warning_a.area
    assert lead.description == f"{Department.MEDICAL.label}：大额医疗费用自付 12500.00"
    policy = policy_for(today().year)
    assert lead.deadline == add_working_days(today(), policy.identification_acceptance_days)
    event = AuditEvent.objects.get(action="verify", object_id=str(warning_a.pk))
    assert (event.from_state, event.to_state, event.actor) == ("pending", "risk", clerk_a)
    assert event.data["lead"] == lead.pk


def test_no_risk_needs_a_note(clerk_a, warning_a):
    with pytest.raises(WarningError) as refused:
        warning_verify(
            warning=warning_a, actor=clerk_a, result=Result.NO_RISK, note=" ", expected_version=1
        )
    assert refused.value.field == "note"
    warning_a.refresh_from_db()
    assert warning_a.result == Result.PENDING and warning_a.version == 1

    verified = warning_verify(
        warning=warning_a,
        actor=clerk_a,
        result=Result.NO_RISK,
        note="医保已报销，自付部分由商业保险赔付",
        expected_version=1,
    )
    assert verified.result == Result.NO_RISK and verified.note.startswith("医保已报销")
    assert not RiskLead.objects.exists()


def test_already_monitored_is_refused_for_a_household_not_under_monitoring(clerk_a, warning_a):
    with pytest.raises(WarningError) as refused:
        warning_verify(
            warning=warning_a,
            actor=clerk_a,
            result=Result.ALREADY_MONITORED,
            note="",
            expected_version=1,
        )

    assert refused.value.field == "result"
    warning_a.refresh_from_db()
    assert warning_a.result == Result.PENDING
    assert not AuditEvent.objects.filter(action="verify").exists()


def test_already_monitored_is_accepted_for_a_monitored_household(clerk_a, warning_a):
    Household.objects.filter(pk=warning_a.household_id).update(
        monitoring_status=Household.MonitoringStatus.MONITORED,
        monitoring_category=MonitoringCategory.UNSTABLE,
    )

    verified = warning_verify(
        warning=warning_a,
        actor=clerk_a,
        result=Result.ALREADY_MONITORED,
        note="",
        expected_version=1,
    )

    assert verified.result == Result.ALREADY_MONITORED and verified.lead is None


def test_already_monitored_is_accepted_for_a_household_with_an_open_case(
    clerk_a, warning_a, member_a
):
    MonitoringCase.objects.create(
        kind=MonitoringCase.Kind.IDENTIFICATION,
        household=member_a.household,
        area=member_a.household.area,
        status=MonitoringCase.Status.VERIFYING,
        application_date=today(),
        deadline=today() + datetime.timedelta(days=28),
        opened_by=clerk_a,
    )

    verified = warning_verify(
        warning=warning_a,
        actor=clerk_a,
        result=Result.ALREADY_MONITORED,
        note="",
        expected_version=1,
    )
    assert verified.result == Result.ALREADY_MONITORED


def test_a_second_verification_of_the_same_version_is_a_conflict(clerk_a, grid_worker_a, warning_a):
    warning_verify(
        warning=warning_a, actor=clerk_a, result=Result.RISK, note="", expected_version=1
    )

    with pytest.raises(ConcurrentUpdate):
        warning_verify(
            warning=warning_a,
            actor=grid_worker_a,
            result=Result.NO_RISK,
            note="已核实无风险",
            expected_version=1,
        )

    warning_a.refresh_from_db()
    assert warning_a.result == Result.RISK and warning_a.verified_by == clerk_a
    assert RiskLead.objects.count() == 1


def test_a_grid_worker_of_the_village_verifies_on_the_page(client, grid_worker_a, warning_a):
    client.force_login(grid_worker_a)
    url = reverse("monitoring:warning_verify", args=[warning_a.pk])
    assert client.get(url).status_code == 200

    response = client.post(url, {"result": "no_risk", "note": "入户核实，已康复", "version": 1})

    assert response.status_code == 302
    warning_a.refresh_from_db()
    assert warning_a.result == Result.NO_RISK and warning_a.verified_by == grid_worker_a
    assert client.get(url).context["form"] is None  # shown as verified, no second form


def test_the_page_shows_a_refusal_and_a_stale_form_gets_the_conflict(client, clerk_a, warning_a):
    client.force_login(clerk_a)
    url = reverse("monitoring:warning_verify", args=[warning_a.pk])

    refused = client.post(url, {"result": "no_risk", "note": "", "version": 1})
    assert refused.status_code == 200 and refused.context["form"].errors["note"]

    DeptWarning.objects.filter(pk=warning_a.pk).update(version=2)  # someone else saved meanwhile
    stale = client.post(url, {"result": "risk", "note": "", "version": 1})
    assert stale.status_code == 200 and stale.context["form"].non_field_errors()
    assert not RiskLead.objects.exists()


@pytest.mark.parametrize("cast", ["dept_medical", "leader", "bureau"])
def test_roles_that_do_not_verify_get_403(client, request, cast, warning_a):
    client.force_login(request.getfixturevalue(cast))
    url = reverse("monitoring:warning_verify", args=[warning_a.pk])

    assert client.get(url).status_code == 403
    assert client.post(url, {"result": "risk", "note": "", "version": 1}).status_code == 403
    warning_a.refresh_from_db()
    assert warning_a.result == Result.PENDING


def test_a_clerk_of_another_township_cannot_verify_through_the_service(clerk_b, warning_a):
    with pytest.raises(DomainError):
        warning_verify(
            warning=warning_a, actor=clerk_b, result=Result.RISK, note="", expected_version=1
        )
    assert not RiskLead.objects.exists()


# =============================================================================================
# Overdue
# =============================================================================================


def test_warnings_past_their_deadline_are_marked_overdue_and_due_today_are_not(village_a):
    household = make_household(village_a)
    late = make_warning(household.members.get(), deadline=today() - datetime.timedelta(days=1))
    due = make_warning(make_member(household), deadline=today())
    done = make_warning(
        make_member(household),
        deadline=today() - datetime.timedelta(days=5),
        result=Result.NO_RISK,
    )

    assert warnings_mark_overdue(today=today()) == 1
    assert warnings_mark_overdue(today=today()) == 0  # already marked

    late.refresh_from_db()
    due.refresh_from_db()
    done.refresh_from_db()
    assert (late.overdue, due.overdue, done.overdue) == (True, False, False)


# =============================================================================================
# The bureau's handling list and the department's view
# =============================================================================================


@pytest.fixture
def spread(village_a, village_a2, village_b, clerk_a):
    """Township A: one verified, one overdue, one pending in time; township B: one overdue
    from the civil affairs bureau."""
    past = today() - datetime.timedelta(days=2)
    future = today() + datetime.timedelta(days=2)
    first = make_household(village_a)
    verified = make_warning(first.members.get(), deadline=future)
    warning_verify(warning=verified, actor=clerk_a, result=Result.RISK, note="", expected_version=1)
    overdue_a = make_warning(make_member(first), deadline=past)
    make_warning(make_household(village_a2).members.get(), deadline=future)
    overdue_b = make_warning(
        make_household(village_b).members.get(), deadline=past, department=Department.CIVIL
    )
    return overdue_a, overdue_b


def test_the_bureau_sees_counts_per_township_and_the_overdue_list(
    client, bureau, township_a, township_b, spread
):
    overdue_a, overdue_b = spread
    client.force_login(bureau)

    response = client.get(reverse("monitoring:warning_list"))

    rows = {
        r.township.pk: (r.pushed, r.verified, r.pending, r.overdue)
        for r in response.context["rows"]
    }
    assert rows[township_a.pk] == (3, 1, 2, 1)
    assert rows[township_b.pk] == (1, 0, 1, 1)
    total = response.context["total"]
    assert (total.pushed, total.verified, total.pending, total.overdue) == (4, 1, 3, 2)
    assert [w.pk for w in response.context["page"]] == [overdue_a.pk, overdue_b.pk]

    by_township = client.get(reverse("monitoring:warning_list"), {"township": township_b.pk})
    assert [w.pk for w in by_township.context["page"]] == [overdue_b.pk]
    by_department = client.get(reverse("monitoring:warning_list"), {"department": "medical"})
    assert [w.pk for w in by_department.context["page"]] == [overdue_a.pk]
    assert {r.township.pk: r.pushed for r in by_department.context["rows"]}[township_b.pk] == 0


def test_a_department_sees_the_results_of_its_own_lists_only(
    client, dept_medical, member_a, member_b, clerk_a, county, django_capture_on_commit_callbacks
):
    upload = upload_list(
        dept_medical,
        [row(stored_number(member_a)), row(stored_number(member_b))],
        django_capture_on_commit_callbacks,
    )
    warning = DeptWarning.objects.get(member=member_a)
    warning_verify(warning=warning, actor=clerk_a, result=Result.RISK, note="", expected_version=1)
    client.force_login(dept_medical)

    response = client.get(reverse("monitoring:warning_list"))

    assert response.context["totals"]["total"] == 2
    assert response.context["totals"]["risk_count"] == 1
    assert response.context["totals"]["pending_count"] == 1
    listed = list(response.context["page"])
    assert [u.pk for u in listed] == [upload.pk]
    assert (listed[0].risk_count, listed[0].pending_count) == (1, 1)
    detail = client.get(reverse("monitoring:warning_upload_detail", args=[upload.pk]))
    assert detail.context["results"] == {"pending": 1, "risk": 1, "no_risk": 0, "monitored": 0}

    civil = UserFactory(role=Role.DEPARTMENT, department=Department.CIVIL, area=county)
    client.force_login(civil)
    assert (
        client.get(reverse("monitoring:warning_upload_detail", args=[upload.pk])).status_code == 404
    )
    assert list(client.get(reverse("monitoring:warning_list")).context["page"]) == []
    client.force_login(clerk_a)
    assert (
        client.get(reverse("monitoring:warning_upload_detail", args=[upload.pk])).status_code == 404
    )


# =============================================================================================
# Query counts of the lists
# =============================================================================================


def _grow(village, n):
    household = make_household(village)
    for _index in range(n):
        make_warning(make_member(household), deadline=today() - datetime.timedelta(days=1))


def test_the_township_list_runs_the_same_queries_for_2_and_12_warnings(
    client, clerk_a, village_a, django_assert_max_num_queries
):
    client.force_login(clerk_a)
    url = reverse("monitoring:warning_list")
    _grow(village_a, 2)
    with django_assert_max_num_queries(10) as few:
        client.get(url)
    _grow(village_a, 10)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert len(client.get(url).context["page"]) == 12


def test_the_county_list_runs_the_same_queries_for_2_and_12_warnings(
    client, bureau, village_a, village_b, django_assert_max_num_queries
):
    client.force_login(bureau)
    url = reverse("monitoring:warning_list")
    _grow(village_a, 2)
    with django_assert_max_num_queries(12) as few:
        client.get(url)
    _grow(village_b, 10)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert len(client.get(url).context["page"]) == 12


def test_the_department_pages_run_the_same_queries_for_1_and_5_lists(
    client,
    dept_medical,
    member_a,
    django_capture_on_commit_callbacks,
    django_assert_max_num_queries,
):
    client.force_login(dept_medical)
    url = reverse("monitoring:warning_list")
    number = stored_number(member_a)

    def upload_one(days):
        upload_list(
            dept_medical,
            [row(number, day=today() - datetime.timedelta(days=days))],
            django_capture_on_commit_callbacks,
        )

    upload_one(1)
    first = WarningUpload.objects.get()
    detail = reverse("monitoring:warning_upload_detail", args=[first.pk])
    with django_assert_max_num_queries(10) as few:
        client.get(url)
    with django_assert_max_num_queries(12) as few_detail:
        client.get(detail)
    for days in range(2, 6):
        upload_one(days)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert len(client.get(url).context["page"]) == 5
    with django_assert_max_num_queries(len(few_detail.captured_queries)):
        client.get(detail)


def test_a_lists_states_are_workflow_steps_audited_as_the_system(
    dept_medical, django_capture_on_commit_callbacks
):
    # pending → matching → done, each step an audit event of the background work (no actor).
    upload = upload_list(
        dept_medical, [row(next_id_number(), name="不在册")], django_capture_on_commit_callbacks
    )
    assert upload.status == WarningUpload.Status.DONE
    steps = AuditEvent.objects.filter(object_id=str(upload.pk)).exclude(action="upload")
    trail = [
        (e.action, e.from_state, e.to_state, e.actor_id, e.source)
        for e in steps.order_by("at", "id")
    ]
    assert trail == [
        ("start_matching", "pending", "matching", None, "task"),
        ("match", "matching", "done", None, "task"),
    ]
