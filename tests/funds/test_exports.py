"""The linkage funds' exports, each a job started by ``start_<name>_export(user, …)``: the fund
ledger (by allocation and by project), the payments with their payees, the spending progress and
the debt placements. Each file is read back: the caption row, the header, values as typed
(Decimal money, dates, text that looks like a formula stays text), a payee's ID number only
masked, the rows scoped to the exporting user, the export audited.

Cast: clerk_a (township A 中固镇), clerk_b (township B 威远堡镇), bureau, finance (county),
grid_worker_a (may not export)."""

from __future__ import annotations

import datetime
import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from funds.codes import FundLevel, PayeeKind, SixClears, Tranche
from funds.exports import allocations as ledger
from funds.exports import payments as payment_export
from funds.exports import placements as placement_export
from funds.exports import progress as progress_export
from funds.selectors.progress import spending_progress
from funds.services import payments, placements
from funds.services.payments import Inspection, Payee
from kaiyuan.accounts.roles import Role
from kaiyuan.audit.models import AuditEvent
from kaiyuan.common.dates import today
from kaiyuan.common.errors import DomainError
from kaiyuan.jobs.models import Job
from kaiyuan.jobs.services import job_run
from monitoring.codes import HouseholdType
from projects.codes import FinanceMode
from projects.models import ProjectBeneficiary
from tests.factories import UserFactory
from tests.funds import factories as f
from tests.monitoring.factories import make_household, make_member, next_id_number

pytestmark = pytest.mark.django_db
D = Decimal
HEADER_ROW = 2
FORMULA_NAME = '=HYPERLINK("http://example.com","点此")'
DAY = datetime.timedelta(days=1)


@pytest.fixture
def finance(county):
    return UserFactory(username="finance", role=Role.FINANCE, area=county)


def run(job: Job) -> Job:
    job_run(job_id=job.pk)
    job.refresh_from_db()
    assert job.status == Job.Status.DONE, job.message
    return job


def workbook(job: Job):
    job.result_file.open("rb")
    try:
        return load_workbook(io.BytesIO(job.result_file.read()))
    finally:
        job.result_file.close()


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


@pytest.fixture
def money(village_a, village_b, clerk_a, clerk_b, finance):
    """Township A: a self-built project paid a 30 % advance to a payee whose name looks like a
    formula (its 报账 accepted by finance), a mistaken payment reversed, and a household project
    paying a subsidy to a person. Township B: a project paid an advance."""
    works = f.project(village_a, clerk_a, total="1000000.00", name="烟厂村育秧大棚项目")
    f.fund(works, clerk_a)
    formula_payee = Payee(
        name=FORMULA_NAME, account="6228480012345678", kind=PayeeKind.ENTITY, uscc=f.VALID_USCC
    )
    advance = f.pay(works, clerk_a, "299000.00", payee=formula_payee)
    reimbursement = payments.reimbursement_report(
        reimbursement=advance.reimbursement,
        reported_on=today(),
        voucher_numbers="记-0012",
        vouchers=[SimpleUploadedFile("发票.pdf", b"%PDF-1.4")],
        expected_version=advance.reimbursement.version,
        actor=clerk_a,
    )
    payments.reimbursement_decide(
        reimbursement=reimbursement,
        accept=True,
        reason="",
        expected_version=reimbursement.version,
        actor=finance,
    )
    mistaken = f.pay(works, clerk_a, "1000.00", paid_on=today() - DAY)
    payments.payment_reverse(payment=mistaken, reason="重复录入", actor=clerk_a)

    household = make_household(village_a, household_type=HouseholdType.EXITED)
    number = next_id_number()
    make_member(household, name="王二", id_number=number)
    courtyard = f.project(
        village_a, clerk_a, total="200000.00", mode=FinanceMode.HOUSEHOLD, name="庭院经济项目"
    )
    f.fund(courtyard, clerk_a)
    ProjectBeneficiary.objects.create(project=courtyard, household=household, role="受益")
    subsidy = f.pay(
        courtyard,
        clerk_a,
        "1500.00",
        tranche=Tranche.HOUSEHOLD,
        payee=Payee(
            name="王二", account="6217000000000001", kind=PayeeKind.PERSON, id_number=number
        ),
        household=household,
        inspection=Inspection(on=today(), by="镇农业站 张验收"),
    )

    other = f.project(village_b, clerk_b, total="500000.00", name="威远村肉牛养殖项目")
    f.fund(other, clerk_b)
    f.pay(other, clerk_b, "100000.00")
    return {"works": works, "courtyard": courtyard, "other": other, "id_number": number,
            "subsidy": subsidy}  # fmt: skip


# =============================================================================================
# The fund ledger
# =============================================================================================


def test_the_ledger_by_allocation_and_by_project_reads_back_typed(bureau, money):
    job = run(ledger.start_ledger_export(bureau, year=today().year))
    book = workbook(job)
    by_allocation, by_project = book["按资金指标"], book["按项目"]
    assert str(today().year) in by_allocation["A1"].value
    assert "截至" in by_allocation["A1"].value
    assert [c.value for c in by_allocation[HEADER_ROW]] == list(ledger.ALLOCATION_HEADERS)
    assert [c.value for c in by_project[HEADER_ROW]] == list(ledger.PROJECT_HEADERS)

    allocations = rows_of(by_allocation)
    assert len(allocations) == 3
    works_allocation = next(r for r in allocations if r["预付（元）"] == D("299000.00"))
    assert works_allocation["指标金额（元）"] == D("5000000.00")  # the factory's 5 × the funds
    assert works_allocation["已分配（元）"] == D("1000000.00")
    assert works_allocation["已到账（元）"] == D("1000000.00")
    assert works_allocation["累计拨付（元）"] == D("299000.00")  # the reversal netted
    assert works_allocation["报账已审核（元）"] == D("299000.00")
    assert works_allocation["结余（到账未支出，元）"] == D("701000.00")
    assert works_allocation["资金级次"] == str(FundLevel.CENTRAL.label)
    assert works_allocation["年度"] == today().year

    projects = {r["项目编号"]: r for r in rows_of(by_project)}
    works = projects[money["works"].code]
    assert works["乡镇"] == "中固镇"
    assert works["预付（元）"] == D("299000.00")
    assert works["报账未审核（元）"] == D("0")
    assert works["结余（到账未支出，元）"] == D("701000.00")
    courtyard = projects[money["courtyard"].code]
    assert courtyard["到户补贴（元）"] == D("1500.00")
    assert courtyard["报账未审核（元）"] == D("1500.00")
    assert projects[money["other"].code]["乡镇"] == "威远堡镇"
    number = cells_of(by_project)[0]["项目编号"]
    assert number.data_type == "s" and number.number_format == "@"
    assert cells_of(by_project)[0]["已分配（元）"].number_format == "#,##0.00"


def test_the_ledger_withholds_and_releases_the_retention(bureau, clerk_a, village_a, clock):
    project = f.project(village_a, clerk_a, total="1000000.00")
    f.fund(project, clerk_a)
    f.progress(project, clerk_a, "100")
    f.pay(project, clerk_a, "700000.00", tranche=Tranche.PROGRESS)
    f.accept(project)
    f.pay(project, clerk_a, "270000.00", tranche=Tranche.FINAL)
    rows = rows_of(workbook(run(ledger.start_ledger_export(bureau)))["按项目"])
    assert rows[0]["质保金预留（元）"] == D("30000.00")
    assert rows[0]["质保金已拨付（元）"] == D("0")
    assert rows[0]["结余（到账未支出，元）"] == D("30000.00")


def test_a_township_clerks_ledger_holds_only_the_townships_money(clerk_b, money):
    book = workbook(run(ledger.start_ledger_export(clerk_b)))
    projects = rows_of(book["按项目"])
    assert [r["项目编号"] for r in projects] == [money["other"].code]
    allocations = rows_of(book["按资金指标"])
    assert len(allocations) == 1
    assert allocations[0]["已分配（元）"] == D("500000.00")
    assert allocations[0]["累计拨付（元）"] == D("100000.00")
    assert "威远堡镇" in book["按项目"]["A1"].value


def test_the_export_is_audited_and_refused_to_roles_without_the_capability(
    bureau, grid_worker_a, money
):
    job = run(ledger.start_ledger_export(bureau, year=today().year))
    event = AuditEvent.objects.get(action="export", object_id=str(job.pk))
    assert event.data["rows"] == job.result["rows"] == 3 + 3
    assert event.data["sha256"] == job.result["sha256"]
    for start in (
        lambda: ledger.start_ledger_export(grid_worker_a),
        lambda: payment_export.start_payments_export(grid_worker_a),
        lambda: progress_export.start_progress_export(grid_worker_a, year=today().year),
        lambda: placement_export.start_placements_export(grid_worker_a),
    ):
        with pytest.raises(DomainError):
            start()


# =============================================================================================
# Payments
# =============================================================================================


def test_payments_with_payees_masked_ids_formula_text_and_reversals(bureau, money):
    book = workbook(run(payment_export.start_payments_export(bureau)))
    sheet = book.active
    assert [c.value for c in sheet[HEADER_ROW]] == list(payment_export.HEADERS)
    rows = rows_of(sheet)
    cells = cells_of(sheet)
    assert len(rows) == 5  # the advance, the mistaken payment and its reversal, subsidy, B's

    index = next(i for i, r in enumerate(rows) if r["收款人"] == FORMULA_NAME)
    payee = cells[index]["收款人"]
    assert payee.data_type == "s" and payee.value == FORMULA_NAME  # text, not a formula
    advance = rows[index]
    assert advance["金额（元）"] == D("299000.00")
    assert advance["拨付日期"].date() == today()
    assert advance["统一社会信用代码/身份证号"] == f.VALID_USCC
    assert advance["收款账户"] == "6228480012345678"
    assert advance["财政审核日期"].date() == today()
    assert advance["报账日期"].date() == today()
    assert advance["报账凭证号"] == "记-0012"

    subsidy = next(r for r in rows if r["收款人"] == "王二")
    number = money["id_number"]
    assert subsidy["统一社会信用代码/身份证号"] == number[:6] + "*" * 8 + number[-4:]
    assert not any(number in str(v) for r in rows for v in r.values())

    markers = [r["冲销"] for r in rows if r["冲销"]]
    assert len(markers) == 2  # the reversed payment and its reversal
    assert [r["金额（元）"] for r in rows if r["冲销"]] == [D("1000.00"), D("-1000.00")]


def test_a_township_clerks_payments_are_the_townships_and_filters_apply(clerk_b, clerk_a, money):
    rows = rows_of(workbook(run(payment_export.start_payments_export(clerk_b))).active)
    assert [r["项目编号"] for r in rows] == [money["other"].code]
    rows = rows_of(
        workbook(
            run(payment_export.start_payments_export(clerk_a, tranche=Tranche.HOUSEHOLD))
        ).active
    )
    assert [r["项目编号"] for r in rows] == [money["courtyard"].code]
    rows = rows_of(
        workbook(run(payment_export.start_payments_export(clerk_a, status="accepted"))).active
    )
    assert [r["金额（元）"] for r in rows] == [D("299000.00")]


# =============================================================================================
# Spending progress
# =============================================================================================


def test_the_progress_table_is_the_selectors_figures(bureau, money, township_a, township_b):
    year = today().year
    job = run(progress_export.start_progress_export(bureau, year=year, as_of=today()))
    book = workbook(job)
    sheet = book["支出进度"]
    assert [c.value for c in sheet[HEADER_ROW]] == list(progress_export.HEADERS)
    assert f"{year}" in sheet["A1"].value and today().isoformat() in sheet["A1"].value
    rows = rows_of(sheet)
    expected = spending_progress(year=year, as_of=today())
    central = str(FundLevel.CENTRAL.label)
    by_key = {(r["区划代码"], r["资金级次"]): r for r in rows}
    for row in expected.rows:
        cell = row.cells[FundLevel.CENTRAL]
        got = by_key[(row.code, central)]
        assert got["已分配（元）"] == cell.allocated
        assert got["已支出（元）"] == cell.spent
        assert got["支出进度"] == pytest.approx(float(cell.percent) / 100)
    a = by_key[(township_a.code, central)]
    assert (a["已分配（元）"], a["已支出（元）"]) == (D("1200000.00"), D("300500.00"))
    county = [r for r in rows if r["区划代码"] == "211282"]
    assert len(county) == len(FundLevel.values) + 1
    assert cells_of(sheet)[0]["支出进度"].number_format == "0.00%"
    industry = rows_of(book["产业占比"])
    assert industry[0]["省级及以上衔接资金（元）"] == expected.industry_base
    assert industry[0]["用于产业发展（元）"] == expected.industry


def test_a_township_clerk_gets_the_townships_rows_and_the_county_figures(
    clerk_b, money, township_a, township_b
):
    rows = rows_of(
        workbook(run(progress_export.start_progress_export(clerk_b, year=today().year))).active
    )
    codes = {r["区划代码"] for r in rows}
    assert codes == {township_b.code, "211282"}


# =============================================================================================
# Debt placements
# =============================================================================================


@pytest.fixture
def placement(village_a, clerk_a):
    project = f.project(village_a, clerk_a, total="500000.00", mode=FinanceMode.DEBT)
    f.fund(project, clerk_a, arrived_on=today() - 400 * DAY)
    start = today() - 400 * DAY
    placed = placements.placement_create(
        project=project,
        counterparty="=开原市禾丰食品有限公司",
        counterparty_uscc=f.VALID_USCC,
        principal="500000.00",
        start_date=start,
        end_date=today() - 30 * DAY,
        agreed_rate="6.00",
        collateral="厂房抵押",
        risk_measures="按季度检查经营状况",
        agreement_number="KY-ZQ-2025-01",
        actor=clerk_a,
    )
    f.pay(project, clerk_a, "500000.00", tranche=Tranche.LUMP_SUM, paid_on=start)
    placements.return_record(
        placement=placed, year=start.year, amount="30000.00", received_on=today(), actor=clerk_a
    )
    placements.recovery_record(
        placement=placed, amount="200000.00", recovered_on=today(), actor=clerk_a
    )
    items = {code: {"clear": True} for code in SixClears.values}
    items[SixClears.OPERATIONS] = {"clear": False, "note": "经营亏损"}
    placements.six_clears_record(
        placement=placed,
        year=start.year,
        items=items,
        problems="主体经营亏损",
        measures="督促追加抵押",
        reviewed_on=today(),
        expected_version=None,
        actor=clerk_a,
    )
    return placed


def test_placements_with_returns_recoveries_flags_and_six_clears(bureau, clerk_b, placement):
    book = workbook(run(placement_export.start_placements_export(bureau)))
    sheet = book["债权投入"]
    [row] = rows_of(sheet)
    assert row["投入本金（元）"] == D("500000.00")
    assert row["已收收益（元）"] == D("30000.00")
    assert row["已收回本金（元）"] == D("200000.00")
    assert row["未收回本金（元）"] == D("300000.00")
    assert row["风险提示"].startswith("FND-10-OVERDUE")
    assert row["到期日期"].date() == placement.end_date
    counterparty = cells_of(sheet)[0]["合作主体"]
    assert counterparty.data_type == "s" and counterparty.value.startswith("=")
    years = rows_of(book["收益与六清楚"])
    assert [y["年度"] for y in years] == list(
        range(placement.start_date.year, placement.end_date.year + 1)
    )
    first = years[0]
    assert first["应收收益（元）"] == D("30000.00")
    assert first["已收收益（元）"] == D("30000.00")
    assert first["存在问题的事项"] == "主体生产经营状况清楚"
    assert first["整改措施"] == "督促追加抵押"
    if len(years) > 1:
        assert years[1]["核查日期"] is None
    assert (
        rows_of(workbook(run(placement_export.start_placements_export(clerk_b)))["债权投入"]) == []
    )
