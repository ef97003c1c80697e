"""The monitoring grid's 待办 sources: each item appears when its record enters the state that
waits, is gone once the step is taken, opens the page where the step is taken and carries the
deadline the rules set."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import translation

from kaiyuan.accounts.roles import Department, Role
from kaiyuan.common.dates import add_working_days, month_of, quarter_of, today
from kaiyuan.inbox.registry import source_for, sources_for
from kaiyuan.inbox.selectors import inbox_counts, read_items
from kaiyuan.policy.services import policy_for
from monitoring.codes import HouseholdType
from monitoring.models import Household, MonitoringCase, RiskLead
from monitoring.rules.cases import identification_deadline
from monitoring.services import cases
from monitoring.services.visits import visit_record
from monitoring.services.warnings import warning_verify
from tests.factories import GridFactory, UserFactory
from tests.monitoring.case_steps import NO_PROBLEMS, at_township_review, pdf, submitted
from tests.monitoring.factories import make_department_warning, make_household

pytestmark = [pytest.mark.django_db, pytest.mark.sqlite]


@pytest.fixture(autouse=True)
def chinese():
    with translation.override("zh-hans"):
        yield


def items(user, key):
    """The entries of source ``key`` as ``user`` sees them (and the source's count)."""
    source = source_for(user, key)
    assert source is not None, f"{user} does not see {key}"
    entries = [item.entry for item in read_items(source, source.items(user))]
    count = next(c.count for c in inbox_counts(user) if c.key == key)
    assert count == len(entries)
    return entries


def subjects(user, key):
    return [entry.subject for entry in items(user, key)]


@pytest.fixture
def household(village_a):
    return make_household(village_a, household_type=HouseholdType.ORDINARY, head_name="赵大勇")


def _case_url(case):
    return reverse("monitoring:case_detail", args=[case.pk])


# ---- cases ------------------------------------------------------------------------------------


def test_the_county_cross_check_waits_from_the_application_until_it_is_recorded(
    household, clerk_a, bureau
):
    case = cases.case_open_identification(household=household, actor=clerk_a)
    assert subjects(bureau, "cases.crosscheck") == []  # no application yet: nothing to check
    case = submitted(household, clerk_a, case)
    [entry] = items(bureau, "cases.crosscheck")
    assert entry.subject == str(household)
    assert entry.url == _case_url(case)
    assert entry.deadline == identification_deadline(today()) == case.deadline
    assert entry.since is not None
    cases.case_record_crosscheck(case=case, actor=bureau, result="比对无异常")
    assert subjects(bureau, "cases.crosscheck") == []


def test_the_village_step_waits_for_the_cross_check_then_for_the_village(
    household, clerk_a, grid_worker_a, bureau
):
    case = cases.case_open_identification(household=household, actor=clerk_a)
    # The application is the village's to enter, by its grid worker or a clerk for it.
    assert subjects(grid_worker_a, "cases.village_step") == [str(household)]
    case = submitted(household, clerk_a, case)
    assert subjects(grid_worker_a, "cases.village_step") == []  # the county checks first
    cases.case_record_crosscheck(case=case, actor=bureau, result="比对无异常")
    [entry] = items(grid_worker_a, "cases.village_step")
    assert entry.url == _case_url(case)
    assert entry.deadline == case.deadline
    cases.case_complete_verification(
        case=case, actor=clerk_a, verifiers=["张三", "李四"], verified_on=today(), findings="属实"
    )
    assert subjects(grid_worker_a, "cases.village_step") == [str(household)]  # the appraisal
    cases.case_appraise(
        case=case, actor=clerk_a, eligible=True, appraisal_on=today(), reason="", minutes=pdf()
    )
    # During the publicity there is nothing to do until it has run its days (MON-ID-3).
    assert subjects(grid_worker_a, "cases.village_step") == []
    MonitoringCase.objects.filter(pk=case.pk).update(publicity_end=today())  # its last day
    assert subjects(grid_worker_a, "cases.village_step") == []
    MonitoringCase.objects.filter(pk=case.pk).update(
        publicity_end=today() - datetime.timedelta(days=1)
    )
    assert subjects(grid_worker_a, "cases.village_step") == [str(household)]


def test_the_township_review_is_offered_to_the_clerk_who_may_take_it(
    household, clerk_a, reviewer_a, bureau
):
    case = at_township_review(household, clerk_a, bureau)
    [entry] = items(reviewer_a, "cases.township_review")
    assert entry.url == _case_url(case)
    assert entry.deadline == case.deadline
    # clerk_a entered the village's steps: the review is another clerk's (separation of duties)
    assert subjects(clerk_a, "cases.township_review") == []
    cases.case_township_review(case=case, actor=reviewer_a, passed=True)
    assert subjects(reviewer_a, "cases.township_review") == []
    assert subjects(bureau, "cases.county_decision") == [str(household)]


def test_the_county_decision_waits_until_it_is_taken(household, clerk_a, reviewer_a, bureau):
    case = at_township_review(household, clerk_a, bureau)
    assert subjects(bureau, "cases.county_decision") == []
    cases.case_township_review(case=case, actor=reviewer_a, passed=True)
    [entry] = items(bureau, "cases.county_decision")
    assert (entry.url, entry.deadline) == (_case_url(case), case.deadline)
    cases.case_county_decide(case=case, actor=bureau, approved=True)
    assert subjects(bureau, "cases.county_decision") == []


def test_a_returned_case_waits_for_the_village_to_verify_it_again(
    household, clerk_a, reviewer_a, bureau
):
    case = at_township_review(household, clerk_a, bureau)
    cases.case_township_review(case=case, actor=reviewer_a, passed=False, reason="核实人签字不全")
    [entry] = items(clerk_a, "cases.returned")
    assert entry.url == _case_url(case)
    assert entry.deadline == case.deadline
    step = case.steps.get(action="township_return")
    assert entry.since == step.at
    # Not also among the ordinary village steps, and not the reviewer's: they took the
    # township's step, so the village's are another's.
    assert subjects(clerk_a, "cases.village_step") == []
    assert subjects(reviewer_a, "cases.returned") == []
    cases.case_complete_verification(
        case=case, actor=clerk_a, verifiers=["张三", "王五"], verified_on=today(), findings="补签"
    )
    assert subjects(clerk_a, "cases.returned") == []


def test_an_elimination_case_has_no_deadline(village_a, clerk_a, grid_worker_a):
    household = make_household(village_a)
    case = MonitoringCase.objects.create(
        kind=MonitoringCase.Kind.ELIMINATION,
        household=household,
        area=village_a,
        status=MonitoringCase.Status.VERIFYING,
        opened_by=clerk_a,
    )
    case.steps.create(action="open", level="village", to_state=case.status, actor=clerk_a)
    [entry] = items(grid_worker_a, "cases.village_step")
    assert entry.deadline is None


def test_leaders_follow_the_overdue_identification_cases(household, clerk_a, leader, auditor):
    case = submitted(household, clerk_a)
    assert subjects(leader, "cases.overdue") == []
    MonitoringCase.objects.filter(pk=case.pk).update(deadline=today() - datetime.timedelta(days=1))
    [entry] = items(leader, "cases.overdue")
    assert entry.url == _case_url(case)
    assert subjects(auditor, "cases.overdue") == [str(household)]
    # A watch, and not for the roles who act on the cases themselves.
    assert source_for(leader, "cases.overdue").watch
    assert source_for(clerk_a, "cases.overdue") is None


# ---- leads ------------------------------------------------------------------------------------


def test_an_open_risk_lead_waits_until_a_case_is_opened(household, clerk_a, grid_worker_a):
    lead = cases.lead_create(
        household=household, actor=clerk_a, source="self_application", description="户主住院"
    )
    [entry] = items(grid_worker_a, "leads.open")
    received = add_working_days(today(), policy_for(today().year).identification_acceptance_days)
    assert entry.deadline == lead.deadline == received
    assert entry.url == reverse("monitoring:lead_list")
    cases.case_open_identification(household=household, actor=clerk_a, lead=lead)
    assert RiskLead.objects.get(pk=lead.pk).status == RiskLead.Status.CASE_OPENED
    assert subjects(grid_worker_a, "leads.open") == []


# ---- warnings ---------------------------------------------------------------------------------


def test_a_warning_waits_for_verification_in_its_township_and_village(
    household, clerk_a, clerk_b, grid_worker_a
):
    warning = make_department_warning(household.members.get())
    [entry] = items(clerk_a, "warnings.verify")
    assert entry.url == reverse("monitoring:warning_verify", args=[warning.pk])
    assert entry.deadline == warning.deadline
    assert entry.since == warning.upload.uploaded_at
    assert subjects(grid_worker_a, "warnings.verify") == [str(household)]
    assert subjects(clerk_b, "warnings.verify") == []
    warning_verify(
        warning=warning, actor=grid_worker_a, result="no_risk", note="已报销", expected_version=1
    )
    assert subjects(clerk_a, "warnings.verify") == []


def test_overdue_warnings_are_followed_by_the_county_and_by_their_department(
    household, bureau, dept_medical, county
):
    medical = make_department_warning(household.members.get(), deadline=today())
    civil = make_department_warning(
        household.members.get(), department=Department.CIVIL, warning_type="低保停保"
    )
    assert items(bureau, "warnings.overdue") == []  # due today: not yet overdue
    type(medical).objects.filter(pk__in=[medical.pk, civil.pk]).update(
        deadline=today() - datetime.timedelta(days=1)
    )
    assert len(items(bureau, "warnings.overdue")) == 2
    [entry] = items(dept_medical, "warnings.overdue")  # its own sector only
    assert entry.url == reverse("monitoring:warning_upload_detail", args=[medical.upload_id])
    assert source_for(dept_medical, "warnings.overdue").watch


# ---- visits -----------------------------------------------------------------------------------


def _visit(household, actor):
    return visit_record(
        household=household, actor=actor, visited_on=today(), method="on_site", **NO_PROBLEMS
    )


def test_a_grid_workers_households_wait_for_this_months_visit(village_a, grid_worker_a):
    grid = GridFactory(area=village_a, name="第二网格", worker=grid_worker_a)
    household = make_household(village_a, grid=grid)
    other_grid = make_household(village_a, grid=GridFactory(area=village_a, name="第三网格"))
    [entry] = items(grid_worker_a, "visits.month")
    assert entry.subject == str(household)  # not the other grid's household
    assert other_grid.pk != household.pk
    assert entry.url == reverse("monitoring:visit_record", args=[household.pk])
    assert entry.deadline == month_of(today()).end
    assert entry.since == month_of(today()).start
    _visit(household, grid_worker_a)
    assert subjects(grid_worker_a, "visits.month") == []


def test_a_household_that_missed_last_month_is_overdue(village_a, grid_worker_a):
    grid = GridFactory(area=village_a, name="第二网格", worker=grid_worker_a)
    household = make_household(village_a, grid=grid)
    Household.objects.filter(pk=household.pk).update(
        created_at=datetime.datetime(2026, 1, 5, tzinfo=datetime.UTC)
    )
    source = source_for(grid_worker_a, "visits.month")
    [item] = read_items(source, source.items(grid_worker_a))
    last_month = month_of(month_of(today()).start - datetime.timedelta(days=1))
    assert item.entry.deadline == last_month.end
    assert item.overdue


def test_a_clerks_township_waits_for_this_quarters_visits(village_a, village_b, clerk_a):
    household = make_household(village_a)
    make_household(village_b)
    [entry] = items(clerk_a, "visits.quarter")
    assert entry.subject == str(household)
    assert entry.deadline == quarter_of(today()).end
    _visit(household, clerk_a)
    assert subjects(clerk_a, "visits.quarter") == []


def test_leaders_follow_the_households_overdue_for_visits(village_a, leader, bureau):
    household = make_household(village_a)
    Household.objects.filter(pk=household.pk).update(
        created_at=datetime.datetime(2026, 1, 5, tzinfo=datetime.UTC)
    )
    [entry] = items(leader, "visits.overdue")
    assert entry.url == reverse("monitoring:household_visits", args=[household.pk])
    assert source_for(bureau, "visits.overdue") is None


# ---- who sees which sources --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        (Role.BUREAU, {"cases.crosscheck", "cases.county_decision", "warnings.overdue"}),
        (
            Role.TOWNSHIP_CLERK,
            {
                "cases.township_review",
                "cases.returned",
                "cases.village_step",
                "leads.open",
                "warnings.verify",
                "visits.quarter",
            },
        ),
        (
            Role.GRID_WORKER,
            {
                "cases.returned",
                "cases.village_step",
                "leads.open",
                "warnings.verify",
                "visits.month",
            },
        ),
        (Role.LEADER, {"cases.overdue", "visits.overdue", "warnings.overdue"}),
        (Role.AUDITOR, {"cases.overdue", "visits.overdue", "warnings.overdue"}),
        (Role.FINANCE, set()),
    ],
)
def test_each_role_sees_its_own_sources(role, expected, county, township_a, village_a):
    area = {"township": township_a, "village": village_a}.get(
        {Role.TOWNSHIP_CLERK: "township", Role.GRID_WORKER: "village"}.get(role, ""), county
    )
    user = UserFactory(role=role, area=area)
    # The project library's, the funds' and the asset ledger's sources are tested in their own
    # tests (tests/projects/test_inbox_sources.py, tests/funds/test_reimbursement.py,
    # tests/assets/test_distribution_pages.py).
    keys = {
        s.key
        for s in sources_for(user)
        if not s.key.startswith(("projects.", "funds.", "assets.", "employment."))
    }
    assert keys - {"notices"} == expected


@pytest.mark.parametrize(
    "role, gets_notices",
    [
        (Role.GRID_WORKER, True),
        (Role.TOWNSHIP_CLERK, True),
        (Role.BUREAU, True),
        (Role.LEADER, False),
        (Role.AUDITOR, False),
    ],
)
def test_only_roles_that_propose_are_offered_answers_to_proposals(
    role, gets_notices, county, township_a, village_a
):
    area = {Role.TOWNSHIP_CLERK: township_a, Role.GRID_WORKER: village_a}.get(role, county)
    user = UserFactory(role=role, area=area)
    assert ("notices" in {s.key for s in sources_for(user)}) is gets_notices
