"""The asset ledger's exports, each read back with openpyxl: the three-level ledger (the county's
summary by township and master ledger, a township's summary by village and detail ledger, a
village's detail ledger with its incomes and distributions), the distribution rosters, the
chain of one asset and of the county. Each file: the caption row, the header, values as typed
(Decimal money with its format, dates, text cells for codes and for names typed by users); the
rows scoped to the exporting user (a household of another township without its name); the
export audited; the job's file its owner's alone; other areas a 404, roles without
assets.export a 403.

Cast: clerk_a (township A 中固镇), clerk_b (township B 威远堡镇), bureau, leader, auditor
(county), grid_worker_a (may not export)."""

from __future__ import annotations

import io
from decimal import Decimal

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from assets.exports import chains, distributions, hidden_household, ledgers
from assets.selectors.ledgers import chain_of, scoped_assets
from funds.codes import FundLevel
from kaiyuan.accounts.roles import Role
from kaiyuan.audit.models import AuditEvent
from kaiyuan.common import exports as files
from kaiyuan.common.errors import DomainError
from kaiyuan.jobs.models import Job
from kaiyuan.jobs.services import job_run
from tests.assets.factories import legacy_asset
from tests.assets.ledger_fixtures import YEAR, build_ledger
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
D = Decimal
HEADER_ROW = 2
FORMULA = "=1+1"


@pytest.fixture
def ledger(village_a, village_b, clerk_a, clerk_b):
    return build_ledger(village_a, village_b, clerk_a, clerk_b, head_here=FORMULA)


def run(job: Job) -> Job:
    job_run(job_id=job.pk)
    job.refresh_from_db()
    assert job.status == Job.Status.DONE, job.message
    return job


def book_of(content: bytes):
    return load_workbook(io.BytesIO(content))


def workbook(job: Job):
    with job.result_file.open("rb") as handle:
        return book_of(handle.read())


def body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def rows_of(sheet) -> list[dict]:
    headers = [c.value for c in sheet[HEADER_ROW]]
    return [
        dict(zip(headers, [c.value for c in row], strict=False))
        for row in sheet.iter_rows(min_row=HEADER_ROW + 1)
    ]


def cells_of(sheet) -> list[dict]:
    headers = [c.value for c in sheet[HEADER_ROW]]
    return [
        dict(zip(headers, row, strict=False)) for row in sheet.iter_rows(min_row=HEADER_ROW + 1)
    ]


# =============================================================================================
# The three-level ledger
# =============================================================================================


def test_the_county_ledger_sums_up_each_township_then_lists_every_asset(bureau, county, ledger):
    job = run(ledgers.start_ledger_export(bureau, area=county, year=YEAR))
    book = workbook(job)
    assert book.sheetnames == ["乡镇汇总", "县级总台账"]
    summary, master = book["乡镇汇总"], book["县级总台账"]
    for sheet in (summary, master):
        assert str(YEAR) in sheet["A1"].value and "截至" in sheet["A1"].value
        assert "开原市" in sheet["A1"].value
    assert [c.value for c in summary[HEADER_ROW]] == list(ledgers.TOWNSHIP_SUMMARY_HEADERS)
    assert [c.value for c in master[HEADER_ROW]] == list(ledgers.LEDGER_HEADERS)

    townships = {row["乡镇"]: row for row in rows_of(summary)}
    a = townships["中固镇"]
    assert a["在册资产（个）"] == 2
    assert a["原值合计（元）"] == D("1100000.00")
    assert a["经营性资产原值（元）"] == D("1100000.00")
    assert a["公益性资产原值（元）"] == 0
    assert a["年度收益（元）"] == D("9000.00")
    assert a["扣除（折旧和维护，元）"] == D("1000.00")
    assert a["净收益（元）"] == D("8000.00")
    assert a["分配方案金额（元）"] == a["其中已发放（元）"] == D("8000.00")
    assert townships["威远堡镇"]["在册资产（个）"] == 1
    assert townships["威远堡镇"]["年度收益（元）"] == 0
    total = rows_of(summary)[-1]
    assert total["在册资产（个）"] == 3 and total["原值合计（元）"] == D("1400000.00")
    assert len(townships) == county.children.filter(level="township").count() + 1  # and 合计

    assets = {row["资产编号"]: row for row in rows_of(master)}
    assert list(assets) == sorted(
        [ledger.farm.code, ledger.station.code, ledger.workshop.code],
        key=lambda code: {ledger.workshop.code: 0}.get(code, 1),  # 威远堡镇 (102) before 中固镇
    )
    farm = assets[ledger.farm.code]
    assert (farm["乡镇"], farm["村"]) == ("中固镇", "烟厂村")
    assert farm["资产名称"] == "烟厂村肉牛养殖基地"
    assert farm["资产类别"] == "经营性资产" and farm["资产类型"] == "种养殖基地"
    assert farm["数量"] == 300 and farm["计量单位"] == "千瓦"
    assert farm["其他财政及帮扶资金（元）"] == D("100000.00")
    assert farm["中央衔接资金（元）"] is None
    assert farm["原值（元）"] == D("100000.00")
    assert farm["形成年度"] == 2019 and farm["来源说明"] == "2019年财政专项扶贫资金"
    assert farm["所有权人"] == "烟厂村股份经济合作社"
    assert farm["经营主体（经营权人）"] == "开原市烟厂肉牛养殖专业合作社"
    assert farm["保底收益率（%）"] == 6
    assert farm["管护责任人"] == "李德福"
    assert farm["收益年度"] == YEAR
    assert farm["年度收益（元）"] == D("9000.00")
    assert farm["折旧（元）"] == D("600.00") and farm["维护费（元）"] == D("400.00")
    assert farm["净收益（元）"] == D("8000.00") and farm["分配金额（元）"] == D("8000.00")
    assert farm["发放日期"].date() == ledger.plan.paid_on
    station = assets[ledger.station.code]
    assert station["来源项目编号"] == ledger.station.project.code
    assert station["项目年度"] == ledger.station.project.year
    assert station["中央衔接资金（元）"] == D("1000000.00")
    assert station["年度收益（元）"] is None

    cells = {row["资产编号"].value: row for row in cells_of(master)}
    code = cells[ledger.farm.code]["资产编号"]
    assert code.data_type == "s" and code.number_format == "@"
    assert cells[ledger.farm.code]["原值（元）"].number_format == "#,##0.00"
    assert cells[ledger.farm.code]["保底收益率（%）"].number_format == "0.00"
    assert cells[ledger.farm.code]["发放日期"].number_format == "yyyy-mm-dd"

    event = AuditEvent.objects.get(action="export", object_id=str(job.pk))
    assert event.data["what"] == ledgers.LEDGER_EXPORT
    assert event.data["filters"] == {"area": county.code, "level": "county", "year": YEAR}
    assert event.data["rows"] == job.result["rows"] == len(townships) + 3
    assert event.data["sha256"] == job.result["sha256"]


def test_a_township_clerks_ledger_is_the_townships_with_a_summary_by_village(
    clerk_a, township_a, village_a2, ledger
):
    book = workbook(run(ledgers.start_ledger_export(clerk_a, area=township_a, year=YEAR)))
    assert book.sheetnames == ["村汇总", "明细台账"]
    assert "中固镇" in book["明细台账"]["A1"].value
    assert [c.value for c in book["村汇总"][HEADER_ROW]] == list(ledgers.VILLAGE_SUMMARY_HEADERS)
    villages = {row["村"]: row for row in rows_of(book["村汇总"])}
    assert villages["烟厂村"]["在册资产（个）"] == 2
    assert villages["大白庙子村"]["在册资产（个）"] == 0  # every village has its row
    codes = [row["资产编号"] for row in rows_of(book["明细台账"])]
    assert sorted(codes) == sorted([ledger.farm.code, ledger.station.code])


def test_a_village_ledger_lists_each_assets_incomes_and_distributions(bureau, village_a, ledger):
    book = workbook(run(ledgers.start_ledger_export(bureau, area=village_a, year=YEAR)))
    assert book.sheetnames == ["明细台账", "收益与分配"]
    incomes = book["收益与分配"]
    assert "中固镇烟厂村" in incomes["A1"].value
    assert [c.value for c in incomes[HEADER_ROW]] == list(ledgers.INCOME_HEADERS)
    [row] = rows_of(incomes)
    assert row["资产编号"] == ledger.farm.code and row["收益年度"] == YEAR
    assert row["年度收益（元）"] == D("9000.00") and row["净收益（元）"] == D("8000.00")
    assert row["分配金额（元）"] == D("8000.00")
    assert row["公示开始日期"].date() == ledger.plan.publicity_from
    assert row["公示结束日期"].date() == ledger.plan.publicity_to
    assert row["公示地点"] == "村务公开栏"
    assert row["发放日期"].date() == ledger.plan.paid_on
    assert row["发放凭证号"] == "开原农商银行代发 2026-118"


def test_the_ledger_of_another_township_is_refused(clerk_b, township_a, village_a, ledger):
    for area in (township_a, village_a):
        with pytest.raises(DomainError):
            ledgers.start_ledger_export(clerk_b, area=area, year=YEAR)
    assert not Job.objects.exists()


# =============================================================================================
# The rosters
# =============================================================================================


def test_the_rosters_list_every_line_and_keep_a_typed_name_as_text(bureau, county, ledger):
    job = run(distributions.start_roster_export(bureau, area=county, year=YEAR))
    sheet = workbook(job).active
    assert sheet.title == "收益分配花名册"
    assert str(YEAR) in sheet["A1"].value
    assert [c.value for c in sheet[HEADER_ROW]] == list(distributions.HEADERS)
    rows = rows_of(sheet)
    assert len(rows) == 2
    here = next(r for r in rows if r["户编号"] == ledger.here.household_number)
    assert here["户主姓名或领款人"] == FORMULA
    assert here["资产编号"] == ledger.farm.code and here["收益年度"] == YEAR
    assert (here["乡镇"], here["村"]) == ("中固镇", "烟厂村")
    assert here["户类别"] == "脱贫户"
    assert here["金额（元）"] == D("5000.00")
    assert here["公示开始日期"].date() == ledger.plan.publicity_from
    assert here["发放日期"].date() == ledger.plan.paid_on
    there = next(r for r in rows if r["户编号"] == ledger.there.household_number)
    assert there["户主姓名或领款人"] == "赵春生"
    assert there["户类别"] == "监测户（边缘易致贫户）"

    cells = cells_of(sheet)
    name = next(c for c in cells if c["户编号"].value == ledger.here.household_number)
    assert name["户主姓名或领款人"].data_type == "s"  # the text, not a formula
    assert name["户编号"].number_format == "@"
    assert name["金额（元）"].number_format == "#,##0.00"
    event = AuditEvent.objects.get(action="export", object_id=str(job.pk))
    assert event.data["what"] == distributions.ROSTER_EXPORT and event.data["rows"] == 2


def test_a_clerk_sees_the_amount_of_another_townships_household_not_its_name(
    clerk_a, township_a, ledger
):
    job = run(distributions.start_roster_export(clerk_a, area=township_a))
    rows = rows_of(workbook(job).active)
    there = next(r for r in rows if r["村"] == "威远村")
    assert there["户主姓名或领款人"] == hidden_household()
    assert there["户编号"] is None
    assert there["金额（元）"] == D("3000.00")
    assert not any("赵春生" in str(value) for row in rows for value in row.values())
    assert ledger.there.household_number not in str(rows)


def test_township_bs_rosters_hold_none_of_township_as_assets(clerk_b, township_b, ledger):
    job = run(distributions.start_roster_export(clerk_b, area=township_b))
    rows = rows_of(workbook(job).active)
    assert rows == []


# =============================================================================================
# The chain
# =============================================================================================


def test_the_county_chain_runs_from_the_allocations_to_the_households(bureau, county, ledger):
    job = run(chains.start_chain_export(bureau, area=county))
    sheet = workbook(job).active
    assert sheet.title == "资金链条"
    assert [c.value for c in sheet[HEADER_ROW]] == list(chains.HEADERS)
    rows = rows_of(sheet)
    by_asset: dict[str, list[dict]] = {}
    for row in rows:
        by_asset.setdefault(row["资产编号"], []).append(row)
    assert set(by_asset) == {ledger.farm.code, ledger.station.code, ledger.workshop.code}

    station = by_asset[ledger.station.code]
    # The three payments of its project (advance, progress, final), then the asset.
    assert [row["支用金额（元）"] is not None for row in station] == [True, True, True, False]
    draws = station[:3]
    assert sum(D(str(row["支用金额（元）"])) for row in draws) == D("1000000.00")
    assert [row["拨付日期"] for row in draws] == sorted(row["拨付日期"] for row in draws)
    assert all(row["资金指标文号"].startswith("辽财农〔2026〕") for row in draws)
    assert {row["资金级次"] for row in draws} == {str(FundLevel.CENTRAL.label)}
    assert all(row["指标年度"] == 2026 and row["资金到账日期"] for row in draws)
    asset_row = station[-1]
    assert asset_row["原值（元）"] == D("1000000.00")
    assert asset_row["中央衔接资金（元）"] == D("1000000.00")
    assert asset_row["来源项目编号"] == ledger.station.project.code

    farm = by_asset[ledger.farm.code]
    assert farm[0]["原值（元）"] == D("100000.00")  # no payments: the asset comes first
    assert farm[0]["来源说明"] == "2019年财政专项扶贫资金"
    lines = farm[1:]
    assert [row["户主姓名或领款人"] for row in lines] == [FORMULA, "赵春生"]
    assert all(row["收益年度"] == YEAR and row["净收益（元）"] == D("8000.00") for row in lines)
    assert [row["分配到户金额（元）"] for row in lines] == [D("5000.00"), D("3000.00")]
    assert all(row["发放日期"].date() == ledger.plan.paid_on for row in lines)
    assert lines[1]["户编号"] == ledger.there.household_number
    assert len(by_asset[ledger.workshop.code]) == 1
    cells = cells_of(sheet)
    formula = next(c for c in cells if c["户主姓名或领款人"].value == FORMULA)
    assert formula["户主姓名或领款人"].data_type == "s"
    assert formula["资产编号"].number_format == "@"
    event = AuditEvent.objects.get(action="export", object_id=str(job.pk))
    assert event.data["what"] == chains.CHAIN_EXPORT and event.data["rows"] == len(rows)


def test_the_chain_reads_in_three_queries_whatever_its_size(bureau, county, clerk_a, ledger):
    def queries() -> tuple[int, int]:
        with CaptureQueriesContext(connection) as captured:
            rows = list(chains.chain_rows(chain_of(bureau, scoped_assets(bureau, county))))
        return len(captured.captured_queries), len(rows)

    before, rows_before = queries()
    for number in range(5):
        legacy_asset(ledger.farm.area, clerk_a, name=f"第{number}号大棚")
    after, rows_after = queries()
    assert rows_after == rows_before + 5
    assert before == after == 3


def test_one_assets_chain_is_served_at_once_and_recorded(client, auditor, ledger):
    client.force_login(auditor)
    response = client.post(reverse("assets:asset_chain_export", args=[ledger.farm.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == files.XLSX
    sheet = book_of(body(response)).active
    assert ledger.farm.code in sheet["A1"].value
    rows = rows_of(sheet)
    assert {row["资产编号"] for row in rows} == {ledger.farm.code}
    assert len(rows) == 3  # the asset, its two lines
    event = AuditEvent.objects.get(action="export", object_id=str(ledger.farm.pk))
    assert event.data["what"] == chains.ASSET_CHAIN_EXPORT and event.data["rows"] == 3
    assert event.actor == auditor


def test_a_township_clerk_sees_another_townships_household_in_the_chain_without_its_name(
    client, clerk_a, ledger
):
    client.force_login(clerk_a)
    response = client.post(reverse("assets:asset_chain_export", args=[ledger.farm.pk]))
    rows = rows_of(book_of(body(response)).active)
    assert [row["户主姓名或领款人"] for row in rows[1:]] == [FORMULA, hidden_household()]
    assert rows[2]["户编号"] is None


# =============================================================================================
# The pages: who may export what
# =============================================================================================

JOB_EXPORTS = ("assets:ledger_export", "assets:roster_export", "assets:chain_export")


@pytest.mark.parametrize("name", JOB_EXPORTS)
@pytest.mark.parametrize("role", ["leader", "auditor", "clerk_a"])
def test_leaders_auditors_and_clerks_start_an_export_and_download_it(
    client, request, ledger, name, role, django_capture_on_commit_callbacks
):
    user = request.getfixturevalue(role)
    client.force_login(user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse(name), {"year": str(YEAR)})
    job = Job.objects.filter(created_by=user).latest("pk")
    assert response.status_code == 302
    assert response["Location"] == reverse("jobs:job_detail", args=[job.pk])
    assert job.status == Job.Status.DONE, job.message
    download = client.get(reverse("jobs:job_download", args=[job.pk]))
    assert download.status_code == 200
    assert openpyxl.load_workbook(io.BytesIO(body(download)), read_only=True).sheetnames
    assert AuditEvent.objects.filter(action="export", object_id=str(job.pk)).exists()
    assert AuditEvent.objects.filter(action="download", object_id=str(job.pk)).exists()


def test_the_jobs_file_is_its_owners_alone(client, bureau, county, ledger):
    job = run(ledgers.start_ledger_export(bureau, area=county, year=YEAR))
    colleague = UserFactory(username="bureau_2", role=Role.BUREAU, area=county)
    client.force_login(colleague)
    assert client.get(reverse("jobs:job_download", args=[job.pk])).status_code == 404
    assert client.get(reverse("jobs:job_detail", args=[job.pk])).status_code == 404


def test_a_county_user_exports_a_township_or_a_village_picked_on_the_page(
    client, bureau, township_a, village_a, ledger, django_capture_on_commit_callbacks
):
    client.force_login(bureau)
    data = {"township": township_a.pk, "village": village_a.pk, "year": str(YEAR)}
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("assets:ledger_export"), data)
    job = Job.objects.latest("pk")
    assert job.params == {"area": village_a.pk, "year": YEAR}
    assert workbook(job).sheetnames == ["明细台账", "收益与分配"]


@pytest.mark.parametrize("name", JOB_EXPORTS)
def test_a_grid_worker_may_not_export_the_ledgers(client, grid_worker_a, ledger, name):
    client.force_login(grid_worker_a)
    assert client.post(reverse(name), {"year": str(YEAR)}).status_code == 403
    assert client.get(reverse("assets:export_index")).status_code == 403
    response = client.post(reverse("assets:asset_chain_export", args=[ledger.farm.pk]))
    assert response.status_code == 403
    assert not Job.objects.exists()


@pytest.mark.parametrize("name", JOB_EXPORTS)
def test_township_b_cannot_export_township_as_ledgers(
    client, clerk_b, township_a, village_a, ledger, name
):
    client.force_login(clerk_b)
    for data in (
        {"township": township_a.pk},
        {"village": village_a.pk},
        {"township": township_a.pk, "village": village_a.pk},
        {"township": "not-an-id"},
    ):
        assert client.post(reverse(name), {**data, "year": str(YEAR)}).status_code == 404
    missing = client.post(reverse("assets:asset_chain_export", args=[ledger.farm.pk]))
    assert missing.status_code == 404
    assert not Job.objects.exists()
    assert not AuditEvent.objects.filter(action="export").exists()


def test_an_export_is_a_post(client, leader, ledger):
    client.force_login(leader)
    for name in JOB_EXPORTS:
        assert client.get(reverse(name)).status_code == 405
    chain = reverse("assets:asset_chain_export", args=[ledger.farm.pk])
    assert client.get(chain).status_code == 405


def test_the_export_page_offers_the_exports_of_the_users_area(
    client, clerk_a, bureau, township_a, village_a, ledger
):
    client.force_login(clerk_a)
    page = client.get(reverse("assets:export_index")).content.decode()
    for testid in ("ledger-export", "roster-export", "chain-export", "village-pdf"):
        assert f'data-testid="{testid}"' in page
    assert reverse("assets:ledger_export") in page
    assert reverse("assets:village_ledger_pdf", args=[village_a.pk]) not in page  # no village yet
    page = client.get(
        reverse("assets:export_index"), {"village": village_a.pk, "year": "2024"}
    ).content.decode()
    assert f"{reverse('assets:village_ledger_pdf', args=[village_a.pk])}?year=2024" in page
    assert f'name="village" value="{village_a.pk}"' in page
    client.force_login(bureau)
    page = client.get(reverse("assets:export_index"), {"township": township_a.pk}).content.decode()
    assert f'name="township" value="{township_a.pk}"' in page
    assert "中固镇" in page
