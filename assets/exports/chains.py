"""The chain of each asset (资金链条), from the allocation to the households, as one sheet read
from top to bottom asset by asset:

1. 资金拨付 — one row per draw of the asset's project's payments: the allocation (document
   number, level, year), the fund entry (assigned on, arrived at the township on), the payment
   (day paid, tranche) and the amount drawn (reversals negative);
2. 资产 — the asset itself: its original value and its value per fund source;
3. 收益分配 — one row per line of each year's distribution: the year, the net income, the
   distribution's amount and status, the line's use, household (or payee) and amount, the day
   paid; a year settled but not distributed is one row without a line.

The foreign keys followed (``assets.selectors.ledgers``, whose docstring draws them):
FundAllocation ← ProjectFund.allocation ← PaymentDraw.fund, PaymentDraw.payment → Payment,
Payment.project ← Asset.project; AssetIncome.asset; Distribution.income; DistributionLine
.distribution → DistributionLine.household. A project that formed several assets shows its draws
under each of them; the asset row says what part of them each asset holds.

One asset's chain is small and served at once (``asset_chain_response``); the county's (or a
township's) is a job, streamed: three queries whatever its size (``chain_of``), written in
constant memory.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from django.conf import settings
from django.http import FileResponse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from assets.codes import LineUse
from assets.exports import (
    CHUNK,
    ensure_may_export,
    export_scope,
    hidden_household,
    township_and_village,
    user_scope,
)
from assets.exports.ledgers import FUNDING_HEADERS
from assets.models import Asset, Distribution
from assets.selectors.ledgers import FUNDING_SOURCES, ChainAsset, chain_of, scoped_assets
from funds.codes import FundLevel, Tranche
from kaiyuan.areas.models import Area
from kaiyuan.common import dates
from kaiyuan.common import exports as files
from kaiyuan.jobs.models import Job
from kaiyuan.jobs.registry import register
from kaiyuan.jobs.services import job_start

CHAIN_EXPORT = "assets_chain_export"
ASSET_CHAIN_EXPORT = "assets_asset_chain_export"

HEADERS = (
    "资产编号",
    "资产名称",
    "乡镇",
    "村",
    "来源项目编号",
    "环节",
    # the money: allocation → fund entry → payment
    "资金指标文号",
    "资金级次",
    "指标年度",
    "资金分配日期",
    "资金到账日期",
    "拨付日期",
    "拨付类型",
    "支用金额（元）",
    # the asset
    "来源说明",
    "原值（元）",
    *(FUNDING_HEADERS[source] for source in FUNDING_SOURCES),
    # income → distribution line → household
    "收益年度",
    "净收益（元）",
    "分配金额（元）",
    "分配状态",
    "用途",
    "岗位或事项",
    "户编号",
    "户主姓名或领款人",
    "分配到户金额（元）",
    "发放日期",
)
TEXT_COLUMNS = frozenset(
    HEADERS.index(h) for h in ("资产编号", "来源项目编号", "资金指标文号", "户编号")
)
MONEY_BLOCK = 8  # 资金指标文号 … 支用金额
ASSET_BLOCK = 2 + len(FUNDING_SOURCES)  # 来源说明, 原值, the sources
LINE_BLOCK = 10  # 收益年度 … 发放日期


def _labels(choices) -> dict[str, str]:
    return {value: str(label) for value, label in choices}


class Layout:
    """The rows of one export, with the code tables' labels resolved once (in the file's
    language) rather than once a row."""

    def __init__(self) -> None:
        self.levels = _labels(FundLevel.choices)
        self.tranches = _labels(Tranche.choices)
        self.uses = _labels(LineUse.choices)
        self.statuses = _labels(Distribution.Status.choices)
        self.payment = _("Allocation and payment")
        self.asset = _("Asset")
        self.income = _("Income and distribution")
        self.hidden = hidden_household()

    def rows(self, link: ChainAsset) -> Iterator[list]:
        (_pk, code, name, level, area_name, parent_name, project, note, value, *funds) = link.asset
        township, village = township_and_village(level, area_name, parent_name)
        head = [code, name, township, village, project or ""]
        for draw in link.draws:
            (_a, document, fund_level, fund_year, assigned, arrived, paid_on, tranche, amount) = (
                draw
            )
            yield [
                *head,
                self.payment,
                document,
                self.levels.get(fund_level, fund_level),
                fund_year,
                assigned,
                arrived,
                paid_on,
                self.tranches.get(tranche, tranche),
                amount,
                *([None] * (ASSET_BLOCK + LINE_BLOCK)),
            ]
        yield [
            *head,
            self.asset,
            *([None] * MONEY_BLOCK),
            note,
            value,
            *funds,
            *([None] * LINE_BLOCK),
        ]
        for income in link.incomes:
            (
                _a,
                year,
                gross,
                depreciation,
                maintenance,
                planned,
                status,
                use,
                item,
                number,
                head_name,
                payee,
                line_amount,
                paid_on,
                visible,
            ) = income
            if line_amount is None:
                use_label = item = number = who = ""
            else:
                use_label = self.uses.get(use, use)
                if number is None:  # a PV station's work or reward paid to a payee
                    number, who = "", payee
                elif visible:
                    who = head_name
                else:
                    number, who = "", self.hidden
            yield [
                *head,
                self.income,
                *([None] * (MONEY_BLOCK + ASSET_BLOCK)),
                year,
                gross - depreciation - maintenance,
                planned,
                self.statuses.get(status, "") if status else "",
                use_label,
                item,
                number,
                who,
                line_amount,
                paid_on,
            ]


def chain_rows(chain: Iterable[ChainAsset]) -> Iterator[list]:
    layout = Layout()
    for link in chain:
        yield from layout.rows(link)


def chain_sheet(chain: Iterable[ChainAsset], *, caption: str) -> files.Sheet:
    return files.Sheet(
        title="资金链条",
        headers=HEADERS,
        rows=chain_rows(chain),
        caption=caption,
        text_columns=TEXT_COLUMNS,
    )


# =============================================================================================
# One asset, at once
# =============================================================================================


def asset_chain_response(asset: Asset, *, actor) -> FileResponse:
    """The chain of ``asset`` (which ``actor`` sees), served and recorded as an export."""
    ensure_may_export(actor)
    as_of = timezone.now()
    with translation.override(settings.LANGUAGE_CODE):
        caption = files.caption(
            _("Chain of the asset %(asset)s") % {"asset": f"{asset.code} {asset.name}"},
            scope=files.scope_name(user_scope(actor)),
            as_of=as_of,
        )
        chain = chain_of(actor, Asset.objects.visible_to(actor).filter(pk=asset.pk))
        written = files.workbook_bytes([chain_sheet(chain, caption=caption)])
        name = f"{asset.code}-{_('Asset chain')}.xlsx"
    return files.export_response(
        written,
        name=name,
        content_type=files.XLSX,
        actor=actor,
        audit_object=asset,
        what=ASSET_CHAIN_EXPORT,
        filters={"asset": asset.code},
        as_of=as_of,
    )


# =============================================================================================
# An area's chain, as a job
# =============================================================================================


def start_chain_export(user, *, area: Area) -> Job:
    """Start the chain of every asset of ``area`` (the user's own, or one inside it)."""
    ensure_may_export(user)
    export_scope(user, area.pk)
    return job_start(kind=CHAIN_EXPORT, actor=user, params={"area": area.pk})


@register(CHAIN_EXPORT)
def run_chain_export(job: Job, progress) -> None:
    user = job.created_by
    ensure_may_export(user)
    scope = export_scope(user, job.params.get("area"))
    with translation.override(settings.LANGUAGE_CODE):
        as_of = timezone.now()
        caption = files.caption(
            _("Chain from the allocations to the households"),
            scope=files.scope_name(scope),
            as_of=as_of,
        )
        stored_name = f"assets-chain-{scope.code}-{job.pk}.xlsx"
        chain = chain_of(user, scoped_assets(user, scope), chunk=CHUNK)
        written = files.write_workbook(
            files.temp_path(stored_name),
            [chain_sheet(chain, caption=caption)],
            on_progress=progress.step,
        )
        name = f"{_('Asset chain')}-{scope.name}-{dates.local_date(as_of):%Y%m%d}.xlsx"
    files.export_to_job(
        job,
        written,
        stored_name=stored_name,
        name=name,
        what=CHAIN_EXPORT,
        filters={"area": scope.code},
        as_of=as_of,
        result={"area": scope.code},
    )
    job.message = _("The chain is ready: %(n)s rows.") % {"n": written.rows}
