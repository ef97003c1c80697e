"""Household subsidies (到户类, DOMAIN.md §3.7, FND-11): build first and subsidise after, only
脱贫户 and monitored households, and at most 2,000.00 yuan per household in a calendar year
across every project (§10 Q-7)."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from funds.codes import PayeeKind, Tranche
from funds.models import Payment
from funds.services import payments
from funds.services.payments import Inspection, Payee
from kaiyuan.common.dates import today
from kaiyuan.common.rules import RulesBroken
from kaiyuan.policy.models import PolicySettings
from monitoring.codes import HouseholdType
from projects.codes import FinanceMode
from projects.models import ProjectBeneficiary
from tests.funds import factories as f
from tests.monitoring.factories import make_household, make_member, next_id_number

pytestmark = pytest.mark.django_db
D = Decimal


@pytest.fixture
def household(village_a):
    return make_household(village_a, household_type=HouseholdType.EXITED)


@pytest.fixture
def payee_number(household):
    number = next_id_number()
    make_member(household, name="王二", id_number=number)
    return number


def subsidy_project(village, clerk, household):
    project = f.project(village, clerk, total="100000.00", mode=FinanceMode.HOUSEHOLD)
    f.fund(project, clerk)
    ProjectBeneficiary.objects.create(project=project, household=household, role="受益")
    return project


def pay(project, clerk, household, number, amount, *, inspection=None, paid_on=None):
    return f.pay(
        project,
        clerk,
        amount,
        tranche=Tranche.HOUSEHOLD,
        payee=Payee(
            name="王二", account="6217000000000001", kind=PayeeKind.PERSON, id_number=number
        ),
        household=household,
        inspection=inspection or Inspection(on=today(), by="镇农业站 张验收", note="棚舍建成"),
        paid_on=paid_on,
    )


def rules_of(call):
    with pytest.raises(RulesBroken) as caught:
        call()
    return {v.rule for v in caught.value.violations}


def test_the_cap_counts_every_project_of_the_year(village_a, clerk_a, household, payee_number):
    first = subsidy_project(village_a, clerk_a, household)
    second = subsidy_project(village_a, clerk_a, household)
    pay(first, clerk_a, household, payee_number, "1200.00")
    assert rules_of(lambda: pay(second, clerk_a, household, payee_number, "800.01")) == {"PRJ-HH-2"}
    pay(second, clerk_a, household, payee_number, "800.00")
    assert rules_of(lambda: pay(second, clerk_a, household, payee_number, "0.01")) == {"PRJ-HH-2"}


def test_the_cap_is_per_calendar_year(village_a, clerk_a, household, payee_number, clock):
    project = subsidy_project(village_a, clerk_a, household)
    pay(project, clerk_a, household, payee_number, "2000.00")
    clock.move_to("2027-01-04 10:00+08:00")
    pay(project, clerk_a, household, payee_number, "2000.00")
    assert Payment.objects.filter(household=household).count() == 2


def test_a_reversed_subsidy_no_longer_counts(village_a, clerk_a, household, payee_number):
    project = subsidy_project(village_a, clerk_a, household)
    wrong = pay(project, clerk_a, household, payee_number, "2000.00")
    payments.payment_reverse(payment=wrong, reason="金额录错", actor=clerk_a)
    pay(project, clerk_a, household, payee_number, "1500.00")


def test_the_cap_moves_with_the_setting(village_a, clerk_a, household, payee_number):
    PolicySettings.objects.update_or_create(
        year=today().year, defaults={"household_subsidy_cap": D("1500.00")}
    )
    project = subsidy_project(village_a, clerk_a, household)
    assert rules_of(lambda: pay(project, clerk_a, household, payee_number, "1500.01")) == {
        "PRJ-HH-2"
    }
    pay(project, clerk_a, household, payee_number, "1500.00")


def test_build_first_subsidise_after(village_a, clerk_a, household, payee_number):
    project = subsidy_project(village_a, clerk_a, household)
    assert rules_of(
        lambda: pay(project, clerk_a, household, payee_number, "500.00", inspection=Inspection())
    ) == {"PRJ-HH-1"}
    later = Inspection(on=today(), by="张验收")
    assert rules_of(
        lambda: pay(
            project,
            clerk_a,
            household,
            payee_number,
            "500.00",
            inspection=later,
            paid_on=today() - datetime.timedelta(days=1),
        )
    ) == {"PRJ-HH-1"}


def test_only_exited_and_monitored_households(village_a, clerk_a):
    ordinary = make_household(village_a, household_type=HouseholdType.ORDINARY)
    number = next_id_number()
    make_member(ordinary, name="李四", id_number=number)
    project = subsidy_project(village_a, clerk_a, ordinary)
    assert rules_of(lambda: pay(project, clerk_a, ordinary, number, "500.00")) == {"PRJ-HH-3"}


def test_the_payee_is_a_member_of_a_beneficiary_household(village_a, clerk_a, household):
    project = f.project(village_a, clerk_a, total="100000.00", mode=FinanceMode.HOUSEHOLD)
    f.fund(project, clerk_a)
    stranger = next_id_number()
    assert rules_of(lambda: pay(project, clerk_a, household, stranger, "500.00")) == {"FND-11"}


def test_the_payee_id_is_validated_and_kept_masked(village_a, clerk_a, household, payee_number):
    project = subsidy_project(village_a, clerk_a, household)
    with pytest.raises(payments.FundsError) as caught:
        last = payee_number[-1]
        wrong = payee_number[:-1] + ("1" if last == "X" else str((int(last) + 1) % 10))
        pay(project, clerk_a, household, wrong, "500.00")
    assert caught.value.field == "payee_id_number"
    payment = pay(project, clerk_a, household, payee_number, "500.00")
    assert payment.payee_id_masked == payee_number[:6] + "********" + payee_number[-4:]
    assert payee_number not in payment.payee_id_cipher
    assert payments.payee_id_reveal(payment=payment, actor=clerk_a) == payee_number
