"""A village's published asset ledger (村级资产台账公开, the plan's §四(五)2 六: villages keep a
ledger of their assets and disclose their income and its distribution so that villagers can know
and supervise): the village's assets with their year's income and deductions, and each
distribution with its publicity, its day paid and its households by name and amount. No ID
numbers and no household numbers: this paper goes on the village's board.

A household of another township that shares in the village's income (AST-7) is named only when
the printing user may see it, like everywhere else. Data in, PDF out (``build_village_ledger_pdf``
makes no query); served at once and recorded as an export (``village_ledger_response``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.http import FileResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from assets.exports import ensure_may_export, hidden_household
from assets.models import Distribution
from assets.selectors import ledgers as selectors
from assets.selectors.assets import collective_of
from kaiyuan.areas.models import Area
from kaiyuan.common import dates
from kaiyuan.common import exports as files
from kaiyuan.common.pdf import render_pdf

VILLAGE_LEDGER_PDF = "assets_village_ledger_pdf"
TEMPLATE = "assets/ledgers/village_ledger_pdf.html"
ZERO = Decimal("0.00")


@dataclass(frozen=True)
class PublishedLine:
    name: str
    use: str
    item: str
    amount: Decimal


@dataclass(frozen=True)
class PublishedAsset:
    number: int
    code: str
    name: str
    asset_class: str
    asset_type: str
    quantity: Decimal
    unit: str
    location: str
    value: Decimal
    owner: str
    operator: str
    status: str
    gross: Decimal | None
    deductions: Decimal | None
    net: Decimal | None
    distributed: Decimal | None
    distribution_status: str
    publicity_from: object
    publicity_to: object
    publicity_place: str
    paid_on: object
    lines: Sequence[PublishedLine]


@dataclass(frozen=True)
class PublishedLedger:
    village: str
    township: str
    collective: str
    year: int
    printed_on: object
    assets: Sequence[PublishedAsset]
    value: Decimal
    gross: Decimal
    net: Decimal
    distributed: Decimal

    @property
    def distributed_assets(self) -> list[PublishedAsset]:
        return [asset for asset in self.assets if asset.lines]


def _line(line, hidden: str) -> PublishedLine:
    if line.household_id is None:
        name = line.payee
    elif line.household_visible:
        name = line.household.head_name
    else:
        name = hidden
    return PublishedLine(name, str(line.get_use_display()), line.item, line.amount)


def village_ledger(user, village: Area, year: int) -> PublishedLedger:
    """What the paper shows (three queries: the assets with their year, the year's lines, the
    collective)."""
    assets = list(selectors.ledger_assets(user, village, year))
    lines = selectors.year_lines(user, selectors.scoped_assets(user, village), year)
    hidden = hidden_household()
    statuses = {value: str(label) for value, label in Distribution.Status.choices}
    published = []
    for number, asset in enumerate(assets, start=1):
        gross = asset.income_gross
        deductions = (
            asset.income_depreciation + asset.income_maintenance if gross is not None else None
        )
        published.append(
            PublishedAsset(
                number=number,
                code=asset.code,
                name=asset.name,
                asset_class=asset.get_asset_class_display(),
                asset_type=asset.get_asset_type_display(),
                quantity=asset.quantity,
                unit=asset.unit,
                location=asset.location,
                value=asset.original_value,
                owner=asset.owner_name,
                operator=asset.operator,
                status=str(asset.get_status_display()),
                gross=gross,
                deductions=deductions,
                net=selectors.net_of(asset),
                distributed=asset.distribution_amount,
                distribution_status=statuses.get(asset.distribution_status or "", ""),
                publicity_from=asset.distribution_publicity_from,
                publicity_to=asset.distribution_publicity_to,
                publicity_place=asset.distribution_publicity_place or "",
                paid_on=asset.distribution_paid_on,
                lines=[_line(line, hidden) for line in lines.get(asset.pk, [])],
            )
        )
    collective = collective_of(village)
    return PublishedLedger(
        village=village.name,
        township=village.parent.name if village.parent_id else "",
        collective=collective.name if collective else "",
        year=year,
        printed_on=dates.today(),
        assets=published,
        value=sum((a.value for a in published), ZERO),
        gross=sum((a.gross for a in published if a.gross is not None), ZERO),
        net=sum((a.net for a in published if a.net is not None), ZERO),
        distributed=sum((a.distributed for a in published if a.distributed is not None), ZERO),
    )


def build_village_ledger_pdf(ledger: PublishedLedger) -> bytes:
    return render_pdf(TEMPLATE, {"ledger": ledger})


def file_name(village: Area, year: int) -> str:
    township = village.parent.name if village.parent_id else ""
    return f"{township}{village.name}-{year}-{_('published asset ledger')}.pdf"


def village_ledger_response(village: Area, *, actor, year: int) -> FileResponse:
    """The village's published ledger of ``year``, served and recorded as an export."""
    ensure_may_export(actor)
    as_of = timezone.now()
    ledger = village_ledger(actor, village, year)
    written = files.ExportBytes(content=build_village_ledger_pdf(ledger), rows=len(ledger.assets))
    return files.export_response(
        written,
        name=file_name(village, year),
        content_type=files.PDF,
        actor=actor,
        audit_object=village,
        what=VILLAGE_LEDGER_PDF,
        filters={"village": village.code, "year": year},
        data={"households": sum(len(a.lines) for a in ledger.assets)},
        as_of=as_of,
    )
