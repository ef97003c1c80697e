"""A year's return of each asset against the minimum the plan sets (AST-4 for debt-type claims,
AST-5 for self-built operating assets), for one asset and as the 盘活 list's low-return rows."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import DecimalField, OuterRef, Q, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce

from assets.codes import HOUSEHOLD_USES, AssetClass, AssetType
from assets.models import Asset, AssetIncome, DistributionLine
from assets.rules import distributions as distribution_rules
from assets.rules import incomes as rules
from assets.selectors.assets import DEBT, SELF_BUILT, assets_for, return_basis
from funds.models import PlacementReturn
from kaiyuan.common.rules import Violation
from kaiyuan.policy.services import policy_for
from projects.codes import FinanceMode

MONEY = DecimalField(max_digits=14, decimal_places=2)
ZERO = Value(Decimal("0.00"), output_field=MONEY)


def incomes_for(user) -> QuerySet[AssetIncome]:
    return AssetIncome.objects.visible_to(user).select_related("asset__area__parent")


@dataclass(frozen=True)
class YearReturn:
    year: int
    basis: str | None  # DEBT, SELF_BUILT or None
    base: Decimal  # the principal or the asset's value
    received: Decimal  # the returns received, or what the households were given
    required: Decimal
    flags: list[Violation]


def placement_of(asset):
    if asset.placement_id:
        return asset.placement
    if asset.project_id and asset.project.finance_mode == FinanceMode.DEBT:
        return asset.project.placements.order_by("id").first()
    return None


def to_households(asset, year: int) -> Decimal:
    """What the households get of ``year``'s income in its distribution (planned or paid)."""
    return DistributionLine.objects.filter(
        distribution__asset=asset, distribution__year=year, use__in=HOUSEHOLD_USES
    ).aggregate(total=Coalesce(Sum("amount"), ZERO))["total"]


def year_return(asset, year: int) -> YearReturn:
    basis = return_basis(asset)
    percent = policy_for(year).minimum_return_percent
    if basis == DEBT:
        placement = placement_of(asset)
        if placement is None:
            return YearReturn(year, None, Decimal("0"), Decimal("0"), Decimal("0"), [])
        received = PlacementReturn.objects.filter(placement=placement, year=year).aggregate(
            total=Coalesce(Sum("amount"), ZERO)
        )["total"]
        flags = rules.debt_return_flags(
            principal=placement.principal, returned=received, percent=percent, year=year
        )
        required = rules.minimum_return(placement.principal, percent)
        return YearReturn(year, DEBT, placement.principal, received, required, flags)
    if basis == SELF_BUILT:
        received = to_households(asset, year)
        flags = distribution_rules.self_built_return_flags(
            value=asset.original_value, to_households=received, percent=percent, year=year
        )
        required = rules.minimum_return(asset.original_value, percent)
        return YearReturn(year, SELF_BUILT, asset.original_value, received, required, flags)
    return YearReturn(year, None, Decimal("0"), Decimal("0"), Decimal("0"), [])


def low_return(user, year: int) -> QuerySet[Asset]:
    """Operating assets of the user's area whose ``year`` brought less than the minimum return:
    self-built ones by what the households got, debt-type ones by the returns received (each
    through its placement). One query, the comparison in the database (``rules.shortfall_q``)."""
    percent = policy_for(year).minimum_return_percent
    households = (
        DistributionLine.objects.filter(
            distribution__asset=OuterRef("pk"), distribution__year=year, use__in=HOUSEHOLD_USES
        )
        .values("distribution__asset")
        .annotate(total=Sum("amount"))
        .values("total")
    )
    returns = (
        PlacementReturn.objects.filter(placement=OuterRef("placement"), year=year)
        .values("placement")
        .annotate(total=Sum("amount"))
        .values("total")
    )
    debt = Q(placement__isnull=False)
    self_built = (
        Q(placement__isnull=True, asset_class=AssetClass.OPERATING, formed_year__lte=year)
        & ~Q(asset_type=AssetType.PV_STATION)
        & ~Q(project__finance_mode=FinanceMode.DEBT)
    )
    return (
        assets_for(user)
        .current()
        .annotate(
            to_households=Coalesce(Subquery(households, output_field=MONEY), ZERO),
            returns_received=Coalesce(Subquery(returns, output_field=MONEY), ZERO),
            principal=Coalesce("placement__principal", ZERO),
        )
        .filter(
            self_built & rules.shortfall_q("to_households", "original_value", percent)
            | debt & rules.shortfall_q("returns_received", "principal", percent)
        )
    )
