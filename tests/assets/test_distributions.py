"""Settling and distributing an asset's income: settlement before distribution (AST-8), only
depreciation and maintenance deducted (AST-9), households of any township (AST-7) chosen by the
bureau, the stacked share (Q-15), the PV station's 6:3:1 plan (AST-PV-1), its publicity before
payment (AST-PV-2), and the households' receipts."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from assets.codes import AssetType, LineUse
from assets.exceptions import AssetsError
from assets.models import Distribution
from assets.selectors import distributions as selectors
from assets.services import distributions as services
from assets.services import incomes as income_services
from kaiyuan.common.dates import today
from kaiyuan.common.errors import DomainError
from kaiyuan.common.rules import RulesBroken
from tests.assets.factories import (
    distribution,
    exited,
    handed_over_asset,
    legacy_asset,
    monitored,
    settled,
)
from tests.funds.factories import bureau_user

D = Decimal
pytestmark = pytest.mark.django_db
LAST_YEAR = today().year - 1


def rule_of(refusal) -> set[str]:
    return {v.rule for v in refusal.value.violations}


def publicise(plan, actor, *, to=None):
    to = to or today() - datetime.timedelta(days=1)
    return services.distribution_publicise(
        distribution=plan,
        publicity_from=to - datetime.timedelta(days=6),
        publicity_to=to,
        place="村务公开栏",
        expected_version=plan.version,
        actor=actor,
    )


def test_a_year_is_settled_once_it_is_over_and_only_once(clock, village_a, clerk_a):
    asset = handed_over_asset(village_a, clerk_a, asset_type=AssetType.FARM_BASE)
    with pytest.raises(RulesBroken) as refused:
        settled(asset, clerk_a, year=today().year)
    assert rule_of(refused) == {"AST-8"}
    with pytest.raises(RulesBroken) as refused:
        settled(asset, clerk_a, year=today().year - 1)  # before the asset was formed
    assert rule_of(refused) == {"AST-8"}
    clock.move_to("2027-01-05 10:00+08:00")
    settled(asset, clerk_a, year=2026)
    with pytest.raises(AssetsError):
        settled(asset, clerk_a, year=2026)


def test_deductions_beyond_the_income_are_refused_and_nothing_is_written(village_a, clerk_a):
    asset = legacy_asset(village_a, clerk_a)
    with pytest.raises(RulesBroken) as refused:
        settled(asset, clerk_a, income="1000.00", depreciation="600.00", maintenance="400.01")
    assert rule_of(refused) == {"AST-9"}
    with pytest.raises(RulesBroken):
        income_services.income_settle(
            asset=asset,
            year=LAST_YEAR,
            gross_income=D("1000"),
            deductions={"management_fee": D("10")},
            settled_on=today(),
            actor=clerk_a,
        )
    assert not asset.incomes.exists()
    income = settled(asset, clerk_a, income="1000.00", depreciation="600.00", maintenance="400.00")
    assert income.net_income == D("0.00")
    with pytest.raises(RulesBroken) as refused:
        services.distribution_create(income=income, actor=clerk_a)
    assert rule_of(refused) == {"AST-8"}


def test_a_plan_gives_out_no_more_than_the_net_income(village_a, clerk_a):
    asset = legacy_asset(village_a, clerk_a)
    income = settled(asset, clerk_a, income="10000.00", depreciation="2000.00")
    with pytest.raises(RulesBroken):
        services.distribution_create(income=income, amount="8000.01", actor=clerk_a)
    plan = services.distribution_create(income=income, amount="8000.00", actor=clerk_a)
    assert plan.amount == D("8000.00")


def test_the_bureau_distributes_a_townships_asset_income_across_townships(
    village_a, village_b, clerk_a, clerk_b
):
    """AST-7: a self-built asset's income goes to monitored households of the whole county.
    The township clerk picks in the township; the bureau anywhere. Each township sees the
    names of its own households only."""
    bureau = bureau_user()
    asset = legacy_asset(village_a, clerk_a, asset_type=AssetType.FARM_BASE, value="100000.00")
    plan = distribution(asset, clerk_a, income="9000.00")
    here = monitored(village_a, head_name="刘桂兰")
    there = monitored(village_b, head_name="赵春生")
    elsewhere_exited = exited(village_b, head_name="孙长海")
    with pytest.raises(AssetsError) as hidden:
        services.line_add(
            distribution=plan, use=LineUse.SHARE, household=there, amount="3000", actor=clerk_a
        )
    assert hidden.value.field == "household"
    services.line_add(
        distribution=plan, use=LineUse.SHARE, household=here, amount="3500", actor=clerk_a
    )
    services.line_add(
        distribution=plan, use=LineUse.SHARE, household=there, amount="3500", actor=bureau
    )
    services.line_add(
        distribution=plan,
        use=LineUse.SHARE,
        household=elsewhere_exited,
        amount="2000",
        actor=bureau,
    )
    plan.refresh_from_db()
    seen_from_a = selectors.plan_of(plan, user=clerk_a)
    assert seen_from_a.planned == D("9000.00")
    assert seen_from_a.visible_households == {here.pk}
    assert seen_from_a.flags == []  # differentiated, tilted, and 9,000 ≥ 6 % of 100,000

    publicise(plan, clerk_a)
    plan.refresh_from_db()
    services.distribution_pay(
        distribution=plan,
        paid_on=today(),
        payment_reference="开原农商银行代发 2026-118",
        expected_version=plan.version,
        actor=clerk_a,
    )
    # The household page of township B shows its receipt from township A's asset.
    [receipt] = selectors.household_receipts(there, clerk_b)
    assert receipt.amount == D("3500.00") and receipt.distribution.asset == asset


def test_a_household_that_is_neither_exited_nor_monitored_gets_no_share(village_a, clerk_a):
    from monitoring.codes import HouseholdType
    from tests.monitoring.factories import make_household

    plan = distribution(legacy_asset(village_a, clerk_a, asset_type=AssetType.FARM_BASE), clerk_a)
    ordinary = make_household(village_a, household_type=HouseholdType.ORDINARY)
    with pytest.raises(RulesBroken) as refused:
        services.line_add(
            distribution=plan, use=LineUse.SHARE, household=ordinary, amount="10", actor=clerk_a
        )
    assert rule_of(refused) == {"AST-7"}


def test_equal_shares_and_a_missing_stacked_share_are_flagged(village_a, clerk_a):
    plan = distribution(
        legacy_asset(village_a, clerk_a, asset_type=AssetType.FARM_BASE, value="10000.00"),
        clerk_a,
        income="2000.00",
    )
    poor = exited(village_a, per_capita_income=D("8500.00"), income_year=LAST_YEAR)
    other = monitored(village_a, per_capita_income=D("12000.00"), income_year=LAST_YEAR)
    for household in (poor, other):
        services.line_add(
            distribution=plan, use=LineUse.SHARE, household=household, amount="800", actor=clerk_a
        )
    flags = selectors.plan_of(plan, user=clerk_a).flags
    assert sorted(flag.rule for flag in flags) == ["AST-6", "AST-STACKED"]
    with pytest.raises(RulesBroken) as refused:
        services.line_add(
            distribution=plan, use=LineUse.STACKED, household=other, amount="100", actor=clerk_a
        )
    assert rule_of(refused) == {"AST-STACKED"}
    services.line_add(
        distribution=plan, use=LineUse.STACKED, household=poor, amount="400", actor=clerk_a
    )
    assert [f.rule for f in selectors.plan_of(plan, user=clerk_a).flags] == ["AST-6"]


def test_a_pv_plan_is_publicised_only_when_its_three_uses_match_6_3_1(clock, village_a, clerk_a):
    station = handed_over_asset(village_a, clerk_a)
    clock.move_to("2027-01-20 10:00+08:00")
    plan = distribution(station, clerk_a, year=2026, income="100000.05")
    holder = exited(village_a, head_name="周玉梅")
    with pytest.raises(RulesBroken) as refused:
        services.line_add(
            distribution=plan, use=LineUse.SHARE, household=holder, amount="10", actor=clerk_a
        )
    assert rule_of(refused) == {"AST-PV-1"}
    services.line_add(
        distribution=plan,
        use=LineUse.PV_JOBS,
        household=holder,
        item="村保洁员",
        amount="60000.04",
        actor=clerk_a,
    )
    services.line_add(
        distribution=plan,
        use=LineUse.PV_WORKS,
        item="村内路灯维修",
        amount="30000.01",
        actor=clerk_a,
    )
    services.line_add(
        distribution=plan,
        use=LineUse.PV_REWARDS,
        item="孝老爱亲奖励",
        amount="9999.99",
        actor=clerk_a,
    )
    plan.refresh_from_db()
    with pytest.raises(RulesBroken) as refused:
        publicise(plan, clerk_a)
    assert rule_of(refused) == {"AST-PV-1"}
    services.line_add(
        distribution=plan,
        use=LineUse.PV_REWARDS,
        item="道德模范奖励",
        amount="0.01",
        actor=clerk_a,
    )
    plan.refresh_from_db()
    publicise(plan, clerk_a)
    plan.refresh_from_db()
    assert plan.status == Distribution.Status.PUBLICISED
    with pytest.raises(DomainError):
        services.line_add(
            distribution=plan, use=LineUse.PV_WORKS, item="x", amount="1", actor=clerk_a
        )


def test_a_distribution_is_paid_only_after_its_publicity_ends(village_a, clerk_a, clerk_b):
    asset = legacy_asset(village_a, clerk_a, asset_type=AssetType.FARM_BASE, value="1000.00")
    plan = distribution(asset, clerk_a, income="100.00")
    for head, amount in (("甲", "60"), ("乙", "40")):
        services.line_add(
            distribution=plan,
            use=LineUse.SHARE,
            household=exited(village_a, head_name=head),
            amount=amount,
            actor=clerk_a,
        )
    plan.refresh_from_db()
    with pytest.raises(DomainError):
        services.distribution_pay(
            distribution=plan,
            paid_on=today(),
            payment_reference="V1",
            expected_version=plan.version,
            actor=clerk_a,
        )
    publicise(plan, clerk_a, to=today())
    plan.refresh_from_db()
    with pytest.raises(RulesBroken) as refused:
        services.distribution_pay(
            distribution=plan,
            paid_on=today() - datetime.timedelta(days=1),
            payment_reference="V1",
            expected_version=plan.version,
            actor=clerk_a,
        )
    assert rule_of(refused) == {"AST-PV-2"}
    with pytest.raises(DomainError) as outside:
        services.distribution_pay(
            distribution=plan,
            paid_on=today(),
            payment_reference="V1",
            expected_version=plan.version,
            actor=clerk_b,
        )
    assert outside.value.code == "out_of_area"
    services.distribution_pay(
        distribution=plan,
        paid_on=today(),
        payment_reference="V1",
        expected_version=plan.version,
        actor=clerk_a,
    )
    plan.refresh_from_db()
    assert plan.status == Distribution.Status.PAID
