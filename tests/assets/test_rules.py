"""The asset rules at their thresholds (DOMAIN.md §5.7, §1.5): the minimum return of 6 % exactly
against 0.01 yuan less, the 6:3:1 split to the fen, the stacked line of 8,500 yuan included, and
each rule following its policy setting."""

from __future__ import annotations

from decimal import Decimal

import pytest

from assets.codes import LineUse
from assets.rules import distributions as rules
from assets.rules import incomes as income_rules
from kaiyuan.policy.models import PolicySettings
from kaiyuan.policy.services import policy_for
from tests.assets.factories import exited

D = Decimal
pytestmark = pytest.mark.django_db


def policy(**fields):
    settings = PolicySettings.defaults_for(2025)
    for name, value in fields.items():
        setattr(settings, name, value)
    return settings


def test_a_debt_placement_returning_exactly_six_percent_is_not_flagged():
    assert (
        income_rules.debt_return_flags(
            principal=D("100000.00"), returned=D("6000.00"), percent=D("6"), year=2025
        )
        == []
    )


def test_a_debt_placement_returning_a_fen_less_is_flagged_with_the_shortfall():
    flags = income_rules.debt_return_flags(
        principal=D("100000.00"), returned=D("5999.99"), percent=D("6"), year=2025
    )
    assert [flag.rule for flag in flags] == ["AST-4"]
    assert "6,000.00" in flags[0].message and "5,999.99" in flags[0].message


def test_a_self_built_asset_at_six_percent_to_households_is_not_flagged():
    assert (
        rules.self_built_return_flags(
            value=D("333333.33"), to_households=D("20000.00"), percent=D("6"), year=2025
        )
        == []
    )


def test_a_self_built_asset_a_fen_short_of_six_percent_is_flagged():
    # 6 % of 333,333.33 is 19,999.9998: the households need 20,000.00, not 19,999.99.
    flags = rules.self_built_return_flags(
        value=D("333333.33"), to_households=D("19999.99"), percent=D("6"), year=2025
    )
    assert [flag.rule for flag in flags] == ["AST-5"]


def test_the_minimum_return_follows_the_setting():
    assert income_rules.debt_return_flags(
        principal=D("100000.00"), returned=D("6000.00"), percent=D("8"), year=2025
    )
    assert not income_rules.debt_return_flags(
        principal=D("100000.00"), returned=D("5000.00"), percent=D("5"), year=2025
    )


@pytest.mark.parametrize(
    ("amount", "jobs", "works", "rewards"),
    [
        ("1000.00", "600.00", "300.00", "100.00"),
        ("1000.05", "600.04", "300.01", "100.00"),
        ("0.09", "0.07", "0.02", "0.00"),
        ("12345.67", "7407.41", "3703.70", "1234.56"),
    ],
)
def test_the_six_three_one_split_is_to_the_fen_with_the_remainder_to_the_first_use(
    amount, jobs, works, rewards
):
    split = rules.pv_split(D(amount), policy=policy())
    assert split == {
        LineUse.PV_JOBS: D(jobs),
        LineUse.PV_WORKS: D(works),
        LineUse.PV_REWARDS: D(rewards),
    }
    assert sum(split.values()) == D(amount)


def test_the_split_follows_the_policy_shares():
    split = rules.pv_split(
        D("1000.00"),
        policy=policy(
            pv_public_jobs_percent=D("80"),
            pv_public_works_percent=D("20"),
            pv_rewards_percent=D("0"),
        ),
    )
    assert split[LineUse.PV_JOBS] == D("800.00") and split[LineUse.PV_WORKS] == D("200.00")


def test_a_pv_plan_off_its_shares_by_a_fen_is_refused_naming_the_use():
    shares = rules.pv_split(D("1000.05"), policy=policy())
    by_use = dict(shares)
    assert not rules.complete_problems(
        is_pv=True, total=D("1000.05"), by_use=by_use, policy=policy()
    )
    by_use[LineUse.PV_WORKS] -= D("0.01")
    problems = rules.complete_problems(
        is_pv=True, total=D("1000.05"), by_use=by_use, policy=policy()
    )
    assert [p.rule for p in problems] == ["AST-PV-1"]
    assert "小型公益事业" in problems[0].message


@pytest.mark.parametrize(
    ("income", "allowed"), [("8499.99", True), ("8500.00", True), ("8500.01", False)]
)
def test_the_stacked_share_is_for_households_at_or_below_the_line(village_a, income, allowed):
    household = exited(village_a, per_capita_income=D(income), income_year=2025)
    problems = rules.stacked_problems(household)
    assert (problems == []) is allowed
    if not allowed:
        assert problems[0].rule == "AST-STACKED"


def test_the_stacked_line_follows_the_setting(village_a):
    household = exited(village_a, per_capita_income=D("9000.00"), income_year=2025)
    assert rules.stacked_problems(household)
    settings = policy_for(2025)
    settings.stacked_income_threshold = D("9000.00")
    settings.save()
    assert rules.stacked_problems(household) == []


def test_equal_shares_are_flagged_and_a_tilt_away_from_monitored_households_too():
    equal = rules.tilt_flags([("exited", D("100")), ("monitored", D("100"))], tilt_required=True)
    assert [flag.rule for flag in equal] == ["AST-6"]
    untilted = rules.tilt_flags([("exited", D("200")), ("monitored", D("100"))], tilt_required=True)
    assert [flag.rule for flag in untilted] == ["AST-6"]
    tilted = rules.tilt_flags([("exited", D("100")), ("monitored", D("150"))], tilt_required=True)
    assert tilted == []
    assert not rules.tilt_flags(
        [("exited", D("200")), ("monitored", D("100"))], tilt_required=False
    )


def test_only_depreciation_and_maintenance_are_deducted():
    assert (
        income_rules.deduction_problems(
            gross_income=D("1000"), deductions={"depreciation": D("600"), "maintenance": D("400")}
        )
        == []
    )
    over = income_rules.deduction_problems(
        gross_income=D("1000"), deductions={"depreciation": D("600"), "maintenance": D("400.01")}
    )
    assert [p.rule for p in over] == ["AST-9"]
    other = income_rules.deduction_problems(
        gross_income=D("1000"), deductions={"management_fee": D("10")}
    )
    assert [p.rule for p in other] == ["AST-9"]


def test_the_tilt_holds_at_equal_averages_and_fails_a_fen_below():
    """Monitored households' average share at least the others' (≥): equal averages pass."""
    others = [("exited", D("100.00")), ("exited", D("200.00"))]  # 150.00 on average
    at = rules.tilt_flags([*others, ("monitored", D("150.00"))], tilt_required=True)
    assert at == []
    below = rules.tilt_flags([*others, ("monitored", D("149.99"))], tilt_required=True)
    assert [flag.rule for flag in below] == ["AST-6"]


def test_the_tilt_setting_is_read_from_the_years_policy(village_a, clerk_a):
    """With the bureau's setting off, an untilted plan is not flagged for its tilt."""
    from assets.codes import AssetType
    from assets.selectors.distributions import plan_of
    from assets.services import distributions as services
    from tests.assets.factories import distribution, legacy_asset, monitored

    plan = distribution(
        legacy_asset(village_a, clerk_a, asset_type=AssetType.FARM_BASE, value="1000.00"),
        clerk_a,
        income="300.00",
    )
    for household, amount in ((exited(village_a), "200"), (monitored(village_a), "100")):
        services.line_add(
            distribution=plan, use=LineUse.SHARE, household=household, amount=amount, actor=clerk_a
        )
    assert [flag.rule for flag in plan_of(plan, user=clerk_a).flags] == ["AST-6"]
    PolicySettings.objects.update_or_create(year=plan.year, defaults={"distribution_tilt": False})
    assert plan_of(plan, user=clerk_a).flags == []
