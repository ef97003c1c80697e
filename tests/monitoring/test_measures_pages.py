"""The assistance-measure pages as their users see them: a household's measures by year with its
MON-MEAS-1/2 standing, adding a measure (MON-ID-5 refusals in Chinese), marking a measure
implemented (and the stale-page conflict), and who may open or change what."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from kaiyuan.accounts.roles import Role
from kaiyuan.audit.models import AuditEvent
from kaiyuan.common import dates
from monitoring.codes import HouseholdType, LabourSkill, MonitoringCategory
from monitoring.models import AssistanceMeasure, Household, MonitoringCase
from tests.conftest import PINNED_NOW
from tests.factories import UserFactory
from tests.monitoring.factories import make_household

pytestmark = pytest.mark.django_db

# The pinned clock's day (tests/conftest.py), not the day the module is imported on.
TODAY = PINNED_NOW.date()
Group = AssistanceMeasure.Group


def _monitored(area, *, identified_months_ago: int = 7, **fields) -> Household:
    """A monitored household (脱贫不稳定户, 因病) whose head has ordinary labour."""
    return make_household(
        area,
        monitoring_status=Household.MonitoringStatus.MONITORED,
        monitoring_category=MonitoringCategory.UNSTABLE,
        risk_1="因病",
        risk_identified_on=dates.add_months(TODAY, -identified_months_ago),
        **fields,
    )


def _form(**changes) -> dict:
    data = {
        "year": str(TODAY.year),
        "group": Group.INDUSTRY,
        "subtype": "庭院经济",
        "description": "发放鸡雏50只",
        "department": "农业农村局",
        "amount": "1234.5",
        "start_date": TODAY.isoformat(),
        "status": AssistanceMeasure.Status.PLANNED,
    }
    data.update(changes)
    return data


def _measure(household, actor, **fields) -> AssistanceMeasure:
    values = {
        "year": TODAY.year,
        "group": Group.EMPLOYMENT,
        "subtype": "外出务工",
        "department": "人社局",
        "start_date": TODAY,
        "created_by": actor,
    }
    values.update(fields)
    return AssistanceMeasure.objects.create(household=household, **values)


def _text(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


@pytest.fixture
def household(village_a):
    return _monitored(village_a, head_name="刘有力")


# =============================================================================================
# The household's measures page
# =============================================================================================


def test_the_page_lists_measures_by_year_and_flags_a_missing_development_measure(
    client, clerk_a, household
):
    _measure(household, clerk_a, year=TODAY.year - 1, group=Group.HEALTH, subtype="医疗救助")
    client.force_login(clerk_a)
    response = client.get(reverse("monitoring:household_measures", args=[household.pk]))
    assert response.status_code == 200
    text = _text(response)
    assert f"{TODAY.year - 1}年度" in text
    assert "健康帮扶 · 医疗救助" in text
    check = re.search(r'data-testid="meas-check">(.*?)</div>', response.content.decode(), re.S)
    assert "尚未落实开发式帮扶措施" in check.group(1)
    assert "MON-MEAS-1" not in check.group(1)  # the id is for the bureau's eyes only


def test_with_a_development_measure_the_household_meets_the_rules(client, clerk_a, household):
    _measure(household, clerk_a, group=Group.EMPLOYMENT)
    client.force_login(clerk_a)
    response = client.get(reverse("monitoring:household_measures", args=[household.pk]))
    check = re.search(r'data-testid="meas-check">(.*?)</div>', response.content.decode(), re.S)
    assert "已按劳动能力落实相应帮扶措施" in check.group(1)


def test_a_household_without_labour_is_told_it_needs_a_safety_net_measure(
    client, clerk_a, village_a
):
    household = _monitored(village_a)
    household.members.update(labour_skill=LabourSkill.LOST)
    client.force_login(clerk_a)
    response = client.get(reverse("monitoring:household_measures", args=[household.pk]))
    assert "家庭成员均无劳动能力，应落实综合保障措施。" in _text(response)
    assert "MON-MEAS-2" not in _text(response)  # a township clerk reads no rule ids


# =============================================================================================
# Adding a measure
# =============================================================================================


def test_a_clerk_adds_a_measure_with_its_amount_in_yuan(client, clerk_a, household):
    client.force_login(clerk_a)
    url = reverse("monitoring:measure_add", args=[household.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, _form())
    assert response.status_code == 302
    assert response["Location"] == reverse("monitoring:household_measures", args=[household.pk])
    measure = AssistanceMeasure.objects.get(household=household)
    assert measure.amount == Decimal("1234.50")
    assert str(measure.amount) == "1234.50"
    assert (measure.group, measure.subtype, measure.department) == (
        "产业帮扶",
        "庭院经济",
        "农业农村局",
    )
    assert measure.created_by == clerk_a
    event = AuditEvent.objects.get(object_id=measure.pk, action="create")
    assert event.actor == clerk_a
    assert event.data["amount"] == "1234.50"
    page = client.get(response["Location"])
    assert "1234.50" in _text(page)
    assert "已按劳动能力落实相应帮扶措施" in _text(page)  # the measure meets MON-MEAS-1


def test_a_grid_worker_adds_a_measure_in_the_village(client, grid_worker_a, household):
    client.force_login(grid_worker_a)
    response = client.post(reverse("monitoring:measure_add", args=[household.pk]), _form(amount=""))
    assert response.status_code == 302
    assert AssistanceMeasure.objects.get(household=household).amount is None


@pytest.mark.parametrize(
    ("amount", "message"),
    [("12.345", "小数不超过 2 位"), ("-1", "大于或等于0"), ("一千", "输入一个数字")],
)
def test_a_bad_amount_is_refused_in_chinese_and_nothing_is_saved(
    client, clerk_a, household, amount, message
):
    client.force_login(clerk_a)
    response = client.post(
        reverse("monitoring:measure_add", args=[household.pk]), _form(amount=amount)
    )
    assert response.status_code == 200
    assert message in _text(response)
    assert not AssistanceMeasure.objects.exists()


def test_identification_still_under_way_refuses_a_measure_mon_id_5(client, clerk_a, village_a):
    household = make_household(village_a, household_type=HouseholdType.ORDINARY)
    MonitoringCase.objects.create(
        kind=MonitoringCase.Kind.IDENTIFICATION,
        household=household,
        area=village_a,
        status=MonitoringCase.Status.VERIFYING,
        risk_1="因病",
        opened_by=clerk_a,
    )
    client.force_login(clerk_a)
    url = reverse("monitoring:measure_add", args=[household.pk])
    warning = "该户尚在识别中：只有因自然灾害的可在县级审定前落实帮扶措施。"
    assert warning in _text(client.get(url))  # said before the clerk fills the form
    response = client.post(url, _form())
    assert response.status_code == 200
    assert warning in _text(response)
    assert not AssistanceMeasure.objects.exists()
    assert not AuditEvent.objects.filter(action="create").exists()


def test_a_natural_disaster_case_may_receive_measures_before_approval(client, clerk_a, village_a):
    household = make_household(village_a, household_type=HouseholdType.ORDINARY)
    MonitoringCase.objects.create(
        kind=MonitoringCase.Kind.IDENTIFICATION,
        household=household,
        area=village_a,
        status=MonitoringCase.Status.TOWNSHIP_REVIEW,
        risk_1="因自然灾害",
        opened_by=clerk_a,
    )
    client.force_login(clerk_a)
    response = client.post(
        reverse("monitoring:measure_add", args=[household.pk]),
        _form(group=Group.HOUSING, subtype="危房改造"),
    )
    assert response.status_code == 302
    assert AssistanceMeasure.objects.filter(household=household).count() == 1


def test_an_ordinary_household_outside_monitoring_gets_no_measure(client, clerk_a, village_a):
    household = make_household(village_a, household_type=HouseholdType.ORDINARY)
    client.force_login(clerk_a)
    response = client.post(reverse("monitoring:measure_add", args=[household.pk]), _form())
    assert "帮扶措施只登记给脱贫户和监测对象。" in _text(response)
    assert not AssistanceMeasure.objects.exists()


def test_the_group_select_fetches_its_suggestions(client, clerk_a, household):
    client.force_login(clerk_a)
    url = reverse("monitoring:measure_add", args=[household.pk])
    form = client.get(url).content.decode()
    assert 'hx-get="' + url + '"' in form
    assert '<option value="庭院经济">' in form  # the first group's suggestions
    response = client.get(url, {"group": "综合保障"}, headers={"HX-Request": "true"})
    assert response.content.decode().startswith('<datalist id="measure-suggestions">')
    assert '<option value="低保">' in response.content.decode()
    assert "庭院经济" not in response.content.decode()


# =============================================================================================
# Implemented / back to planned
# =============================================================================================


def test_a_measure_is_marked_implemented_and_back(client, clerk_a, household):
    measure = _measure(household, clerk_a)
    client.force_login(clerk_a)
    url = reverse("monitoring:measure_status", args=[measure.pk])
    response = client.post(url, {"status": "implemented", "version": 1})
    assert response.status_code == 302
    measure.refresh_from_db()
    assert (measure.status, measure.version) == ("implemented", 2)
    event = AuditEvent.objects.get(object_id=measure.pk, action="implement")
    assert (event.from_state, event.to_state, event.actor) == ("planned", "implemented", clerk_a)
    page = client.get(response["Location"]).content.decode()
    assert "退回计划实施" in page
    assert "标记为已实施" not in page
    assert 'name="version" value="2"' in page
    client.post(url, {"status": "planned", "version": 2})
    measure.refresh_from_db()
    assert (measure.status, measure.version) == ("planned", 3)


def test_a_stale_page_gets_the_conflict_message(client, clerk_a, bureau, household):
    measure = _measure(household, clerk_a)
    client.force_login(bureau)
    client.post(
        reverse("monitoring:measure_status", args=[measure.pk]),
        {"status": "implemented", "version": 1},
    )
    client.force_login(clerk_a)  # the clerk's page still shows version 1
    response = client.post(
        reverse("monitoring:measure_status", args=[measure.pk]),
        {"status": "implemented", "version": 1},
        follow=True,
    )
    assert "其他人已办理" in _text(response) and "已实施" in _text(response)
    measure.refresh_from_db()
    assert (measure.status, measure.version) == ("implemented", 2)
    assert AuditEvent.objects.filter(object_id=measure.pk, action="implement").count() == 1


# =============================================================================================
# Roles and areas
# =============================================================================================


def test_a_clerk_of_another_township_gets_404(client, clerk_b, clerk_a, household):
    measure = _measure(household, clerk_a)
    client.force_login(clerk_b)
    assert (
        client.get(reverse("monitoring:household_measures", args=[household.pk])).status_code == 404
    )
    add = reverse("monitoring:measure_add", args=[household.pk])
    assert client.get(add).status_code == 404
    assert client.post(add, _form()).status_code == 404
    status = reverse("monitoring:measure_status", args=[measure.pk])
    assert client.post(status, {"status": "implemented", "version": 1}).status_code == 404
    measure.refresh_from_db()
    assert measure.status == "planned"
    assert AssistanceMeasure.objects.count() == 1


def test_a_grid_worker_of_another_village_gets_404(client, village_a2, household):
    other = UserFactory(username="grid_a2", role=Role.GRID_WORKER, area=village_a2)
    client.force_login(other)
    assert (
        client.get(reverse("monitoring:household_measures", args=[household.pk])).status_code == 404
    )


@pytest.mark.parametrize("reader", ["leader", "auditor"])
def test_leaders_and_auditors_read_but_may_not_write(client, request, clerk_a, household, reader):
    measure = _measure(household, clerk_a)
    client.force_login(request.getfixturevalue(reader))
    page = client.get(reverse("monitoring:household_measures", args=[household.pk]))
    assert page.status_code == 200
    assert "外出务工" in _text(page)
    assert reverse("monitoring:measure_add", args=[household.pk]) not in page.content.decode()
    assert "标记为已实施" not in _text(page)
    add = reverse("monitoring:measure_add", args=[household.pk])
    assert client.get(add).status_code == 403
    assert client.post(add, _form()).status_code == 403
    status = reverse("monitoring:measure_status", args=[measure.pk])
    assert client.post(status, {"status": "implemented", "version": 1}).status_code == 403
    measure.refresh_from_db()
    assert measure.status == "planned"
    assert AssistanceMeasure.objects.count() == 1


def test_finance_does_not_open_the_pages(client, county, household):
    client.force_login(UserFactory(username="u_finance", role=Role.FINANCE, area=county))
    assert (
        client.get(reverse("monitoring:household_measures", args=[household.pk])).status_code == 403
    )
    assert client.get(reverse("monitoring:measure_add", args=[household.pk])).status_code == 403


def test_a_department_sees_no_household_its_warnings_do_not_concern(client, county, household):
    user = UserFactory(username="u_dept", role=Role.DEPARTMENT, department="civil", area=county)
    client.force_login(user)
    assert (
        client.get(reverse("monitoring:household_measures", args=[household.pk])).status_code == 404
    )
    assert client.get(reverse("monitoring:measure_add", args=[household.pk])).status_code == 403


def test_the_bureau_writes_anywhere_in_the_county(client, bureau, village_b):
    household = _monitored(village_b)
    client.force_login(bureau)
    response = client.post(reverse("monitoring:measure_add", args=[household.pk]), _form())
    assert response.status_code == 302
    assert AssistanceMeasure.objects.filter(household=household, created_by=bureau).exists()


def test_the_status_switch_only_takes_posts(client, clerk_a, household):
    measure = _measure(household, clerk_a)
    client.force_login(clerk_a)
    assert client.get(reverse("monitoring:measure_status", args=[measure.pk])).status_code == 405


def test_the_measures_page_runs_a_constant_number_of_queries(
    client, clerk_a, household, django_assert_num_queries
):
    _measure(household, clerk_a)
    client.force_login(clerk_a)
    url = reverse("monitoring:household_measures", args=[household.pk])
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for year in range(TODAY.year - 4, TODAY.year + 1):
        for group in (Group.INDUSTRY, Group.HEALTH):
            _measure(household, clerk_a, year=year, group=group)
    with django_assert_num_queries(len(few.captured_queries)):
        response = client.get(url)
    assert response.content.decode().count("data-measure=") == 11
