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
from assets.selectors.assets import DEBT, assets_for, return_basis
from funds.models import PlacementReturn
from kaiyuan.common.rules import Violation
from kaiyuan.policy.services import policies_for, policy_for
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


def _received_by_year(asset, basis: str, placement, years) -> dict[int, Decimal]:
    """What came in for each of ``years`` in one grouped query: the placement's returns for a
    debt-type claim, what the households get of the distributions (planned or paid) for a
    self-built asset."""
    if basis == DEBT:
        rows = PlacementReturn.objects.filter(placement=placement, year__in=years).values_list(
            "year"
        )
    else:
        rows = DistributionLine.objects.filter(
            distribution__asset=asset, distribution__year__in=years, use__in=HOUSEHOLD_USES
        ).values_list("distribution__year")
    return dict(rows.annotate(total=Sum("amount")).order_by())


def year_returns(asset, years) -> list[YearReturn]:
    """Each of ``years``' return against the minimum of that year's policy (AST-4, AST-5), in
    the order given: the asset page's table of its settled years."""
    years = list(years)
    basis = return_basis(asset)
    placement = placement_of(asset) if basis == DEBT else None
    if basis is None or (basis == DEBT and placement is None):
        return [
            YearReturn(year, None, Decimal("0"), Decimal("0"), Decimal("0"), []) for year in years
        ]
    received = _received_by_year(asset, basis, placement, years)
    base = placement.principal if basis == DEBT else asset.original_value
    policies = policies_for(years)
    returns = []
    for year in years:
        percent = policies[year].minimum_return_percent
        got = received.get(year, Decimal("0.00"))
        if basis == DEBT:
            flags = rules.debt_return_flags(
                principal=base, returned=got, percent=percent, year=year
            )
        else:
            flags = distribution_rules.self_built_return_flags(
                value=base, to_households=got, percent=percent, year=year
            )
        returns.append(
            YearReturn(year, basis, base, got, rules.minimum_return(base, percent), flags)
        )
    return returns


def year_return(asset, year: int) -> YearReturn:
    return year_returns(asset, [year])[0]


def low_return_rows(user, year: int, *, limit: int) -> list[Asset]:
    """The first ``limit`` rows of ``low_return``, each with the figures the 盘活 page shows:
    its ``base`` (principal or value), what it ``received``, the ``required`` minimum."""
    percent = policy_for(year).minimum_return_percent
    rows = list(low_return(user, year).order_by("code")[:limit])
    for asset in rows:
        asset.is_debt = asset.placement_id is not None
        asset.base = asset.principal if asset.is_debt else asset.original_value
        asset.received = asset.returns_received if asset.is_debt else asset.to_households
        asset.required = rules.minimum_return(asset.base, percent)
    return rows


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
