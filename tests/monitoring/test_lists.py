"""The bureau's lists as their users see them: each list holds exactly the households, cases and
leads of a small hand-built county (thresholds at their edges), filters by township and village,
keeps a township clerk inside the township, runs a constant number of queries, and exports to an
audited Excel file."""

from __future__ import annotations

import datetime
import hashlib
import re
from decimal import Decimal
from io import BytesIO

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from kaiyuan.accounts.roles import Role
from kaiyuan.audit.models import AuditEvent
from kaiyuan.common import dates, pii
from kaiyuan.common.dates import working_days_between
from kaiyuan.jobs.models import Job
from kaiyuan.policy.models import PolicySettings
from monitoring.codes import HouseholdType, LabourSkill, MonitoringCategory
from monitoring.models import (
    AssistanceMeasure,
    Household,
    IncomeRecord,
    MonitoringCase,
    RiskLead,
)
from tests.conftest import PINNED_NOW
from tests.factories import UserFactory
from tests.monitoring.factories import make_household

pytestmark = pytest.mark.django_db

# The pinned clock's day (tests/conftest.py), not the day the module is imported on.
TODAY = PINNED_NOW.date()
YEAR = TODAY.year
Status = Household.MonitoringStatus
CaseStatus = MonitoringCase.Status
Group = AssistanceMeasure.Group
UNSTABLE, MARGINAL, SUDDEN = (
    MonitoringCategory.UNSTABLE,
    MonitoringCategory.MARGINAL,
    MonitoringCategory.SUDDEN,
)
LISTS = ["lists", "list_monitored", "list_cases", "list_overdue", "list_focus", "list_measures"]


# =============================================================================================
# Helpers
# =============================================================================================


def _url(name: str) -> str:
    return reverse(f"monitoring:{name}")


ROW = re.compile(r'<tr data-(?:case|lead)="\d+" data-household="(\d+)"|<tr data-household="(\d+)"')


def _numbers(response) -> list[str]:
    """The household numbers of the rows of the page's list, in order."""
    html = response.content.decode()
    body = re.search(r'data-testid="rows">(.*?)</table>', html, flags=re.S).group(1)
    return [a or b for a, b in ROW.findall(body)]


def _row(response, number: str) -> str:
    html = response.content.decode()
    match = re.search(rf'data-household="{number}">(.*?)</tr>', html, flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", match.group(1))).strip()


def _monitored(area, number, *, status=Status.MONITORED, category=UNSTABLE, risks=("因病",), **kw):
    fields = {f"risk_{i}": risk for i, risk in enumerate(risks, start=1)}
    household_type = HouseholdType.ORDINARY if category == MARGINAL else HouseholdType.EXITED
    size = kw.pop("household_size", 1)
    household = make_household(
        area,
        household_number=number,
        household_type=kw.pop("household_type", household_type),
        monitoring_status=status,
        monitoring_category=category,
        **fields,
        **kw,
    )
    Household.objects.filter(pk=household.pk).update(household_size=size)
    household.household_size = size
    return household


def _case(household, actor, *, kind="identification", status=CaseStatus.VERIFYING, **fields):
    return MonitoringCase.objects.create(
        kind=kind,
        household=household,
        area=household.area,
        status=status,
        opened_by=actor,
        risk_1=fields.pop("risk_1", "因病"),
        **fields,
    )


def _lead(household, actor, deadline, status=RiskLead.Status.OPEN) -> RiskLead:
    return RiskLead.objects.create(
        household=household,
        area=household.area,
        source=RiskLead.Source.VISIT,
        description="走访发现家中有人住院",
        status=status,
        deadline=deadline,
        created_by=actor,
    )


def _income(household, year, per_capita, kind=IncomeRecord.Kind.ANNUAL) -> IncomeRecord:
    amount = Decimal(per_capita)
    return IncomeRecord.objects.create(
        household=household,
        year=year,
        kind=kind,
        wage_income=amount,
        business_income=0,
        property_income=0,
        transfer_income=0,
        business_expense=0,
        net_income=amount,
        household_size=1,
        per_capita_net_income=amount,
    )


def _queries(client, url, params=None) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url, params or {}).status_code == 200
    return len(captured.captured_queries)


def _export(client, name_key, data, django_capture_on_commit_callbacks):
    """Post the export form and return (job, sheet rows, downloaded bytes)."""
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("monitoring:list_export", args=[name_key]), data)
    job = Job.objects.latest("pk")
    assert response["Location"] == f"/jobs/{job.pk}/"
    assert job.status == Job.Status.DONE, job.message
    download = client.get(f"/jobs/{job.pk}/download/")
    content = b"".join(download.streaming_content)
    # Row 1 is the caption (the list, its filter, the as-of time); the header is row 2.
    rows = list(load_workbook(BytesIO(content)).active.iter_rows(min_row=2, values_only=True))
    return job, rows, content


def _check_audit(job, content, rows_expected):
    event = AuditEvent.objects.get(action="export", object_id=job.pk)
    assert event.data["rows"] == rows_expected
    assert event.data["sha256"] == job.result["sha256"] == hashlib.sha256(content).hexdigest()
    return event


# =============================================================================================
# The cast
# =============================================================================================


@pytest.fixture
def monitored(village_a, village_a2, village_b):
    """Township A: two not-eliminated households in village A (one with two risks), an
    eliminated one in A, a marginal one in A2, one whose elimination is under way; an
    unmonitored 脱贫户 and a monitored household merged away. Township B: one."""
    h = {
        "a_two_risks": _monitored(
            village_a, "211282104201001", risks=("因病", "因学"), household_size=3
        ),
        "a_pending": _monitored(
            village_a, "211282104201002", status=Status.ELIMINATION_PENDING, risks=("因残",)
        ),
        "a_eliminated": _monitored(
            village_a,
            "211282104201003",
            status=Status.ELIMINATED,
            category=SUDDEN,
            risks=("因自然灾害",),
            household_size=4,
        ),
        "a2_marginal": _monitored(
            village_a2, "211282104202001", category=MARGINAL, household_size=2
        ),
        "a_not_monitored": make_household(village_a, household_number="211282104201004"),
        "b": _monitored(village_b, "211282102201001", household_size=5),
    }
    merged = _monitored(village_a, "211282104201005")
    Household.objects.filter(pk=merged.pk).update(merged_into=h["a_two_risks"])
    return h


# =============================================================================================
# Access
# =============================================================================================


@pytest.mark.parametrize("name", LISTS)
@pytest.mark.parametrize("role", [Role.GRID_WORKER, Role.DEPARTMENT, Role.FINANCE])
def test_other_roles_get_403(client, village_a, county, name, role):
    area = village_a if role == Role.GRID_WORKER else county
    client.force_login(UserFactory(username=f"u_{role}", role=role, area=area))
    assert client.get(_url(name)).status_code == 403


def test_a_clerk_without_an_area_gets_403(client, reference_data):
    client.force_login(UserFactory(username="clerk_nowhere", role=Role.TOWNSHIP_CLERK, area=None))
    assert client.get(_url("list_monitored")).status_code == 403


@pytest.mark.parametrize("role", [Role.GRID_WORKER, Role.DEPARTMENT])
def test_other_roles_cannot_export(client, village_a, county, role):
    area = village_a if role == Role.GRID_WORKER else county
    client.force_login(UserFactory(username=f"u_{role}", role=role, area=area))
    response = client.post(reverse("monitoring:list_export", args=["monitored"]), {})
    assert response.status_code == 403
    assert not Job.objects.exists()


@pytest.mark.parametrize("name", LISTS)
@pytest.mark.parametrize("user", ["clerk_a", "bureau", "leader", "auditor", "admin_user"])
def test_county_roles_and_clerks_open_every_list(client, request, name, user):
    client.force_login(request.getfixturevalue(user))
    assert client.get(_url(name)).status_code == 200


# =============================================================================================
# 1. Monitored households
# =============================================================================================


def test_the_monitored_list_of_a_township_clerk(client, clerk_a, monitored):
    client.force_login(clerk_a)
    response = client.get(_url("list_monitored"))
    h = monitored
    assert _numbers(response) == [
        h["a_two_risks"].household_number,
        h["a_pending"].household_number,
        h["a_eliminated"].household_number,
        h["a2_marginal"].household_number,
    ]
    assert "因病、因学" in _row(response, h["a_two_risks"].household_number)


def _summary(response) -> dict[tuple[str, str], tuple[int, int]]:
    """(risk, category) → (households, persons) of the summary table ('' is the totals row)."""
    html = response.content.decode()
    table = re.search(r'data-testid="summary">(.*?)</table>', html, flags=re.S).group(1)
    found = {}
    for risk, row in re.findall(r'<tr data-risk="([^"]*)">(.*?)</tr>', table, flags=re.S):
        for category, households, persons in re.findall(
            r'data-category="([^"]*)" data-households="(\d+)" data-persons="(\d+)"', row
        ):
            found[(risk, category)] = (int(households), int(persons))
    return found


def test_the_summary_counts_a_household_once_per_risk_and_once_in_the_totals(
    client, clerk_a, monitored
):
    client.force_login(clerk_a)
    summary = _summary(client.get(_url("list_monitored")))
    assert summary[("因病", UNSTABLE)] == (1, 3)
    assert summary[("因病", MARGINAL)] == (1, 2)
    assert summary[("因病", SUDDEN)] == (0, 0)
    assert summary[("因病", "total")] == (2, 5)
    assert summary[("因学", UNSTABLE)] == (1, 3)
    assert summary[("因残", UNSTABLE)] == (1, 1)
    assert summary[("因自然灾害", SUDDEN)] == (1, 4)
    # each household once: 脱贫不稳定户 = the two-risk household (3) + the pending one (1)
    assert summary[("", UNSTABLE)] == (2, 4)
    assert summary[("", MARGINAL)] == (1, 2)
    assert summary[("", SUDDEN)] == (1, 4)
    assert summary[("", "total")] == (4, 10)
    assert ("因病", "total") in summary and not any(risk == "其他" for risk, _c in summary)


def test_the_monitored_list_filters_by_status_category_risk_and_village(
    client, clerk_a, monitored, village_a
):
    h = monitored
    client.force_login(clerk_a)
    url = _url("list_monitored")
    active = client.get(url, {"status": "active"})
    assert _numbers(active) == [
        h["a_two_risks"].household_number,
        h["a_pending"].household_number,
        h["a2_marginal"].household_number,
    ]
    assert _summary(active)[("", "total")] == (3, 6)  # the status filter applies to the table
    eliminated = client.get(url, {"status": "eliminated"})
    assert _numbers(eliminated) == [h["a_eliminated"].household_number]
    assert _numbers(client.get(url, {"category": MARGINAL})) == [h["a2_marginal"].household_number]
    assert _numbers(client.get(url, {"risk": "因学"})) == [h["a_two_risks"].household_number]
    by_village = client.get(url, {"village": village_a.pk})
    assert _numbers(by_village) == [
        h["a_two_risks"].household_number,
        h["a_pending"].household_number,
        h["a_eliminated"].household_number,
    ]
    assert _summary(by_village)[("", "total")] == (3, 8)


def test_the_bureau_filters_by_township_and_sees_only_its_villages(
    client, bureau, monitored, township_b, village_a, village_b
):
    client.force_login(bureau)
    url = _url("list_monitored")
    assert len(_numbers(client.get(url))) == 5
    response = client.get(url, {"township": township_b.pk})
    assert _numbers(response) == [monitored["b"].household_number]
    villages = re.search(r'id="f-village".*?</select>', response.content.decode(), re.S).group(0)
    assert f'value="{village_b.pk}"' in villages
    assert f'value="{village_a.pk}"' not in villages
    # a village of another township than the chosen one is ignored
    wrong = client.get(url, {"township": township_b.pk, "village": village_a.pk})
    assert _numbers(wrong) == [monitored["b"].household_number]


def test_a_clerk_cannot_reach_another_township_by_its_filters(
    client, clerk_a, monitored, township_b, village_b
):
    client.force_login(clerk_a)
    url = _url("list_monitored")
    for params in ({"township": township_b.pk}, {"village": village_b.pk}):
        response = client.get(url, params)
        assert monitored["b"].household_number not in response.content.decode()
        assert len(_numbers(response)) == 4
    villages = re.search(r'id="f-village".*?</select>', client.get(url).content.decode(), re.S)
    assert f'value="{village_b.pk}"' not in villages.group(0)


def test_the_monitored_list_pages_without_counting(client, bureau, village_a):
    for index in range(55):
        _monitored(village_a, f"2112821042019{index:02d}")
    client.force_login(bureau)
    first = client.get(_url("list_monitored"))
    assert len(_numbers(first)) == 50
    assert "page=2" in first.content.decode()
    second = client.get(_url("list_monitored"), {"page": 2})
    assert len(_numbers(second)) == 5
    assert "page=3" not in second.content.decode()


def _captured(client, url, params=None):
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url, params or {}).status_code == 200
    return captured.captured_queries


# =============================================================================================
# 2. Cases
# =============================================================================================


@pytest.fixture
def cases(clerk_a, village_a, village_a2, village_b):
    h1 = make_household(village_a, household_number="211282104201011")
    h2 = _monitored(village_a2, "211282104202011")
    h3 = make_household(village_a, household_number="211282104201012")
    h4 = make_household(village_b, household_number="211282102201011")
    c = {
        "overdue": _case(
            h1,
            clerk_a,
            application_date=TODAY - datetime.timedelta(days=35),
            deadline=TODAY - datetime.timedelta(days=7),
        ),
        "elimination": _case(h2, clerk_a, kind="elimination", status=CaseStatus.TOWNSHIP_REVIEW),
        "approved": _case(
            h3,
            clerk_a,
            status=CaseStatus.APPROVED,
            application_date=TODAY - datetime.timedelta(days=60),
            deadline=TODAY - datetime.timedelta(days=30),
        ),
        "b": _case(
            h4,
            clerk_a,
            application_date=TODAY - datetime.timedelta(days=40),
            deadline=TODAY - datetime.timedelta(days=10),
        ),
    }
    opened = timezone.now() - datetime.timedelta(days=10)
    MonitoringCase.objects.filter(pk=c["overdue"].pk).update(opened_at=opened)
    MonitoringCase.objects.filter(pk=c["approved"].pk).update(
        opened_at=timezone.now() - datetime.timedelta(days=61)
    )
    return c


def _case_ids(response) -> list[int]:
    body = re.search(r'data-testid="rows">(.*?)</table>', response.content.decode(), re.S).group(1)
    return [int(pk) for pk in re.findall(r'<tr data-case="(\d+)"', body)]


def test_the_case_list_shows_each_case_with_its_age_and_link(client, clerk_a, cases):
    client.force_login(clerk_a)
    response = client.get(_url("list_cases"))
    assert sorted(_case_ids(response)) == sorted(
        [cases["overdue"].pk, cases["elimination"].pk, cases["approved"].pk]
    )
    html = response.content.decode()
    row = re.search(rf'data-case="{cases["overdue"].pk}".*?</tr>', html, re.S).group(0)
    assert re.search(r'data-testid="days-open">10<', row)
    assert re.search(r'data-testid="days-application">35<', row)
    assert re.search(r'data-testid="over">.*?>5<', row, re.S)  # a week late = 5 working days
    assert f'href="/monitoring/cases/{cases["overdue"].pk}/"' in row
    approved = re.search(rf'data-case="{cases["approved"].pk}".*?</tr>', html, re.S).group(0)
    assert re.search(r'data-testid="over"></td>', approved)  # closed cases are never late


def test_the_case_list_filters_by_kind_state_and_overdue(client, clerk_a, cases, village_a2):
    client.force_login(clerk_a)
    url = _url("list_cases")
    ids = lambda params: sorted(_case_ids(client.get(url, params)))  # noqa: E731
    assert ids({"kind": "elimination"}) == [cases["elimination"].pk]
    assert ids({"kind": "identification"}) == sorted([cases["overdue"].pk, cases["approved"].pk])
    assert ids({"state": "open"}) == sorted([cases["overdue"].pk, cases["elimination"].pk])
    assert ids({"state": "approved"}) == [cases["approved"].pk]
    assert ids({"overdue": "yes"}) == [cases["overdue"].pk]
    assert ids({"village": village_a2.pk}) == [cases["elimination"].pk]


def test_the_bureau_sees_every_townships_cases(client, bureau, cases, township_b):
    client.force_login(bureau)
    assert len(_case_ids(client.get(_url("list_cases")))) == 4
    assert _case_ids(client.get(_url("list_cases"), {"township": township_b.pk})) == [cases["b"].pk]


# =============================================================================================
# 3. Overdue cases and leads (MON-ID-4)
# =============================================================================================


def test_working_days_are_counted_like_add_working_days():
    friday = datetime.date(2024, 11, 1)
    assert working_days_between(friday, datetime.date(2024, 11, 4)) == 1  # Monday
    assert working_days_between(friday, datetime.date(2024, 11, 3)) == 0  # Sunday
    assert working_days_between(friday, friday) == 0
    assert working_days_between(friday, dates.add_working_days(friday, 20)) == 20
    for start in (datetime.date(2024, 11, d) for d in range(1, 8)):
        for n in range(0, 30):
            end = dates.add_working_days(start, n)
            assert working_days_between(start, end) == n


def test_the_overdue_list_holds_open_identification_cases_past_their_deadline(
    client, clerk_a, cases, village_a
):
    on_time = make_household(village_a, household_number="211282104201013")
    _case(on_time, clerk_a, application_date=TODAY, deadline=TODAY)  # due today: not late
    elimination = make_household(village_a, household_number="211282104201014")
    _case(elimination, clerk_a, kind="elimination", deadline=TODAY - datetime.timedelta(days=3))
    client.force_login(clerk_a)
    response = client.get(_url("list_overdue"))
    assert _case_ids(response) == [cases["overdue"].pk]
    row = _row(response, cases["overdue"].household.household_number)
    assert row.split()[-2:] == ["5", "查看办理"]


def test_the_overdue_list_holds_open_leads_past_their_deadline(
    client, clerk_a, village_a, village_b
):
    late = _lead(make_household(village_a), clerk_a, TODAY - datetime.timedelta(days=14))
    _lead(make_household(village_a), clerk_a, TODAY)  # due today
    _lead(
        make_household(village_a),
        clerk_a,
        TODAY - datetime.timedelta(days=20),
        status=RiskLead.Status.NO_RISK,
    )
    _lead(make_household(village_b), clerk_a, TODAY - datetime.timedelta(days=20))
    client.force_login(clerk_a)
    response = client.get(_url("list_overdue"), {"section": "leads"})
    body = re.search(r'data-testid="rows">(.*?)</table>', response.content.decode(), re.S).group(1)
    assert re.findall(r'<tr data-lead="(\d+)"', body) == [str(late.pk)]
    assert _row(response, late.household.household_number).endswith("10")  # two weeks late
    # the filter form keeps the tab
    assert '<input type="hidden" name="section" value="leads">' in response.content.decode()


# =============================================================================================
# 4. Focus list (MON-FOCUS-1)
# =============================================================================================


@pytest.fixture
def focus(village_a, village_b):
    def exited(number, per_capita, **kw):
        return make_household(
            village_a,
            household_number=number,
            per_capita_income=Decimal(per_capita),
            income_year=YEAR,
            **kw,
        )

    h = {
        "low": exited("211282104201021", "9999.99"),
        "at_threshold": exited("211282104201022", "10000.00"),
        "just_above": exited("211282104201030", "10000.01"),
        "ordinary_low": exited("211282104201023", "5000.00", household_type=HouseholdType.ORDINARY),
        "fell": make_household(village_a, household_number="211282104201024"),
        # An ordinary household whose income fell is not 脱贫人口: not on the focus list.
        "ordinary_fell": make_household(
            village_a, household_number="211282104201029", household_type=HouseholdType.ORDINARY
        ),
        "steady": make_household(village_a, household_number="211282104201025"),
        "gap_year": make_household(village_a, household_number="211282104201026"),
        "both": exited("211282104201027", "8000.00"),
        "identification_only": make_household(village_a, household_number="211282104201028"),
        "b": make_household(
            village_b,
            household_number="211282102201021",
            per_capita_income=Decimal("3000"),
            income_year=YEAR,
        ),
    }
    _income(h["fell"], YEAR - 1, "12000.00")
    _income(h["fell"], YEAR, "11999.99")
    _income(h["ordinary_fell"], YEAR - 1, "12000.00")
    _income(h["ordinary_fell"], YEAR, "6000.00")
    _income(h["steady"], YEAR - 1, "12000.00")
    _income(h["steady"], YEAR, "12000.00")
    _income(h["gap_year"], YEAR - 2, "13000.00")
    _income(h["gap_year"], YEAR, "12000.00")
    _income(h["both"], YEAR - 1, "9000.00")
    _income(h["both"], YEAR, "8000.00")
    # only annual assessments compare year on year
    _income(h["identification_only"], YEAR - 1, "12000.00")
    _income(h["identification_only"], YEAR, "5000.00", kind=IncomeRecord.Kind.IDENTIFICATION)
    return h


def test_the_focus_list_at_its_thresholds(client, clerk_a, focus):
    client.force_login(clerk_a)
    response = client.get(_url("list_focus"))
    # "收入在万元以下" includes 10,000.00 itself (DOMAIN.md §1.5); 10,000.01 would not be listed.
    assert _numbers(response) == [
        focus["low"].household_number,
        focus["at_threshold"].household_number,
        focus["fell"].household_number,
        focus["both"].household_number,
    ]
    assert "人均纯收入在10000.00元以下" in _row(response, focus["low"].household_number)
    assert "人均纯收入在10000.00元以下" in _row(response, focus["at_threshold"].household_number)
    assert "收入同比下降" not in _row(response, focus["low"].household_number)
    fell = _row(response, focus["fell"].household_number)
    assert "收入同比下降" in fell and "以下" not in fell
    both = _row(response, focus["both"].household_number)
    assert "人均纯收入在10000.00元以下" in both and "收入同比下降" in both


def test_the_focus_list_filters_by_condition(client, clerk_a, focus):
    client.force_login(clerk_a)
    url = _url("list_focus")
    low = client.get(url, {"condition": "low_income"})
    assert _numbers(low) == [
        focus["low"].household_number,
        focus["at_threshold"].household_number,
        focus["both"].household_number,
    ]
    fell = client.get(url, {"condition": "income_fell"})
    assert _numbers(fell) == [focus["fell"].household_number, focus["both"].household_number]


def test_the_focus_threshold_is_the_one_of_the_income_year(client, clerk_a, village_a):
    PolicySettings.objects.update_or_create(
        year=YEAR + 1, defaults={"low_income_focus_threshold": Decimal("12000")}
    )
    this_year = make_household(
        village_a, per_capita_income=Decimal("11000"), income_year=YEAR, household_number="1"
    )
    next_year = make_household(
        village_a, per_capita_income=Decimal("11000"), income_year=YEAR + 1, household_number="2"
    )
    client.force_login(clerk_a)
    response = client.get(_url("list_focus"))
    assert _numbers(response) == [next_year.household_number]
    assert this_year.household_number not in _numbers(response)
    assert "人均纯收入在12000.00元以下" in _row(response, next_year.household_number)


# =============================================================================================
# 5. Households missing measures (MON-MEAS-1/2)
# =============================================================================================


@pytest.fixture
def measures(clerk_a, village_a, village_b):
    def identified(number, months, area=village_a):
        return _monitored(area, number, risk_identified_on=dates.add_months(TODAY, -months))

    def measure(household, group):
        AssistanceMeasure.objects.create(
            household=household,
            year=YEAR,
            group=group,
            subtype="措施",
            department="乡村振兴局",
            start_date=TODAY,
            created_by=clerk_a,
        )

    def without_labour(household):
        household.members.update(labour_skill=LabourSkill.NONE)
        return household

    h = {
        "no_dev_7m": identified("211282104201031", 7),
        "no_dev_6m": identified("211282104201032", 6),
        "no_dev_5m": identified("211282104201033", 5),
        "with_dev": identified("211282104201034", 7),
        "exited_no_labour": without_labour(
            make_household(village_a, household_number="211282104201035")
        ),
        "exited_no_labour_protected": without_labour(
            make_household(village_a, household_number="211282104201036")
        ),
        "ordinary_no_labour": without_labour(
            make_household(
                village_a,
                household_number="211282104201037",
                household_type=HouseholdType.ORDINARY,
            )
        ),
        "monitored_no_labour": without_labour(identified("211282104201038", 7)),
        "b": identified("211282102201031", 7, area=village_b),
    }
    measure(h["with_dev"], Group.INDUSTRY)
    measure(h["no_dev_7m"], Group.HEALTH)  # not a development-type measure
    measure(h["exited_no_labour_protected"], Group.SOCIAL_PROTECTION)
    return h


def test_the_measures_list_holds_exactly_the_households_breaking_the_rules(
    client, clerk_a, measures
):
    client.force_login(clerk_a)
    response = client.get(_url("list_measures"))
    assert _numbers(response) == [
        measures["no_dev_7m"].household_number,
        measures["no_dev_6m"].household_number,
        measures["exited_no_labour"].household_number,
        measures["monitored_no_labour"].household_number,
    ]
    no_dev = _row(response, measures["no_dev_6m"].household_number)
    assert no_dev.endswith("未落实开发式帮扶措施 帮扶措施")
    no_labour = _row(response, measures["monitored_no_labour"].household_number)
    assert "未落实综合保障措施" in no_labour and "开发式" not in no_labour
    assert "data-rule=" not in response.content.decode()  # ids are shown to the bureau only
    link = reverse("monitoring:household_measures", args=[measures["no_dev_7m"].pk])
    assert f'href="{link}"' in response.content.decode()


def test_the_measures_list_filters_by_rule(client, clerk_a, measures):
    client.force_login(clerk_a)
    url = _url("list_measures")
    assert _numbers(client.get(url, {"rule": "MON-MEAS-2"})) == [
        measures["exited_no_labour"].household_number,
        measures["monitored_no_labour"].household_number,
    ]
    assert _numbers(client.get(url, {"rule": "MON-MEAS-1"})) == [
        measures["no_dev_7m"].household_number,
        measures["no_dev_6m"].household_number,
    ]


# =============================================================================================
# The index
# =============================================================================================


def _counts(response) -> dict[str, list[int]]:
    html = response.content.decode()
    found = {}
    for key, body in re.findall(r'data-testid="count-(\w+)"(.*?)</a>', html, flags=re.S):
        found[key] = [int(n) for n in re.findall(r'data-count="(\d+)"', body)]
    return found


def test_the_index_counts_each_list_in_the_users_area(
    client, clerk_a, bureau, monitored, cases, focus, measures
):
    client.force_login(clerk_a)
    counts = _counts(client.get(_url("lists")))
    # monitored in A: 4 (monitored fixture) + 5 (measures fixture) + 1 (elimination case)
    assert counts["monitored"] == [10]
    assert counts["cases"] == [2]
    assert counts["overdue"] == [1, 0]
    assert counts["focus"] == [4]
    assert counts["measures"] == [4]
    client.force_login(bureau)
    counts = _counts(client.get(_url("lists")))
    assert counts["monitored"] == [12]
    assert counts["cases"] == [3]
    assert counts["overdue"] == [2, 0]
    assert counts["focus"] == [5]
    assert counts["measures"] == [5]


# =============================================================================================
# Constant query counts
# =============================================================================================


def _grow(village_a, village_a2, clerk_a, start: int, n: int) -> None:
    """n more rows for every list (monitored, cases, overdue cases and leads, focus, measures)."""
    for index in range(start, start + n):
        household = _monitored(
            village_a2 if index % 2 else village_a,
            f"9{index:05d}",
            risks=("因病", "因学"),
            risk_identified_on=dates.add_months(TODAY, -8),
            per_capita_income=Decimal("5000"),
            income_year=YEAR,
        )
        _income(household, YEAR - 1, "9000")
        _income(household, YEAR, "5000")
        _case(household, clerk_a, application_date=TODAY, deadline=TODAY - datetime.timedelta(1))
        _lead(household, clerk_a, TODAY - datetime.timedelta(days=3))


@pytest.mark.parametrize(
    ("name", "params"),
    [
        ("lists", {}),
        ("list_monitored", {}),
        ("list_monitored", {"township": "A", "village": "A", "risk": "因病"}),
        ("list_cases", {"state": "open"}),
        ("list_overdue", {}),
        ("list_overdue", {"section": "leads"}),
        ("list_focus", {}),
        ("list_measures", {}),
    ],
)
@pytest.mark.parametrize("user", ["bureau", "clerk_a"])
def test_each_list_runs_a_constant_number_of_queries(
    client,
    request,
    village_a,
    village_a2,
    township_a,
    clerk_a,
    name,
    params,
    user,
    django_assert_num_queries,
):
    params = {
        key: township_a.pk if key == "township" else village_a.pk if value == "A" else value
        for key, value in params.items()
    }
    client.force_login(request.getfixturevalue(user))
    _grow(village_a, village_a2, clerk_a, 0, 2)
    dates.working_calendar()  # read once per process, not per page (kaiyuan.common.dates)
    few = _queries(client, _url(name), params)
    _grow(village_a, village_a2, clerk_a, 2, 60)
    with django_assert_num_queries(few):
        assert client.get(_url(name), params).status_code == 200


@pytest.mark.parametrize("name", ["list_cases", "list_overdue", "list_focus", "list_measures"])
def test_the_row_lists_never_count(client, bureau, village_a, village_a2, clerk_a, name):
    _grow(village_a, village_a2, clerk_a, 0, 55)
    client.force_login(bureau)
    queries = _captured(client, _url(name))
    assert not [q["sql"] for q in queries if "COUNT(" in q["sql"].upper()]
    assert "page=2" in client.get(_url(name)).content.decode()


# =============================================================================================
# Exports
# =============================================================================================


def _id_numbers(households) -> set[str]:
    return {
        pii.decrypt(cipher)
        for household in households
        for cipher in household.members.values_list("id_cipher", flat=True)
    }


def _cells(rows) -> set[str]:
    return {str(value) for row in rows for value in row if value is not None}


def test_the_monitored_export_is_the_filtered_list_without_id_numbers(
    client, clerk_a, monitored, township_a, django_capture_on_commit_callbacks
):
    client.force_login(clerk_a)
    job, rows, content = _export(
        client, "monitored", {"status": "active"}, django_capture_on_commit_callbacks
    )
    assert rows[0][:6] == (
        "乡镇（街道）",
        "行政村（社区）",
        "户编号",
        "户主姓名",
        "户类型",
        "监测对象类别",
    )
    assert [row[2] for row in rows[1:]] == [
        monitored["a_two_risks"].household_number,
        monitored["a_pending"].household_number,
        monitored["a2_marginal"].household_number,
    ]
    assert rows[1][:2] == ("中固镇", "烟厂村")
    assert rows[1][6] == "因病、因学"
    assert not _cells(rows) & _id_numbers(monitored.values())
    event = _check_audit(job, content, 3)
    assert event.actor == clerk_a
    assert event.data["filters"] == {
        "status": "active",
        "area": township_a.code,
        "area_name": township_a.name,
    }


def test_the_summary_export_has_the_category_and_risk_table(
    client, clerk_a, monitored, django_capture_on_commit_callbacks
):
    client.force_login(clerk_a)
    job, rows, content = _export(
        client, "monitored", {"part": "summary"}, django_capture_on_commit_callbacks
    )
    assert rows[0] == ("监测对象类别", "致贫/返贫风险", "农户", "人数")
    assert (UNSTABLE, "因病", 1, 3) in rows
    assert (MARGINAL, "因病", 1, 2) in rows
    assert (SUDDEN, "因自然灾害", 1, 4) in rows
    assert (UNSTABLE, "全部风险类型", 2, 4) in rows
    assert rows[-1] == ("合计", "全部风险类型", 4, 10)
    assert _check_audit(job, content, len(rows) - 1).data["part"] == "summary"


def test_the_bureau_exports_one_townships_cases(
    client, bureau, cases, township_b, django_capture_on_commit_callbacks
):
    client.force_login(bureau)
    job, rows, content = _export(
        client, "cases", {"township": township_b.pk}, django_capture_on_commit_callbacks
    )
    assert [row[2] for row in rows[1:]] == [cases["b"].household.household_number]
    header = list(rows[0])
    assert rows[1][header.index("申请天数")] == 40
    assert rows[1][header.index("超期工作日")] == working_days_between(
        TODAY - datetime.timedelta(days=10), TODAY
    )
    assert _check_audit(job, content, 1).data["filters"]["area"] == township_b.code


def test_the_clerks_case_export_keeps_to_the_township(
    client, clerk_a, cases, django_capture_on_commit_callbacks
):
    client.force_login(clerk_a)
    # a township of B smuggled into the form changes nothing for a clerk
    job, rows, content = _export(
        client,
        "cases",
        {"township": cases["b"].area.parent_id, "state": "open"},
        django_capture_on_commit_callbacks,
    )
    assert sorted(row[2] for row in rows[1:]) == sorted(
        [
            cases["overdue"].household.household_number,
            cases["elimination"].household.household_number,
        ]
    )
    _check_audit(job, content, 2)


def test_the_overdue_exports(client, clerk_a, cases, village_a, django_capture_on_commit_callbacks):
    lead = _lead(make_household(village_a), clerk_a, TODAY - datetime.timedelta(days=7))
    client.force_login(clerk_a)
    job, rows, content = _export(client, "overdue", {}, django_capture_on_commit_callbacks)
    assert [row[2] for row in rows[1:]] == [cases["overdue"].household.household_number]
    assert rows[1][-1] == 5
    _check_audit(job, content, 1)
    job, rows, content = _export(
        client, "overdue", {"section": "leads"}, django_capture_on_commit_callbacks
    )
    assert rows[0][-2:] == ("办理期限", "超期工作日")
    assert [(row[2], row[-1]) for row in rows[1:]] == [(lead.household.household_number, 5)]
    assert _check_audit(job, content, 1).data["filters"]["section"] == "leads"


def test_the_focus_export_says_why_each_household_is_listed(
    client, clerk_a, focus, django_capture_on_commit_callbacks
):
    client.force_login(clerk_a)
    job, rows, content = _export(client, "focus", {}, django_capture_on_commit_callbacks)
    reasons = {row[2]: row[-1] for row in rows[1:]}
    assert reasons == {
        focus["low"].household_number: "人均纯收入在10000.00元以下",
        focus["at_threshold"].household_number: "人均纯收入在10000.00元以下",
        focus["fell"].household_number: "收入同比下降",
        focus["both"].household_number: "人均纯收入在10000.00元以下；收入同比下降",
    }
    header = list(rows[0])
    fell = next(row for row in rows if row[2] == focus["fell"].household_number)
    assert fell[header.index("年度人均纯收入")] == 11999.99
    assert fell[header.index("上年度人均纯收入")] == 12000
    _check_audit(job, content, 4)


def test_the_measures_export_names_the_rules(
    client, clerk_a, measures, django_capture_on_commit_callbacks
):
    client.force_login(clerk_a)
    job, rows, content = _export(client, "measures", {}, django_capture_on_commit_callbacks)
    # What is missing in words, and the rule beside it for whoever looks it up.
    assert {row[2]: (row[-2], row[-1]) for row in rows[1:]} == {
        measures["no_dev_7m"].household_number: ("未落实开发式帮扶措施", "MON-MEAS-1"),
        measures["no_dev_6m"].household_number: ("未落实开发式帮扶措施", "MON-MEAS-1"),
        measures["exited_no_labour"].household_number: ("未落实综合保障措施", "MON-MEAS-2"),
        measures["monitored_no_labour"].household_number: ("未落实综合保障措施", "MON-MEAS-2"),
    }
    _check_audit(job, content, 4)


def test_an_unknown_list_cannot_be_exported(client, bureau):
    client.force_login(bureau)
    assert client.post(reverse("monitoring:list_export", args=["members"])).status_code == 404
    assert client.get(reverse("monitoring:list_export", args=["cases"])).status_code == 405


def test_a_head_name_that_starts_a_formula_is_exported_as_text(
    client, clerk_a, village_a, django_capture_on_commit_callbacks
):
    typed = '=HYPERLINK("http://x","y")'
    _monitored(village_a, "211282104201009", head_name=typed, per_capita_income="7000.50")
    client.force_login(clerk_a)

    _job, rows, content = _export(client, "monitored", {}, django_capture_on_commit_callbacks)

    sheet = load_workbook(BytesIO(content)).active
    head = sheet["D3"]  # 户主姓名
    assert (head.data_type, head.value) == ("s", typed)
    income = sheet.cell(row=3, column=rows[0].index("家庭人均纯收入") + 1)
    assert (income.data_type, income.value) == ("n", 7000.5)
