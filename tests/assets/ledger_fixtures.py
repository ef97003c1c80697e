"""The ledger the exports tests read back: township A (中固镇) has a farm base of earlier years
whose 2025 income is settled, distributed to a household of its own village and to a monitored
household of township B (AST-7), publicised and paid, and a PV station handed over from a paid
project (its payments traced to the allocation); township B (威远堡镇) has a workshop of its own.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from assets.codes import AssetClass, AssetType, LineUse
from assets.models import Asset, Distribution
from assets.services import distributions as services
from kaiyuan.common.dates import today
from tests.assets.factories import distribution, exited, handed_over_asset, legacy_asset, monitored
from tests.funds.factories import bureau_user

D = Decimal
YEAR = 2025


@dataclass
class Ledger:
    farm: Asset
    station: Asset
    workshop: Asset
    plan: Distribution
    here: object  # township A's household
    there: object  # township B's household


def build_ledger(village_a, village_b, clerk_a, clerk_b, *, head_here="刘桂兰") -> Ledger:
    bureau = bureau_user()
    farm = legacy_asset(
        village_a,
        clerk_a,
        value="100000.00",
        name="烟厂村肉牛养殖基地",
        asset_type=AssetType.FARM_BASE,
        operator="开原市烟厂肉牛养殖专业合作社",
        guaranteed_return_percent=D("6.00"),
    )
    plan = distribution(
        farm, clerk_a, year=YEAR, income="9000.00", depreciation="600.00", maintenance="400.00"
    )
    here = exited(village_a, head_name=head_here)
    there = monitored(village_b, head_name="赵春生")
    services.line_add(
        distribution=plan, use=LineUse.SHARE, household=here, amount="5000", actor=clerk_a
    )
    services.line_add(
        distribution=plan, use=LineUse.SHARE, household=there, amount="3000", actor=bureau
    )
    plan.refresh_from_db()
    end = today() - datetime.timedelta(days=1)
    services.distribution_publicise(
        distribution=plan,
        publicity_from=end - datetime.timedelta(days=6),
        publicity_to=end,
        place="村务公开栏",
        expected_version=plan.version,
        actor=clerk_a,
    )
    plan.refresh_from_db()
    services.distribution_pay(
        distribution=plan,
        paid_on=today(),
        payment_reference="开原农商银行代发 2026-118",
        expected_version=plan.version,
        actor=clerk_a,
    )
    plan.refresh_from_db()
    station = handed_over_asset(village_a, clerk_a, name="烟厂村光伏帮扶电站")
    workshop = legacy_asset(
        village_b,
        clerk_b,
        value="300000.00",
        name="威远村就业帮扶车间",
        asset_type=AssetType.WORKSHOP,
        asset_class=AssetClass.OPERATING,
    )
    return Ledger(farm, station, workshop, plan, here, there)
