"""The library's exports: the year's library in the published layout (a job), an announcement's
projects (Excel) and the printed announcement (PDF), a project's beneficiaries. Each file is
read back: the caption row, the headers, a row's values as typed (Decimal money, dates, codes as
text, formula-looking text as text); each export is scoped to the user's area and recorded.

Cast: bureau, clerk_a (township A 中固镇), clerk_b (township B 威远堡镇), leader and auditor
(read-only, may export), grid_worker_a (may not export).
"""

from __future__ import annotations

import datetime
import io
import re
from decimal import Decimal

import pypdf
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from kaiyuan.audit.models import AuditEvent
from kaiyuan.common import dates, pii
from kaiyuan.jobs.models import Job
from kaiyuan.jobs.services import job_run
from monitoring.codes import HouseholdType
from monitoring.models import Household
from projects.codes import BeneficiaryRole, EntityType, PublicityMedium
from projects.exports.library import layout
from projects.exports.library.year import LIBRARY_EXPORT, library_export_start
from projects.models import Announcement, Project
from projects.services import publicity
from projects.services.beneficiaries import beneficiary_add
from tests.monitoring.factories import make_household
from tests.projects.factories import VALID_USCC, new_project, people_for, walk

pytestmark = pytest.mark.django_db

Status = Project.Status
HEADER_ROW = 2  # below the caption
FORMULA_NAME = '=HYPERLINK("http://example.com","点此")'


def content_of(response) -> bytes:
    assert response.status_code == 200, response.status_code
    return b"".join(response.streaming_content) if response.streaming else response.content


def sheet_of(content: bytes):
    return load_workbook(io.BytesIO(content)).active


def header_of(sheet) -> list[str]:
    return [cell.value for cell in sheet[HEADER_ROW] if cell.value is not None]


def rows_of(sheet) -> list[dict[str, object]]:
    headers = [cell.value for cell in sheet[HEADER_ROW]]
    return [
        dict(zip(headers, [cell.value for cell in row], strict=False))
        for row in sheet.iter_rows(min_row=HEADER_ROW + 1)
    ]


def cell(sheet, row: int, header: str):
    column = [c.value for c in sheet[HEADER_ROW]].index(header) + 1
    return sheet.cell(row=row, column=column)


def export_library(client, user, callbacks, **data) -> Job:
    client.force_login(user)
    with callbacks(execute=True):
        response = client.post(reverse("projects:library_export"), {"year": 2025, **data})
    job = Job.objects.filter(kind=LIBRARY_EXPORT).latest("pk")
    assert response.status_code == 302
    assert response["Location"] == reverse("jobs:job_detail", args=[job.pk])
    assert job.status == Job.Status.DONE, job.message
    return job


def exported_rows(client, user, callbacks, **data) -> list[dict[str, object]]:
    return rows_of(sheet_of(download(client, export_library(client, user, callbacks, **data))))


def download(client, job: Job) -> bytes:
    return content_of(client.get(reverse("jobs:job_download", args=[job.pk])))


@pytest.fixture
def library(village_a, village_b):
    """Township A: a cooperative's rice project with a credit code, a phone, targets and
    mechanisms, and a formula-looking entity name; township B: a plain draft."""
    rice = new_project(
        [village_a],
        people_for(village_a),
        entity_name=FORMULA_NAME,
        entity_type=EntityType.ENTERPRISE,
        entity_uscc=VALID_USCC,
        responsible_phone="024-73312345",
        mechanism_note="优先吸纳脱贫户务工",
        subsidy_standard="按实际投资补助",
    )
    other = new_project([village_b], people_for(village_b), name="威远村肉牛养殖项目")
    return rice, other


# =============================================================================================
# The year's library
# =============================================================================================


def test_the_years_library_is_a_job_in_the_published_layout_read_back_as_typed(
    client, bureau, library, village_a, django_capture_on_commit_callbacks
):
    rice, _other = library
    exited = make_household(village_a, head_name="张脱贫")
    exited.household_size = 3
    exited.save()
    monitored = make_household(village_a, head_name="王监测", household_type=HouseholdType.ORDINARY)
    Household.objects.filter(pk=monitored.pk).update(monitoring_status="monitored")
    clerk = people_for(village_a).township
    beneficiary_add(project=rice, household=exited, role=BeneficiaryRole.BENEFIT, actor=clerk)
    beneficiary_add(project=rice, household=exited, role=BeneficiaryRole.WORK, actor=clerk)
    beneficiary_add(project=rice, household=monitored, role=BeneficiaryRole.BENEFIT, actor=clerk)

    job = export_library(client, bureau, django_capture_on_commit_callbacks)

    sheet = sheet_of(download(client, job))
    caption = sheet["A1"].value
    assert caption.startswith("2025年度巩固拓展脱贫攻坚成果和乡村振兴项目库")
    assert "范围：开原市" in caption and "项目库年度：2025" in caption
    assert "截至 2026-12-02" in caption
    assert header_of(sheet) == list(layout.HEADERS)
    assert sheet.freeze_panes == "A3"
    rows = rows_of(sheet)
    assert [row["项目名称"] for row in rows] == ["有机稻米种植基地建设项目", "威远村肉牛养殖项目"]
    line = rows[0]
    assert line["序号"] == 1
    assert line["项目编号"] == rice.code and cell(sheet, 3, "项目编号").data_type == "s"
    assert cell(sheet, 3, "项目编号").number_format == "@"
    assert (line["项目类别"], line["子类"], line["项目类型"]) == ("产业发展", "有机稻米", "自建类")
    assert line["建设地点"] == "中固镇烟厂村"
    assert line["总投资（元）"] == 1000000
    assert cell(sheet, 3, "总投资（元）").number_format == "#,##0.00"
    assert line["中央衔接资金（元）"] == 600000 and line["市级衔接资金（元）"] == 0
    assert line["计划开工日期"].date() == datetime.date(2025, 4, 1)
    assert cell(sheet, 3, "计划开工日期").number_format == "yyyy-mm-dd"
    # the formula-looking name stays text, never a live formula
    assert line["实施单位"] == FORMULA_NAME and cell(sheet, 3, "实施单位").data_type == "s"
    assert line["统一社会信用代码"] == VALID_USCC
    assert cell(sheet, 3, "统一社会信用代码").data_type == "s"
    assert line["联系电话"] == "024-73312345" and cell(sheet, 3, "联系电话").number_format == "@"
    assert line["绩效目标"] == (
        "产出指标/数量指标：新建大棚≥20座；效益指标/经济效益：带动脱贫户增收≥1500元/户；"
        "满意度指标/服务对象满意度：受益脱贫户满意度≥90%"
    )
    assert line["联农带农机制"] == "吸纳就业、资产入股收益；优先吸纳脱贫户务工"
    # the household of two roles counts once, its persons too
    assert (line["受益脱贫户数"], line["受益监测户数"], line["受益人数"]) == (1, 1, 4)
    assert line["行业主管部门"] == "农业农村局"
    assert line["状态"] == "谋划中"
    assert line["各村职责"] == "烟厂村：烟厂村负责土地协调"
    assert rows[1]["受益人数"] == 0
    assert job.result_name == "2025年度项目库-开原市-20261202.xlsx"


def test_the_export_is_recorded_with_its_filter_rows_and_digest(
    client, bureau, library, django_capture_on_commit_callbacks
):
    job = export_library(client, bureau, django_capture_on_commit_callbacks, admitted_only="on")

    event = AuditEvent.objects.get(action="export")
    assert event.actor == bureau
    assert event.data["what"] == LIBRARY_EXPORT
    assert event.data["filters"] == {"year": 2025, "admitted_only": True, "area": "211282"}
    assert event.data["rows"] == 0  # both projects are drafts
    assert event.data["sha256"] == job.result["sha256"] and len(job.result["sha256"]) == 64
    assert "仅已入库项目" in sheet_of(download(client, job))["A1"].value


def test_only_admitted_projects_when_asked(
    client, bureau, village_a, clock, django_capture_on_commit_callbacks
):
    people = people_for(village_a)
    admitted = new_project([village_a], people, name="已入库项目")
    admitted = walk(admitted, Status.IN_LIBRARY, people, clock)
    new_project([village_a], people, name="草稿项目")

    callbacks = django_capture_on_commit_callbacks
    everything = exported_rows(client, bureau, callbacks)
    admitted_only = exported_rows(client, bureau, callbacks, admitted_only="on")

    assert {row["项目名称"] for row in everything} == {"已入库项目", "草稿项目"}
    assert [row["项目编号"] for row in admitted_only] == [admitted.code]
    assert admitted_only[0]["状态"] == "已入库"


def test_a_township_clerks_export_holds_only_the_townships_rows(
    client, clerk_a, clerk_b, library, django_capture_on_commit_callbacks
):
    rows_a = exported_rows(client, clerk_a, django_capture_on_commit_callbacks)
    sheet_b = sheet_of(
        download(client, export_library(client, clerk_b, django_capture_on_commit_callbacks))
    )

    assert [row["项目名称"] for row in rows_a] == ["有机稻米种植基地建设项目"]
    assert [row["项目名称"] for row in rows_of(sheet_b)] == ["威远村肉牛养殖项目"]
    assert "范围：威远堡镇" in sheet_b["A1"].value


def test_read_only_roles_may_export_and_the_grid_worker_may_not(
    client, leader, auditor, grid_worker_a, library, django_capture_on_commit_callbacks
):
    for reader in (leader, auditor):
        rows = exported_rows(client, reader, django_capture_on_commit_callbacks)
        assert len(rows) == 2
    client.force_login(grid_worker_a)

    response = client.post(reverse("projects:library_export"), {"year": 2025})

    assert response.status_code == 403
    assert not Job.objects.filter(created_by=grid_worker_a).exists()


def _export_queries(user) -> int:
    job = library_export_start(actor=user, year=2025, admitted_only=False)
    with CaptureQueriesContext(connection) as queries:
        job_run(job_id=job.pk)
    job.refresh_from_db()
    assert job.status == Job.Status.DONE, job.message
    return len(queries)


def test_the_export_reads_the_library_in_a_constant_number_of_queries(
    bureau, village_a, village_a2, village_b
):
    new_project([village_a], people_for(village_a))
    small = _export_queries(bureau)
    for village in (village_a, village_a2, village_b) * 3:
        new_project([village], people_for(village))

    assert _export_queries(bureau) == small


# =============================================================================================
# An announcement
# =============================================================================================


@pytest.fixture
def announced(village_a, village_b, clock):
    """One announcement of a project of each township."""
    people_a, people_b = people_for(village_a), people_for(village_b)
    rice = walk(new_project([village_a], people_a), Status.COUNTY_DECIDED, people_a, clock)
    cattle = walk(
        new_project([village_b], people_b, name="威远村肉牛养殖项目"),
        Status.COUNTY_DECIDED,
        people_b,
        clock,
    )
    start = dates.today()
    announcement = publicity.announcement_create(
        year=2025,
        title="",
        number="开乡振发〔2024〕12号",
        medium=PublicityMedium.WEBSITE,
        start_date=start,
        end_date=start + datetime.timedelta(days=9),
        projects=[rice, cattle],
        actor=people_a.bureau,
    )
    return announcement, rice, cattle


def pdf_text(content: bytes) -> str:
    assert content.startswith(b"%PDF")
    reader = pypdf.PdfReader(io.BytesIO(content))
    return re.sub(r"\s+", "", "".join(page.extract_text() for page in reader.pages))


def test_the_announcement_pdf_has_its_title_number_projects_and_objection_channel(
    client, bureau, announced
):
    announcement, rice, cattle = announced
    client.force_login(bureau)

    response = client.get(reverse("projects:announcement_pdf", args=[announcement.pk]))

    assert response["Content-Type"] == "application/pdf"
    text = pdf_text(content_of(response))
    assert "开原市2025年度巩固拓展脱贫攻坚成果和乡村振兴项目库公告" in text
    assert "开乡振发〔2024〕12号" in text
    assert rice.name in text and cattle.name in text and rice.code in text
    assert "本次公告项目共2个" in text
    assert "异议" in text and "开原市乡村振兴局反映" in text
    start, end = announcement.start_date, announcement.end_date
    assert f"{start:%Y年%-m月%-d日}至{end:%Y年%-m月%-d日}" in text
    assert "摘录" not in text
    event = AuditEvent.objects.get(action="export")
    assert event.data["what"] == "projects_announcement_pdf" and event.data["rows"] == 2
    assert event.object_id == str(announcement.pk)


def test_a_township_prints_the_extract_of_its_own_projects(client, clerk_a, announced):
    announcement, rice, cattle = announced
    client.force_login(clerk_a)

    text = pdf_text(
        content_of(client.get(reverse("projects:announcement_pdf", args=[announcement.pk])))
    )

    assert "摘录：中固镇的项目" in text
    assert rice.name in text and cattle.name not in text


def test_the_announcement_list_in_excel(client, bureau, clerk_a, announced):
    announcement, rice, cattle = announced
    client.force_login(bureau)

    response = client.get(reverse("projects:announcement_export", args=[announcement.pk]))

    sheet = sheet_of(content_of(response))
    caption = sheet["A1"].value
    assert caption.startswith("开原市2025年度巩固拓展脱贫攻坚成果和乡村振兴项目库公告")
    assert "文号：开乡振发〔2024〕12号" in caption and "公告期：" in caption
    assert header_of(sheet) == list(layout.HEADERS)
    rows = rows_of(sheet)
    assert [row["项目编号"] for row in rows] == sorted([rice.code, cattle.code])
    assert {row["状态"] for row in rows} == {"县级公告"}
    assert AuditEvent.objects.get(action="export").data["what"] == "projects_announcement"

    client.force_login(clerk_a)
    rows = rows_of(
        sheet_of(
            content_of(client.get(reverse("projects:announcement_export", args=[announcement.pk])))
        )
    )
    assert [row["项目名称"] for row in rows] == [rice.name]


def test_an_announcement_without_the_users_projects_is_not_found(
    client, clerk_b, bureau, village_a, clock
):
    people = people_for(village_a)
    walk(new_project([village_a], people), Status.COUNTY_ANNOUNCED, people, clock)
    announcement = Announcement.objects.get()
    client.force_login(clerk_b)

    for name in ("projects:announcement_pdf", "projects:announcement_export"):
        assert client.get(reverse(name, args=[announcement.pk])).status_code == 404
        assert client.get(reverse(name, args=[announcement.pk + 100])).status_code == 404
    assert not AuditEvent.objects.filter(action="export").exists()


def test_the_library_page_links_the_years_announcements(client, leader, announced):
    announcement, _rice, _cattle = announced
    client.force_login(leader)

    html = client.get(reverse("projects:library"), {"year": 2025}).content.decode()

    assert reverse("projects:announcement_pdf", args=[announcement.pk]) in html
    assert reverse("projects:announcement_export", args=[announcement.pk]) in html


# =============================================================================================
# A project's beneficiaries
# =============================================================================================


@pytest.fixture
def beneficiaries(library, village_a):
    rice, _other = library
    exited = make_household(village_a, head_name="张脱贫", household_number="2112821042010001")
    monitored = make_household(
        village_a,
        head_name="王监测",
        household_type=HouseholdType.ORDINARY,
        household_number="2112821042010002",
    )
    Household.objects.filter(pk=monitored.pk).update(monitoring_status="monitored")
    clerk = people_for(village_a).township
    beneficiary_add(
        project=rice,
        household=exited,
        role=BeneficiaryRole.BENEFIT,
        amount=Decimal("1500.00"),
        actor=clerk,
    )
    beneficiary_add(project=rice, household=monitored, role=BeneficiaryRole.WORK, actor=clerk)
    return rice, exited, monitored


def test_a_projects_beneficiaries_without_id_numbers(client, clerk_a, beneficiaries):
    rice, exited, monitored = beneficiaries
    client.force_login(clerk_a)

    response = client.get(reverse("projects:beneficiaries_export", args=[rice.pk]))

    content = content_of(response)
    sheet = sheet_of(content)
    assert sheet["A1"].value.startswith(f"{rice.code} {rice.name} · 项目受益户名单")
    assert header_of(sheet) == list(layout_beneficiary_headers())
    rows = rows_of(sheet)
    assert rows == [
        {
            "序号": 1,
            "户编号": "2112821042010001",
            "户主姓名": "张脱贫",
            "乡镇": "中固镇",
            "行政村": "烟厂村",
            "户类型": "脱贫户",
            "是否监测户": "否",
            "受益方式": "受益",
            "金额（元）": 1500,
        },
        {
            "序号": 2,
            "户编号": "2112821042010002",
            "户主姓名": "王监测",
            "乡镇": "中固镇",
            "行政村": "烟厂村",
            "户类型": "一般农户",
            "是否监测户": "是",
            "受益方式": "务工",
            "金额（元）": None,
        },
    ]
    assert cell(sheet, 3, "户编号").data_type == "s"
    assert cell(sheet, 3, "金额（元）").number_format == "#,##0.00"
    texts = " ".join(str(c.value) for row in sheet.iter_rows() for c in row if c.value)
    for household in (exited, monitored):
        for member in household.members.all():
            number = pii.decrypt(member.id_cipher)
            assert number and number not in texts and number[-8:] not in texts
    event = AuditEvent.objects.get(action="export")
    assert event.data["what"] == "projects_beneficiaries" and event.data["rows"] == 2
    assert event.object_id == str(rice.pk)


def layout_beneficiary_headers():
    from projects.exports.library.beneficiaries import BENEFICIARY_HEADERS

    return BENEFICIARY_HEADERS


def test_beneficiaries_access(client, clerk_b, leader, grid_worker_a, beneficiaries):
    rice, _exited, _monitored = beneficiaries
    url = reverse("projects:beneficiaries_export", args=[rice.pk])

    client.force_login(clerk_b)
    assert client.get(url).status_code == 404  # another township's project
    assert client.get(reverse("projects:beneficiaries_export", args=[99999])).status_code == 404
    client.force_login(grid_worker_a)
    assert client.get(url).status_code == 403  # a role that does not export
    client.force_login(leader)
    assert len(rows_of(sheet_of(content_of(client.get(url))))) == 2  # read-only roles export
    assert AuditEvent.objects.filter(action="export").count() == 1
