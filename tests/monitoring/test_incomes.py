"""Incomes: MON-INC-1..5, the 8,500 / 10,000 yuan bands and the monitoring line, at their edges."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import IntegrityError

from kaiyuan.audit.models import AuditEvent
from kaiyuan.common.rules import RulesBroken
from kaiyuan.policy.models import PolicySettings
from kaiyuan.policy.services import MonitoringLineMissing
from monitoring.exceptions import HouseholdChanged
from monitoring.models import Household, IncomeRecord
from monitoring.rules.incomes import (
    IncomeBand,
    counts_as_low_income,
    income_band,
    income_band_q,
    income_compute,
    is_below_monitoring_line,
)
from monitoring.services.incomes import income_record_save
from tests.monitoring.factories import make_household

pytestmark = pytest.mark.django_db
D = Decimal


def test_net_income_is_the_four_incomes_less_expenditure_and_per_capita_divides_by_size():
    figures = income_compute(
        wage_income=D("12000.00"),
        business_income=D("3000.50"),
        property_income=D("200.00"),
        transfer_income=D("1800.00"),
        business_expense=D("1000.00"),
        household_size=3,
    )
    assert figures.net_income == D("16000.50")
    assert figures.per_capita_net_income == D("5333.50")


def test_per_capita_rounds_half_up_to_the_fen():
    figures = income_compute(
        wage_income=D("10.00"),
        business_income=D("0"),
        property_income=D("0"),
        transfer_income=D("0"),
        business_expense=D("0"),
        household_size=3,
    )
    assert figures.per_capita_net_income == D("3.33")
    figures = income_compute(
        wage_income=D("0.05"),
        business_income=D("0"),
        property_income=D("0"),
        transfer_income=D("0"),
        business_expense=D("0"),
        household_size=2,
    )
    assert figures.per_capita_net_income == D("0.03")


@pytest.mark.parametrize(
    ("income", "band"),
    [
        # "在8500元以下" includes 8,500.00 (Civil Code Art. 1259; DOMAIN.md §1.5).
        ("8499.99", IncomeBand.BELOW_STACKED),
        ("8500.00", IncomeBand.BELOW_STACKED),
        ("8500.01", IncomeBand.BELOW_FOCUS),
        # "在万元以下" includes 10,000.00.
        ("9999.99", IncomeBand.BELOW_FOCUS),
        ("10000.00", IncomeBand.BELOW_FOCUS),
        ("10000.01", IncomeBand.ABOVE_FOCUS),
    ],
)
def test_the_plan_bands_at_their_thresholds(income, band):
    assert income_band(D(income), year=2024) is band


@pytest.mark.parametrize(
    ("income", "counted"), [("9999.99", True), ("10000.00", False), ("10000.01", False)]
)
def test_the_low_income_indicator_stays_strictly_below_ten_thousand(income, counted):
    # "收入低于1万元的脱贫人口比重": 低于 excludes the number, unlike the focus list's 以下.
    assert counts_as_low_income(D(income), year=2024) is counted


@pytest.mark.parametrize("band", list(IncomeBand))
@pytest.mark.parametrize("income", ["8499.99", "8500.00", "8500.01", "10000.00", "10000.01"])
def test_the_band_filter_agrees_with_the_band_at_the_lines(village_a, band, income):
    household = make_household(village_a, per_capita_income=D(income), income_year=2024)
    in_band = Household.objects.filter(income_band_q(band), pk=household.pk).exists()
    assert in_band is (income_band(D(income), year=2024) is band)


def test_the_bands_follow_the_years_policy(village_a):
    PolicySettings.objects.create(year=2025, stacked_income_threshold=D("9000"))
    assert income_band(D("8600.00"), year=2025) is IncomeBand.BELOW_STACKED
    assert income_band(D("8600.00"), year=2024) is IncomeBand.BELOW_FOCUS
    # The setting moves the line itself: at 9,000.00 still stacked, a fen above not.
    assert income_band(D("9000.00"), year=2025) is IncomeBand.BELOW_STACKED
    assert income_band(D("9000.01"), year=2025) is IncomeBand.BELOW_FOCUS
    household = make_household(village_a, per_capita_income=D("9000.00"), income_year=2025)
    assert Household.objects.filter(
        income_band_q(IncomeBand.BELOW_STACKED), pk=household.pk
    ).exists()


def test_the_monitoring_line_must_be_set_before_any_comparison():
    with pytest.raises(MonitoringLineMissing):
        is_below_monitoring_line(D("5000"), year=2024)
    PolicySettings.objects.filter(year=2024).update(monitoring_line=D("7000.00"))
    assert is_below_monitoring_line(D("6999.99"), year=2024) is True
    assert is_below_monitoring_line(D("7000.00"), year=2024) is False
    assert is_below_monitoring_line(D("7000.01"), year=2024) is False


def _values(**overrides):
    values = dict(
        wage_income="9000",
        business_income="2000",
        property_income="0",
        transfer_income="1000",
        business_expense="500",
    )
    values.update(overrides)
    return values


def test_saving_an_income_sets_the_households_current_figure_and_audits(village_a, clerk_a):
    household = make_household(village_a)
    household.household_size = 2
    household.save()
    record, flags = income_record_save(
        household=household, actor=clerk_a, year=2024, kind="annual", values=_values()
    )
    household.refresh_from_db()
    assert (record.net_income, record.per_capita_net_income) == (D("11500.00"), D("5750.00"))
    assert (household.per_capita_income, household.income_year) == (D("5750.00"), 2024)
    assert flags == []
    assert AuditEvent.objects.filter(action="create", object_id=str(record.pk)).exists()


@pytest.mark.parametrize(
    ("wage", "flagged"), [("0", False), ("0.01", True), ("99.99", True), ("100", False)]
)
def test_mon_inc_5_flags_implausible_wages_at_identification(village_a, clerk_a, wage, flagged):
    household = make_household(village_a)
    _record, flags = income_record_save(
        household=household,
        actor=clerk_a,
        year=2024,
        kind="identification",
        values=_values(wage_income=wage),
    )
    assert ("MON-INC-5" in {f.rule for f in flags}) is flagged


def test_mon_inc_4_flags_illness_without_self_paid_costs(village_a, clerk_a):
    household = make_household(village_a, risk_1="因病")
    _r, flags = income_record_save(
        household=household,
        actor=clerk_a,
        year=2024,
        kind="identification",
        values=_values(compliant_self_paid="0"),
    )
    assert "MON-INC-4" in {f.rule for f in flags}
    _r, flags = income_record_save(
        household=household,
        actor=clerk_a,
        year=2023,
        kind="identification",
        values=_values(compliant_self_paid="0.01"),
    )
    assert "MON-INC-4" not in {f.rule for f in flags}


@pytest.mark.parametrize("bad", ["-1", "abc", "12.3.4"])
def test_bad_amounts_are_refused_and_nothing_is_saved(village_a, clerk_a, bad):
    household = make_household(village_a)
    with pytest.raises(RulesBroken):
        income_record_save(
            household=household,
            actor=clerk_a,
            year=2024,
            kind="annual",
            values=_values(wage_income=bad),
        )
    assert not IncomeRecord.objects.exists()


def test_a_float_is_never_taken_as_money():
    from kaiyuan.common.money import yuan

    with pytest.raises(TypeError):
        yuan(0.1)
    assert yuan("0.125") == D("0.13")


def test_two_clerks_editing_the_same_income_the_second_gets_a_conflict(village_a, clerk_a):
    household = make_household(village_a)
    record, _ = income_record_save(
        household=household, actor=clerk_a, year=2024, kind="annual", values=_values()
    )
    opened = record.version
    income_record_save(
        household=household,
        actor=clerk_a,
        year=2024,
        kind="annual",
        values=_values(wage_income="9500"),
        expected_version=opened,
    )
    with pytest.raises(HouseholdChanged):
        income_record_save(
            household=household,
            actor=clerk_a,
            year=2024,
            kind="annual",
            values=_values(wage_income="1"),
            expected_version=opened,
        )
    assert IncomeRecord.objects.get().wage_income == D("9500.00")


def test_the_database_keeps_net_income_consistent(village_a):
    household = make_household(village_a)
    with pytest.raises(IntegrityError):
        IncomeRecord.objects.create(
            household=household,
            year=2024,
            kind="annual",
            wage_income=1,
            business_income=0,
            property_income=0,
            transfer_income=0,
            business_expense=0,
            net_income=2,
            household_size=1,
            per_capita_net_income=2,
        )


def test_the_household_page_names_the_line_it_compared_with_and_says_when_it_is_the_demos(
    client, clerk_a, village_a
):
    from kaiyuan.policy.models import PolicySettings

    PolicySettings.objects.filter(year=2024).update(monitoring_line=D("7600"), demo_values=True)
    household = make_household(village_a, per_capita_income=D("7000.00"), income_year=2024)
    client.force_login(clerk_a)
    page = client.get(f"/monitoring/households/{household.pk}/").content.decode()
    assert "低于当年监测范围 7600.00（演示数据）" in page
    PolicySettings.objects.filter(year=2024).update(demo_values=False)
    page = client.get(f"/monitoring/households/{household.pk}/").content.decode()
    assert "低于当年监测范围 7600.00<" in page
