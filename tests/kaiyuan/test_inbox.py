"""The 待办 inbox: its registry of sources, the notices the workflow leaves for the proposer of a
case, the counts and items scoped by area, the pages and the API, and a constant number of
queries whatever the number of items."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from kaiyuan.accounts.roles import Role
from kaiyuan.accounts.services import api_token_issue
from kaiyuan.audit.models import AuditEvent
from kaiyuan.common.dates import today
from kaiyuan.inbox import registry
from kaiyuan.inbox.models import Notice
from kaiyuan.inbox.registry import Entry, Source
from kaiyuan.inbox.selectors import inbox_counts
from monitoring.models import CaseStep, MonitoringCase
from monitoring.services import cases
from tests.factories import GridFactory, UserFactory
from tests.monitoring.case_steps import at_township_review
from tests.monitoring.factories import make_department_warning, make_household

pytestmark = [pytest.mark.django_db, pytest.mark.sqlite]
Status = MonitoringCase.Status


@pytest.fixture(autouse=True)
def chinese():
    with translation.override("zh-hans"):
        yield


def _count(user, key) -> int:
    return next(c.count for c in inbox_counts(user) if c.key == key)


# ---- the registry -------------------------------------------------------------------------------


def _source(key="test.waiting", **options):
    defaults = dict(
        label="测试",
        capability="cases.crosscheck",
        items=lambda user: MonitoringCase.objects.visible_to(user),
        entry=lambda case: Entry(subject=str(case), url="/"),
    )
    return Source(key, **{**defaults, **options})


@pytest.fixture
def registered():
    added = []

    def add(source):
        registry.register(source)
        added.append(source.key)
        return source

    yield add
    for key in added:
        registry.unregister(key)


def test_a_source_is_seen_by_the_roles_holding_its_capability(registered, bureau, clerk_a):
    registered(_source())
    assert registry.source_for(bureau, "test.waiting") is not None
    assert registry.source_for(clerk_a, "test.waiting") is None
    assert "test.waiting" not in registry.keys(registry.sources_for(clerk_a))


def test_applies_narrows_a_shared_capability(registered, bureau, leader):
    registered(_source(capability="cases.view", applies=lambda user: user.is_read_only))
    assert registry.source_for(leader, "test.waiting") is not None
    assert registry.source_for(bureau, "test.waiting") is None


def test_a_key_registered_by_two_sources_fails_at_start_up(registered):
    registered(_source())
    with pytest.raises(ImproperlyConfigured):
        registry.register(_source())


def test_every_registered_source_has_a_unique_key_and_a_known_capability():
    from kaiyuan.accounts.capabilities import MATRIX

    sources = registry.all_sources()
    assert len({s.key for s in sources}) == len(sources)
    assert {s.capability for s in sources} - {None} <= set(MATRIX)


# ---- notices from the workflow ------------------------------------------------------------------


@pytest.fixture
def case_in_review(village_a, clerk_a, bureau):
    return at_township_review(make_household(village_a, head_name="钱进"), clerk_a, bureau)


def test_a_returned_case_tells_the_clerk_who_proposed_it(case_in_review, clerk_a, reviewer_a):
    cases.case_township_review(
        case=case_in_review, actor=reviewer_a, passed=False, reason="核实人签字不全"
    )
    notice = Notice.objects.get()
    assert notice.recipient == clerk_a  # took the case's first (village) step
    assert notice.actor == reviewer_a
    assert notice.what == "乡镇退回"
    assert notice.reason == "核实人签字不全"
    assert "钱进户" in notice.subject
    assert notice.link == reverse("monitoring:case_detail", args=[case_in_review.pk])
    assert notice.area == case_in_review.area
    assert _count(clerk_a, "notices") == 1
    assert _count(reviewer_a, "notices") == 0


def test_the_county_decision_tells_the_proposer_and_a_pass_does_not(
    case_in_review, clerk_a, reviewer_a, bureau
):
    cases.case_township_review(case=case_in_review, actor=reviewer_a, passed=True)
    assert not Notice.objects.exists()
    cases.case_county_decide(case=case_in_review, actor=bureau, approved=True)
    notice = Notice.objects.get()
    assert (notice.recipient, notice.what) == (clerk_a, "县级审定通过")


def test_the_proposer_is_whoever_took_the_first_village_step(village_a, grid_worker_a, clerk_a):
    household = make_household(village_a)
    case = cases.case_open_identification(household=household, actor=grid_worker_a)
    from monitoring.models.cases import CASE_WORKFLOW

    assert CASE_WORKFLOW.proposer_of(case) == grid_worker_a.pk
    CaseStep.objects.filter(case=case).update(actor=clerk_a)
    assert CASE_WORKFLOW.proposer_of(case) == clerk_a.pk


def test_a_step_that_fails_leaves_no_notice(case_in_review, reviewer_a):
    with pytest.raises(RuntimeError), transaction.atomic():
        cases.case_township_review(case=case_in_review, actor=reviewer_a, passed=False, reason="退")
        assert Notice.objects.count() == 1
        raise RuntimeError  # something later in the same request fails
    assert not Notice.objects.exists()


def _notice_for(user, **fields):
    return Notice.objects.create(
        recipient=user,
        what="乡镇审核退回",
        subject="钱进户（2112821042010001）",
        link="/monitoring/lists/",
        area=user.area,
        **fields,
    )


def test_opening_a_notice_marks_it_read_audits_it_and_goes_to_the_step(client, clerk_a):
    notice = _notice_for(clerk_a)
    client.force_login(clerk_a)
    assert client.get(reverse("inbox:notice_open", args=[notice.pk])).status_code == 405
    response = client.post(reverse("inbox:notice_open", args=[notice.pk]))
    assert response.status_code == 302 and response["Location"] == notice.link
    notice.refresh_from_db()
    assert notice.read_at is not None
    event = AuditEvent.objects.get(action="notice_read")
    assert (event.actor, event.object_id) == (clerk_a, str(notice.pk))
    assert _count(clerk_a, "notices") == 0
    client.post(reverse("inbox:notice_open", args=[notice.pk]))  # again: nothing more recorded
    assert AuditEvent.objects.filter(action="notice_read").count() == 1


def test_another_users_notice_is_not_found(client, clerk_a, reviewer_a):
    notice = _notice_for(clerk_a)
    client.force_login(reviewer_a)
    assert client.post(reverse("inbox:notice_open", args=[notice.pk])).status_code == 404
    assert client.post(reverse("inbox:notice_open", args=[notice.pk + 999])).status_code == 404
    notice.refresh_from_db()
    assert notice.read_at is None


def test_a_notice_never_sends_its_reader_to_another_site(client, clerk_a):
    notice = _notice_for(clerk_a)
    Notice.objects.filter(pk=notice.pk).update(link="https://evil.example/")
    client.force_login(clerk_a)
    response = client.post(reverse("inbox:notice_open", args=[notice.pk]))
    assert response["Location"] == reverse("inbox:index")


# ---- counts and items, scoped -------------------------------------------------------------------


def _waiting_case(village, opener, status=Status.TOWNSHIP_REVIEW, **fields):
    household = make_household(village)
    case = MonitoringCase.objects.create(
        kind=MonitoringCase.Kind.IDENTIFICATION,
        household=household,
        area=village,
        status=status,
        opened_by=opener,
        application_date=today(),
        **{"deadline": today() + datetime.timedelta(days=10), **fields},
    )
    case.steps.create(action="open", level="village", to_state=status, actor=opener)
    return case


def _fill(village, opener, n):
    """``n`` items in each of a clerk's case, warning and lead sources, and visits due."""
    for _ in range(n):
        case = _waiting_case(village, opener)
        make_department_warning(case.household.members.get())
        _waiting_case(village, opener, status=Status.VERIFYING, crosscheck_on=today())
        cases.lead_create(
            household=make_household(village),
            actor=opener,
            source="self_application",
            description="突发",
        )


@pytest.fixture
def entered_by_a(township_a):
    return UserFactory(username="clerk2_a", role=Role.TOWNSHIP_CLERK, area=township_a)


@pytest.fixture
def entered_by_b(township_b):
    return UserFactory(username="clerk2_b", role=Role.TOWNSHIP_CLERK, area=township_b)


def test_a_clerk_sees_and_counts_only_their_townships_items(
    client, village_a, village_b, clerk_a, clerk_b, entered_by_a, entered_by_b
):
    mine = _waiting_case(village_a, entered_by_a)
    theirs = _waiting_case(village_b, entered_by_b)
    make_department_warning(theirs.household.members.get())
    _waiting_case(village_b, entered_by_b, status=Status.VERIFYING, crosscheck_on=today())
    assert _count(clerk_a, "cases.township_review") == 1
    assert _count(clerk_a, "warnings.verify") == 0
    assert _count(clerk_a, "cases.village_step") == 0
    assert _count(clerk_b, "cases.township_review") == 1
    client.force_login(clerk_a)
    html = client.get(reverse("inbox:index")).content.decode()
    assert str(mine.household) in html and str(theirs.household) not in html
    html = client.get(reverse("inbox:index"), {"source": "cases.township_review"}).content.decode()
    assert str(mine.household) in html and str(theirs.household) not in html
    home = client.get("/").content.decode()
    assert 'data-testid="inbox-count-cases.township_review"' in home


def test_the_items_link_to_the_step_page(client, village_a, clerk_a, entered_by_a):
    case = _waiting_case(village_a, entered_by_a)
    client.force_login(clerk_a)
    html = client.get(reverse("inbox:index"), {"source": "cases.township_review"}).content.decode()
    assert f'href="{reverse("monitoring:case_detail", args=[case.pk])}"' in html


def test_a_passed_deadline_is_shown_as_overdue(client, village_a, clerk_a, entered_by_a):
    _waiting_case(village_a, entered_by_a, deadline=today() - datetime.timedelta(days=1))
    client.force_login(clerk_a)
    html = client.get(reverse("inbox:index"), {"source": "cases.township_review"}).content.decode()
    assert 'data-testid="inbox-overdue"' in html and "已逾期" in html


def test_another_roles_source_and_an_unknown_one_are_not_found(client, clerk_a):
    client.force_login(clerk_a)
    for key in ("cases.crosscheck", "no.such.source"):
        assert client.get(reverse("inbox:index"), {"source": key}).status_code == 404


def test_the_inbox_needs_a_login(client):
    response = client.get(reverse("inbox:index"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert client.get("/api/v1/inbox/").status_code in (401, 403)


def _queries(client, url, params=None) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url, params or {}).status_code == 200
    return len(captured.captured_queries)


@pytest.mark.parametrize(
    ("url", "params"),
    [
        ("/", {}),
        ("/inbox/", {}),
        ("/inbox/", {"source": "cases.township_review"}),
        ("/inbox/", {"source": "warnings.verify"}),
        ("/inbox/", {"source": "visits.quarter"}),
        ("/api/v1/inbox/", {}),
        ("/api/v1/inbox/items/", {"source": "leads.open"}),
    ],
)
def test_the_queries_do_not_grow_with_the_items(
    client, village_a, clerk_a, entered_by_a, url, params
):
    client.force_login(clerk_a)
    _fill(village_a, entered_by_a, 1)
    few = _queries(client, url, params)
    _fill(village_a, entered_by_a, 7)
    assert _count(clerk_a, "cases.township_review") == 8
    assert _queries(client, url, params) == few


def test_a_grid_workers_inbox_costs_the_same_whatever_their_grid_holds(
    client, village_a, grid_worker_a
):
    grid = GridFactory(area=village_a, name="第二网格", worker=grid_worker_a)
    client.force_login(grid_worker_a)
    make_household(village_a, grid=grid)
    few = _queries(client, "/inbox/")
    for _ in range(6):
        make_household(village_a, grid=grid)
    assert _count(grid_worker_a, "visits.month") == 7
    assert _queries(client, "/inbox/") == few


# ---- the API ------------------------------------------------------------------------------------


def _api(client, user):
    _token, secret = api_token_issue(user=user)
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


def test_the_api_gives_the_counts_and_the_items(
    client, village_a, village_b, clerk_a, entered_by_a, entered_by_b
):
    case = _waiting_case(village_a, entered_by_a)
    _waiting_case(village_b, entered_by_b)
    headers = _api(client, clerk_a)
    body = client.get("/api/v1/inbox/", **headers).json()
    counts = {s["key"]: s["count"] for s in body["sources"]}
    assert counts["cases.township_review"] == 1
    assert "cases.crosscheck" not in counts
    assert body["total"] == sum(s["count"] for s in body["sources"] if not s["watch"])
    page = client.get("/api/v1/inbox/items/", {"source": "cases.township_review"}, **headers).json()
    [item] = page["results"]
    assert item["subject"] == str(case.household)
    assert item["url"] == reverse("monitoring:case_detail", args=[case.pk])
    assert item["deadline"] == case.deadline.isoformat() and item["overdue"] is False
    assert page["next"] is None


def test_the_api_answers_another_roles_source_as_an_unknown_one(client, clerk_a):
    headers = _api(client, clerk_a)
    hidden = client.get("/api/v1/inbox/items/", {"source": "cases.crosscheck"}, **headers)
    unknown = client.get("/api/v1/inbox/items/", {"source": "nothing"}, **headers)
    assert hidden.status_code == unknown.status_code == 400
    assert hidden.json() == unknown.json()


# ---- the home page ------------------------------------------------------------------------------


def test_a_clerks_home_lists_the_townships_villages_grids_and_grid_worker_logins(
    client, village_a, village_a2, village_b, clerk_a, grid_worker_a
):
    GridFactory(area=village_a, name="第一网格", worker=grid_worker_a)
    GridFactory(area=village_a2, name="第一网格")
    outsider = UserFactory(username="grid_b_worker", role=Role.GRID_WORKER, area=village_b)
    GridFactory(area=village_b, name="第一网格", worker=outsider)
    client.force_login(clerk_a)
    html = client.get("/").content.decode()
    assert "烟厂村" in html and "大白庙子村" in html
    assert '<code data-testid="grid-worker-login">grid_a</code>' in html
    assert "未配备网格员" in html
    assert "威远村" not in html and "grid_b_worker" not in html


def test_the_home_page_counts_link_to_the_filtered_inbox(client, village_a, clerk_a, entered_by_a):
    _waiting_case(village_a, entered_by_a)
    client.force_login(clerk_a)
    html = client.get("/").content.decode()
    assert 'href="/inbox/?source=cases.township_review"' in html
    # The case's household is also due for this quarter's township visit.
    assert _count(clerk_a, "visits.quarter") == 1
    assert 'data-testid="inbox-total">2<' in html
    assert 'href="/inbox/"' in html  # the navigation's 待办 too


def test_a_leaders_home_shows_watch_counts_labelled_as_such(client, leader):
    client.force_login(leader)
    html = client.get("/").content.decode()
    assert "仅供关注" in html
    assert 'data-testid="inbox-count-cases.overdue"' in html
