"""Recording visits (who may, when, what follows) and the visited/due/overdue rule of
MON-VISIT-1/2 at its thresholds."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from kaiyuan.audit.models import AuditEvent
from kaiyuan.common.errors import DomainError
from kaiyuan.policy.models import PolicySettings
from monitoring.codes import HouseholdType, MonitoringCategory
from monitoring.exceptions import WrongLevel
from monitoring.models import Household, RiskLead, Visit
from monitoring.rules.visits import VisitStatus, with_month_status, with_quarter_status
from monitoring.selectors.visits import household_visit_status
from monitoring.services.visits import visit_prefill, visit_record
from tests.conftest import PINNED_NOW
from tests.monitoring.factories import make_household

pytestmark = pytest.mark.django_db

# The pinned clock's day (tests/conftest.py), not the day the module is imported on.
TODAY = PINNED_NOW.date()
NO_PROBLEMS = {
    "child_out_of_school": False,
    "housing_unsafe": False,
    "member_uninsured": False,
    "water_unsafe": False,
}


def _household(area, *, created: datetime.date = datetime.date(2023, 1, 1), **fields):
    household = make_household(area, **fields)
    Household.objects.filter(pk=household.pk).update(
        created_at=timezone.make_aware(datetime.datetime.combine(created, datetime.time(9)))
    )
    household.refresh_from_db()
    return household


def _record(household, actor, **changes):
    arguments = {
        "household": household,
        "actor": actor,
        "visited_on": TODAY,
        "method": Visit.Method.ON_SITE,
        **NO_PROBLEMS,
    }
    arguments.update(changes)
    return visit_record(**arguments)


def _visit(household, day, *, level=Visit.Level.VILLAGE, visitor):
    return Visit.objects.create(
        household=household,
        area=household.area,
        visitor=visitor,
        level=level,
        visited_on=day,
        method=Visit.Method.ON_SITE,
        **NO_PROBLEMS,
    )


@pytest.fixture
def household_a(village_a, grid_a):
    return _household(village_a, grid=grid_a, head_name="李德福")


# ---- who may record --------------------------------------------------------------------------


def test_a_grid_worker_records_a_village_level_visit_in_their_village(household_a, grid_worker_a):
    visit = _record(household_a, grid_worker_a, method=Visit.Method.PHONE, note="  家中正常 ")
    visit.refresh_from_db()
    assert visit.level == Visit.Level.VILLAGE
    assert visit.area == household_a.area
    assert visit.visitor == grid_worker_a
    assert visit.method == Visit.Method.PHONE
    assert visit.note == "家中正常"
    assert not RiskLead.objects.exists()


def test_a_township_clerk_records_a_township_level_visit(household_a, clerk_a):
    visit = _record(household_a, clerk_a)
    assert visit.level == Visit.Level.TOWNSHIP


def test_a_grid_worker_may_not_visit_a_household_of_another_village(village_a2, grid_worker_a):
    other = _household(village_a2)
    with pytest.raises(DomainError) as refused:
        _record(other, grid_worker_a)
    assert refused.value.code == "out_of_area"
    assert not Visit.objects.exists()


def test_a_clerk_of_another_township_may_not_visit(household_a, clerk_b):
    with pytest.raises(DomainError) as refused:
        _record(household_a, clerk_b)
    assert refused.value.code == "out_of_area"
    assert not Visit.objects.exists()


@pytest.mark.parametrize("role", ["bureau", "leader", "auditor", "admin_user", "dept_medical"])
def test_county_roles_do_not_record_visits(household_a, role, request):
    user = request.getfixturevalue(role)
    with pytest.raises(WrongLevel) as refused:
        _record(household_a, user)
    assert "网格员" in str(refused.value)
    assert "乡镇" in str(refused.value)
    assert not Visit.objects.exists()


def test_a_merged_household_is_not_visited(household_a, village_a, grid_worker_a):
    target = _household(village_a)
    Household.objects.filter(pk=household_a.pk).update(merged_into=target)
    with pytest.raises(DomainError) as refused:
        _record(household_a, grid_worker_a)
    assert refused.value.code == "merged"


# ---- dates and answers -----------------------------------------------------------------------


def test_a_visit_may_be_dated_today_but_not_tomorrow(household_a, grid_worker_a):
    assert _record(household_a, grid_worker_a, visited_on=TODAY).visited_on == TODAY
    with pytest.raises(DomainError) as refused:
        _record(household_a, grid_worker_a, visited_on=TODAY + datetime.timedelta(days=1))
    assert refused.value.field == "visited_on"
    assert Visit.objects.count() == 1


def test_a_visit_may_be_dated_31_days_back_but_not_32(household_a, grid_worker_a):
    day_31 = TODAY - datetime.timedelta(days=31)
    assert _record(household_a, grid_worker_a, visited_on=day_31).visited_on == day_31
    with pytest.raises(DomainError) as refused:
        _record(household_a, grid_worker_a, visited_on=day_31 - datetime.timedelta(days=1))
    assert refused.value.code == "visit_too_old"
    assert Visit.objects.count() == 1


def test_a_visit_is_not_dated_before_the_household_was_registered(village_a, grid_worker_a):
    household = _household(village_a, created=TODAY - datetime.timedelta(days=3))
    with pytest.raises(DomainError) as refused:
        _record(household, grid_worker_a, visited_on=TODAY - datetime.timedelta(days=4))
    assert refused.value.code == "visit_before_household"
    _record(household, grid_worker_a, visited_on=TODAY - datetime.timedelta(days=3))


@pytest.mark.parametrize("question", sorted(NO_PROBLEMS))
def test_each_of_the_four_questions_must_be_answered(household_a, grid_worker_a, question):
    with pytest.raises(DomainError) as refused:
        _record(household_a, grid_worker_a, **{question: None})
    assert refused.value.field == question
    assert not Visit.objects.exists()


def test_the_method_must_be_on_site_or_phone(household_a, grid_worker_a):
    with pytest.raises(DomainError) as refused:
        _record(household_a, grid_worker_a, method="letter")
    assert refused.value.field == "method"


# ---- risk leads and audit --------------------------------------------------------------------


def test_a_new_risk_opens_a_lead_due_after_the_verification_days(household_a, grid_worker_a):
    policy = PolicySettings.defaults_for(TODAY.year)
    policy.identification_verification_days = 5
    PolicySettings.objects.filter(year=TODAY.year).delete()
    policy.save()
    day = TODAY - datetime.timedelta(days=2)
    visit = _record(
        household_a, grid_worker_a, visited_on=day, new_risk=True, risk_note="户主突发脑梗住院"
    )
    lead = RiskLead.objects.get()
    assert lead.visit == visit
    assert lead.source == RiskLead.Source.VISIT
    assert (lead.household, lead.area) == (household_a, household_a.area)
    assert lead.description == "户主突发脑梗住院"
    assert lead.deadline == day + datetime.timedelta(days=5)
    assert lead.created_by == grid_worker_a
    assert lead.status == RiskLead.Status.OPEN


def test_a_new_risk_needs_a_description(household_a, grid_worker_a):
    with pytest.raises(DomainError) as refused:
        _record(household_a, grid_worker_a, new_risk=True, risk_note="  ")
    assert refused.value.field == "risk_note"
    assert not Visit.objects.exists()
    assert not RiskLead.objects.exists()


def test_a_problem_without_a_new_risk_is_recorded_without_a_lead(household_a, grid_worker_a):
    visit = _record(household_a, grid_worker_a, housing_unsafe=True, risk_note="忽略")
    assert visit.housing_unsafe is True
    assert visit.risk_note == ""
    assert not RiskLead.objects.exists()


def test_the_visit_and_its_lead_are_audited(household_a, grid_worker_a):
    visit = _record(
        household_a, grid_worker_a, water_unsafe=True, new_risk=True, risk_note="井水浑浊"
    )
    event = AuditEvent.objects.get(object_id=str(visit.pk), content_type__model="visit")
    assert (event.action, event.actor, event.area) == ("create", grid_worker_a, household_a.area)
    assert event.data["level"] == "village"
    assert event.data["problems"] == ["water_unsafe"]
    assert event.data["new_risk"] is True
    lead = RiskLead.objects.get()
    lead_event = AuditEvent.objects.get(object_id=str(lead.pk), content_type__model="risklead")
    assert lead_event.action == "create"
    assert lead_event.data["visit"] == visit.pk


def test_a_refused_visit_leaves_no_audit_event(household_a, leader):
    with pytest.raises(WrongLevel):
        _record(household_a, leader)
    assert not AuditEvent.objects.filter(content_type__model="visit").exists()


# ---- prefill ---------------------------------------------------------------------------------


def test_prefill_takes_the_answers_of_the_latest_visit(household_a, grid_worker_a, clerk_a):
    _record(household_a, grid_worker_a, visited_on=TODAY - datetime.timedelta(days=10))
    _record(
        household_a,
        clerk_a,
        visited_on=TODAY - datetime.timedelta(days=2),
        method=Visit.Method.PHONE,
        member_uninsured=True,
        income_change=Visit.IncomeChange.DOWN,
        new_risk=True,
        risk_note="失业",
    )
    initial = visit_prefill(household_a)
    assert initial["member_uninsured"] is True
    assert initial["housing_unsafe"] is False
    assert initial["method"] == Visit.Method.PHONE
    # "No change" means no change since then: no income change and no new risk this time.
    assert initial["income_change"] == Visit.IncomeChange.NONE
    assert initial["new_risk"] is False
    assert initial["no_change"] is True


def test_prefill_is_empty_for_a_household_never_visited(household_a):
    assert visit_prefill(household_a) == {}


# ---- the status rule (MON-VISIT-1/2) ---------------------------------------------------------


def _month_status(household, *, day, today):
    return with_month_status(Household.objects.filter(pk=household.pk), day=day, today=today)


def _status(households, name="month_status"):
    return households.values_list(name, flat=True).get()


def test_one_visit_in_the_month_is_visited_and_none_is_due(household_a, grid_worker_a):
    today = datetime.date(2024, 5, 20)
    _visit(household_a, datetime.date(2024, 4, 3), visitor=grid_worker_a)
    assert _status(_month_status(household_a, day=today, today=today)) == VisitStatus.DUE
    _visit(household_a, datetime.date(2024, 5, 2), visitor=grid_worker_a)
    assert _status(_month_status(household_a, day=today, today=today)) == VisitStatus.VISITED


def test_a_month_without_the_visit_is_overdue_from_the_first_day_of_the_next(
    household_a, grid_worker_a
):
    _visit(household_a, datetime.date(2024, 4, 3), visitor=grid_worker_a)
    may = datetime.date(2024, 5, 1)
    assert _status(_month_status(household_a, day=may, today=datetime.date(2024, 5, 31))) == (
        VisitStatus.DUE
    )
    assert _status(_month_status(household_a, day=may, today=datetime.date(2024, 6, 1))) == (
        VisitStatus.OVERDUE
    )


def test_a_visit_on_the_last_day_counts_for_that_month_not_the_next(household_a, grid_worker_a):
    _visit(household_a, datetime.date(2024, 4, 30), visitor=grid_worker_a)
    today = datetime.date(2024, 5, 10)
    april = _month_status(household_a, day=datetime.date(2024, 4, 1), today=today)
    may = _month_status(household_a, day=datetime.date(2024, 5, 1), today=today)
    assert _status(april) == VisitStatus.VISITED
    assert _status(may) == VisitStatus.DUE
    _visit(household_a, datetime.date(2024, 5, 1), visitor=grid_worker_a)
    assert _status(may) == VisitStatus.VISITED


def test_a_household_that_missed_last_month_is_overdue_at_once(household_a, grid_worker_a):
    _visit(household_a, datetime.date(2024, 3, 15), visitor=grid_worker_a)
    today = datetime.date(2024, 5, 2)
    assert _status(_month_status(household_a, day=today, today=today)) == VisitStatus.OVERDUE


def test_a_household_registered_this_month_has_not_missed_last_month(village_a):
    household = _household(village_a, created=datetime.date(2024, 5, 3))
    today = datetime.date(2024, 5, 20)
    assert _status(_month_status(household, day=today, today=today)) == VisitStatus.DUE


def test_with_two_visits_a_month_one_visit_is_not_enough(household_a, grid_worker_a):
    PolicySettings.objects.filter(year=2024).update(village_visits_per_month=2)
    today = datetime.date(2024, 5, 20)
    for day in (datetime.date(2024, 4, 2), datetime.date(2024, 4, 28)):
        _visit(household_a, day, visitor=grid_worker_a)
    _visit(household_a, datetime.date(2024, 5, 6), visitor=grid_worker_a)
    assert _status(_month_status(household_a, day=today, today=today)) == VisitStatus.DUE
    _visit(household_a, datetime.date(2024, 5, 19), visitor=grid_worker_a)
    assert _status(_month_status(household_a, day=today, today=today)) == VisitStatus.VISITED
    # April had exactly two visits; with only one it would have made May overdue.
    Visit.objects.filter(visited_on=datetime.date(2024, 4, 28)).delete()
    Visit.objects.filter(visited_on=datetime.date(2024, 5, 19)).delete()
    assert _status(_month_status(household_a, day=today, today=today)) == VisitStatus.OVERDUE


def test_township_visits_count_per_quarter_and_village_visits_do_not(
    household_a, grid_worker_a, clerk_a
):
    today = datetime.date(2024, 6, 30)
    quarter = with_quarter_status(
        Household.objects.filter(pk=household_a.pk), day=today, today=today
    )
    _visit(household_a, datetime.date(2024, 3, 31), level=Visit.Level.TOWNSHIP, visitor=clerk_a)
    _visit(household_a, datetime.date(2024, 5, 5), visitor=grid_worker_a)
    assert _status(quarter, "quarter_status") == VisitStatus.DUE
    next_day = datetime.date(2024, 7, 1)
    ended = with_quarter_status(
        Household.objects.filter(pk=household_a.pk), day=today, today=next_day
    )
    assert _status(ended, "quarter_status") == VisitStatus.OVERDUE
    _visit(household_a, datetime.date(2024, 4, 1), level=Visit.Level.TOWNSHIP, visitor=clerk_a)
    assert _status(ended, "quarter_status") == VisitStatus.VISITED


def test_a_quarter_after_a_missed_quarter_is_overdue(household_a, clerk_a):
    _visit(household_a, datetime.date(2023, 12, 31), level=Visit.Level.TOWNSHIP, visitor=clerk_a)
    today = datetime.date(2024, 5, 1)
    households = Household.objects.filter(pk=household_a.pk)
    assert _status(with_quarter_status(households, day=today, today=today), "quarter_status") == (
        VisitStatus.OVERDUE
    )
    first_of_q1 = datetime.date(2024, 1, 1)
    q1 = with_quarter_status(households, day=first_of_q1, today=first_of_q1)
    assert _status(q1, "quarter_status") == VisitStatus.DUE


def test_the_household_display_uses_the_same_rule(household_a, grid_worker_a, clerk_a):
    today = datetime.date(2024, 5, 20)
    _visit(household_a, datetime.date(2024, 5, 2), visitor=grid_worker_a)
    status = household_visit_status(household_a, today=today)
    assert (status.month_status, status.month_done) == (VisitStatus.VISITED, 1)
    assert (status.quarter_status, status.quarter_done) == (VisitStatus.OVERDUE, 0)
    assert status.month_label == "已走访"
    assert status.quarter_label == "已逾期"


def test_the_scope_follows_the_policy(village_a, grid_worker_a):
    from monitoring.rules.visits import month_obligation
    from monitoring.selectors.visits import households_to_visit

    exited = _household(village_a, household_type=HouseholdType.EXITED)
    monitored = _household(
        village_a,
        household_type=HouseholdType.ORDINARY,
        monitoring_status=Household.MonitoringStatus.MONITORED,
        monitoring_category=MonitoringCategory.MARGINAL,
    )
    flagged = _household(
        village_a, household_type=HouseholdType.ORDINARY, flagged_for_attention=True
    )
    ordinary = _household(village_a, household_type=HouseholdType.ORDINARY)
    merged = _household(village_a, merged_into=exited)
    day = datetime.date(2024, 5, 1)
    scoped = set(households_to_visit(user=grid_worker_a, obligation=month_obligation(day)))
    assert scoped == {exited, monitored, flagged}
    PolicySettings.objects.filter(year=2024).update(visit_scope=PolicySettings.VisitScope.ALL)
    scoped = set(households_to_visit(user=grid_worker_a, obligation=month_obligation(day)))
    assert scoped == {exited, monitored, flagged, ordinary}
    assert merged not in scoped


# ---- a household that has just entered the scope ---------------------------------------------


def _newly_monitored(area, identified: datetime.date, **fields):
    """An ordinary household registered years ago, monitored since ``identified`` (the day the
    county approved its identification): before that day no visit was owed."""
    values = {
        "household_type": HouseholdType.ORDINARY,
        "monitoring_status": Household.MonitoringStatus.MONITORED,
        "monitoring_category": MonitoringCategory.MARGINAL,
        "risk_1": "因病",
        "risk_identified_on": identified,
        **fields,
    }
    return _household(area, **values)


def _both_ways(household, obligation_of, today, name):
    """The status from the household's visits, then from its stored counts (refreshed as the
    daily sweep does): the two must agree."""
    from monitoring.rules.visits import refresh_visit_counts

    households = Household.objects.filter(pk=household.pk)
    live = _status(obligation_of(households, day=today, today=today), name)
    refresh_visit_counts(households, today=today)
    stored = _status(obligation_of(households, day=today, today=today), name)
    assert live == stored
    return live


@pytest.mark.sqlite
@pytest.mark.parametrize(
    ("identified", "expected"),
    [
        (datetime.date(2026, 11, 30), VisitStatus.OVERDUE),  # monitored on last month's last day
        (datetime.date(2026, 12, 1), VisitStatus.DUE),  # from this month's first day
        (datetime.date(2026, 12, 2), VisitStatus.DUE),  # approved today
    ],
)
def test_a_household_monitored_since_this_month_has_not_missed_last_month(
    village_a, identified, expected
):
    today = TODAY  # Wednesday 2 December 2026, the pinned clock
    assert today == datetime.date(2026, 12, 2)
    household = _newly_monitored(village_a, identified)
    assert _both_ways(household, with_month_status, today, "month_status") == expected


def test_a_household_approved_today_is_due_not_overdue_on_its_page(village_a):
    household = _newly_monitored(village_a, TODAY)
    status = household_visit_status(household, today=TODAY)
    assert status.month_label == "待走访"
    # The quarter (October to December) began before it was monitored: October and November
    # owed it nothing either, so its township visit is due, not overdue.
    assert status.quarter_label == "待走访"


@pytest.mark.parametrize(
    ("identified", "expected"),
    [
        (datetime.date(2026, 9, 30), VisitStatus.OVERDUE),  # the last quarter's last day
        (datetime.date(2026, 10, 1), VisitStatus.DUE),
        (datetime.date(2026, 10, 2), VisitStatus.DUE),
    ],
)
def test_a_household_monitored_since_this_quarter_has_not_missed_the_last(
    village_a, identified, expected
):
    today = datetime.date(2026, 10, 2)
    household = _newly_monitored(village_a, identified)
    assert _both_ways(household, with_quarter_status, today, "quarter_status") == expected


def test_a_poverty_exited_household_owed_its_visits_before_it_was_monitored(village_a):
    # 脱贫户 are visited whether monitored or not: being identified today excuses nothing.
    household = _newly_monitored(village_a, TODAY, household_type=HouseholdType.EXITED)
    Household.objects.filter(pk=household.pk).update(
        monitoring_category=MonitoringCategory.UNSTABLE
    )
    assert _both_ways(household, with_month_status, TODAY, "month_status") == (VisitStatus.OVERDUE)


def test_when_every_household_is_visited_the_identification_date_excuses_nothing(village_a):
    PolicySettings.objects.update(visit_scope=PolicySettings.VisitScope.ALL)
    household = _newly_monitored(village_a, TODAY)
    assert _both_ways(household, with_month_status, TODAY, "month_status") == (VisitStatus.OVERDUE)
