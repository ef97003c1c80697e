"""A year's return against the minimum (AST-4 debt-type, AST-5 self-built) as the asset page shows
it and as the 盘活 list selects it: both agree at 6 % exactly and a fen less, and both follow the
year's setting."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from assets.codes import AssetClass, AssetType, FundingSource, LineUse
from assets.selectors.incomes import low_return, year_return
from assets.services import assets as asset_services
from assets.services import distributions as distribution_services
from funds.services import placements
from kaiyuan.policy.models import PolicySettings
from projects.codes import FinanceMode
from tests.assets.factories import collective, distribution, exited, legacy_asset, monitored
from tests.funds import factories as f

D = Decimal
pytestmark = pytest.mark.django_db
YEAR = 2025


def debt_asset(village, clerk, *, principal="100000.00"):
    project = f.project(village, clerk, total=principal, mode=FinanceMode.DEBT)
    placement = placements.placement_create(
        project=project,
        counterparty="开原市稻香农民专业合作社",
        counterparty_uscc=f.VALID_USCC,
        principal=principal,
        start_date=datetime.date(2024, 1, 1),
        end_date=datetime.date(2028, 12, 31),
        agreed_rate="6.00",
        collateral="厂房抵押",
        risk_measures="按季度检查经营状况",
        actor=clerk,
    )
    collective(village)
    return asset_services.asset_create(
        values={
            "name": "合作社债权",
            "asset_class": AssetClass.OPERATING,
            "asset_type": AssetType.EQUITY,
            "quantity": D("1"),
            "unit": "项",
            "area": village,
            "location": "开原市稻香农民专业合作社",
            "original_value": D(principal),
            "owner_kind": "collective",
            "custodian": "村会计",
            "maintenance_funding": "无",
            "placement": placement,
            "formed_year": 2024,
            "source_note": "2024年衔接资金债权投入",
        },
        funding={FundingSource.OTHER: D(principal)},
        actor=clerk,
    ), placement


@pytest.mark.sqlite
@pytest.mark.parametrize(("received", "short"), [("6000.00", False), ("5999.99", True)])
def test_a_debt_claims_year_at_and_below_six_percent(village_a, clerk_a, received, short):
    asset, placement = debt_asset(village_a, clerk_a)
    placements.return_record(
        placement=placement,
        year=YEAR,
        amount=received,
        received_on=datetime.date(2025, 12, 20),
        actor=clerk_a,
    )
    figures = year_return(asset, YEAR)
    assert figures.required == D("6000.00") and figures.received == D(received)
    assert [flag.rule for flag in figures.flags] == (["AST-4"] if short else [])
    assert (asset in low_return(clerk_a, YEAR)) is short


def test_the_debt_minimum_follows_the_years_setting(village_a, clerk_a):
    asset, placement = debt_asset(village_a, clerk_a)
    placements.return_record(
        placement=placement,
        year=YEAR,
        amount="6000.00",
        received_on=datetime.date(2025, 12, 20),
        actor=clerk_a,
    )
    PolicySettings.objects.update_or_create(
        year=YEAR, defaults={"minimum_return_percent": D("6.50")}
    )
    assert [flag.rule for flag in year_return(asset, YEAR).flags] == ["AST-4"]
    assert asset in low_return(clerk_a, YEAR)


@pytest.mark.sqlite
@pytest.mark.parametrize(("given", "short"), [("6000.00", False), ("5999.99", True)])
def test_a_self_built_assets_households_at_and_below_six_percent(village_a, clerk_a, given, short):
    asset = legacy_asset(village_a, clerk_a, value="100000.00", asset_type=AssetType.FARM_BASE)
    plan = distribution(asset, clerk_a, year=YEAR, income="8000.00")
    first = D(given) - D("2500.00")
    for household, amount in ((monitored(village_a), first), (exited(village_a), D("2500.00"))):
        distribution_services.line_add(
            distribution=plan, use=LineUse.SHARE, household=household, amount=amount, actor=clerk_a
        )
    figures = year_return(asset, YEAR)
    assert figures.received == D(given)
    assert [flag.rule for flag in figures.flags] == (["AST-5"] if short else [])
    assert (asset in low_return(clerk_a, YEAR)) is short


def test_a_pv_station_is_not_held_to_the_households_minimum(village_a, clerk_a):
    station = legacy_asset(village_a, clerk_a, value="100000.00")
    assert year_return(station, YEAR).basis is None
    assert station not in low_return(clerk_a, YEAR)


def test_the_asset_page_reads_every_settled_years_return_at_once(client, clock, village_a, clerk_a):
    """The returns table costs the same whether the asset has one settled year or three."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    asset = legacy_asset(village_a, clerk_a, value="100000.00", asset_type=AssetType.FARM_BASE)
    clock.move_to("2027-01-20 10:00+08:00")
    distribution(asset, clerk_a, year=2024, income="8000.00")
    client.force_login(clerk_a)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(asset.get_absolute_url()).status_code == 200
        return len(captured)

    one_year = queries()
    for year in (2025, 2026):
        distribution(asset, clerk_a, year=year, income="8000.00")
    assert queries() == one_year
