"""The standard lists in the national layout: who is on each list, the 32 headers, ID numbers
masked or full by role, the audit event with rows and SHA-256, a query count that does not grow
with the rows, and the round trip export (import format) → import → unchanged.

Cast: clerk_a (township A, full ID numbers), leader (county, read-only, masked IDs), auditor,
grid_worker_a (no exports), clerk_b (township B).
"""

from __future__ import annotations

import datetime
import hashlib
import io
import shutil
import subprocess
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse, reverse_lazy
from openpyxl import load_workbook

from kaiyuan.audit.models import AuditEvent
from kaiyuan.common import pii
from kaiyuan.jobs.models import Job
from monitoring.codes import HouseholdType, MonitoringCategory, Relation, Sex
from monitoring.exports.households import list_rows
from monitoring.imports.households import layout
from monitoring.models import Household, Member
from tests.factories import UserFactory
from tests.monitoring.factories import make_household, make_member

pytestmark = pytest.mark.django_db

LIST_HEADERS = [column.header for column in layout.LIST_COLUMNS]
MONITORED = Household.MonitoringStatus.MONITORED
ELIMINATED = Household.MonitoringStatus.ELIMINATED


@pytest.fixture
def county_data(village_a, village_a2, village_b):
    """In township A: a 脱贫户 (with a removed member), an ordinary household, a monitored
    边缘易致贫户, a 脱贫不稳定户 whose risk was eliminated; in township B a 脱贫户."""
    exited = make_household(
        village_a, head_name="张脱贫", household_number="2112821042010001", phone="13800000000"
    )
    make_member(exited, name="张儿子", relation=Relation.SON)
    gone = make_member(exited, name="张已故", relation=Relation.FATHER)
    Member.objects.filter(pk=gone.pk).update(status=Member.Status.REMOVED)
    make_household(
        village_a2,
        head_name="李一般",
        household_type=HouseholdType.ORDINARY,
        household_number="2112821042020001",
    )
    marginal = make_household(
        village_a2,
        head_name="王边缘",
        household_type=HouseholdType.ORDINARY,
        household_number="2112821042020002",
        monitoring_category=MonitoringCategory.MARGINAL,
        monitoring_status=MONITORED,
        risk_identified_on=datetime.date(2023, 5, 1),
    )
    make_member(marginal, name="王女儿", relation=Relation.DAUGHTER, sex=Sex.FEMALE)
    make_household(
        village_a,
        head_name="赵不稳",
        household_number="2112821042010002",
        monitoring_category=MonitoringCategory.UNSTABLE,
        monitoring_status=ELIMINATED,
        risk_identified_on=datetime.date(2022, 3, 1),
        risk_eliminated_on=datetime.date(2023, 9, 1),
        per_capita_income="9123.45",
    )
    make_household(village_b, head_name="孙外乡", household_number="2112821022010001")


def export(client, list_key: str, area, callbacks) -> Job:
    with callbacks(execute=True):
        response = client.post(
            reverse("monitoring:export_lists"), {"list": list_key, "area": area.pk}
        )
    job = Job.objects.filter(kind="monitoring_export").latest("pk")
    assert response.status_code == 302
    assert response["Location"] == reverse("jobs:job_detail", args=[job.pk])
    assert job.status == Job.Status.DONE, job.message
    return job


def download(client, job: Job) -> bytes:
    response = client.get(reverse("jobs:job_download", args=[job.pk]))
    assert response.status_code == 200
    return b"".join(response.streaming_content)


HEADER_ROW = 2  # below the caption row


def sheet_rows(content: bytes) -> list[dict[str, object]]:
    rows = list(load_workbook(io.BytesIO(content), read_only=True).active.values)
    header = rows[HEADER_ROW - 1]
    width = len(header)
    # read-only rows stop at their last filled cell
    return [
        dict(zip(header, row + (None,) * (width - len(row)), strict=True))
        for row in rows[HEADER_ROW:]
    ]


def headers_of(content: bytes) -> list[str]:
    rows = load_workbook(io.BytesIO(content), read_only=True).active.values
    return [value for value in list(rows)[HEADER_ROW - 1] if value is not None]


@pytest.mark.parametrize(
    ("list_key", "names"),
    [
        ("exited", {"张脱贫", "张儿子", "赵不稳"}),
        ("marginal", {"王边缘", "王女儿"}),
        ("monitored", {"王边缘", "王女儿", "赵不稳"}),
    ],
)
def test_each_list_has_its_people_in_the_national_layout(
    client, clerk_a, township_a, county_data, list_key, names, django_capture_on_commit_callbacks
):
    client.force_login(clerk_a)

    content = download(
        client, export(client, list_key, township_a, django_capture_on_commit_callbacks)
    )

    assert headers_of(content) == LIST_HEADERS
    assert len(LIST_HEADERS) == 32
    rows = sheet_rows(content)
    assert {row["姓名"] for row in rows} == names
    assert [row["序号"] for row in rows] == list(range(1, len(rows) + 1))
    assert {row["县(市、区、旗)"] for row in rows} == {"开原市"}
    assert {row["乡(镇)"] for row in rows} == {"中固镇"}


def test_the_monitored_list_says_whether_the_risk_was_eliminated(
    client, clerk_a, township_a, county_data, django_capture_on_commit_callbacks
):
    client.force_login(clerk_a)

    rows = sheet_rows(
        download(
            client, export(client, "monitored", township_a, django_capture_on_commit_callbacks)
        )
    )

    by_name = {row["姓名"]: row for row in rows}
    unstable, marginal = by_name["赵不稳"], by_name["王边缘"]
    assert (unstable["风险是否消除"], marginal["风险是否消除"]) == ("是", "否")
    assert unstable["易返贫致贫户(监测对象)类型"] == "脱贫不稳定户"
    assert unstable["人均纯收入"] == pytest.approx(9123.45)
    assert unstable["风险消除时间"].date() == datetime.date(2023, 9, 1)
    assert marginal["户类型"] == "一般农户" and marginal["行政村"] == "大白庙子村"


def test_a_village_export_holds_only_that_village(
    client, clerk_a, village_a2, county_data, django_capture_on_commit_callbacks
):
    client.force_login(clerk_a)

    rows = sheet_rows(
        download(
            client, export(client, "monitored", village_a2, django_capture_on_commit_callbacks)
        )
    )

    assert {row["姓名"] for row in rows} == {"王边缘", "王女儿"}


def test_ids_are_full_for_a_clerk_and_masked_for_the_leader(
    client, clerk_a, leader, township_a, county_data, django_capture_on_commit_callbacks
):
    head = Member.objects.get(name="张脱贫")
    full = pii.decrypt(head.id_cipher)

    client.force_login(clerk_a)
    job = export(client, "exited", township_a, django_capture_on_commit_callbacks)
    row = next(r for r in sheet_rows(download(client, job)) if r["姓名"] == "张脱贫")
    assert row["证件号码"] == full
    assert (row["户编号"], row["户联系电话"]) == ("2112821042010001", "13800000000")
    assert job.result["ids"] == "full"

    client.force_login(leader)
    job = export(client, "exited", township_a, django_capture_on_commit_callbacks)
    row = next(r for r in sheet_rows(download(client, job)) if r["姓名"] == "张脱贫")
    assert row["证件号码"] == head.id_masked != full
    assert "*" in row["证件号码"]
    assert job.result["ids"] == "masked"
    # The import layout has a birth-date column: beside a masked number the birth date (the
    # hidden digits 7-14) would complete it, so a masked list leaves it empty.
    job = export(client, "all", township_a, django_capture_on_commit_callbacks)
    row = next(r for r in sheet_rows(download(client, job)) if r["姓名"] == "张脱贫")
    assert row["证件号码"] == head.id_masked and row["出生日期"] in (None, "")
    born = datetime.date(int(full[6:10]), int(full[10:12]), int(full[12:14]))
    shown = [str(value) for value in row.values() if value is not None]
    assert not any(full[6:14] in text or born.isoformat() in text for text in shown)
    client.force_login(clerk_a)
    job = export(client, "all", township_a, django_capture_on_commit_callbacks)
    row = next(r for r in sheet_rows(download(client, job)) if r["姓名"] == "张脱贫")
    assert row["证件号码"] == full and row["出生日期"].date() == born  # a full list keeps it


def test_id_and_number_columns_are_text_cells(
    client, clerk_a, township_a, county_data, django_capture_on_commit_callbacks
):
    Member.objects.filter(name="张脱贫").update(person_number="211282104201000101")
    client.force_login(clerk_a)
    content = download(
        client, export(client, "exited", township_a, django_capture_on_commit_callbacks)
    )

    sheet = load_workbook(io.BytesIO(content)).active
    assert sheet["I3"].value == "张脱贫"
    for column in ("G", "H", "J", "X"):  # 户编号, 人编号, 证件号码, 户联系电话
        cell = sheet[f"{column}3"]
        # Digits only, but an ID number may end in the check character X.
        assert cell.data_type == "s" and cell.value.removesuffix("X").isdigit(), (
            column,
            cell.value,
        )
    assert len(sheet["J3"].value) == 18
    assert sheet["J3"].number_format == "@"  # retyped in Excel, it stays text


def test_each_export_is_audited_with_rows_and_the_files_sha256(
    client, auditor, county, county_data, django_capture_on_commit_callbacks
):
    client.force_login(auditor)

    job = export(client, "exited", county, django_capture_on_commit_callbacks)
    content = download(client, job)

    event = AuditEvent.objects.get(action="export")
    assert event.actor == auditor
    assert (
        event.data["rows"] == 4 == len(sheet_rows(content))
    )  # the head in township B is in the county
    assert event.data["sha256"] == hashlib.sha256(content).hexdigest()
    assert event.data["list_name"] == "已脱贫人口名单"
    assert event.data["filters"] == {"list": "exited", "area": "211282", "area_name": "开原市"}
    assert event.data["ids"] == "full"
    assert event.data["as_of"]
    assert job.result_name.startswith("已脱贫人口名单-开原市-")


def test_the_query_count_does_not_grow_with_the_rows(
    client,
    bureau,
    county,
    village_a,
    django_assert_max_num_queries,
    django_capture_on_commit_callbacks,
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(bureau)

    def households(n: int) -> None:
        for _ in range(n):
            household = make_household(village_a)
            make_member(household, relation=Relation.SPOUSE, sex=Sex.FEMALE)

    households(5)
    with CaptureQueriesContext(connection) as small:
        export(client, "all", county, django_capture_on_commit_callbacks)
    households(45)
    with django_assert_max_num_queries(len(small.captured_queries)):
        job = export(client, "all", county, django_capture_on_commit_callbacks)
    assert job.result["rows"] == 100


@pytest.mark.parametrize("cast", ["leader", "auditor", "bureau", "clerk_a"])
def test_read_only_and_county_roles_may_export(client, request, cast):
    client.force_login(request.getfixturevalue(cast))

    assert client.get(reverse("monitoring:export_lists")).status_code == 200


def test_grid_workers_and_finance_may_not_export(client, grid_worker_a, county, township_a):
    client.force_login(grid_worker_a)
    assert client.get(reverse("monitoring:export_lists")).status_code == 403
    response = client.post(
        reverse("monitoring:export_lists"), {"list": "exited", "area": township_a.pk}
    )
    assert response.status_code == 403
    client.force_login(UserFactory(role="finance", area=county))
    assert client.get(reverse("monitoring:export_lists")).status_code == 403
    assert not Job.objects.exists()


def test_departments_may_not_export_the_registry(client, dept_medical, township_a):
    # A department sees only the households its warnings concern, never the national lists.
    client.force_login(dept_medical)
    assert client.get(reverse("monitoring:export_lists")).status_code == 403
    response = client.post(
        reverse("monitoring:export_lists"), {"list": "exited", "area": township_a.pk}
    )
    assert response.status_code == 403
    assert not Job.objects.exists()


def test_a_clerk_cannot_export_another_township(client, clerk_a, township_b, county):
    client.force_login(clerk_a)

    response = client.post(
        reverse("monitoring:export_lists"), {"list": "exited", "area": township_b.pk}
    )

    assert response.status_code == 200  # the form shows the error
    assert not Job.objects.exists()
    page = client.get(reverse("monitoring:export_lists")).content.decode()
    assert "威远堡镇" not in page and "中固镇" in page


def test_someone_elses_export_is_not_found(
    client, clerk_a, auditor, township_a, county_data, django_capture_on_commit_callbacks
):
    client.force_login(clerk_a)
    job = export(client, "exited", township_a, django_capture_on_commit_callbacks)

    client.force_login(auditor)
    assert client.get(reverse("jobs:job_download", args=[job.pk])).status_code == 404


def test_the_row_builder_makes_no_queries(django_assert_num_queries, village_a):
    household = make_household(village_a, head_name="钱一", household_number="P1")
    member = Member.objects.select_related(
        "household", "household__area", "household__area__parent", "household__area__parent__parent"
    ).get(household=household)

    with django_assert_num_queries(0):
        rows = list(
            list_rows(
                [member],
                columns=layout.IMPORT_COLUMNS,
                full_ids=False,
                as_of=datetime.date(2024, 6, 30),
            )
        )

    row = dict(zip([c.header for c in layout.IMPORT_COLUMNS], rows[0], strict=True))
    assert row["数据日期"] == datetime.date(2024, 6, 30)
    assert row["证件号码"] == member.id_masked
    assert (row["乡(镇)"], row["行政村"], row["户编号"]) == ("中固镇", "烟厂村", "P1")
    assert row["是否参加大病保险"] == "是" and row["是否享受低保"] is None


def test_an_export_in_import_format_imports_back_unchanged(
    client, clerk_a, township_a, county_data, django_capture_on_commit_callbacks
):
    member = Member.objects.get(name="张儿子")
    Member.objects.filter(pk=member.pk).update(
        person_number="211282104201000102",
        work_months=4,
        work_place="开原市",
        dibao=True,
        disability_category="4",
        disability_certificate_year=2019,
        health="残疾,长期慢性病",
        phone="13911112222",
    )
    Household.objects.filter(household_number="2112821042010001").update(
        natural_village="西屯", first_identified_on=datetime.date(2016, 1, 1), poverty_cause="因病"
    )
    before_members = {m.pk: (m.version, m.updated_at) for m in Member.objects.all()}
    before_households = {h.pk: (h.version, h.updated_at) for h in Household.objects.all()}
    client.force_login(clerk_a)
    content = download(
        client, export(client, "all", township_a, django_capture_on_commit_callbacks)
    )
    assert len(headers_of(content)) == len(layout.IMPORT_COLUMNS)

    response = client.post(
        reverse("monitoring:import_upload"),
        {"file": SimpleUploadedFile("全部成员.xlsx", content)},
    )

    job = Job.objects.filter(kind="monitoring_import").latest("pk")
    assert response.status_code == 302, response.content.decode()[:2000]
    assert job.result["state"] == "imported", job.result["errors"]
    counts = job.result["counts"]
    assert counts["households_created"] == counts["members_created"] == 0
    assert counts["households_updated"] == counts["members_updated"] == 0
    assert counts["households_unchanged"] == 4
    assert counts["members_unchanged"] == 6  # the removed member is not on the list
    assert {m.pk: (m.version, m.updated_at) for m in Member.objects.all()} == before_members
    assert {h.pk: (h.version, h.updated_at) for h in Household.objects.all()} == before_households


# =============================================================================================
# Formulas typed into a name come out as text
# =============================================================================================

# (what a user typed, what Excel shows: a lone carriage return is read back as a line feed, as
# XML reads every line end)
FORMULA_LIKE = [
    ('=HYPERLINK("http://x","y")', '=HYPERLINK("http://x","y")'),
    ("=1+2", "=1+2"),
    ("+1+2", "+1+2"),
    ("-3+4", "-3+4"),
    ("@SUM(A1:A9)", "@SUM(A1:A9)"),
    ("\t=1+2", "\t=1+2"),
    ("\r=1+2", "\n=1+2"),
    ("#N/A", "#N/A"),
]


def column_of(sheet, header: str) -> str:
    from openpyxl.utils import get_column_letter

    headers = [cell.value for cell in sheet[HEADER_ROW]]
    return get_column_letter(headers.index(header) + 1)


@pytest.mark.parametrize(("typed", "shown"), FORMULA_LIKE)
def test_a_name_that_starts_a_formula_is_exported_as_text(
    client, clerk_a, township_a, village_a, typed, shown, django_capture_on_commit_callbacks
):
    make_household(
        village_a,
        head_name=typed,
        household_number="2112821042019999",
        per_capita_income="9123.45",
        risk_identified_on=datetime.date(2023, 5, 1),
    )
    client.force_login(clerk_a)

    content = download(
        client, export(client, "exited", township_a, django_capture_on_commit_callbacks)
    )

    sheet = load_workbook(io.BytesIO(content)).active
    name = sheet[f"{column_of(sheet, '姓名')}3"]
    assert (name.data_type, name.value) == ("s", shown)
    assert name.quotePrefix  # Excel keeps it text when the cell is edited, too
    # numbers and dates keep their types
    assert sheet[f"{column_of(sheet, '人均纯收入')}3"].data_type == "n"
    assert sheet[f"{column_of(sheet, '人均纯收入')}3"].value == pytest.approx(9123.45)
    assert sheet[f"{column_of(sheet, '数据日期')}3"].is_date
    assert sheet[f"{column_of(sheet, '人数')}3"].data_type == "n"


def test_characters_an_excel_file_cannot_hold_do_not_stop_the_export(
    client, clerk_a, township_a, village_a, django_capture_on_commit_callbacks
):
    make_household(village_a, head_name="张\x01三\x1f", household_number="2112821042019998")
    client.force_login(clerk_a)

    job = export(client, "exited", township_a, django_capture_on_commit_callbacks)

    sheet = load_workbook(io.BytesIO(download(client, job))).active
    assert sheet[f"{column_of(sheet, '姓名')}3"].value == "张三"


# =============================================================================================
# An export an auditor can read as it comes: caption, frozen filtered header, widths, types
# =============================================================================================


def _sheet(content: bytes):
    return load_workbook(io.BytesIO(content)).active


def _row_of(sheet, name: str) -> int:
    names = sheet[column_of(sheet, "姓名")]
    return next(cell.row for cell in names if cell.value == name)


def _cell(sheet, header: str, name: str):
    return sheet[f"{column_of(sheet, header)}{_row_of(sheet, name)}"]


def test_a_list_opens_with_its_caption_and_a_frozen_filtered_header(
    client, clerk_a, township_a, county_data, django_capture_on_commit_callbacks
):
    client.force_login(clerk_a)

    job = export(client, "exited", township_a, django_capture_on_commit_callbacks)

    sheet = _sheet(download(client, job))
    assert sheet["A1"].value == "已脱贫人口名单 · 范围：中固镇 · 截至 2026-12-02 10:00"
    header = [cell for cell in sheet[HEADER_ROW] if cell.value is not None]
    assert [cell.value for cell in header] == LIST_HEADERS
    assert all(cell.font.b for cell in header)
    assert sheet.freeze_panes == "A3"
    assert sheet.auto_filter.ref == f"A2:AF{HEADER_ROW + job.result['rows']}"  # 32 columns


def test_column_widths_fit_the_names_and_numbers_with_chinese_counted_double(
    client, clerk_a, township_a, county_data, django_capture_on_commit_callbacks
):
    client.force_login(clerk_a)

    sheet = _sheet(
        download(client, export(client, "exited", township_a, django_capture_on_commit_callbacks))
    )

    def width(header: str) -> float:
        return sheet.column_dimensions[column_of(sheet, header)].width

    assert width("姓名") == 8  # 张脱贫: three characters two wide each, and padding
    assert width("证件号码") == 20  # 18 digits
    assert width("户编号") == 18  # 16 digits
    widths = [sheet.column_dimensions[cell.column_letter].width for cell in sheet[HEADER_ROW]]
    assert all(6 <= each <= 50 for each in widths)


def test_dates_money_and_numbers_are_typed_and_ids_and_phones_are_text(
    client, clerk_a, township_a, county_data, django_capture_on_commit_callbacks
):
    client.force_login(clerk_a)

    sheet = _sheet(
        download(
            client, export(client, "monitored", township_a, django_capture_on_commit_callbacks)
        )
    )

    identified = _cell(sheet, "风险识别时间", "赵不稳")
    assert identified.is_date and identified.number_format == "yyyy-mm-dd"
    assert identified.value.date() == datetime.date(2022, 3, 1)
    assert _cell(sheet, "数据日期", "赵不稳").number_format == "yyyy-mm-dd"
    income = _cell(sheet, "人均纯收入", "赵不稳")
    assert (income.data_type, income.number_format) == ("n", "#,##0.00")
    assert income.value == pytest.approx(9123.45)
    size = _cell(sheet, "人数", "赵不稳")
    assert (size.data_type, size.number_format) == ("n", "General")
    for header in ("证件号码", "户编号"):
        cell = _cell(sheet, header, "赵不稳")
        assert (cell.data_type, cell.number_format) == ("s", "@"), header


def test_the_caption_of_a_masked_list_says_so(
    client, leader, township_a, county_data, django_capture_on_commit_callbacks
):
    client.force_login(leader)

    sheet = _sheet(
        download(client, export(client, "exited", township_a, django_capture_on_commit_callbacks))
    )

    assert sheet["A1"].value == (
        "已脱贫人口名单 · 范围：中固镇 · 证件号码：已部分隐藏 · 截至 2026-12-02 10:00"
    )


def test_a_village_lists_caption_names_its_township_too(
    client, clerk_a, village_a2, county_data, django_capture_on_commit_callbacks
):
    client.force_login(clerk_a)

    sheet = _sheet(
        download(
            client, export(client, "monitored", village_a2, django_capture_on_commit_callbacks)
        )
    )

    assert sheet["A1"].value == (
        "监测对象人口名单 · 范围：中固镇大白庙子村 · 截至 2026-12-02 10:00"
    )


def test_a_case_list_has_real_times_in_beijing_time_and_real_dates(
    client, clerk_a, county_data, django_capture_on_commit_callbacks
):
    from django.utils import timezone

    from monitoring.models import MonitoringCase

    household = Household.objects.get(household_number="2112821042020002")
    case = MonitoringCase.objects.create(
        kind="identification",
        household=household,
        area=household.area,
        status=MonitoringCase.Status.VERIFYING,
        opened_by=clerk_a,
        risk_1="因病",
        application_date=datetime.date(2026, 11, 30),
    )
    opened = datetime.datetime(2026, 12, 1, 16, 30, tzinfo=datetime.UTC)  # 00:30 in Beijing
    MonitoringCase.objects.filter(pk=case.pk).update(opened_at=opened)
    client.force_login(clerk_a)

    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("monitoring:list_export", args=["cases"]), {})
    job = Job.objects.filter(kind="monitoring_list_export").latest("pk")

    sheet = _sheet(download(client, job))
    assert sheet["A1"].value.startswith("识别纳入和风险消除 · 范围：中固镇 · ")
    assert sheet["A1"].value.endswith(f"截至 {timezone.localtime():%Y-%m-%d %H:%M}")
    headers = [cell.value for cell in sheet[HEADER_ROW]]
    opened_cell = sheet.cell(row=3, column=headers.index("发起时间") + 1)
    assert opened_cell.is_date and opened_cell.number_format == "yyyy-mm-dd hh:mm"
    assert opened_cell.value.isoformat() == "2026-12-02T00:30:00"
    applied = sheet.cell(row=3, column=headers.index("申请日期") + 1)
    assert applied.is_date and applied.value.date() == datetime.date(2026, 11, 30)
    assert sheet.auto_filter.ref.startswith("A2:")


# ---- large exports never run in the request ----------------------------------------------------


@pytest.mark.parametrize(
    ("url", "data"),
    [
        (reverse_lazy("monitoring:export_lists"), "members"),
        (reverse_lazy("monitoring:list_export", args=["monitored"]), "list"),
    ],
)
def test_a_large_export_answers_at_once_with_the_jobs_progress_page(
    client, clerk_a, township_a, county_data, url, data, django_capture_on_commit_callbacks
):
    client.force_login(clerk_a)
    body = {"list": "all", "area": township_a.pk} if data == "members" else {}

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client.post(url, body)

    job = Job.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("jobs:job_detail", args=[job.pk])
    # Nothing was written while the page answered: the worker does it once the job is queued.
    assert len(callbacks) == 1
    assert job.status == Job.Status.PENDING and not job.result_file
    assert not AuditEvent.objects.filter(action="export").exists()


# ---- the files as another spreadsheet program reads them ----------------------------------------

SOFFICE_TIMEOUT = 180  # seconds; the first start of a fresh profile is the slow part


def pdf_texts(files: list[Path], folder: Path) -> dict[str, str]:
    """Each workbook converted to PDF by LibreOffice headless, as pdftotext reads it.

    LibreOffice gets a profile of its own in ``folder``: two runs sharing the user's profile
    (parallel test workers, a desktop session) would wait on each other's lock or fail."""
    soffice = shutil.which("soffice")
    assert soffice, "LibreOffice is in the test profile: scripts/system-deps.sh test"
    profile = (folder / "libreoffice-profile").as_uri()
    result = subprocess.run(  # noqa: S603 (our own arguments)
        [
            soffice,
            f"-env:UserInstallation={profile}",
            "--headless",
            "--norestore",
            "--convert-to",
            "pdf",
            "--outdir",
            str(folder),
            *(str(file) for file in files),
        ],
        capture_output=True,
        text=True,
        timeout=SOFFICE_TIMEOUT,
        check=False,
    )
    texts = {}
    for file in files:
        pdf = folder / f"{file.stem}.pdf"
        assert pdf.is_file(), (result.returncode, result.stdout, result.stderr)
        texts[file.stem] = subprocess.run(  # noqa: S603
            ["pdftotext", "-layout", str(pdf), "-"],  # noqa: S607 (poppler-utils, on PATH)
            capture_output=True,
            text=True,
            timeout=60,
            check=True,
        ).stdout
    return texts


def test_libreoffice_reads_the_exports_as_they_were_meant(
    client,
    clerk_a,
    auditor,
    township_a,
    county_data,
    tmp_path,
    django_capture_on_commit_callbacks,
):
    client.force_login(clerk_a)
    members = download(
        client, export(client, "exited", township_a, django_capture_on_commit_callbacks)
    )
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("monitoring:list_export", args=["monitored"]), {})
    monitored = download(client, Job.objects.filter(kind="monitoring_list_export").latest("pk"))
    client.force_login(auditor)
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/audit/export/", {})
    audit = download(client, Job.objects.filter(kind="audit_export").latest("pk"))
    files = []
    for stem, content in (("members", members), ("monitored", monitored), ("audit", audit)):
        path = tmp_path / f"{stem}.xlsx"
        path.write_bytes(content)
        files.append(path)

    texts = pdf_texts(files, tmp_path)

    exited = texts["members"]
    assert "已脱贫人口名单 · 范围：中固镇 · 截至 2026-12-02 10:00" in exited
    assert "证件号码" in exited and "张脱贫" in exited
    assert "2023-09-01" in exited  # 赵不稳's 风险消除时间, shown as a date
    assert "9,123.45" in exited  # money with its thousands separator
    assert "2112821042010001" in exited  # the household number whole, not 2.11282E+15
    listed = texts["monitored"]
    assert "监测对象名单 · 范围：中固镇" in listed and "王边缘" in listed
    assert "2023-05-01" in listed  # the risk identified, a real date
    log = texts["audit"]
    assert "审计日志" in log and "操作" in log and "export" in log
    assert "2026-12-02 10:0" in log  # the export events' time, in Beijing time
