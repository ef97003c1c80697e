"""Read-only and partial roles are shown only the links they may follow.

Leaders, auditors and department staff used to see 修改, 帮扶措施 and 明白卡 links that answered
403. Each of the roles below opens the main pages and a household of its own area, on a small
cast of records made with the factories, and follows every link of this site on them: none may
answer 403 or 404. The demo-wide walk is tests/kaiyuan/test_crawl.py; this one is small enough to
name what each page offers.
"""

from __future__ import annotations

import datetime

import pytest
from django.test import Client

from kaiyuan.common.dates import today
from monitoring.models import AssistanceMeasure, MonitoringCase, RiskLead
from tests.kaiyuan.test_crawl import _crawl
from tests.monitoring.factories import make_department_warning, make_household, make_member

pytestmark = pytest.mark.django_db

ROLES = ("leader", "auditor", "dept_medical", "grid_worker_a", "clerk_a")


@pytest.fixture
def cast(village_a, grid_a, clerk_a):
    """A monitored household with an open case, a measure, a sector warning and a member who
    breaks a data-quality rule; and a poverty-exited household with an open risk lead."""
    monitored = make_household(village_a, grid=grid_a, head_name="李德福")
    monitored.monitoring_status = monitored.MonitoringStatus.MONITORED
    monitored.monitoring_category = "突发严重困难户"
    monitored.risk_identified_on = today() - datetime.timedelta(days=400)
    monitored.save()
    member = make_member(monitored, name="李小龙", work_months=5, work_place="")
    make_department_warning(member)
    MonitoringCase.objects.create(
        kind="identification",
        household=monitored,
        area=village_a,
        status=MonitoringCase.Status.VERIFYING,
        opened_by=clerk_a,
        risk_1="因病",
    )
    AssistanceMeasure.objects.create(
        household=monitored,
        year=today().year,
        group=AssistanceMeasure.Group.EMPLOYMENT,
        subtype="外出务工",
        department="人社局",
        start_date=today(),
        created_by=clerk_a,
    )
    exited = make_household(village_a, grid=grid_a, head_name="王建国")
    RiskLead.objects.create(
        household=exited,
        area=village_a,
        source=RiskLead.Source.VISIT,
        description="走访发现家中有人住院",
        deadline=today() + datetime.timedelta(days=5),
        created_by=clerk_a,
    )
    return [monitored, exited]


def _start(households) -> list[str]:
    return [
        "/",
        "/monitoring/",
        "/monitoring/households/",
        f"/monitoring/households/search/?q={households[0].head_name}",
        *(f"/monitoring/households/{h.pk}/" for h in households),
        f"/monitoring/households/{households[0].pk}/measures/",
        f"/monitoring/households/{households[0].pk}/card/",
        "/monitoring/lists/",
        "/monitoring/lists/measures/",
        "/monitoring/leads/",
        "/monitoring/warnings/",
        "/monitoring/visits/my-month/",
        "/monitoring/visits/coverage/",
        "/monitoring/cards/",
        "/monitoring/quality/",
        "/projects/library/",
        "/monitoring/quality/MON-DQ-6/",
    ]


@pytest.mark.parametrize("role", ROLES)
def test_no_link_shown_to_the_role_answers_403_or_404(request, role, cast):
    user = request.getfixturevalue(role)
    client = Client(raise_request_exception=False)
    client.force_login(user)

    failures, visited = _crawl(client, _start(cast))

    assert visited > len(_start(cast)), f"{role} followed no link: the test is broken"
    assert failures == []


def _hrefs(client, url) -> str:
    return client.get(url).content.decode()


def test_readers_are_not_offered_the_forms_of_the_quality_page(client, leader, auditor, cast):
    member = cast[0].members.get(name="李小龙")
    for reader in (leader, auditor):
        client.force_login(reader)
        page = _hrefs(client, "/monitoring/quality/MON-DQ-6/")
        assert f"/monitoring/members/{member.pk}/edit/" not in page
        assert f'href="/monitoring/households/{cast[0].pk}/"' in page


def test_department_staff_are_not_offered_the_household_list_or_the_card(
    client, dept_medical, cast
):
    client.force_login(dept_medical)
    assert 'href="/monitoring/households/"' not in _hrefs(client, "/monitoring/")
    page = _hrefs(client, f"/monitoring/households/{cast[0].pk}/")
    assert "/card/" not in page
    assert f"/monitoring/households/{cast[0].pk}/measures/" in page  # their sector's measures


def test_readers_see_measures_and_cards_but_no_way_to_change_them(client, leader, cast):
    client.force_login(leader)
    household = _hrefs(client, f"/monitoring/households/{cast[0].pk}/")
    assert f"/monitoring/households/{cast[0].pk}/measures/" in household
    assert f"/monitoring/households/{cast[0].pk}/card/" in household
    assert "/edit/" not in household and "/members/add/" not in household
    measures = _hrefs(client, f"/monitoring/households/{cast[0].pk}/measures/")
    assert "/measures/add/" not in measures and "/status/" not in measures
    leads = _hrefs(client, "/monitoring/leads/")
    assert "/close/" not in leads and "/open-case/" not in leads
