"""Idle money (FND-7: "超过1个月以上" is more than a month, §1.5), its reallocation by the bureau,
and the spending progress (FND-8) and industry share (FND-9) as of any day."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from funds.codes import FundLevel, Tranche
from funds.exceptions import FundsError
from funds.models import FundAccount, FundType, ProjectFund
from funds.rules import allocations as allocation_rules
from funds.rules import progress as progress_rules
from funds.selectors import positions
from funds.selectors.allocations import idle_entries
from funds.selectors.progress import spending_progress
from funds.services import reallocations
from kaiyuan.audit.models import AuditEvent
from kaiyuan.common.rules import RulesBroken
from kaiyuan.policy.models import PolicySettings
from projects.codes import Category, Subcategory
from tests.funds import factories as f

pytestmark = pytest.mark.django_db
D = Decimal
DAY = datetime.date


@pytest.mark.parametrize(
    ("arrived", "today", "idle"),
    [
        (DAY(2026, 10, 31), DAY(2026, 11, 30), False),  # exactly a month: not more than one
        (DAY(2026, 10, 31), DAY(2026, 12, 1), True),
        (DAY(2026, 11, 2), DAY(2026, 12, 2), False),
        (DAY(2026, 11, 1), DAY(2026, 12, 2), True),
        (DAY(2026, 1, 31), DAY(2026, 2, 28), False),
        (DAY(2026, 1, 31), DAY(2026, 3, 1), True),
    ],
)
def test_idle_is_more_than_one_calendar_month_after_arrival(arrived, today, idle):
    assert allocation_rules.is_idle(arrived, 1, today) is idle
    assert (arrived <= allocation_rules.latest_idle_arrival(1, today)) is idle


@pytest.fixture
def bureau_user(county):
    return f.bureau_user()


def test_the_idle_list_shows_unspent_money_older_than_a_month(
    village_a, village_b, clerk_a, bureau_user
):
    old = f.project(village_a, clerk_a, total="100000.00")
    f.fund(old, clerk_a, arrived_on=DAY(2026, 11, 1))
    fresh = f.project(village_a, clerk_a, total="100000.00")
    f.fund(fresh, clerk_a, arrived_on=DAY(2026, 11, 2))
    spent = f.project(village_a, clerk_a, total="100000.00")
    f.fund(spent, clerk_a, arrived_on=DAY(2026, 10, 1))
    FundAccount.objects.filter(project=spent).update(retention_required=False)
    f.progress(spent, clerk_a, "100", on=DAY(2026, 11, 30))
    f.pay(spent, clerk_a, "30000.00", paid_on=DAY(2026, 10, 5))
    f.pay(spent, clerk_a, "40000.00", tranche=Tranche.PROGRESS, paid_on=DAY(2026, 12, 1))
    f.accept(spent, on=DAY(2026, 12, 1))
    f.pay(spent, clerk_a, "30000.00", tranche=Tranche.FINAL, paid_on=DAY(2026, 12, 2))

    rows = list(idle_entries(bureau_user))
    assert [r.project for r in rows] == [old]
    assert rows[0].unspent == D("100000.00") and rows[0].paid_any is False


def test_the_idle_rule_follows_the_fund_type_flag(village_a, clerk_a, bureau_user):
    project = f.project(village_a, clerk_a, total="100000.00")
    f.fund(project, clerk_a, arrived_on=DAY(2026, 10, 1))
    assert idle_entries(bureau_user).count() == 1
    FundType.objects.filter(code="linkage").update(idle_rule=False)
    assert idle_entries(bureau_user).count() == 0


def test_the_idle_months_come_from_the_settings(village_a, clerk_a, bureau_user):
    project = f.project(village_a, clerk_a, total="100000.00")
    f.fund(project, clerk_a, arrived_on=DAY(2026, 10, 1))
    PolicySettings.objects.update_or_create(year=2026, defaults={"idle_fund_months": 3})
    assert idle_entries(bureau_user).count() == 0


def test_the_bureau_reallocates_idle_money_to_another_township(
    village_a, village_b, clerk_a, clerk_b, bureau_user
):
    idle = f.project(village_a, clerk_a, total="100000.00")
    entry = f.fund(idle, clerk_a, arrived_on=DAY(2026, 10, 1))
    elsewhere = f.project(village_b, clerk_b, total="300000.00")
    decision = reallocations.reallocation_decide(
        allocation=entry.allocation,
        from_project=idle,
        to_project=elsewhere,
        amount="60000.00",
        decided_on=DAY(2026, 12, 2),
        document_number="开乡振发〔2026〕12号",
        reason="资金闲置超过1个月",
        actor=bureau_user,
    )
    assert positions.assigned(idle) == D("40000.00")
    assert positions.assigned(elsewhere) == D("60000.00")
    arriving = ProjectFund.objects.get(project=elsewhere)
    assert arriving.kind == ProjectFund.Kind.REALLOCATED_IN and arriving.arrived_on is None
    assert AuditEvent.objects.filter(object_id=str(decision.pk), action="create").exists()
    with pytest.raises(FundsError):
        reallocations.reallocation_decide(
            allocation=entry.allocation,
            from_project=idle,
            to_project=elsewhere,
            amount="40000.01",
            decided_on=DAY(2026, 12, 2),
            document_number="开乡振发〔2026〕13号",
            reason="资金闲置",
            actor=bureau_user,
        )


def test_a_reallocation_stays_within_the_receiving_projects_approved_funds(
    village_a, clerk_a, bureau_user
):
    idle = f.project(village_a, clerk_a, total="100000.00")
    entry = f.fund(idle, clerk_a, arrived_on=DAY(2026, 10, 1))
    small = f.project(village_a, clerk_a, total="50000.00")
    with pytest.raises(RulesBroken) as caught:
        reallocations.reallocation_decide(
            allocation=entry.allocation,
            from_project=idle,
            to_project=small,
            amount="50000.01",
            decided_on=DAY(2026, 12, 2),
            document_number="开乡振发〔2026〕14号",
            reason="资金闲置",
            actor=bureau_user,
        )
    assert caught.value.violations[0].rule == "FND-LEVEL"


def test_an_industry_allocation_goes_only_to_industry_projects(village_a, clerk_a, bureau_user):
    road = f.project(
        village_a,
        clerk_a,
        category=Category.RURAL_CONSTRUCTION,
        subcategory=Subcategory.INFRASTRUCTURE,
    )
    industry_money = f.allocation(bureau_user, for_industry=True)
    from funds.services import allocations

    with pytest.raises(RulesBroken) as caught:
        allocations.assignment_add(
            allocation=industry_money,
            project=road,
            amount="1000.00",
            assigned_on=DAY(2026, 12, 1),
            actor=bureau_user,
        )
    assert caught.value.violations[0].rule == "FND-INDUSTRY"


def test_an_allocation_is_never_assigned_beyond_its_amount(village_a, clerk_a, bureau_user):
    from funds.services import allocations

    source = f.allocation(bureau_user, amount="1500000.00")
    first = f.project(village_a, clerk_a, total="1000000.00")
    second = f.project(village_a, clerk_a, total="1000000.00")
    allocations.assignment_add(
        allocation=source,
        project=first,
        amount="1000000.00",
        assigned_on=DAY(2026, 12, 1),
        actor=bureau_user,
    )
    with pytest.raises(RulesBroken) as caught:
        allocations.assignment_add(
            allocation=source,
            project=second,
            amount="500000.01",
            assigned_on=DAY(2026, 12, 1),
            actor=bureau_user,
        )
    assert caught.value.violations[0].rule == "FND-ALLOCATION"
    allocations.assignment_add(
        allocation=source,
        project=second,
        amount="500000.00",
        assigned_on=DAY(2026, 12, 1),
        actor=bureau_user,
    )


# ---- spending progress -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("as_of", "spent", "light"),
    [
        (DAY(2026, 4, 29), "0.00", "amber"),  # before the first milestone
        (DAY(2026, 4, 30), "299999.99", "red"),  # the 30 % is due on 30 April itself
        (DAY(2026, 4, 30), "300000.00", "amber"),  # met; below the 50 % coming
        (DAY(2026, 5, 1), "500000.00", "green"),
    ],
)
def test_the_traffic_light_at_each_milestone(as_of, spent, light):
    policy = PolicySettings.defaults_for(2026)
    assert (
        progress_rules.light(D(spent), D("1000000.00"), year=2026, policy=policy, as_of=as_of)
        == light
    )


def test_progress_as_of_a_past_day_counts_what_was_paid_by_then(
    village_a, village_b, clerk_a, clerk_b, bureau_user
):
    source = f.allocation(
        bureau_user, level=FundLevel.PROVINCIAL, amount="2000000.00", issued_on=DAY(2026, 3, 1)
    )
    a = f.project(
        village_a, clerk_a, total="1000000.00", central_funds=D(0), provincial_funds=D("1000000")
    )
    b = f.project(
        village_b, clerk_b, total="1000000.00", central_funds=D(0), provincial_funds=D("1000000")
    )
    f.fund(a, clerk_a, level=FundLevel.PROVINCIAL, arrived_on=DAY(2026, 3, 10), source=source)
    f.fund(b, clerk_b, level=FundLevel.PROVINCIAL, arrived_on=DAY(2026, 3, 10), source=source)
    f.pay(a, clerk_a, "300000.00", paid_on=DAY(2026, 4, 20))
    f.pay(b, clerk_b, "100000.00", paid_on=DAY(2026, 5, 20))

    april = spending_progress(year=2026, as_of=DAY(2026, 4, 30))
    assert april.county[FundLevel.PROVINCIAL].spent == D("300000.00")
    assert april.county_total.percent == D("15.00")
    assert april.county_total.light == "red"
    by_row = {row.code: row for row in april.rows}
    assert by_row[village_a.parent.code].total.light == "amber"
    assert by_row[village_b.parent.code].total.light == "red"

    today_ = spending_progress(year=2026, as_of=DAY(2026, 12, 2))
    assert today_.county_total.spent == D("400000.00")
    # Both projects are industry projects: the share of provincial-and-above money is 100 %.
    assert today_.industry_met and today_.industry_percent == D("100.00")


def test_the_industry_share_is_at_least_60_percent(village_a, clerk_a, bureau_user):
    source = f.allocation(bureau_user, amount="1000000.00", issued_on=DAY(2026, 3, 1))
    industry = f.project(village_a, clerk_a, total="600000.00")
    road = f.project(
        village_a,
        clerk_a,
        total="400000.00",
        category=Category.RURAL_CONSTRUCTION,
        subcategory=Subcategory.INFRASTRUCTURE,
    )
    f.fund(industry, clerk_a, source=source, arrived_on=DAY(2026, 3, 5))
    f.fund(road, clerk_a, source=source, arrived_on=DAY(2026, 3, 5))
    progress = spending_progress(year=2026, as_of=DAY(2026, 12, 2))
    assert progress.industry_percent == D("60.00") and progress.industry_met
    PolicySettings.objects.update_or_create(
        year=2026, defaults={"industry_share_percent": D("60.01")}
    )
    assert not spending_progress(year=2026, as_of=DAY(2026, 12, 2)).industry_met
