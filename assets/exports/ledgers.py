"""The three-level asset ledger (三级台账, DOMAIN.md §5.3), as the chosen area's level asks:

* the county: a summary with one row per township (assets on the ledger, their original value in
  all and by class, the year's income, deductions and distributions), then the county's master
  ledger, one row per asset with its township and village;
* a township: the same summary per village, then the township's detail ledger;
* a village: its detail ledger, then each asset's incomes (every year settled) with their
  distributions.

The detail ledger has the fields of §5.3: code, name, class, type, quantity, unit, township,
village, location, source project and year, value per fund source, original value, owner,
operator, operating mode, contract and guaranteed return, custodian, maintenance funding, 确权,
三资 entry, status, 四个一批, and the year's income, deductions, net income and distribution. A
job, since its rows grow with the county; one query per sheet (``assets.selectors.ledgers``).
"""

from __future__ import annotations

from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from assets.codes import AssetClass, FundingSource
from assets.exports import (
    CHUNK,
    ensure_may_export,
    export_scope,
    township_and_village,
)
from assets.models import Distribution
from assets.selectors import ledgers as selectors
from kaiyuan.areas.models import Area
from kaiyuan.common import dates
from kaiyuan.common import exports as files
from kaiyuan.jobs.models import Job
from kaiyuan.jobs.registry import register
from kaiyuan.jobs.services import job_start

LEDGER_EXPORT = "assets_ledger_export"
FIRST_YEAR = 2013  # the scope of the assets: formed since the 18th Party Congress (§5.1)

FUNDING_HEADERS = {
    FundingSource.CENTRAL: "中央衔接资金（元）",
    FundingSource.PROVINCIAL: "省级衔接资金（元）",
    FundingSource.CITY: "市级衔接资金（元）",
    FundingSource.COUNTY: "县级衔接资金（元）",
    FundingSource.OTHER: "其他财政及帮扶资金（元）",
    FundingSource.SELF_RAISED: "自筹资金（元）",
}
LEDGER_HEADERS = (
    "序号",
    "资产编号",
    "资产名称",
    "资产类别",
    "资产类型",
    "数量",
    "计量单位",
    "乡镇",
    "村",
    "坐落位置",
    "来源项目编号",
    "来源项目名称",
    "项目年度",
    "形成年度",
    "来源说明",
    *(FUNDING_HEADERS[source] for source in selectors.FUNDING_SOURCES),
    "原值（元）",
    "所有权人类型",
    "所有权人",
    "经营主体（经营权人）",
    "经营方式",
    "合同相对方",
    "合同起始日期",
    "合同到期日期",
    "保底收益率（%）",
    "管护责任人",
    "管护经费来源",
    "确权日期",
    "确权证书编号",
    "三资平台录入日期",
    "三资平台编号",
    "资产状态",
    "四个一批",
    "收益年度",
    "年度收益（元）",
    "折旧（元）",
    "维护费（元）",
    "净收益（元）",
    "分配金额（元）",
    "分配状态",
    "发放日期",
)
LEDGER_TEXT = frozenset(
    LEDGER_HEADERS.index(h) for h in ("资产编号", "来源项目编号", "确权证书编号", "三资平台编号")
)
LEDGER_FORMATS = {
    LEDGER_HEADERS.index("数量"): "General",  # a count of 300 千瓦 is not money
    LEDGER_HEADERS.index("保底收益率（%）"): "0.00",
}

CLASS_HEADERS = {
    AssetClass.OPERATING: "经营性资产原值（元）",
    AssetClass.PUBLIC: "公益性资产原值（元）",
    AssetClass.HOUSEHOLD: "到户类资产原值（元）",
}
SUMMARY_FIGURES = (
    "区划代码",
    "在册资产（个）",
    "原值合计（元）",
    *(CLASS_HEADERS[asset_class] for asset_class in selectors.CLASSES),
    "年度收益（元）",
    "扣除（折旧和维护，元）",
    "净收益（元）",
    "分配方案金额（元）",
    "其中已发放（元）",
)
TOWNSHIP_SUMMARY_HEADERS = ("乡镇", *SUMMARY_FIGURES)
VILLAGE_SUMMARY_HEADERS = ("村", *SUMMARY_FIGURES)
SUMMARY_TEXT = frozenset({1})

INCOME_HEADERS = (
    "资产编号",
    "资产名称",
    "收益年度",
    "年度收益（元）",
    "折旧（元）",
    "维护费（元）",
    "净收益（元）",
    "清算日期",
    "分配金额（元）",
    "分配状态",
    "公示开始日期",
    "公示结束日期",
    "公示地点",
    "发放日期",
    "发放凭证号",
)
INCOME_TEXT = frozenset(INCOME_HEADERS.index(h) for h in ("资产编号", "发放凭证号"))


def default_year() -> int:
    """The year whose income is settled by now: last year."""
    return dates.today().year - 1


def valid_year(year) -> int:
    year = int(year)
    if not FIRST_YEAR <= year <= dates.today().year:
        raise ValueError(year)
    return year


def start_ledger_export(user, *, area: Area, year: int) -> Job:
    """Start the ledger of ``area`` (the user's own or one inside it) with ``year``'s figures."""
    ensure_may_export(user)
    export_scope(user, area.pk)
    return job_start(
        kind=LEDGER_EXPORT, actor=user, params={"area": area.pk, "year": valid_year(year)}
    )


# =============================================================================================
# Rows
# =============================================================================================


def status_label(status: str | None) -> str:
    return str(Distribution.Status(status).label) if status else ""


def ledger_row(number: int, asset, year: int) -> list:
    area = asset.area
    township, village = township_and_village(
        area.level, area.name, area.parent.name if area.parent_id else None
    )
    project = asset.project
    net = selectors.net_of(asset)
    return [
        number,
        asset.code,
        asset.name,
        asset.get_asset_class_display(),
        asset.get_asset_type_display(),
        asset.quantity,
        asset.unit,
        township,
        village,
        asset.location,
        project.code if project else "",
        project.name if project else "",
        project.year if project else None,
        asset.formed_year,
        asset.source_note,
        *(getattr(asset, f"fund_{source}") for source in selectors.FUNDING_SOURCES),
        asset.original_value,
        str(asset.get_owner_kind_display()),
        asset.owner_name,
        asset.operator,
        asset.operating_mode,
        asset.contract_counterparty,
        asset.contract_start,
        asset.contract_end,
        asset.guaranteed_return_percent,
        asset.custodian,
        asset.maintenance_funding,
        asset.confirmed_on,
        asset.certificate_number,
        asset.sanzi_entered_on,
        asset.sanzi_id,
        str(asset.get_status_display()),
        asset.four_batches,
        year,
        asset.income_gross,
        asset.income_depreciation,
        asset.income_maintenance,
        net,
        asset.distribution_amount,
        status_label(asset.distribution_status),
        asset.distribution_paid_on,
    ]


def ledger_sheet(assets, *, title: str, caption: str, year: int) -> files.Sheet:
    return files.Sheet(
        title=title,
        headers=LEDGER_HEADERS,
        rows=(ledger_row(number, asset, year) for number, asset in enumerate(assets, start=1)),
        caption=caption,
        text_columns=LEDGER_TEXT,
        formats=LEDGER_FORMATS,
    )


def _summary_line(name: str, code: str, row: selectors.SummaryRow) -> list:
    return [
        name,
        code,
        row.assets,
        row.value,
        *(row.by_class[asset_class] for asset_class in selectors.CLASSES),
        row.income,
        row.deductions,
        row.net,
        row.planned,
        row.paid,
    ]


def summary_rows(summary: selectors.Summary) -> list[list]:
    rows = [_summary_line(row.name, row.code, row) for row in summary.rows]
    rows.append(_summary_line(_("Total"), "", summary.total))
    return rows


def summary_sheet(summary: selectors.Summary, *, title: str, headers, caption: str) -> files.Sheet:
    return files.Sheet(
        title=title,
        headers=headers,
        rows=summary_rows(summary),
        caption=caption,
        text_columns=SUMMARY_TEXT,
    )


def income_row(income) -> list:
    distribution = getattr(income, "distribution", None)
    return [
        income.asset.code,
        income.asset.name,
        income.year,
        income.gross_income,
        income.depreciation,
        income.maintenance,
        income.net_income,
        income.settled_on,
        distribution.amount if distribution else None,
        str(distribution.get_status_display()) if distribution else "",
        distribution.publicity_from if distribution else None,
        distribution.publicity_to if distribution else None,
        distribution.publicity_place if distribution else "",
        distribution.paid_on if distribution else None,
        distribution.payment_reference if distribution else "",
    ]


# =============================================================================================
# The sheets of each level
# =============================================================================================


def ledger_title(scope: Area) -> str:
    if scope.level == Area.Level.COUNTY:
        return _("County master asset ledger")
    if scope.level == Area.Level.TOWNSHIP:
        return _("Township detail asset ledger")
    return _("Village detail asset ledger")


def ledger_sheets(user, scope: Area, year: int, *, as_of) -> list[files.Sheet]:
    where = files.scope_name(scope)
    filters = [(_("Income year"), year)]

    def caption(what: str) -> str:
        return files.caption(what, scope=where, filters=filters, as_of=as_of)

    title = ledger_title(scope)
    detail = ledger_sheet(
        selectors.ledger_assets(user, scope, year).iterator(chunk_size=CHUNK),
        title="县级总台账" if scope.level == Area.Level.COUNTY else "明细台账",
        caption=caption(title),
        year=year,
    )
    if scope.level == Area.Level.VILLAGE:
        incomes = selectors.scoped_incomes(user, scope)
        return [
            detail,
            files.Sheet(
                title="收益与分配",
                headers=INCOME_HEADERS,
                rows=(income_row(income) for income in incomes.iterator(chunk_size=CHUNK)),
                caption=files.caption(
                    _("Incomes and distributions of the village's assets"),
                    scope=where,
                    as_of=as_of,
                ),
                text_columns=INCOME_TEXT,
            ),
        ]
    county = scope.level == Area.Level.COUNTY
    summary = selectors.ledger_summary(
        user, scope, year, own_name=_("%(area)s (its own)") % {"area": scope.name}
    )
    what = _("Assets by township") if county else _("Assets by village")
    return [
        summary_sheet(
            summary,
            title="乡镇汇总" if county else "村汇总",
            headers=TOWNSHIP_SUMMARY_HEADERS if county else VILLAGE_SUMMARY_HEADERS,
            caption=caption(what),
        ),
        detail,
    ]


@register(LEDGER_EXPORT)
def run_ledger_export(job: Job, progress) -> None:
    user = job.created_by
    ensure_may_export(user)
    scope = export_scope(user, job.params.get("area"))
    year = valid_year(job.params["year"])
    with translation.override(settings.LANGUAGE_CODE):
        as_of = timezone.now()
        progress.total(selectors.scoped_assets(user, scope).count())
        stored_name = f"assets-ledger-{scope.code}-{year}-{job.pk}.xlsx"
        written = files.write_workbook(
            files.temp_path(stored_name),
            ledger_sheets(user, scope, year, as_of=as_of),
            on_progress=progress.step,
        )
        name = f"{ledger_title(scope)}-{scope.name}-{year}-{dates.local_date(as_of):%Y%m%d}.xlsx"
    files.export_to_job(
        job,
        written,
        stored_name=stored_name,
        name=name,
        what=LEDGER_EXPORT,
        filters={"area": scope.code, "level": scope.level, "year": year},
        as_of=as_of,
        result={"area": scope.code, "year": year},
    )
    job.message = _("The asset ledger is ready: %(n)s rows.") % {"n": written.rows}
