"""Debt placements (FND-10, the 6 % return, 六清楚) and micro-credit loans."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from funds.codes import SixClears
from funds.exceptions import FundsError
from funds.models import Redeployment
from funds.selectors.microcredit import loans_for, overdue
from funds.selectors.placements import flagged, flags_of, placements_for
from funds.services import microcredit, placements
from kaiyuan.common.errors import DomainError
from kaiyuan.common.rules import RulesBroken
from kaiyuan.policy.models import PolicySettings
from monitoring.codes import HouseholdType
from projects.codes import FinanceMode
from tests.funds import factories as f
from tests.monitoring.factories import make_household

pytestmark = pytest.mark.django_db
D = Decimal
DAY = datetime.date


@pytest.fixture
def debt_project(village_a, clerk_a):
    return f.project(village_a, clerk_a, total="500000.00", mode=FinanceMode.DEBT)


def place(project, clerk, **overrides):
    values = dict(
        project=project,
        counterparty="开原市稻香农民专业合作社",
        counterparty_uscc=f.VALID_USCC,
        principal="500000.00",
        start_date=DAY(2023, 12, 1),
        end_date=DAY(2026, 11, 30),
        agreed_rate="6.00",
        collateral="厂房抵押",
        risk_measures="按季度检查经营状况",
        actor=clerk,
    )
    values.update(overrides)
    return placements.placement_create(**values)


def test_the_agreed_return_is_at_least_6_percent(debt_project, clerk_a):
    with pytest.raises(RulesBroken) as caught:
        place(debt_project, clerk_a, agreed_rate="5.99")
    assert caught.value.violations[0].rule == "FND-RATE"
    assert place(debt_project, clerk_a, agreed_rate="6.00").agreed_rate == D("6.00")


def test_the_minimum_return_moves_with_the_setting(debt_project, clerk_a):
    PolicySettings.objects.update_or_create(
        year=2023, defaults={"minimum_return_percent": D("6.50")}
    )
    with pytest.raises(RulesBroken):
        place(debt_project, clerk_a, agreed_rate="6.49")


def test_only_a_debt_type_project_places_money(village_a, clerk_a):
    built = f.project(village_a, clerk_a, total="500000.00")
    with pytest.raises(RulesBroken):
        place(built, clerk_a)


def test_an_ended_placement_with_principal_outstanding_is_flagged(debt_project, clerk_a, bureau):
    placement = place(debt_project, clerk_a)
    row = placements_for(bureau).get(pk=placement.pk)
    assert [v.rule for v in flags_of(row)] == ["FND-10-OVERDUE"]
    assert list(flagged(placements_for(bureau))) == [row]
    placements.recovery_record(
        placement=placement, amount="500000.00", recovered_on=DAY(2026, 12, 1), actor=clerk_a
    )
    row = placements_for(bureau).get(pk=placement.pk)
    assert flags_of(row) == [] and not flagged(placements_for(bureau)).exists()


def test_an_agreement_ending_within_the_days_set_is_flagged(debt_project, clerk_a, bureau):
    place(debt_project, clerk_a, end_date=DAY(2027, 3, 2))  # 90 days after 2 December
    row = placements_for(bureau).get()
    assert [v.rule for v in flags_of(row)] == ["FND-ENDING"]
    PolicySettings.objects.update_or_create(year=2026, defaults={"placement_ending_days": 89})
    assert flags_of(row) == []


def test_recovered_principal_is_redeployed_only_with_the_bureaus_consent(
    debt_project, clerk_a, reviewer_a, bureau
):
    placement = place(debt_project, clerk_a)
    with pytest.raises(RulesBroken):
        placements.redeployment_propose(
            placement=placement,
            amount="1.00",
            purpose="投入肉牛养殖",
            to_project=None,
            actor=clerk_a,
        )
    placements.recovery_record(
        placement=placement, amount="300000.00", recovered_on=DAY(2026, 12, 1), actor=clerk_a
    )
    with pytest.raises(RulesBroken):
        placements.redeployment_propose(
            placement=placement,
            amount="300000.01",
            purpose="投入肉牛养殖",
            to_project=None,
            actor=clerk_a,
        )
    proposal = placements.redeployment_propose(
        placement=placement,
        amount="300000.00",
        purpose="投入肉牛养殖",
        to_project=None,
        actor=clerk_a,
    )
    with pytest.raises(DomainError):  # a township does not consent to its own proposal
        placements.redeployment_decide(
            redeployment=proposal, consent=True, note="", expected_version=1, actor=reviewer_a
        )
    decided = placements.redeployment_decide(
        redeployment=proposal, consent=True, note="同意", expected_version=1, actor=bureau
    )
    assert decided.status == Redeployment.Status.CONSENTED


def test_the_six_clears_checklist_needs_the_problems_of_an_unclear_item(debt_project, clerk_a):
    placement = place(debt_project, clerk_a)
    items = {code: {"clear": True, "note": ""} for code in SixClears.values}
    items[SixClears.OPERATIONS] = {"clear": False, "note": "销售收入下降"}
    with pytest.raises(FundsError):
        placements.six_clears_record(
            placement=placement,
            year=2026,
            items=items,
            problems="",
            measures="",
            reviewed_on=DAY(2026, 12, 1),
            expected_version=None,
            actor=clerk_a,
        )
    review = placements.six_clears_record(
        placement=placement,
        year=2026,
        items=items,
        problems="经营收入下降",
        measures="约谈经营主体，按月报送经营数据",
        reviewed_on=DAY(2026, 12, 1),
        expected_version=None,
        actor=clerk_a,
    )
    assert review.open_items == [SixClears.OPERATIONS]


# ---- micro-credit ------------------------------------------------------------------------------


def loan(household, clerk, **overrides):
    values = dict(
        household=household,
        borrower=household.members.first(),
        bank="开原农商银行",
        contract_number="XD2024-001",
        amount="50000.00",
        issued_on=DAY(2024, 3, 1),
        term_months=36,
        purpose="养殖业",
        annual_rate="3.45",
        actor=clerk,
    )
    values.update(overrides)
    return microcredit.loan_create(**values)


def test_a_loan_is_for_exited_and_monitored_households_within_the_policy(village_a, clerk_a):
    exited = make_household(village_a, household_type=HouseholdType.EXITED)
    ordinary = make_household(village_a, household_type=HouseholdType.ORDINARY)
    with pytest.raises(RulesBroken):
        loan(ordinary, clerk_a)
    with pytest.raises(RulesBroken):
        loan(exited, clerk_a, amount="50000.01")
    with pytest.raises(RulesBroken):
        loan(exited, clerk_a, term_months=37)
    assert loan(exited, clerk_a).due_on == DAY(2027, 3, 1)


def test_an_overdue_loan_is_listed_until_repaid_and_an_extension_moves_it(
    village_a, clerk_a, bureau, clock
):
    household = make_household(village_a, household_type=HouseholdType.EXITED)
    made = loan(household, clerk_a, issued_on=DAY(2023, 12, 1), term_months=36)
    assert made.due_on == DAY(2026, 12, 1)
    assert list(overdue(loans_for(bureau))) == [loans_for(bureau).get()]
    extended = microcredit.loan_extend(
        loan=made, extended_to=DAY(2027, 6, 1), expected_version=1, actor=clerk_a
    )
    assert not overdue(loans_for(bureau)).exists()
    clock.move_to("2027-06-02 10:00+08:00")
    assert overdue(loans_for(bureau)).exists()
    microcredit.repayment_record(
        loan=extended, amount="50000.00", repaid_on=DAY(2027, 6, 2), actor=clerk_a
    )
    assert not overdue(loans_for(bureau)).exists()
    with pytest.raises(RulesBroken):
        microcredit.repayment_record(
            loan=extended, amount="0.01", repaid_on=DAY(2027, 6, 2), actor=clerk_a
        )


def test_an_interest_subsidy_is_not_paid_twice_for_a_period(village_a, clerk_a):
    household = make_household(village_a, household_type=HouseholdType.EXITED)
    made = loan(household, clerk_a)
    microcredit.subsidy_record(
        loan=made,
        amount="431.25",
        period_start=DAY(2024, 3, 1),
        period_end=DAY(2024, 5, 31),
        paid_on=DAY(2024, 6, 20),
        actor=clerk_a,
    )
    with pytest.raises(FundsError):
        microcredit.subsidy_record(
            loan=made,
            amount="431.25",
            period_start=DAY(2024, 5, 1),
            period_end=DAY(2024, 7, 31),
            paid_on=DAY(2024, 8, 20),
            actor=clerk_a,
        )


def test_a_township_b_clerk_cannot_record_township_as_loans(village_a, clerk_a, clerk_b):
    household = make_household(village_a, household_type=HouseholdType.EXITED)
    with pytest.raises(DomainError) as caught:
        loan(household, clerk_b)
    assert caught.value.code == "out_of_area"
    made = loan(household, clerk_a)
    assert not loans_for(clerk_b).filter(pk=made.pk).exists()


def test_no_more_principal_is_recovered_than_is_outstanding(debt_project, clerk_a):
    placement = place(debt_project, clerk_a)
    placements.recovery_record(
        placement=placement, amount="200000.00", recovered_on=DAY(2026, 12, 1), actor=clerk_a
    )
    with pytest.raises(RulesBroken) as caught:
        placements.recovery_record(
            placement=placement, amount="300000.01", recovered_on=DAY(2026, 12, 1), actor=clerk_a
        )
    assert caught.value.violations[0].rule == "FND-10"
    placements.recovery_record(
        placement=placement, amount="300000.00", recovered_on=DAY(2026, 12, 1), actor=clerk_a
    )
