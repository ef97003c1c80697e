"""Import of the national household/member Excel: whole-file validation that writes nothing, the
marked workbook, the explicit "valid households only" choice, idempotent re-import, background
runs for big files, and who may import what.

Cast: clerk_a (township A 中固镇, village_a 烟厂村), clerk_b (township B 威远堡镇, village_b
威远村),
grid_worker_a, leader, bureau.
"""

from __future__ import annotations

import datetime
import io
from collections.abc import Iterable

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from kaiyuan.audit.models import AuditEvent
from kaiyuan.common import dates, pii
from kaiyuan.common.idcard import check_character
from kaiyuan.jobs.models import Job
from monitoring.codes import HouseholdType, Relation, Sex
from monitoring.imports.households import layout
from monitoring.imports.households.cells import CellError, Context, parse
from monitoring.imports.households.writer import StaleData, import_file, validate, write
from monitoring.models import Household, Member
from tests.kaiyuan.bombs import LoaderSpy, with_dimension, with_huge_shared_strings, with_many_rows
from tests.monitoring.factories import make_household, make_member, next_id_number

pytestmark = pytest.mark.django_db

IMPORT_HEADERS = [column.header for column in layout.IMPORT_COLUMNS]
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture(autouse=True)
def villages(village_a, village_b):
    """烟厂村 in township A and 威远村 in township B exist in every test."""


# =============================================================================================
# Building files
# =============================================================================================


def person(
    household_number: str,
    person_number: str,
    name: str,
    *,
    relation: str = Relation.HEAD,
    sex: str = Sex.MALE,
    birth: datetime.date = datetime.date(1975, 3, 9),
    id_number: str | None = None,
    township: str = "中固镇",
    village: str = "烟厂村",
    **cells,
) -> dict[str, object]:
    """One valid row of a 脱贫户 member (the cells by national header); ``cells`` override."""
    row: dict[str, object] = {
        "县(市、区、旗)": "开原市",
        "乡(镇)": township,
        "行政村": village,
        "自然村": "东屯",
        "户编号": household_number,
        "人编号": person_number,
        "姓名": name,
        "证件号码": id_number or next_id_number(sex=sex, birth_date=birth),
        "与户主关系": relation,
        "民族": "汉族",
        "文化程度": "初中",
        "在校生状况": None,
        "健康状况": "健康",
        "劳动技能": "普通劳动力",
        "务工时间（月）": 0,
        "是否参加大病保险": "是",
        "危房户": "否",
        "是否解决安全饮用水": "是",
        "户联系电话": "13800000001",
        "户类型": HouseholdType.EXITED,
        "务工所在地": None,
        "是否参加新型农村合作医疗（城乡居民基本医疗保险）": "是",
        "是否参加城镇职工基本医疗保险": "否",
    }
    row.update(cells)
    return row


def family(number: str, *, prefix: str = "", **cells) -> list[dict[str, object]]:
    """A head, his wife and their schoolboy son."""
    return [
        person(number, f"{prefix}{number}01", "李大山", **cells),
        person(
            number,
            f"{prefix}{number}02",
            "王秀兰",
            relation=Relation.SPOUSE,
            sex=Sex.FEMALE,
            birth=datetime.date(1978, 6, 1),
            **cells,
        ),
        person(
            number,
            f"{prefix}{number}03",
            "李小军",
            relation=Relation.SON,
            birth=datetime.date(2010, 9, 1),
            **{"文化程度": None, "在校生状况": "八年级", "劳动技能": "无劳动力", **cells},
        ),
    ]


def workbook_bytes(
    rows: Iterable[dict[str, object]], headers: list[str] | None = None, *, title_row: bool = False
) -> bytes:
    headers = headers or IMPORT_HEADERS
    workbook = Workbook()
    sheet = workbook.active
    if title_row:
        sheet.append(["已脱贫人口名单"])
        sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=8)
    sheet.append(headers)
    for row in rows:
        sheet.append([row.get(header) for header in headers])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def upload(client, content: bytes, name: str = "户籍.xlsx"):
    return client.post(
        reverse("monitoring:import_upload"),
        {"file": SimpleUploadedFile(name, content, content_type=XLSX)},
    )


def last_job() -> Job:
    return Job.objects.filter(kind="monitoring_import").latest("pk")


def counts() -> tuple[int, int]:
    return Household.objects.count(), Member.objects.count()


def page_text(client, job: Job) -> str:
    return client.get(reverse("monitoring:import_result", args=[job.pk])).content.decode()


# =============================================================================================
# A good file
# =============================================================================================


def test_new_households_go_to_the_villages_only_grid_and_wait_for_a_choice_among_several(
    client, clerk_a, village_a, village_a2, grid_a
):
    from tests.factories import GridFactory

    GridFactory(area=village_a2, name="第一网格")
    GridFactory(area=village_a2, name="第二网格")
    rows = [*family("2112821042010001")]
    other = person("2112821042020001", "211282104202000101", "钱七", village=village_a2.name)
    other["人数"] = 1
    client.force_login(clerk_a)

    upload(client, workbook_bytes([*rows, other]))

    assert last_job().result["state"] == "imported", last_job().result
    assert Household.objects.get(household_number="2112821042010001").grid == grid_a
    assert Household.objects.get(household_number="2112821042020001").grid is None


def test_a_good_file_imports_households_and_members(client, clerk_a, village_a):
    rows = [*family("2112821042010001"), person("2112821042010002", "211282104201000201", "赵四")]
    rows[3]["人数"] = 1
    client.force_login(clerk_a)

    response = upload(client, workbook_bytes(rows))

    job = last_job()
    assert response.status_code == 302
    assert response["Location"] == reverse("monitoring:import_result", args=[job.pk])
    assert job.result["state"] == "imported", job.result
    household = Household.objects.get(household_number="2112821042010001")
    assert (household.area, household.head_name, household.household_size) == (
        village_a,
        "李大山",
        3,
    )
    assert household.household_type == "脱贫户" and household.natural_village == "东屯"
    assert Household.objects.get(household_number="2112821042010002").household_size == 1
    wife = Member.objects.get(person_number="211282104201000102")
    assert wife.household == household and wife.relation == "配偶"
    assert pii.decrypt(wife.id_cipher) == rows[1]["证件号码"]
    assert wife.id_masked.startswith("211282") and "*" in wife.id_masked
    assert (wife.sex, wife.birth_date) == ("女", datetime.date(1978, 6, 1))
    son = Member.objects.get(person_number="211282104201000103")
    assert (son.schooling, son.education, son.labour_skill) == ("八年级", "", "无劳动力")
    assert wife.residents_medical_insurance is True and wife.employees_medical_insurance is False
    page = page_text(client, job)
    assert "导入完成" in page
    event = AuditEvent.objects.get(action="import")
    assert event.actor == clerk_a
    assert event.data["file_name"] == "户籍.xlsx"
    assert len(event.data["sha256"]) == 64
    assert event.data["counts"]["households_created"] == 2
    assert event.data["counts"]["members_created"] == 4
    assert event.data["valid_only"] is False


def test_national_aliases_a_title_row_and_legacy_ids_are_understood(client, clerk_a, village_a):
    legacy = "211282750309101"  # 15 digits, 1975-03-09, odd → male
    row = person("2112821042010003", "1", "钱老汉", id_number=legacy)
    aliased = {
        "乡": row.pop("乡(镇)"),
        "村": row.pop("行政村"),
        "人口编号": row.pop("人编号"),
        **row,
    }
    headers = [
        {"乡(镇)": "乡", "行政村": "村", "人编号": "人口编号"}.get(h, h) for h in IMPORT_HEADERS
    ]
    client.force_login(clerk_a)

    upload(client, workbook_bytes([aliased], headers, title_row=True))

    member = Member.objects.get(person_number="1")
    body = "21128219750309101"
    assert pii.decrypt(member.id_cipher) == body + check_character(body)
    assert member.household.household_number == "2112821042010003"


def test_reimporting_the_same_file_changes_nothing(client, clerk_a, village_a):
    content = workbook_bytes(family("2112821042010010"))
    client.force_login(clerk_a)
    upload(client, content)
    before = {m.pk: (m.version, m.updated_at) for m in Member.objects.all()}
    household = Household.objects.get()
    stamp = (household.version, household.updated_at)

    upload(client, content)

    result = last_job().result
    assert result["state"] == "imported"
    assert result["counts"] == {
        "households_created": 0,
        "households_updated": 0,
        "households_unchanged": 1,
        "members_created": 0,
        "members_updated": 0,
        "members_unchanged": 3,
        "households_skipped": 0,
        "rows_skipped": 0,
    }
    assert {m.pk: (m.version, m.updated_at) for m in Member.objects.all()} == before
    household.refresh_from_db()
    assert (household.version, household.updated_at) == stamp
    assert "未变 3" in last_job().message
    assert "未变 3" in page_text(client, last_job())


def test_a_changed_cell_updates_the_member_and_bumps_its_version(client, clerk_a, village_a):
    rows = family("2112821042010011")
    client.force_login(clerk_a)
    upload(client, workbook_bytes(rows))
    rows[0].update({"务工时间（月）": 6, "务工所在地": "开原市", "人联系电话": "13912345678"})
    rows[2]["在校生状况"] = "九年级"

    upload(client, workbook_bytes(rows))

    counts_ = last_job().result["counts"]
    assert (counts_["members_updated"], counts_["members_unchanged"]) == (2, 1)
    head = Member.objects.get(person_number="211282104201001101")
    assert (head.work_months, head.work_place, head.phone, head.version) == (
        6,
        "开原市",
        "13912345678",
        2,
    )
    assert Member.objects.get(person_number="211282104201001103").version == 2
    assert Member.objects.get(person_number="211282104201001102").version == 1


def test_members_without_a_person_number_are_matched_by_their_id_number(client, clerk_a, village_a):
    household = make_household(village_a, household_number="2112821042010012", head_name="孙一")
    head = household.members.get()
    rows = [
        person(
            "2112821042010012",
            "211282104201001201",
            "孙一",
            id_number=pii.decrypt(head.id_cipher),
            自然村=None,
        )
    ]
    client.force_login(clerk_a)

    upload(client, workbook_bytes(rows))

    head.refresh_from_db()
    assert head.person_number == "211282104201001201"
    assert head.version == 2
    assert Member.objects.count() == 1


# =============================================================================================
# Files refused with nothing written
# =============================================================================================


def _good_rows() -> list[dict[str, object]]:
    return family("2112821042010020")


def _wrong_headers() -> bytes:
    headers = ["户号" if h == "户编号" else h for h in IMPORT_HEADERS]
    rows = [{("户号" if k == "户编号" else k): v for k, v in r.items()} for r in _good_rows()]
    return workbook_bytes(rows, headers)


def _missing_header() -> bytes:
    headers = [h for h in IMPORT_HEADERS if h != "劳动技能"]
    return workbook_bytes(_good_rows(), headers)


def _empty_workbook() -> bytes:
    buffer = io.BytesIO()
    Workbook().save(buffer)
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (lambda: _wrong_headers(), "a.xlsx", "户编号"),
        (lambda: _missing_header(), "a.xlsx", "劳动技能"),
        (lambda: b"", "a.xlsx", "文件是空的"),
        (lambda: _empty_workbook(), "a.xlsx", "工作表是空的"),
        (lambda: workbook_bytes([]), "a.xlsx", "没有数据行"),
        (lambda: "户编号,姓名\n1,张三\n".encode(), "a.xlsx", "不是真正的 Excel"),
        (lambda: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, "a.xlsx", "不是真正的 Excel"),
        (lambda: b"PK\x03\x04broken zip", "a.xlsx", "不是真正的 Excel"),
        (lambda: workbook_bytes(_good_rows()), "a.csv", ".xlsx"),
    ],
    ids=[
        "wrong-headers",
        "missing-header",
        "empty-file",
        "no-data",
        "header-only",
        "renamed-csv",
        "renamed-xls",
        "broken-zip",
        "csv-name",
    ],
)
def test_unreadable_files_are_refused_on_the_upload_page(client, clerk_a, content, name, message):
    client.force_login(clerk_a)

    response = upload(client, content(), name)

    assert response.status_code == 200
    page = response.content.decode()
    assert message in page, page[:3000]
    assert counts() == (0, 0)
    assert not Job.objects.exists()


def test_wrong_headers_are_named(client, clerk_a):
    client.force_login(clerk_a)

    page = upload(client, _wrong_headers()).content.decode()

    assert "缺少必填列：户编号" in page
    assert "户号" in page  # reported as not a national header


@override_settings(MAX_UPLOAD_MB=1)
def test_a_file_over_the_size_limit_is_refused(client, clerk_a):
    client.force_login(clerk_a)

    page = upload(client, b"PK" + b"x" * (1024 * 1024 + 10)).content.decode()

    assert "超过 1 MB" in page
    assert counts() == (0, 0)


# =============================================================================================
# Spreadsheet bombs: refused from the zip's XML, before openpyxl is asked to load them
# =============================================================================================


@pytest.mark.parametrize(
    ("bomb", "expected"),
    [
        (
            lambda content: with_dimension(content, "A1:XFD20000"),
            ["16384 列", "A1:XFD20000", "乡镇"],
        ),
        (lambda content: with_huge_shared_strings(content), ["倍", "MB", "乡镇"]),
    ],
    ids=["declared-dimension", "shared-strings"],
)
def test_a_spreadsheet_bomb_is_refused_before_it_is_parsed(
    client, clerk_a, monkeypatch, bomb, expected
):
    content = bomb(workbook_bytes(_good_rows()))
    assert len(content) < 400 * 1024  # small as a file
    loader = LoaderSpy(monkeypatch)
    client.force_login(clerk_a)

    response = upload(client, content)

    assert response.status_code == 200
    errors = " ".join(response.context["form"].errors["file"])
    assert all(part in errors for part in expected), errors
    assert loader.calls == 0
    assert counts() == (0, 0) and not Job.objects.exists()


@override_settings(IMPORT_MAX_ROWS=1000)
def test_a_sheet_with_more_rows_than_the_limit_is_refused_before_it_is_parsed(
    client, clerk_a, monkeypatch
):
    content = with_many_rows(workbook_bytes(_good_rows()), 1000)
    loader = LoaderSpy(monkeypatch)
    client.force_login(clerk_a)

    page = upload(client, content).content.decode()

    assert "最多读取 1000 行" in page
    assert loader.calls == 0 and counts() == (0, 0) and not Job.objects.exists()


def test_a_large_file_is_not_parsed_in_the_request(
    client, clerk_a, monkeypatch, django_capture_on_commit_callbacks
):
    rows = [
        person(f"21128210420{n:05d}", f"21128210420{n:05d}01", f"户主{n}") for n in range(1, 311)
    ]
    loader = LoaderSpy(monkeypatch)
    client.force_login(clerk_a)

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        upload(client, workbook_bytes(rows))

    assert loader.calls == 0  # the request only checked the zip and counted the rows
    assert len(callbacks) == 1 and last_job().status == Job.Status.PENDING
    callbacks[0]()
    assert loader.calls == 1  # the worker reads it once
    assert last_job().status == Job.Status.DONE and counts() == (310, 310)


def _rows_with(**changes) -> list[dict[str, object]]:
    rows = _good_rows()
    for (index, header), value in changes.items():
        rows[index][header] = value
    return rows


def test_a_bad_id_checksum_refuses_the_file_and_names_the_cell(client, clerk_a):
    rows = _good_rows()
    good = str(rows[1]["证件号码"])
    rows[1]["证件号码"] = good[:17] + ("0" if good[17] != "0" else "1")
    client.force_login(clerk_a)

    upload(client, workbook_bytes(rows))

    job = last_job()
    assert job.result["state"] == "invalid"
    assert counts() == (0, 0)
    error = job.result["errors"][0]
    column = IMPORT_HEADERS.index("证件号码") + 1
    assert (error["row"], error["column"]) == (3, "证件号码")
    assert error["cell"] == f"J{3}" and column == 10
    assert "校验码" in error["message"]
    assert "校验码" in page_text(client, job)


@pytest.mark.parametrize(
    ("mutate", "header", "message"),
    [
        (lambda rows: rows[2].update({"证件号码": rows[0]["证件号码"]}), "证件号码", "第 2"),
        (lambda rows: rows[1].update({"证件号码": 2.11282e17}), "证件号码", "以数字形式"),
        (lambda rows: rows[1].update({"性别": "男"}), "性别", "不一致"),
        (
            lambda rows: rows[0].update({"乡(镇)": "威远堡镇", "行政村": "威远村"}),
            "乡(镇)",
            "不在您的",
        ),
        (lambda rows: rows[0].update({"行政村": "无此村"}), "行政村", "无此村"),
        (lambda rows: rows[0].update({"与户主关系": "老大"}), "与户主关系", "国家代码表"),
        (lambda rows: rows[0].update({"是否参加大病保险": "有"}), "是否参加大病保险", "是"),
        (lambda rows: rows[0].update({"务工时间（月）": 13}), "务工时间（月）", "12"),
        (lambda rows: rows[0].update({"致贫原因1": "穷"}), "致贫原因1", "代码表"),
        (lambda rows: rows[1].update({"与户主关系": "户主"}), "与户主关系", "MON-DQ-3"),
        (lambda rows: rows[0].update({"务工所在地": "沈阳"}), "务工所在地", "MON-DQ-6"),
        (
            lambda rows: rows[0].update({"是否参加城镇职工基本医疗保险": "是"}),
            "是否参加新型农村合作医疗（城乡居民基本医疗保险）",
            "MON-DQ-8",
        ),
        (
            lambda rows: (
                [r.update({"户类型": "一般农户", "是否参加大病保险": "是"}) for r in rows]
                and [r.update({"易返贫致贫户(监测对象)类型": "脱贫不稳定户"}) for r in rows]
            ),
            "易返贫致贫户(监测对象)类型",
            "MON-CAT-1",
        ),
        (lambda rows: rows[1].update({"户类型": "一般农户"}), "户类型", "同一户"),
    ],
    ids=[
        "duplicate-id",
        "id-as-number",
        "sex-disagrees",
        "other-township",
        "unknown-village",
        "bad-code",
        "bad-yes-no",
        "months",
        "code-item",
        "two-heads",
        "dq6",
        "dq8",
        "cat1",
        "household-disagrees",
    ],
)
def test_bad_cells_refuse_the_file(client, clerk_a, mutate, header, message):
    rows = _good_rows()
    mutate(rows)
    client.force_login(clerk_a)

    upload(client, workbook_bytes(rows))

    result = last_job().result
    assert result["state"] == "invalid"
    assert counts() == (0, 0)
    # A broken DOMAIN rule travels as the error's rule, not in its words (staff see the id).
    assert any(
        e["column"] == header and (message in e["message"] or message == e["rule"])
        for e in result["errors"]
    ), result["errors"]
    assert not any("MON-" in e["message"] for e in result["errors"])


def test_an_id_of_another_households_member_is_refused(client, clerk_a, village_a):
    other = make_household(village_a, household_number="2112821042019999")
    taken = pii.decrypt(other.members.get().id_cipher)
    rows = _good_rows()
    rows[2]["证件号码"] = taken
    client.force_login(clerk_a)

    upload(client, workbook_bytes(rows))

    result = last_job().result
    assert counts() == (1, 1)
    assert any(
        "2112821042019999" in e["message"] and e["rule"] == "MON-DQ-2" for e in result["errors"]
    )


def test_merged_cells_and_formulas_are_refused_with_their_cells_named(client, clerk_a):
    workbook = load_workbook(io.BytesIO(workbook_bytes(_good_rows())))
    sheet = workbook.active
    sheet.merge_cells("A3:A4")
    sheet["K2"] = "=1+2"  # 人数
    buffer = io.BytesIO()
    workbook.save(buffer)
    client.force_login(clerk_a)

    upload(client, buffer.getvalue())

    result = last_job().result
    messages = " ".join(e["message"] for e in result["errors"])
    assert "A3:A4" in messages and "合并" in messages
    assert "K2" in messages and "公式" in messages
    assert counts() == (0, 0)


# =============================================================================================
# The marked workbook and the "valid households only" choice
# =============================================================================================


def test_the_returned_workbook_marks_the_bad_cells_red_with_comments(client, clerk_a):
    rows = _good_rows()
    rows[1]["证件号码"] = "211282197806010000"
    rows[2]["劳动技能"] = "壮劳力"
    client.force_login(clerk_a)
    upload(client, workbook_bytes(rows, title_row=True))
    job = last_job()

    response = client.get(reverse("jobs:job_download", args=[job.pk]))

    marked = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    assert marked["J4"].fill.fgColor.rgb.endswith("FFC7CE")
    assert "校验码" in marked["J4"].comment.text
    assert marked["Q5"].fill.fgColor.rgb.endswith("FFC7CE")
    assert "壮劳力" in marked["Q5"].comment.text
    assert marked["J3"].comment is None and marked["I4"].comment is None
    error_column = len(IMPORT_HEADERS) + 1
    assert marked.cell(row=2, column=error_column).value == "错误说明"
    assert "证件号码" in marked.cell(row=4, column=error_column).value
    assert marked.cell(row=3, column=error_column).value is None
    assert marked["I3"].value == "李大山"  # the data are all there
    assert job.result_name == "户籍-错误标注.xlsx"


def test_valid_households_only_imports_exactly_those_and_audits_the_choice(client, clerk_a):
    good = family("2112821042010030")
    bad = family("2112821042010031")
    bad[2]["劳动技能"] = "壮劳力"
    client.force_login(clerk_a)
    upload(client, workbook_bytes([*good, *bad, person("2112821042010032", "9", "周五")]))
    checked = last_job()
    assert checked.result["state"] == "invalid"
    assert (checked.result["valid_households"], checked.result["invalid_households"]) == (2, 1)
    assert "只导入" in page_text(client, checked)

    refused = client.post(reverse("monitoring:import_valid_rows", args=[checked.pk]), {})
    assert refused.status_code == 302 and counts() == (0, 0)  # the box was not ticked

    response = client.post(
        reverse("monitoring:import_valid_rows", args=[checked.pk]), {"confirm": "on"}
    )

    job = last_job()
    assert response["Location"] == reverse("monitoring:import_result", args=[job.pk])
    assert job.pk != checked.pk and job.result["state"] == "imported"
    assert set(Household.objects.values_list("household_number", flat=True)) == {
        "2112821042010030",
        "2112821042010032",
    }
    assert Member.objects.count() == 4
    event = AuditEvent.objects.get(action="import")
    assert event.data["valid_only"] is True
    assert event.data["counts"]["households_skipped"] == 1
    assert event.data["counts"]["rows_skipped"] == 3
    again = client.post(
        reverse("monitoring:import_valid_rows", args=[checked.pk]), {"confirm": "on"}
    )
    assert again.status_code == 302 and Member.objects.count() == 4


# =============================================================================================
# Big files run in the background
# =============================================================================================


def test_a_big_file_runs_as_a_job_with_progress(
    client, clerk_a, django_capture_on_commit_callbacks
):
    rows = [
        person(f"21128210420{n:05d}", f"21128210420{n:05d}01", f"户主{n}") for n in range(1, 311)
    ]
    client.force_login(clerk_a)

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = upload(client, workbook_bytes(rows))

    job = last_job()
    assert len(callbacks) == 1  # enqueued on commit, not run inside the request
    assert response["Location"] == reverse("monitoring:import_result", args=[job.pk])
    assert job.status == Job.Status.DONE, job.message
    assert job.total == 3 * 310 and job.progress == job.total and job.percent == 100
    assert counts() == (310, 310)
    assert "导入完成" in client.get(reverse("jobs:job_detail", args=[job.pk])).content.decode()


# =============================================================================================
# Who may import what
# =============================================================================================


def test_a_clerk_of_township_b_cannot_import_rows_of_township_a(client, clerk_b, village_b):
    client.force_login(clerk_b)

    upload(client, workbook_bytes(_good_rows()))

    result = last_job().result
    assert result["state"] == "invalid"
    assert any("中固镇" in e["message"] and "不在您的" in e["message"] for e in result["errors"])
    assert counts() == (0, 0)


def _reveals(text: str, household, *names: str) -> list[str]:
    """What of ``household`` (of another area) ``text`` shows."""
    secrets = [household.household_number, household.area.name, household.area.parent.name]
    return [secret for secret in [*secrets, *names] if secret in text]


def test_an_existing_household_of_another_area_is_not_touched_nor_described(
    client, clerk_b, village_a
):
    other = make_household(village_a, household_number="2112821042010040", head_name="周明")
    rows = family("2112821042010040", township="威远堡镇", village="威远村")
    client.force_login(clerk_b)

    upload(client, workbook_bytes(rows))

    job = last_job()
    messages = [e["message"] for e in job.result["errors"] if e["column"] == "户编号"]
    assert messages and all("乡村振兴局" in m for m in messages)
    shown = " ".join(e["message"] for e in job.result["errors"]) + page_text(client, job)
    assert _reveals(shown.replace("2112821042010040", ""), other, "周明") == []
    assert counts() == (1, 1)


def test_an_id_or_person_number_of_another_township_is_refused_without_naming_it(
    client, clerk_b, village_a
):
    other = make_household(village_a, household_number="2112820010010021", head_name="周明")
    member = other.members.get()
    member.person_number = "211282001001002101"
    member.save(update_fields=["person_number"])
    rows = family("2112821042010041", township="威远堡镇", village="威远村")
    rows[1]["证件号码"] = pii.decrypt(member.id_cipher)
    rows[2]["人编号"] = member.person_number
    client.force_login(clerk_b)

    upload(client, workbook_bytes(rows))

    job = last_job()
    errors = job.result["errors"]
    by_cell = {(e["row"], e["column"]): e["message"] for e in errors}
    assert "乡村振兴局" in by_cell[(3, "证件号码")]
    assert "乡村振兴局" in by_cell[(4, "人编号")]
    shown = " ".join(e["message"] for e in errors) + page_text(client, job)
    assert _reveals(shown, other, "周明") == []
    assert counts() == (1, 1)


def test_inside_the_users_area_the_message_may_name_the_household(client, clerk_a, village_a):
    other = make_household(village_a, household_number="2112821042019998")
    rows = _good_rows()
    rows[2]["证件号码"] = pii.decrypt(other.members.get().id_cipher)
    client.force_login(clerk_a)

    upload(client, workbook_bytes(rows))

    assert any("2112821042019998" in e["message"] for e in last_job().result["errors"])


@pytest.mark.parametrize("cast", ["grid_worker_a", "leader", "auditor", "dept_medical"])
def test_roles_that_may_not_import_get_403(client, request, cast):
    client.force_login(request.getfixturevalue(cast))

    assert client.get(reverse("monitoring:import_upload")).status_code == 403
    assert client.get(reverse("monitoring:import_template")).status_code == 403
    assert upload(client, workbook_bytes(_good_rows())).status_code == 403
    assert counts() == (0, 0)


def test_another_user_cannot_see_someones_import(client, clerk_a, clerk_b, bureau):
    client.force_login(clerk_a)
    upload(client, workbook_bytes(_good_rows()))
    job = last_job()

    for outsider in (clerk_b, bureau):
        client.force_login(outsider)
        assert client.get(reverse("monitoring:import_result", args=[job.pk])).status_code == 404
        assert client.get(reverse("jobs:job_detail", args=[job.pk])).status_code == 404
        assert (
            client.post(
                reverse("monitoring:import_valid_rows", args=[job.pk]), {"confirm": "on"}
            ).status_code
            == 404
        )


def test_the_template_has_the_import_headers_with_text_columns(client, bureau):
    client.force_login(bureau)

    response = client.get(reverse("monitoring:import_template"))

    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    assert [c.value for c in sheet[1]] == IMPORT_HEADERS
    assert sheet["J2"].number_format == "@"  # 证件号码


def test_the_upload_page_lists_the_users_own_imports(client, clerk_a, clerk_b):
    client.force_login(clerk_a)
    upload(client, workbook_bytes(_good_rows()), name="中固镇户籍.xlsx")

    assert "中固镇户籍.xlsx" in client.get(reverse("monitoring:import_upload")).content.decode()
    client.force_login(clerk_b)
    assert "中固镇户籍.xlsx" not in client.get(reverse("monitoring:import_upload")).content.decode()


def test_a_member_of_the_household_missing_from_the_file_stays_and_is_reported(
    client, clerk_a, village_a
):
    household = make_household(village_a, household_number="2112821042010050", head_name="吴一")
    make_member(household, name="吴二", relation=Relation.SON)
    head = household.members.get(relation=Relation.HEAD)
    rows = [
        person(
            "2112821042010050",
            "",
            "吴一",
            id_number=pii.decrypt(head.id_cipher),
            人数=2,
        )
    ]
    client.force_login(clerk_a)

    upload(client, workbook_bytes(rows))

    result = last_job().result
    assert result["state"] == "imported"
    assert any("吴二" in w["message"] for w in result["warnings"])
    assert household.members.filter(status="active").count() == 2


# =============================================================================================
# Matching against what the database holds
# =============================================================================================


def test_a_new_member_of_an_existing_household_is_added_and_the_size_follows(client, clerk_a):
    rows = family("2112821042010060")
    client.force_login(clerk_a)
    upload(client, workbook_bytes(rows[:2]))
    household = Household.objects.get()
    assert (household.household_size, household.version) == (2, 1)

    upload(client, workbook_bytes(rows))

    household.refresh_from_db()
    assert (household.household_size, household.version) == (3, 2)
    assert last_job().result["counts"]["members_created"] == 1
    assert last_job().result["counts"]["households_updated"] == 1


def test_an_existing_household_is_not_moved_to_another_village(client, clerk_a, village_a2):
    make_household(village_a2, household_number="2112821042010070")
    client.force_login(clerk_a)

    upload(client, workbook_bytes(family("2112821042010070")))

    assert any("大白庙子村" in e["message"] for e in last_job().result["errors"])
    assert counts() == (1, 1)


def test_a_merged_household_takes_no_rows(client, clerk_a, village_a):
    target = make_household(village_a, household_number="2112821042010071")
    make_household(village_a, household_number="2112821042010072", merged_into=target)
    client.force_login(clerk_a)

    upload(client, workbook_bytes(family("2112821042010072")))

    assert any("并入" in e["message"] for e in last_job().result["errors"])


def test_person_numbers_of_removed_or_other_members_are_refused(client, clerk_a, village_a):
    home = make_household(village_a, household_number="2112821042010073")
    make_member(home, name="甲", person_number="P-REMOVED", status=Member.Status.REMOVED)
    other = make_household(village_a, household_number="2112821042010074")
    make_member(other, name="乙", person_number="P-OTHER")
    head = home.members.get(relation=Relation.HEAD)
    rows = [
        person("2112821042010073", "", "王建国", id_number=pii.decrypt(head.id_cipher)),
        person("2112821042010073", "P-REMOVED", "甲", relation=Relation.SON),
        person("2112821042010073", "P-OTHER", "乙", relation=Relation.DAUGHTER, sex=Sex.FEMALE),
    ]
    client.force_login(clerk_a)

    upload(client, workbook_bytes(rows))

    messages = [e["message"] for e in last_job().result["errors"] if e["column"] == "人编号"]
    assert any("减员" in m for m in messages)
    assert any("2112821042010074" in m for m in messages)


def test_a_different_category_of_an_existing_household_is_only_reported(client, clerk_a):
    rows = family("2112821042010075")
    client.force_login(clerk_a)
    upload(client, workbook_bytes(rows))
    for row in rows:
        row["易返贫致贫户(监测对象)类型"] = "脱贫不稳定户"

    upload(client, workbook_bytes(rows))

    result = last_job().result
    assert result["state"] == "imported"
    assert any("识别纳入" in w["message"] for w in result["warnings"])
    assert Household.objects.get().monitoring_category == ""


def test_a_new_monitored_household_takes_its_category_and_state(client, clerk_a):
    rows = family(
        "2112821042010076",
        **{
            "易返贫致贫户(监测对象)类型": "脱贫不稳定户",
            "风险是否消除": "是",
            "风险消除时间": "2023-09",
        },
    )
    client.force_login(clerk_a)

    upload(client, workbook_bytes(rows))

    household = Household.objects.get()
    assert household.monitoring_category == "脱贫不稳定户"
    assert household.monitoring_status == Household.MonitoringStatus.ELIMINATED
    assert household.risk_eliminated_on == datetime.date(2023, 9, 1)


def test_a_disability_certificate_number_sets_the_document_type(client, clerk_a):
    rows = family("2112821042010077")
    number = str(rows[0]["证件号码"])
    rows[0].update({"证件号码": number + "42", "健康状况": "残疾"})
    client.force_login(clerk_a)

    upload(client, workbook_bytes(rows))

    head = Member.objects.get(name="李大山")
    assert pii.decrypt(head.id_cipher) == number
    assert (head.id_type, head.disability_category, head.disability_grade) == ("残疾人证", "4", "2")


def test_someone_elses_save_between_check_and_write_refuses_the_import(clerk_a, tmp_path):
    rows = family("2112821042010078")
    path = tmp_path / "a.xlsx"
    path.write_bytes(workbook_bytes(rows[:2]))
    import_file(path=path, actor=clerk_a, file_name="a.xlsx")
    path.write_bytes(workbook_bytes(rows))
    report = validate(path, actor=clerk_a)
    Household.objects.update(version=5)  # a clerk saved the household meanwhile

    with pytest.raises(StaleData):
        write(report)
    assert Member.objects.count() == 2


# =============================================================================================
# One cell at a time
# =============================================================================================


@pytest.mark.parametrize(
    ("header", "raw", "expected"),
    [
        ("首次识别时间", "2016-01-05", datetime.date(2016, 1, 5)),
        ("首次识别时间", "2016/1/5", datetime.date(2016, 1, 5)),
        ("首次识别时间", "20160105", datetime.date(2016, 1, 5)),
        ("首次识别时间", 201601, datetime.date(2016, 1, 1)),
        ("首次识别时间", "2016年1月", datetime.date(2016, 1, 1)),
        # Excel dates arrive as naive datetimes
        ("首次识别时间", datetime.datetime(2016, 1, 5, 0, 0), datetime.date(2016, 1, 5)),  # noqa: DTZ001
        ("人均纯收入", 8534.5, "8534.50"),
        ("人均纯收入", "10,000", "10000.00"),
        ("务工时间（月）", 6.0, 6),
        ("务工时间（月）", " 7 ", 7),
        ("健康状况", "残疾，长期慢性病、残疾", "残疾,长期慢性病"),
        ("残疾类别", "肢体残疾", "4"),
        ("残疾类别", 4, "4"),
        ("户联系电话", 13800000001, "13800000001"),
        ("户编号", "  21128210420 10001 ", "2112821042010001"),
        ("是否享受低保", "否", False),
        ("是否享受低保", None, None),
        ("姓名", " 张三 ", "张三"),
    ],
)
def test_cells_are_read_as_the_national_system_writes_them(header, raw, expected):
    column = layout.column_for(header)
    value = parse(column, raw, Context(code_tables={}, today=dates.today()))
    assert (str(value) if header == "人均纯收入" else value) == expected


@pytest.mark.parametrize(
    ("header", "raw", "message"),
    [
        ("首次识别时间", "去年", "日期"),
        ("首次识别时间", "2999-01-01", "晚于今天"),
        ("人均纯收入", "很多", "金额"),
        ("人均纯收入", -5, "负数"),
        ("务工时间（月）", 2.5, "整数"),
        ("人数", 0, "不能小于 1"),
        ("残疾类别", "严重", "残疾类别"),
        ("户编号", 2.11282104201e19, "以数字形式"),
        ("户编号", datetime.date(2020, 1, 1), "日期"),
        ("证件号码", "211282********123X", "脱敏"),
        ("姓名", "张" * 65, "最多 64"),
        ("健康状况", "健康,很好", "国家代码表"),
    ],
)
def test_bad_cells_get_a_chinese_message(header, raw, message):
    column = layout.column_for(header)
    with pytest.raises(CellError) as caught:
        parse(column, raw, Context(code_tables={}, today=dates.today()))
    assert message in caught.value.message


def test_a_running_import_shows_a_progress_bar_that_updates_itself(client, clerk_a, township_a):
    job = Job.objects.create(
        kind="monitoring_import",
        status=Job.Status.RUNNING,
        total=300,
        progress=150,
        params={"file_name": "大文件.xlsx"},
        created_by=clerk_a,
        area=township_a,
    )
    client.force_login(clerk_a)
    url = reverse("monitoring:import_result", args=[job.pk])

    page = client.get(url).content.decode()
    partial = client.get(url, headers={"HX-Request": "true"}).content.decode()

    assert "大文件.xlsx" in page and 'hx-trigger="every 2s"' in page and "50%" in page
    assert "<html" not in partial and "50%" in partial
