"""Reads of the asset ledger's exports: the three-level ledger (资产台账: the county's master
ledger, the townships' and villages' detail ledgers and their summaries), the distribution
rosters, the village's published ledger, and the chain from the allocations to the households.

Every read starts from the assets the user sees (``Asset.objects.visible_to``) inside the chosen
area, and joins what it shows in the same query: the value per fund source and the year's income
and distribution are LEFT JOINs through ``FilteredRelation`` (an asset has at most one funding
row per source and one settlement and distribution per year), so no row costs a query.

The chain is traced through these foreign keys, from the money to the households:

    FundAllocation  ← ProjectFund.allocation        a fund entry: an allocation's money for
                                                    a project
    ProjectFund     ← PaymentDraw.fund              the part of a payment drawn on that entry
    PaymentDraw.payment → Payment, Payment.project → Project
    Project         ← Asset.project                 the assets the project formed (AssetFunding:
                                                    their value per fund source)
    Asset           ← AssetIncome.asset             one settlement (清算) a year
    AssetIncome     ← Distribution.income           one distribution of each settled income
    Distribution    ← DistributionLine.distribution, DistributionLine.household → Household

``chain_of`` reads it in three streamed queries, each ordered by asset code (the assets with
their funding; the draws of their projects, one row per asset and draw; their incomes with the
distributions' lines, one row per line), and merges them asset by asset.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from itertools import groupby
from operator import itemgetter

from django.db.models import Count, F, FilteredRelation, Q, QuerySet, Sum

from assets.codes import AssetClass, FundingSource
from assets.models import Asset, AssetIncome, Distribution, DistributionLine
from assets.selectors.assets import assets_for
from assets.selectors.distributions import distributions_for, household_visible, roster
from funds.models import PaymentDraw
from kaiyuan.areas.models import Area

ZERO = Decimal("0.00")
CHUNK = 2000
FUNDING_SOURCES: tuple[str, ...] = tuple(FundingSource.values)
CLASSES: tuple[str, ...] = tuple(AssetClass.values)
PAID = Distribution.Status.PAID

# =============================================================================================
# The assets of an area, with their funding and a year's figures
# =============================================================================================


def scoped_assets(user, scope: Area) -> QuerySet[Asset]:
    """The assets ``user`` sees in ``scope`` (the user's area or an area inside it)."""
    return Asset.objects.visible_to(user).filter(area__path__startswith=scope.path)


def with_funding(queryset: QuerySet[Asset]) -> QuerySet[Asset]:
    """Each asset's value per fund source as ``fund_<source>`` (None where it has none)."""
    relations = {
        f"funding_{source}": FilteredRelation("funding", condition=Q(funding__source=source))
        for source in FUNDING_SOURCES
    }
    amounts = {f"fund_{source}": F(f"funding_{source}__amount") for source in FUNDING_SOURCES}
    return queryset.annotate(**relations).annotate(**amounts)


def _with_year_relations(queryset: QuerySet[Asset], year: int) -> QuerySet[Asset]:
    return queryset.annotate(
        year_income=FilteredRelation("incomes", condition=Q(incomes__year=year)),
        year_distribution=FilteredRelation("distributions", condition=Q(distributions__year=year)),
    )


def with_year(queryset: QuerySet[Asset], year: int) -> QuerySet[Asset]:
    """The year's settlement and distribution of each asset (None where there is none)."""
    return _with_year_relations(queryset, year).annotate(
        income_gross=F("year_income__gross_income"),
        income_depreciation=F("year_income__depreciation"),
        income_maintenance=F("year_income__maintenance"),
        distribution_amount=F("year_distribution__amount"),
        distribution_status=F("year_distribution__status"),
        distribution_paid_on=F("year_distribution__paid_on"),
        distribution_publicity_from=F("year_distribution__publicity_from"),
        distribution_publicity_to=F("year_distribution__publicity_to"),
        distribution_publicity_place=F("year_distribution__publicity_place"),
    )


def net_of(asset: Asset) -> Decimal | None:
    """The year's net income of an asset read through ``with_year``."""
    if asset.income_gross is None:
        return None
    return asset.income_gross - asset.income_depreciation - asset.income_maintenance


def ledger_assets(user, scope: Area, year: int) -> QuerySet[Asset]:
    """The detail ledger's rows: every asset of ``scope`` (disposed ones too, with their status)
    with its area, project, owner, value per source and ``year``'s figures, in one query."""
    return with_year(
        with_funding(assets_for(user).filter(area__path__startswith=scope.path)), year
    ).order_by("area__code", "code")


# =============================================================================================
# The summaries: one row per township of the county, or per village of a township
# =============================================================================================


@dataclass
class SummaryRow:
    name: str
    code: str
    assets: int = 0
    value: Decimal = ZERO
    by_class: dict[str, Decimal] = field(default_factory=lambda: dict.fromkeys(CLASSES, ZERO))
    income: Decimal = ZERO
    deductions: Decimal = ZERO
    planned: Decimal = ZERO
    paid: Decimal = ZERO

    @property
    def net(self) -> Decimal:
        return self.income - self.deductions

    def add(self, other: SummaryRow) -> None:
        self.assets += other.assets
        self.value += other.value
        for asset_class in CLASSES:
            self.by_class[asset_class] += other.by_class[asset_class]
        self.income += other.income
        self.deductions += other.deductions
        self.planned += other.planned
        self.paid += other.paid


@dataclass
class Summary:
    rows: list[SummaryRow]  # each child area, then the scope's own assets if it has any
    total: SummaryRow


def ledger_summary(user, scope: Area, year: int, *, own_name: str) -> Summary:
    """The assets on the ledger (not disposed) of each township of the county, or each village
    of a township: how many, their original value in all and by class, and ``year``'s income,
    deductions and distributions (planned, and paid). One grouped query; every child area has
    its row, with zeros where it has no asset. Assets placed at ``scope`` itself (a township's
    own) make the row ``own_name``."""
    child_level = Area.CHILD_LEVEL[scope.level]
    length = Area.CODE_LENGTH[child_level]
    grouped = (
        _with_year_relations(scoped_assets(user, scope).current(), year)
        .order_by()
        .values("area__code")
        .annotate(
            assets=Count("id"),
            value=Sum("original_value"),
            **{
                f"class_{index}": Sum("original_value", filter=Q(asset_class=asset_class))
                for index, asset_class in enumerate(CLASSES)
            },
            income=Sum("year_income__gross_income"),
            deductions=Sum(F("year_income__depreciation") + F("year_income__maintenance")),
            planned=Sum("year_distribution__amount"),
            paid=Sum("year_distribution__amount", filter=Q(year_distribution__status=PAID)),
        )
    )
    children = {
        area.code: SummaryRow(area.name, area.code)
        for area in Area.objects.filter(parent=scope, level=child_level).order_by("code")
    }
    own = SummaryRow(own_name, scope.code)
    for row in grouped:
        code = row["area__code"]
        target = children.get(code[:length]) if len(code) >= length else own
        if target is None:  # a group below a village, say: counts with the scope's own
            target = own
        target.add(
            SummaryRow(
                target.name,
                target.code,
                assets=row["assets"],
                value=row["value"] or ZERO,
                by_class={
                    asset_class: row[f"class_{index}"] or ZERO
                    for index, asset_class in enumerate(CLASSES)
                },
                income=row["income"] or ZERO,
                deductions=row["deductions"] or ZERO,
                planned=row["planned"] or ZERO,
                paid=row["paid"] or ZERO,
            )
        )
    rows = list(children.values())
    if own.assets:
        rows.append(own)
    total = SummaryRow("", scope.code)
    for row in rows:
        total.add(row)
    return Summary(rows, total)


# =============================================================================================
# Incomes and distributions of a village's assets; the rosters
# =============================================================================================


def scoped_incomes(user, scope: Area) -> QuerySet[AssetIncome]:
    """Every settlement of the assets of ``scope`` with its distribution, by asset and year."""
    return (
        AssetIncome.objects.visible_to(user)
        .filter(asset__area__path__startswith=scope.path)
        .select_related("asset", "distribution")
        .order_by("asset__code", "year")
    )


def roster_lines(user, scope: Area, year: int | None = None) -> QuerySet[DistributionLine]:
    """The rosters: every line of the distributions of the assets of ``scope`` (of ``year``, or
    of every year), with ``household_visible``."""
    distributions = distributions_for(user).filter(asset__area__path__startswith=scope.path)
    if year:
        distributions = distributions.filter(year=year)
    return roster(distributions).annotate(household_visible=household_visible(user))


def year_lines(user, assets: QuerySet[Asset], year: int) -> dict[int, list[DistributionLine]]:
    """The lines of ``year``'s distributions of ``assets``, by asset id (one query)."""
    lines = (
        DistributionLine.objects.filter(
            distribution__asset__in=assets.values("pk"), distribution__year=year
        )
        .select_related("household__area__parent")
        .annotate(household_visible=household_visible(user))
        .order_by("distribution__asset_id", "use", "id")
    )
    by_asset: dict[int, list[DistributionLine]] = {}
    for line in lines:
        by_asset.setdefault(line.distribution.asset_id, []).append(line)
    return by_asset


# =============================================================================================
# The chain: allocation → fund entry → payment → asset → income → distribution line
# =============================================================================================

# The fields of each stream, as tuples (the first is always the asset's id).
ASSET_FIELDS = (
    "pk",
    "code",
    "name",
    "area__level",
    "area__name",
    "area__parent__name",
    "project__code",
    "source_note",
    "original_value",
    *(f"fund_{source}" for source in FUNDING_SOURCES),
)
DRAW_FIELDS = (
    "payment__project__assets",
    "fund__allocation__document_number",
    "fund__allocation__level",
    "fund__allocation__year",
    "fund__assigned_on",
    "fund__arrived_on",
    "payment__paid_on",
    "payment__tranche",
    "amount",
)
INCOME_FIELDS = (
    "asset_id",
    "year",
    "gross_income",
    "depreciation",
    "maintenance",
    "distribution__amount",
    "distribution__status",
    "distribution__lines__use",
    "distribution__lines__item",
    "distribution__lines__household__household_number",
    "distribution__lines__household__head_name",
    "distribution__lines__payee",
    "distribution__lines__amount",
    "distribution__paid_on",
    "household_visible",
)


def chain_assets(assets: QuerySet[Asset]) -> QuerySet:
    return with_funding(assets).order_by("code").values_list(*ASSET_FIELDS)


def chain_draws(assets: QuerySet[Asset]) -> QuerySet:
    """One row per asset and draw of its project's payments (a project's draws repeat under
    each of its assets), reversals included as negative draws."""
    return (
        PaymentDraw.objects.filter(payment__project__assets__in=assets.values("pk"))
        .order_by("payment__project__assets__code", "payment__paid_on", "payment_id", "id")
        .values_list(*DRAW_FIELDS)
    )


def chain_incomes(user, assets: QuerySet[Asset]) -> QuerySet:
    """One row per line of each income's distribution; an income not (yet) distributed, or
    whose distribution has no line yet, is one row with the line's fields None."""
    return (
        AssetIncome.objects.filter(asset__in=assets.values("pk"))
        .annotate(household_visible=household_visible(user, "distribution__lines__household"))
        .order_by("asset__code", "year", "distribution__lines__use", "distribution__lines__id")
        .values_list(*INCOME_FIELDS)
    )


@dataclass(frozen=True)
class ChainAsset:
    """One asset's part of the chain: its row (``ASSET_FIELDS``), the draws that paid for its
    project (``DRAW_FIELDS``) and its incomes with their lines (``INCOME_FIELDS``)."""

    asset: tuple
    draws: list[tuple]
    incomes: list[tuple]


class _Groups:
    """Consecutive rows of a stream with the same asset id, taken in the assets' order."""

    def __init__(self, rows: Iterable[tuple]) -> None:
        self._groups = groupby(rows, key=itemgetter(0))
        self._next()

    def _next(self) -> None:
        key, rows = next(self._groups, (None, ()))
        self._key, self._rows = key, list(rows)

    def take(self, asset_id: int) -> list[tuple]:
        if self._key != asset_id:
            return []
        rows = self._rows
        self._next()
        return rows


def chain_of(user, assets: QuerySet[Asset], *, chunk: int = CHUNK) -> Iterator[ChainAsset]:
    """The chain of ``assets`` (a scoped queryset), asset by asset in code order: three
    streamed queries whatever the number of assets, draws and lines."""
    draws = _Groups(chain_draws(assets).iterator(chunk_size=chunk))
    incomes = _Groups(chain_incomes(user, assets).iterator(chunk_size=chunk))
    for asset in chain_assets(assets).iterator(chunk_size=chunk):
        yield ChainAsset(asset, draws.take(asset[0]), incomes.take(asset[0]))
