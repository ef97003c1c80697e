"""Fifty clerks paying one tranche at the same instant: the project's fund account is locked, so
the payments are checked one after another and the advance limit is never exceeded. The same
for the household subsidy cap across two projects, whose lock is the household's row."""

from __future__ import annotations

import threading
from decimal import Decimal

import pytest
from django.db import connection, connections

from funds.codes import PayeeKind, Tranche
from funds.models import Payment
from funds.selectors import positions
from funds.services.payments import Inspection, Payee
from kaiyuan.accounts.roles import Role
from kaiyuan.common.dates import today
from kaiyuan.common.rules import RulesBroken
from monitoring.codes import HouseholdType
from projects.codes import FinanceMode
from projects.models import ProjectBeneficiary
from tests.factories import UserFactory
from tests.funds import factories as f
from tests.monitoring.factories import make_household, next_id_number

pytestmark = pytest.mark.django_db(transaction=True)
D = Decimal


def _at_once(calls):
    barrier = threading.Barrier(len(calls))
    results: list = [None] * len(calls)

    def run(index):
        try:
            barrier.wait(timeout=30)
            results[index] = calls[index]()
        except BaseException as exc:  # looked at by the main thread
            results[index] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(calls))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return results


def test_fifty_concurrent_advances_never_pass_the_30_percent_limit(village_a, clerk_a):
    if connection.vendor != "postgresql":
        pytest.skip("fifty writers at once is PostgreSQL's case")
    project = f.project(village_a, clerk_a, total="1000000.00")
    f.fund(project, clerk_a)
    clerks = [clerk_a] + [
        UserFactory(username=f"payer{i}", role=Role.TOWNSHIP_CLERK, area=village_a.parent)
        for i in range(49)
    ]
    # 50 × 7,000.00 = 350,000.00 asked for; 300,000.00 is the limit: 42 fit, and 6,000.00 stays.
    results = _at_once([lambda clerk=clerk: f.pay(project, clerk, "7000.00") for clerk in clerks])
    paid = [r for r in results if isinstance(r, Payment)]
    refused = [r for r in results if isinstance(r, RulesBroken)]
    assert len(paid) + len(refused) == 50, [
        r for r in results if not isinstance(r, (Payment, RulesBroken))
    ]
    assert len(paid) == 42
    assert {v.rule for r in refused for v in r.violations} == {"FND-1"}
    assert positions.paid(project) == D("294000.00")
    assert positions.paid(project) <= D("300000.00")


def test_two_projects_paying_one_household_at_once_keep_its_yearly_cap(village_a, clerk_a):
    if connection.vendor != "postgresql":
        pytest.skip("concurrent writers are PostgreSQL's case")
    household = make_household(village_a, household_type=HouseholdType.EXITED)
    number = next_id_number()
    from tests.monitoring.factories import make_member

    make_member(household, name="王二", id_number=number)
    projects = []
    for _ in range(2):
        project = f.project(village_a, clerk_a, total="200000.00", mode=FinanceMode.HOUSEHOLD)
        f.fund(project, clerk_a)
        ProjectBeneficiary.objects.create(project=project, household=household, role="受益")
        projects.append(project)
    payee = Payee(name="王二", account="6217000000000001", kind=PayeeKind.PERSON, id_number=number)
    inspection = Inspection(on=today(), by="镇农业站 张验收")
    results = _at_once(
        [
            lambda project=project: f.pay(
                project,
                clerk_a,
                "1500.00",
                tranche=Tranche.HOUSEHOLD,
                payee=payee,
                household=household,
                inspection=inspection,
            )
            for project in projects
        ]
    )
    assert sorted(type(r).__name__ for r in results) == ["Payment", "RulesBroken"]
    assert positions.household_subsidies_in_year(household, today().year) == D("1500.00")
