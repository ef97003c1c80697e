"""Micro-credit on the pages: the area's loans and the overdue list, a new loan from a
household, a loan's repayments, 贴息 and extension, and the household page's 小额信贷."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from funds.codes import LoanPurpose
from funds.models import InterestSubsidy, LoanRepayment, MicrocreditLoan
from funds.services import microcredit as services
from kaiyuan.common.dates import today
from monitoring.codes import HouseholdType
from tests.monitoring.factories import make_household, make_member

pytestmark = pytest.mark.django_db
D = Decimal
LIST = reverse("funds:loan_list")
_contracts = iter(range(1, 10_000))


def _loan(household, clerk, *, issued="2026-01-05", months=12, amount="50000.00", **extra):
    return services.loan_create(
        household=household,
        borrower=household.members.first(),
        bank="开原农商银行",
        contract_number=f"KYNS-2026-{next(_contracts):04d}",
        amount=amount,
        issued_on=datetime.date.fromisoformat(issued),
        term_months=months,
        purpose=LoanPurpose.BREEDING,
        annual_rate="3.45",
        actor=clerk,
        **extra,
    )


@pytest.fixture
def household(village_a):
    return make_household(village_a, head_name="张立军")


@pytest.fixture
def loan(household, clerk_a):
    return _loan(household, clerk_a)


def _post(client, loan, step, **fields):
    data = {"step": step, **{f"{step}-{name}": value for name, value in fields.items()}}
    return client.post(reverse("funds:loan_detail", args=[loan.pk]), data)


class TestList:
    def test_the_overdue_list_keeps_loans_past_their_due_date(
        self, client, bureau, household, clerk_a
    ):
        late = _loan(household, clerk_a, issued="2023-06-01", months=36)
        current = _loan(household, clerk_a)
        extended = _loan(household, clerk_a, issued="2023-06-01", months=36)
        services.loan_extend(
            loan=extended, extended_to=datetime.date(2027, 6, 1), expected_version=1, actor=clerk_a
        )
        client.force_login(bureau)
        html = client.get(LIST).content.decode()
        assert html.count('data-testid="loan-row"') == 3
        overdue = client.get(LIST, {"overdue": "on"}).content.decode()
        assert f'data-loan="{late.pk}"' in overdue
        assert f'data-loan="{current.pk}"' not in overdue
        assert f'data-loan="{extended.pk}"' not in overdue
        services.repayment_record(loan=late, amount="50000.00", repaid_on=today(), actor=clerk_a)
        assert 'data-testid="loan-row"' not in client.get(LIST, {"overdue": "on"}).content.decode()

    def test_the_list_runs_a_constant_number_of_queries(
        self, client, clerk_a, household, django_assert_num_queries
    ):
        _loan(household, clerk_a)
        client.force_login(clerk_a)
        client.get(LIST)
        with CaptureQueriesContext(connection) as few:
            client.get(LIST)
        for _index in range(6):
            other = make_household(household.area)
            loan = _loan(other, clerk_a, amount="20000.00")
            services.repayment_record(loan=loan, amount="100.00", repaid_on=today(), actor=clerk_a)
        with django_assert_num_queries(len(few.captured_queries)):
            response = client.get(LIST)
        assert response.content.decode().count('data-testid="loan-row"') == 7

    def test_another_township_sees_none_of_them(self, client, clerk_b, loan):
        client.force_login(clerk_b)
        assert 'data-testid="loan-row"' not in client.get(LIST).content.decode()


class TestNewLoan:
    def _data(self, borrower, **changes):
        data = {
            "borrower": borrower.pk,
            "bank": "开原农商银行",
            "contract_number": "KYNS-2026-9001",
            "amount": "50000.00",
            "issued_on": "2026-11-20",
            "term_months": "36",
            "purpose": LoanPurpose.PLANTING,
            "purpose_note": "购买种子化肥",
            "annual_rate": "3.45",
        }
        data.update(changes)
        return data

    def test_the_clerk_records_a_loan_from_the_household(self, client, clerk_a, household):
        son = make_member(household, name="张小军")
        client.force_login(clerk_a)
        page = client.get(
            reverse("monitoring:household_detail", args=[household.pk])
        ).content.decode()
        assert reverse("funds:loan_new", args=[household.pk]) in page
        response = client.post(reverse("funds:loan_new", args=[household.pk]), self._data(son))
        loan = MicrocreditLoan.objects.get()
        assert response["Location"] == reverse("funds:loan_detail", args=[loan.pk])
        assert (loan.borrower, loan.due_on) == (son, datetime.date(2029, 11, 20))

    def test_the_policys_limits_are_refused_and_nothing_saved(self, client, clerk_a, household):
        client.force_login(clerk_a)
        response = client.post(
            reverse("funds:loan_new", args=[household.pk]),
            self._data(household.members.first(), amount="50000.01", term_months="37"),
        )
        assert response.status_code == 200
        errors = response.context["form"].errors
        assert "50,000.00" in errors["amount"][0] and "36" in errors["term_months"][0]
        assert not MicrocreditLoan.objects.exists()

    def test_a_household_neither_exited_nor_monitored_is_refused(self, client, clerk_a, village_a):
        ordinary = make_household(village_a, household_type=HouseholdType.ORDINARY)
        client.force_login(clerk_a)
        response = client.post(
            reverse("funds:loan_new", args=[ordinary.pk]), self._data(ordinary.members.first())
        )
        assert response.context["form"].errors["__all__"]
        assert not MicrocreditLoan.objects.exists()

    def test_a_member_of_another_household_is_not_offered(
        self, client, clerk_a, household, village_a
    ):
        other = make_household(village_a)
        client.force_login(clerk_a)
        response = client.post(
            reverse("funds:loan_new", args=[household.pk]), self._data(other.members.first())
        )
        assert response.context["form"].errors["borrower"]
        assert not MicrocreditLoan.objects.exists()

    def test_read_only_roles_get_403_and_other_townships_404(
        self, client, leader, auditor, clerk_b, household
    ):
        url = reverse("funds:loan_new", args=[household.pk])
        for user in (leader, auditor):
            client.force_login(user)
            assert client.get(url).status_code == 403
        client.force_login(clerk_b)
        assert client.get(url).status_code == 404
        assert client.post(url, self._data(household.members.first())).status_code == 404
        assert not MicrocreditLoan.objects.exists()


class TestLoanPage:
    def test_repayments_subsidy_and_extension(self, client, clerk_a, loan):
        client.force_login(clerk_a)
        day = today().isoformat()
        assert _post(client, loan, "repayment", amount="20000", repaid_on=day).status_code == 302
        response = _post(
            client,
            loan,
            "subsidy",
            amount="862.50",
            period_start="2026-01-05",
            period_end="2026-07-04",
            paid_on=day,
        )
        assert response.status_code == 302
        assert _post(client, loan, "extend", extended_to="2027-06-30", version=1).status_code == 302
        html = client.get(reverse("funds:loan_detail", args=[loan.pk])).content.decode()
        assert "30,000.00" in html.split('data-testid="outstanding"')[1][:40]
        assert "862.50" in html.split('data-testid="subsidised"')[1][:40]
        assert "2027-06-30" in html.split('data-testid="extended-to"')[1][:40]

    def test_refusals_are_shown_and_nothing_is_saved(self, client, clerk_a, loan):
        client.force_login(clerk_a)
        day = today().isoformat()
        response = _post(client, loan, "repayment", amount="50000.01", repaid_on=day)
        assert "50,000.00" in response.context["forms"]["repayment"].errors["amount"][0]
        response = _post(
            client,
            loan,
            "subsidy",
            amount="100",
            period_start="2025-12-01",
            period_end="2026-02-01",
            paid_on=day,
        )
        assert response.context["forms"]["subsidy"].errors["period_start"]
        response = _post(client, loan, "extend", extended_to="2026-12-01", version=1)
        assert response.context["forms"]["extend"].errors["extended_to"]
        stale = _post(client, loan, "extend", extended_to="2027-06-30", version=7)
        assert stale.status_code == 200 and stale.context["forms"]["extend"].errors
        assert not LoanRepayment.objects.exists() and not InterestSubsidy.objects.exists()
        loan.refresh_from_db()
        assert loan.extended_to is None

    def test_read_only_roles_see_the_loan_but_their_posts_get_403(
        self, client, leader, auditor, loan
    ):
        for user in (leader, auditor):
            client.force_login(user)
            html = client.get(reverse("funds:loan_detail", args=[loan.pk])).content.decode()
            assert 'data-testid="step-repayment"' not in html
            response = _post(client, loan, "repayment", amount="1", repaid_on=today().isoformat())
            assert response.status_code == 403
        assert not LoanRepayment.objects.exists()

    def test_another_townships_clerk_gets_404(self, client, clerk_b, loan):
        client.force_login(clerk_b)
        assert client.get(reverse("funds:loan_detail", args=[loan.pk])).status_code == 404
        response = _post(client, loan, "repayment", amount="1", repaid_on=today().isoformat())
        assert response.status_code == 404


class TestHouseholdPage:
    def test_it_lists_the_households_loans_at_a_constant_query_count(
        self, client, clerk_a, household, django_assert_num_queries
    ):
        url = reverse("monitoring:household_detail", args=[household.pk])
        client.force_login(clerk_a)
        client.get(url)
        with CaptureQueriesContext(connection) as none:
            client.get(url)
        for _index in range(4):
            _loan(household, clerk_a, amount="10000.00")
        with django_assert_num_queries(len(none.captured_queries)):
            html = client.get(url).content.decode()
        assert html.count('data-testid="household-loan"') == 4

    def test_roles_without_the_funds_do_not_see_the_section(
        self, client, grid_worker_a, household, loan
    ):
        client.force_login(grid_worker_a)
        html = client.get(
            reverse("monitoring:household_detail", args=[household.pk])
        ).content.decode()
        assert 'data-testid="household-loans"' not in html

    def test_a_leader_sees_the_loans_without_the_link_to_add_one(
        self, client, leader, household, loan
    ):
        client.force_login(leader)
        html = client.get(
            reverse("monitoring:household_detail", args=[household.pk])
        ).content.decode()
        assert html.count('data-testid="household-loan"') == 1
        assert 'data-testid="loan-new"' not in html


@pytest.mark.sqlite
def test_the_loan_pages_open_on_any_database(client, clerk_a, loan):
    client.force_login(clerk_a)
    assert client.get(LIST).status_code == 200
    assert client.get(reverse("funds:loan_detail", args=[loan.pk])).status_code == 200
