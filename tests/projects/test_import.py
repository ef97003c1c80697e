"""Import of a township's proposals in the layout of the published library: every row judged
before anything is written, each bad file refused with a Chinese message and nothing stored,
the marked workbook, the explicit "valid rows only" choice, the template, and the round trip
export → import.

Cast: clerk_a (township A 中固镇: 烟厂村, 大白庙子村), clerk_b (township B 威远堡镇: 威远村),
bureau (checks files, creates nothing), leader, auditor, grid_worker_a.
"""

from __future__ import annotations

import datetime
import io
from collections.abc import Iterable
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from kaiyuan.audit.models import AuditEvent
from kaiyuan.jobs.models import Job
from projects.codes import ProposerLevel
from projects.exports.library.layout import IMPORT_HEADERS
from projects.imports.library.layout import IMPORT_JOB
from projects.models import Project
from tests.projects.factories import VALID_USCC, new_project, people_for

pytestmark = pytest.mark.django_db

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
YEAR = 2027  # the next library on the pinned clock (2 December 2026)
TARGETS = (
    "产出指标/数量指标：新建大棚≥20座；效益指标/经济效益：带动脱贫户增收≥1500元/户；"
    "满意度指标/服务对象满意度：受益脱贫户满意度≥90%"
)


@pytest.fixture(autouse=True)
def villages(village_a, village_a2, village_b):
    """烟厂村 and 大白庙子村 in township A, 威远村 in township B, in every test."""


def good_row(**cells) -> dict[str, object]:
    row: dict[str, object] = {
        "序号": 1,
        "项目名称": "烟厂村有机稻米育秧大棚项目",
        "项目类别": "产业发展",
        "子类": "有机稻米",
        "项目类型": "自建类",
        "建设地点": "中固镇烟厂村",
        "建设内容": "新建育秧大棚20座，配套灌溉设施",
        "建设规模": "育秧大棚20座",
        "补助标准": "按实际投资补助",
        "总投资（元）": 1000000,
        "中央衔接资金（元）": 600000,
        "省级衔接资金（元）": 200000,
        "市级衔接资金（元）": None,
        "县级衔接资金（元）": 100000,
        "其他资金（元）": 0,
        "自筹资金（元）": "100,000.00",
        "计划开工日期": datetime.date(YEAR, 4, 1),
        "计划完工日期": "2027/10/31",
        "实施单位": "开原市稻香农民专业合作社",
        "实施单位类型": "农民专业合作社",
        "统一社会信用代码": "",
        "责任人": "李国强",
        "联系电话": "13904100001",
        "绩效目标": TARGETS,
        "联农带农机制": "吸纳就业、资产入股收益；优先吸纳脱贫户务工",
        "受益主体": "",
        "各村职责": "",
        "行业主管部门": "农业农村局",
    }
    row.update(cells)
    return row


def two_villages(**cells) -> dict[str, object]:
    values: dict[str, object] = {
        "序号": 2,
        "项目名称": "中固镇冷链仓储项目",
        "项目类别": "新型农村集体经济",
        "子类": "新型农村集体经济项目",
        "项目类型": "债权类",
        "建设地点": "中固镇烟厂村、大白庙子村",
        "受益主体": "两村股份经济合作社",
        "各村职责": "烟厂村：负责土地协调；大白庙子村：负责用工组织",
    }
    values.update(cells)
    return good_row(**values)


def workbook(rows: Iterable[dict[str, object]], headers=IMPORT_HEADERS) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = "项目申报表"
    sheet.append(list(headers))
    for row in rows:
        sheet.append([row.get(header) for header in headers])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def upload(client, content: bytes, name: str = "中固镇申报项目.xlsx", **data):
    return client.post(
        reverse("projects:library_import"),
        {"file": SimpleUploadedFile(name, content, content_type=XLSX), "year": YEAR, **data},
    )


def last_job() -> Job:
    return Job.objects.filter(kind=IMPORT_JOB).latest("pk")


def result_page(client, job: Job) -> str:
    return client.get(reverse("projects:library_import_result", args=[job.pk])).content.decode()


def messages_of(job: Job) -> str:
    return " ".join(f"{e['cell']} {e['column']} {e['message']}" for e in job.result["errors"])


# =============================================================================================
# A good file
# =============================================================================================


def test_a_good_file_creates_the_townships_draft_proposals(
    client, clerk_a, township_a, village_a, village_a2
):
    client.force_login(clerk_a)

    response = upload(client, workbook([good_row(), two_villages()]))

    job = last_job()
    assert response.status_code == 302
    assert response["Location"] == reverse("projects:library_import_result", args=[job.pk])
    assert job.result["state"] == "imported", job.result
    rice, cold = Project.objects.order_by("code")
    assert (rice.status, rice.proposer_level, rice.year) == ("idea", ProposerLevel.TOWNSHIP, YEAR)
    assert rice.created_by == clerk_a and rice.area == village_a
    assert rice.code == f"KY{YEAR}-0001"
    assert (rice.total_investment, rice.city_funds, rice.self_raised) == (
        Decimal("1000000.00"),
        Decimal("0.00"),
        Decimal("100000.00"),
    )
    assert (rice.start_date, rice.end_date) == (
        datetime.date(YEAR, 4, 1),
        datetime.date(YEAR, 10, 31),
    )
    assert rice.mechanisms == ["吸纳就业", "资产入股收益"]
    assert rice.mechanism_note == "优先吸纳脱贫户务工"
    assert rice.sector == "agriculture" and rice.responsible_phone == "13904100001"
    assert rice.location == "中固镇烟厂村"
    assert [
        (i.group, i.kind, i.name, i.direction, i.target, i.unit) for i in rice.indicators.all()
    ] == [
        ("产出指标", "数量指标", "新建大棚", "≥", Decimal("20.00"), "座"),
        ("效益指标", "经济效益", "带动脱贫户增收", "≥", Decimal("1500.00"), "元/户"),
        ("满意度指标", "服务对象满意度", "受益脱贫户满意度", "≥", Decimal("90.00"), "%"),
    ]
    assert [(v.village, v.share_percent) for v in rice.villages.all()] == [
        (village_a, Decimal("100.00"))
    ]
    # two villages: shared equally, each with its duties
    assert cold.area == township_a and cold.finance_mode == "债权类"
    assert [
        (v.village, v.share_percent, v.asset_share_percent, v.duties) for v in cold.villages.all()
    ] == [
        (village_a, Decimal("50.00"), Decimal("50.00"), "负责土地协调"),
        (village_a2, Decimal("50.00"), Decimal("50.00"), "负责用工组织"),
    ]
    assert cold.beneficiary_entity == "两村股份经济合作社"
    page = result_page(client, job)
    assert "导入完成：已建立 2 个" in page
    assert reverse("projects:project_detail", args=[rice.pk]) in page
    event = AuditEvent.objects.get(action="import")
    assert event.actor == clerk_a and event.data["what"] == "projects_library_import"
    assert event.data["counts"]["created"] == 2 and event.data["valid_only"] is False
    assert event.data["file_name"] == "中固镇申报项目.xlsx" and len(event.data["sha256"]) == 64
    assert AuditEvent.objects.filter(action="create").count() == 2  # each proposal's own trail


def test_three_villages_share_the_project_to_the_hundredth(client, clerk_a, township_a):
    from tests.factories import VillageFactory

    VillageFactory(parent=township_a, code="203", name="小孤家子村")
    client.force_login(clerk_a)

    upload(
        client,
        workbook(
            [
                # the township's name may be left out
                two_villages(
                    建设地点="烟厂村、大白庙子村、小孤家子村",
                    各村职责="烟厂村：土地；大白庙子村：用工；小孤家子村：管护",
                )
            ]
        ),
    )

    project = Project.objects.get()
    assert [v.share_percent for v in project.villages.all()] == [
        Decimal("33.34"),
        Decimal("33.33"),
        Decimal("33.33"),
    ]


def test_importing_the_same_file_twice_creates_nothing_the_second_time(client, clerk_a):
    client.force_login(clerk_a)
    content = workbook([good_row()])
    upload(client, content)

    upload(client, content)

    assert last_job().result["state"] == "invalid"
    assert "已有此项目（KY2027-0001）" in messages_of(last_job())
    assert Project.objects.count() == 1


def test_the_same_project_twice_in_a_file_is_refused(client, clerk_a):
    client.force_login(clerk_a)

    upload(client, workbook([good_row(), good_row(序号=2)]))

    assert "第 2 行已有同名、同村的项目" in messages_of(last_job())
    assert not Project.objects.exists()


# =============================================================================================
# Files refused on the upload page: nothing stored, no job
# =============================================================================================


def _empty_workbook() -> bytes:
    buffer = io.BytesIO()
    Workbook().save(buffer)
    return buffer.getvalue()


def _wrong_headers() -> bytes:
    headers = [h for h in IMPORT_HEADERS if h not in ("项目名称", "总投资（元）")] + ["项目名"]
    return workbook([good_row()], headers=headers)


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (lambda: "项目名称,总投资\n烟厂村项目,1000\n".encode(), "a.xlsx", "不是真正的 Excel"),
        (lambda: b"PK\x03\x04broken zip", "a.xlsx", "不是真正的 Excel"),
        (lambda: workbook([good_row()]), "a.csv", ".xlsx"),
        (_wrong_headers, "a.xlsx", "缺少必填列：项目名称、总投资（元）"),
        (lambda: b"", "a.xlsx", "文件是空的"),
        (_empty_workbook, "a.xlsx", "工作表是空的"),
        (lambda: workbook([]), "a.xlsx", "文件只有表头，没有项目行"),
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

    response = upload(client, content(), name)

    assert response.status_code == 200
    page = response.content.decode()
    assert message in page, page[:2000]
    assert not Project.objects.exists()
    assert not Job.objects.exists()
    assert not AuditEvent.objects.filter(action="import").exists()


def test_wrong_headers_name_the_unknown_ones(client, clerk_a):
    client.force_login(clerk_a)

    page = upload(client, _wrong_headers()).content.decode()

    assert "项目名" in page and "请下载导入模板" in page


# =============================================================================================
# Rows refused: the file is checked whole, nothing is written, each problem beside its cell
# =============================================================================================


@pytest.mark.parametrize(
    ("cells", "column", "message"),
    [
        (
            {"统一社会信用代码": "91110000600037341X"},
            "统一社会信用代码",
            "不是有效的统一社会信用代码",
        ),
        (
            {"自筹资金（元）": 50000},
            "总投资（元）",
            "各级资金合计为950,000.00元，与总投资1,000,000.00元不符",
        ),
        ({"建设地点": "中固镇烟厂村、小河村"}, "建设地点", "中固镇没有名为“小河村”的村"),
        ({"建设地点": "中固镇威远村"}, "建设地点", "威远村是威远堡镇的村，不属于中固镇"),
        ({"建设地点": "威远堡镇威远村"}, "建设地点", "建设地点在威远堡镇：此处只导入中固镇的项目"),
        ({"项目类别": "产业"}, "项目类别", "“产业”不是项目类别的可选值"),
        ({"子类": "乡村建设典型村"}, "子类", "“乡村建设典型村”不属于“产业发展”类项目"),
        ({"计划完工日期": "2027-03-01"}, "计划完工日期", "完工日期不能早于开工日期"),
        ({"计划开工日期": "明年春天"}, "计划开工日期", "请填写日期"),
        ({"总投资（元）": "一百万"}, "总投资（元）", "请输入以元为单位的金额"),
        ({"责任人": None}, "责任人", "此单元格必须填写"),
        ({"绩效目标": "大棚20座"}, "绩效目标", "无法识别绩效目标“大棚20座”"),
        ({"联农带农机制": "带动务工"}, "联农带农机制", "“带动务工”不是联农带农机制"),
        ({"行业主管部门": "财政局"}, "行业主管部门", "“财政局”不是行业主管部门"),
        ({"联系电话": 13904100001.5}, "联系电话", "Excel 可能已丢失"),
    ],
    ids=[
        "bad-uscc",
        "funding-not-summing",
        "unknown-village",
        "village-of-another-township",
        "place-in-another-township",
        "unknown-category",
        "subcategory-of-another-category",
        "dates-in-reverse",
        "not-a-date",
        "not-money",
        "empty-required",
        "unreadable-target",
        "unknown-mechanism",
        "unknown-department",
        "phone-as-a-number",
    ],
)
def test_a_bad_row_refuses_the_file_and_nothing_is_written(client, clerk_a, cells, column, message):
    client.force_login(clerk_a)

    upload(client, workbook([good_row(序号=1, 项目名称="另一个好项目"), good_row(序号=2, **cells)]))

    job = last_job()
    assert job.result["state"] == "invalid", job.result
    errors = [e for e in job.result["errors"] if e["column"] == column]
    assert errors and message in errors[0]["message"], job.result["errors"]
    assert errors[0]["row"] == 3 and errors[0]["cell"].endswith("3")
    assert not Project.objects.exists()
    assert not AuditEvent.objects.filter(action__in=("import", "create")).exists()
    page = result_page(client, job)
    assert "本次未导入任何数据" in page and message.split("“")[0] in page


def test_a_project_of_several_villages_needs_its_beneficiary_and_duties(client, clerk_a):
    client.force_login(clerk_a)

    upload(client, workbook([two_villages(受益主体="", 各村职责="")]))

    by_column = {e["column"]: e for e in last_job().result["errors"]}
    assert "跨村项目" in by_column["受益主体"]["message"]
    assert "各村职责" in by_column and "烟厂村" in by_column["各村职责"]["message"]
    assert by_column["各村职责"]["rule"] == "PRJ-5"
    assert not Project.objects.exists()


def test_formulas_are_refused_with_their_cells_named(client, clerk_a):
    book = load_workbook(io.BytesIO(workbook([good_row()])))
    sheet = book.active
    total = IMPORT_HEADERS.index("总投资（元）") + 1
    sheet.cell(row=2, column=total).value = "=SUM(L2:Q2)"
    buffer = io.BytesIO()
    book.save(buffer)
    client.force_login(clerk_a)

    upload(client, buffer.getvalue())

    message = messages_of(last_job())
    assert "公式" in message and "=SUM(L2:Q2)" in message
    assert not Project.objects.exists()


def test_a_flag_is_reported_and_does_not_refuse(client, clerk_a):
    client.force_login(clerk_a)

    # a cooperative's code that starts with 91 (an enterprise's prefix): a flag, not an error
    upload(client, workbook([good_row(统一社会信用代码=VALID_USCC)]))

    job = last_job()
    assert job.result["state"] == "imported"
    assert any("93" in w["message"] for w in job.result["warnings"])
    assert Project.objects.get().entity_uscc == VALID_USCC


def test_the_marked_workbook_shows_each_problem_beside_its_cell(client, clerk_a):
    client.force_login(clerk_a)
    upload(
        client,
        workbook(
            [
                good_row(),
                good_row(序号=2, 项目名称="B", 建设地点="中固镇威远村", 统一社会信用代码="123"),
            ]
        ),
        name="申报.xlsx",
    )
    job = last_job()

    response = client.get(reverse("jobs:job_download", args=[job.pk]))

    marked = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    place = IMPORT_HEADERS.index("建设地点") + 1
    uscc = IMPORT_HEADERS.index("统一社会信用代码") + 1
    bad = marked.cell(row=3, column=place)
    assert bad.value == "中固镇威远村" and bad.fill.fgColor.rgb.endswith("FFC7CE")
    assert "威远堡镇" in bad.comment.text
    assert "统一社会信用代码" in marked.cell(row=3, column=uscc).comment.text
    assert marked.cell(row=2, column=place).comment is None  # the good row
    explanation = len(IMPORT_HEADERS) + 1
    assert marked.cell(row=1, column=explanation).value == "错误说明"
    assert "建设地点" in marked.cell(row=3, column=explanation).value
    assert marked.cell(row=2, column=explanation).value is None
    assert job.result_name == "申报-错误标注.xlsx"


def test_valid_rows_only_is_an_explicit_audited_choice(client, clerk_a):
    client.force_login(clerk_a)
    upload(client, workbook([good_row(), two_villages(建设地点="中固镇小河村")]))
    checked = last_job()
    assert (checked.result["valid_rows"], checked.result["error_rows"]) == (1, 1)
    assert "只导入正确的行" in result_page(client, checked)
    url = reverse("projects:library_import_valid_rows", args=[checked.pk])

    assert client.post(url, {}).status_code == 302  # the box was not ticked
    assert not Project.objects.exists()
    response = client.post(url, {"confirm": "on"})

    job = last_job()
    assert response["Location"] == reverse("projects:library_import_result", args=[job.pk])
    assert job.result["state"] == "imported" and job.result["valid_only"] is True
    assert list(Project.objects.values_list("name", flat=True)) == ["烟厂村有机稻米育秧大棚项目"]
    event = AuditEvent.objects.get(action="import")
    assert event.data["valid_only"] is True and event.data["errors"] == 1
    assert event.data["counts"]["rows_skipped"] == 1
    assert client.post(url, {"confirm": "on"}).status_code == 302
    assert Project.objects.count() == 1  # the next run refuses the row already imported


# =============================================================================================
# Who may import, and the bureau's check
# =============================================================================================


def test_the_bureau_checks_a_townships_file_and_creates_nothing(client, bureau, township_a):
    client.force_login(bureau)
    assert (
        'data-testid="check-only"'
        in client.get(reverse("projects:library_import")).content.decode()
    )

    upload(client, workbook([good_row()]), township=township_a.pk)

    job = last_job()
    assert job.result["state"] == "checked"
    assert "文件检查无误" in result_page(client, job)
    assert not Project.objects.exists()
    assert not AuditEvent.objects.filter(action="import").exists()


def test_the_bureau_is_told_the_problems_of_a_township_file(client, bureau, township_b):
    client.force_login(bureau)

    upload(client, workbook([good_row()]), township=township_b.pk)

    assert "建设地点在中固镇：此处只导入威远堡镇的项目" in messages_of(last_job())
    assert "只导入正确的行" not in result_page(client, last_job())


@pytest.mark.parametrize("cast", ["leader", "auditor", "grid_worker_a", "dept_medical"])
def test_roles_that_may_not_import_get_403(client, request, cast):
    client.force_login(request.getfixturevalue(cast))

    for name in ("projects:library_import", "projects:library_import_template"):
        assert client.get(reverse(name)).status_code == 403
    assert upload(client, workbook([good_row()])).status_code == 403
    assert not Job.objects.exists()


def test_another_user_cannot_see_someones_import(client, clerk_a, clerk_b):
    client.force_login(clerk_a)
    upload(client, workbook([good_row(建设地点="中固镇小河村")]))
    job = last_job()
    client.force_login(clerk_b)

    assert client.get(reverse("projects:library_import_result", args=[job.pk])).status_code == 404
    assert client.get(reverse("jobs:job_download", args=[job.pk])).status_code == 404
    url = reverse("projects:library_import_valid_rows", args=[job.pk])
    assert client.post(url, {"confirm": "on"}).status_code == 404


def test_the_upload_page_lists_the_users_own_imports(client, clerk_a, clerk_b):
    client.force_login(clerk_a)
    upload(client, workbook([good_row()]), name="甲.xlsx")
    client.force_login(clerk_b)
    upload(client, workbook([good_row(建设地点="威远堡镇威远村")]), name="乙.xlsx")

    page = client.get(reverse("projects:library_import")).content.decode()

    assert "乙.xlsx" in page and "甲.xlsx" not in page
    assert {p.area.name for p in Project.objects.all()} == {"烟厂村", "威远村"}


# =============================================================================================
# The template, and the round trip of the published layout
# =============================================================================================


def test_the_template_names_the_townships_villages_and_imports_as_it_is(client, clerk_a):
    client.force_login(clerk_a)

    response = client.get(reverse("projects:library_import_template"))

    content = b"".join(response.streaming_content)
    book = load_workbook(io.BytesIO(content))
    sheet = book["项目申报表"]
    assert [c.value for c in sheet[1]] == list(IMPORT_HEADERS)
    sample = dict(zip(IMPORT_HEADERS, [c.value for c in sheet[2]], strict=True))
    assert sample["建设地点"] == "中固镇烟厂村、大白庙子村"
    phone = IMPORT_HEADERS.index("联系电话") + 1
    assert sheet.cell(row=2, column=phone).data_type == "s"
    assert "填写说明" in book.sheetnames
    assert AuditEvent.objects.get(action="export").data["what"] == "projects_import_template"

    upload(client, content)  # the sample row is a valid proposal

    assert last_job().result["state"] == "imported", last_job().result
    project = Project.objects.get()
    assert project.villages.count() == 2 and project.entity_type == "乡镇人民政府"


def test_a_published_library_is_read_back_by_the_import(
    client, clerk_a, village_a, village_a2, django_capture_on_commit_callbacks
):
    township = people_for(village_a, proposer_level=ProposerLevel.TOWNSHIP)
    original = new_project(
        [village_a, village_a2], township, proposer_level=ProposerLevel.TOWNSHIP, year=2025
    )
    client.force_login(clerk_a)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("projects:library_export"), {"year": 2025})
    exported = Job.objects.filter(kind="projects_library_export").latest("pk")
    content = b"".join(
        client.get(reverse("jobs:job_download", args=[exported.pk])).streaming_content
    )

    upload(client, content, name="2025年度项目库.xlsx")

    job = last_job()
    assert job.result["state"] == "imported", job.result
    assert {w["column"] for w in job.result["warnings"]} >= {"项目编号", "状态"}
    copy = Project.objects.get(year=YEAR)
    fields = ("name", "category", "subcategory", "finance_mode", "content", "scale",
              "total_investment", "central_funds", "provincial_funds", "county_funds",
              "self_raised", "entity_name", "responsible_person", "mechanisms", "sector",
              "beneficiary_entity")  # fmt: skip
    assert {f: getattr(copy, f) for f in fields} == {f: getattr(original, f) for f in fields}
    assert [(v.village_id, v.duties) for v in copy.villages.all()] == [
        (v.village_id, v.duties) for v in original.villages.all()
    ]
    assert [(i.name, i.target) for i in copy.indicators.all()] == [
        (i.name, i.target) for i in original.indicators.all()
    ]
    assert copy.start_date.year == 2025  # the dates are the file's; the year is the upload's


@override_settings(IMPORT_BACKGROUND_ROWS=3)
def test_a_larger_file_is_imported_by_the_worker_with_progress(
    client, clerk_a, django_capture_on_commit_callbacks
):
    rows = [good_row(序号=n, 项目名称=f"第{n}个项目") for n in range(1, 8)]
    client.force_login(clerk_a)

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = upload(client, workbook(rows))

    job = last_job()
    assert len(callbacks) == 1  # enqueued on commit, not parsed inside the request
    assert job.params["background"] is True
    assert response["Location"] == reverse("projects:library_import_result", args=[job.pk])
    assert job.status == Job.Status.DONE and job.result["state"] == "imported", job.result
    assert job.percent == 100 and job.progress == job.total
    assert Project.objects.count() == 7
