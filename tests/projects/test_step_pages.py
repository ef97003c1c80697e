"""The steps of a project's page: each form only for who may take it now, a step through the
page moves the project, refusals land on the step's form, and a page opened before someone
else acted is told so."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.utils.translation import gettext

from kaiyuan.common.dates import today
from projects.codes import Category, OperatingMode, PublicityMedium, Subcategory
from projects.models import ProjectAttachment, PublicityRecord
from projects.models.projects import PROJECT_WORKFLOW
from projects.rules import implementation as implementation_rules
from projects.rules import projects as project_rules
from projects.rules import publicity as publicity_rules
from projects.services import publicity, reviews
from projects.services.reviews import ADJUSTABLE_FIELDS
from tests.factories import UserFactory
from tests.projects.factories import People, new_project, people_for, walk
from tests.projects.page_steps import done, forms_on, fresh, page, pdf, photo, post_step, url

pytestmark = [pytest.mark.django_db, pytest.mark.sqlite]

WORKFLOW_FORMS = "document"  # the upload is on every writer's page; the steps are the others


def steps_shown(client, user, project) -> set[str]:
    client.force_login(user)
    return forms_on(page(client, project)) - {WORKFLOW_FORMS}


def later(clock, days: int) -> None:
    clock.move_to(
        datetime.datetime.combine(today() + datetime.timedelta(days=days), datetime.time(10))
    )


@pytest.fixture
def people(village_a):
    return people_for(village_a)


@pytest.fixture
def project(village_a, people):
    return new_project([village_a], people)


# ---- who sees which form ---------------------------------------------------------------------

EXPECTED = {
    # state: (proposer = the village's grid worker, township clerk, department, bureau)
    "proposed": ({"recall", "publicity_record"}, {"recall", "publicity_record"}, set(), set()),
    "township_review": (set(), {"township_review"}, set(), set()),
    "township_publicity": (set(), {"publicity_record"}, set(), set()),
    "sector_review": (set(), set(), {"department_review"}, set()),
    "county_review": (set(), set(), set(), {"joint_review", "county_decide"}),
    "county_decided": (set(), set(), set(), {"withdraw"}),
    "county_announced": (set(), set(), set(), {"admit", "withdraw"}),
    "in_library": (set(), set(), set(), {"plan", "adjust", "roll_over", "withdraw"}),
    "planned": ({"start"}, {"start"}, set(), {"start", "adjust", "withdraw"}),
    "implementing": (
        {"progress_report", "complete"},
        {"progress_report", "complete"},
        set(),
        {"progress_report", "complete", "adjust"},
    ),
    "completed": (set(), set(), set(), {"acceptance"}),
    "accepted": (
        {"handover", "agreement"},
        {"handover", "agreement"},
        set(),
        {"handover", "agreement"},
    ),
    "handed_over": (
        {"operate", "agreement"},
        {"operate", "agreement"},
        set(),
        {"operate", "agreement"},
    ),
    "operating": (set(), set(), set(), set()),
}


@pytest.mark.parametrize("state", list(EXPECTED))
def test_each_step_form_is_shown_only_to_who_may_take_it(
    client, clock, project, people, leader, state
):
    project = walk(project, state, people, clock)
    users = (people.proposer, people.township, people.department, people.bureau)
    shown = tuple(steps_shown(client, user, project) for user in users)
    assert shown == EXPECTED[state]
    assert "document" in forms_on(page(client, project))  # the bureau adds documents at any step
    client.force_login(leader)
    html = page(client, project)
    assert forms_on(html) == set()  # a reader is offered nothing, not even the upload
    if state != "operating":
        assert 'data-testid="project-waiting"' in html


def test_a_draft_is_submitted_by_its_proposer_with_the_edit_link_until_then(
    client, project, people, leader
):
    client.force_login(people.proposer)
    html = page(client, project)
    assert forms_on(html) == {"submit", "document"}
    assert f'href="/projects/{project.pk}/edit/"' in html
    client.force_login(leader)
    assert 'data-testid="project-edit"' not in page(client, project)
    client.force_login(people.proposer)
    response = post_step(client, project, "submit")
    assert response.status_code == 302 and response["Location"] == url(project)
    project = fresh(project)
    assert project.status == "proposed"
    assert 'data-testid="project-edit"' not in page(client, project)


# ---- the whole way through the page ----------------------------------------------------------


def test_a_village_proposal_goes_from_submission_to_operation_through_its_page(
    client, clock, project, people
):
    def step(user, name, data=None, *, to=None):
        client.force_login(user)
        response = post_step(client, project, name, data)
        assert response.status_code == 302, forms_on(response.content.decode())
        assert response["Location"] == url(project)
        moved = fresh(project)
        if to is not None:
            assert moved.status == to, name
        return moved

    def publicise(user, board):
        start = today()
        step(
            user,
            "publicity_record",
            {
                "level": board,
                "medium": PublicityMedium.BOARD,
                "place": "村部公开栏",
                "start_date": start.isoformat(),
                "end_date": (start + datetime.timedelta(days=9)).isoformat(),
                "photos": [photo("一.jpg"), photo("二.jpg")],
            },
        )

    project = step(people.proposer, "submit", to="proposed")
    publicise(people.proposer, "village")
    project = fresh(project)
    assert project.status == "village_publicity"
    record = PublicityRecord.objects.get(project=project)
    photos = ProjectAttachment.objects.filter(publicity=record, kind="publicity_photo")
    assert sorted(photos.values_list("name", flat=True)) == ["一.jpg", "二.jpg"]
    project = step(
        people.proposer,
        "objection_record",
        {"record": record.pk, "received_on": today().isoformat(), "text": "选址占用耕地"},
    )
    objection = record.objections.get()
    project = step(
        people.proposer,
        "objection_handle",
        {"objection": objection.pk, "upheld": "false", "handling": "经核实不占耕地，已答复"},
        to="village_publicity",
    )
    later(clock, 10)
    project = step(people.proposer, "publicity_close", to="township_review")
    project = step(
        people.township, "township_review", {"decision": "pass"}, to="township_publicity"
    )
    publicise(people.township, "township")
    later(clock, 10)
    project = step(people.township, "publicity_close", to="sector_review")
    project = step(
        people.department,
        "department_review",
        {"passed": "true", "opinion": "符合行业规划"},
        to="county_review",
    )
    project = step(people.bureau, "joint_review", {"opinion": "论证通过"}, to="county_review")
    project = step(people.bureau, "county_decide", {"approved": "true"}, to="county_decided")
    client.force_login(people.bureau)
    start = today()
    response = client.post(
        f"/projects/announcements/new/?year={project.year}",  # the page of a year's announcement
        {
            "title": "",
            "number": "开乡振发〔2026〕3号",
            "medium": PublicityMedium.WEBSITE,
            "start_date": start.isoformat(),
            "end_date": (start + datetime.timedelta(days=9)).isoformat(),
            "projects": [project.pk],
        },
    )
    assert response.status_code == 302
    later(clock, 10)
    project = step(people.bureau, "admit", to="in_library")
    project = step(people.bureau, "plan", {"plan_year": project.year}, to="planned")
    project = step(people.township, "start", {"started_on": today().isoformat()}, to="implementing")
    project = step(
        people.township,
        "progress_report",
        {
            "reported_on": today().isoformat(),
            "percent": "100",
            "text": "全部完工",
            "photos": photo(),
        },
        to="implementing",
    )
    assert (
        ProjectAttachment.objects.filter(
            kind="progress_photo", progress_report__isnull=False
        ).count()
        == 1
    )
    project = step(people.township, "complete", to="completed")
    project = step(
        people.bureau,
        "acceptance",
        {
            "accepted_on": today().isoformat(),
            "result": "合格",
            "inspectors": "市乡村振兴局验收组",
            "documents": pdf(),
        },
        to="accepted",
    )
    assert project.acceptances.get().attachments.get().kind == "acceptance"
    project = step(
        people.township,
        "handover",
        {
            "handed_over_on": today().isoformat(),
            "asset_formed": "true",
            "assets": "育秧大棚20座",
            "value": "1000000.00",
            "recipient": "烟厂村股份经济合作社",
        },
        to="handed_over",
    )
    project = step(
        people.township, "operate", {"mode": OperatingMode.VILLAGE_COLLECTIVE}, to="operating"
    )
    client.force_login(people.bureau)
    html = page(client, project)
    for label in ("村级申报", "乡镇审核通过", "行业部门审核通过", "县级审定"):
        assert label in html  # the step history, in words
    assert "选址占用耕地" in html and "经核实不占耕地，已答复" in html


# ---- refusals on the form --------------------------------------------------------------------


def test_a_publicity_cannot_be_ended_on_its_last_day(client, clock, project, people):
    project = walk(project, "proposed", people, clock)
    publicity.publicity_record(
        project=project,
        level="village",
        medium=PublicityMedium.BOARD,
        start_date=today(),
        end_date=today() + datetime.timedelta(days=9),
        expected_version=project.version,
        actor=people.proposer,
    )
    later(clock, 9)  # the tenth day: still running
    client.force_login(people.proposer)
    response = post_step(client, project, "publicity_close")
    assert response.status_code == 200
    record = PublicityRecord.objects.get(project=project)
    [problem] = publicity_rules.ended_problems(record, today=today(), days=10)
    assert problem.message in response.content.decode()
    assert fresh(project).status == "village_publicity"
    later(clock, 1)
    client.force_login(people.proposer)  # the session of ten days ago has expired
    assert done(post_step(client, project, "publicity_close"))
    assert fresh(project).status == "township_review"


def test_the_township_review_refuses_a_proposal_without_performance_targets(
    client, clock, project, people
):
    project.indicators.all().delete()
    project = walk(project, "township_review", people, clock)
    client.force_login(people.township)
    response = post_step(client, project, "township_review", {"decision": "pass"})
    html = response.content.decode()
    [problem] = project_rules.review_field_problems(fresh(project))
    assert problem.rule == "PRJ-4"
    assert problem.message in html
    assert 'data-testid="step-township_review"' in html
    assert fresh(project).status == "township_review"


def test_returning_or_not_approving_needs_an_opinion(client, clock, project, people):
    project = walk(project, "township_review", people, clock)
    client.force_login(people.township)
    html = post_step(client, project, "township_review", {"decision": "return"}).content.decode()
    assert gettext("Give the reason.") in html
    response = post_step(
        client, project, "township_review", {"decision": "return", "reason": "投资估算不全"}
    )
    assert response.status_code == 302
    assert fresh(project).status == "idea"


def test_the_department_of_another_sector_neither_sees_nor_reviews_the_project(
    client, clock, project, people, dept_medical
):
    project = walk(project, "sector_review", people, clock)
    client.force_login(dept_medical)
    assert client.get(url(project)).status_code == 404
    response = post_step(
        client, project, "department_review", {"passed": "true", "opinion": "同意"}
    )
    assert response.status_code == 404
    assert fresh(project).status == "sector_review"
    # The agriculture department, whose sector it is, reviews it.
    assert steps_shown(client, people.department, project) == {"department_review"}


def test_a_township_clerk_who_took_the_villages_steps_leaves_the_review_to_another(
    client, clock, village_a, clerk_a, reviewer_a
):
    base = people_for(village_a)
    people = People(
        proposer=clerk_a, township=reviewer_a, department=base.department, bureau=base.bureau
    )
    project = walk(new_project([village_a], people), "township_review", people, clock)
    client.force_login(clerk_a)
    html = page(client, project)
    assert "township_review" not in forms_on(html)
    refusal = PROJECT_WORKFLOW.refusal(project, "township_pass", clerk_a)
    assert refusal.message in html
    assert steps_shown(client, reviewer_a, project) == {"township_review"}


def test_an_upheld_objection_ends_the_way_to_the_library(client, clock, project, people):
    project = walk(project, "proposed", people, clock)
    record = publicity.publicity_record(
        project=project,
        level="village",
        medium=PublicityMedium.BOARD,
        start_date=today(),
        end_date=today() + datetime.timedelta(days=9),
        expected_version=project.version,
        actor=people.proposer,
    )
    objection = publicity.objection_record(
        publicity=record, received_on=today(), text="受益户名单不实", actor=people.proposer
    )
    client.force_login(people.proposer)
    html = page(client, project)
    assert "objection_handle" in forms_on(html)
    assert 'data-confirm="' in html
    response = post_step(
        client,
        project,
        "objection_handle",
        {"objection": objection.pk, "upheld": "true", "handling": "重新核定受益户"},
    )
    assert response.status_code == 302
    assert fresh(project).status == "rejected"


def test_acceptance_of_a_rural_construction_project_waits_for_its_maintenance(
    client, clock, village_a, people
):
    project = new_project(
        [village_a],
        people,
        category=Category.RURAL_CONSTRUCTION,
        subcategory=Subcategory.INFRASTRUCTURE,
        name="村内道路硬化工程",
    )
    project = walk(project, "completed", people, clock)
    client.force_login(people.bureau)
    accept = {"accepted_on": today().isoformat(), "result": "合格", "inspectors": "验收组"}
    html = post_step(client, project, "acceptance", accept).content.decode()
    [problem] = implementation_rules.maintenance_problems(project, [])
    assert problem.message in html
    client.force_login(people.township)
    assert "maintenance" in forms_on(page(client, project))
    rows = {
        "rows-TOTAL_FORMS": "2",
        "rows-INITIAL_FORMS": "0",
        "rows-MIN_NUM_FORMS": "0",
        "rows-MAX_NUM_FORMS": "20",
        "rows-0-maintainer": "烟厂村民委员会",
        "rows-0-responsibility": "日常养护",
        "rows-0-method": "公益性岗位保洁员巡护",
        "rows-0-funding_source": "村集体经营收益",
    }
    assert done(post_step(client, project, "maintenance", rows))
    assert list(project.maintenance.values_list("maintainer", flat=True)) == ["烟厂村民委员会"]
    client.force_login(people.bureau)
    assert done(post_step(client, project, "acceptance", accept))
    assert fresh(project).status == "accepted"


def test_a_role_that_does_not_implement_cannot_post_the_maintenance(
    client, clock, village_a, people
):
    project = new_project(
        [village_a],
        people,
        category=Category.RURAL_CONSTRUCTION,
        subcategory=Subcategory.INFRASTRUCTURE,
        name="村内道路硬化工程",
    )
    project = walk(project, "implementing", people, clock)
    rows = {
        "rows-TOTAL_FORMS": "1",
        "rows-INITIAL_FORMS": "0",
        "rows-0-maintainer": "某公司",
        "rows-0-responsibility": "养护",
        "rows-0-method": "巡护",
        "rows-0-funding_source": "自筹",
    }
    client.force_login(people.department)  # it sees the project, and does not implement it
    assert "maintenance" not in forms_on(page(client, project))
    assert post_step(client, project, "maintenance", rows).status_code == 403
    assert not project.maintenance.exists()


def test_a_failed_acceptance_sends_the_project_back_to_rectification(
    client, clock, project, people
):
    project = walk(project, "completed", people, clock)
    client.force_login(people.bureau)
    failed = {"accepted_on": today().isoformat(), "result": "不合格"}
    html = post_step(client, project, "acceptance", failed).content.decode()
    assert gettext("Write down what must be rectified.") in html
    failed["findings"] = "灌溉管网未完工"
    assert done(post_step(client, project, "acceptance", failed))
    assert fresh(project).status == "implementing"


def test_operation_by_contracting_needs_the_signed_agreement_first(client, clock, project, people):
    project = walk(project, "handed_over", people, clock)
    client.force_login(people.township)
    html = post_step(
        client, project, "operate", {"mode": OperatingMode.CONTRACTING}
    ).content.decode()
    [problem] = implementation_rules.operating_problems(OperatingMode.CONTRACTING, None)
    assert problem.message in html
    agreement = {
        "mode": OperatingMode.CONTRACTING,
        "operator": "开原市稻香农民专业合作社",
        "signed_on": today().isoformat(),
        "term_start": "2027-01-01",
        "term_end": "2031-12-31",
        "guaranteed_return_percent": "6",
        "variable_return": "超额收益按3:7分配",
        "rights_obligations": "承包方负责经营和日常维护，按年支付保底收益",
    }
    assert done(post_step(client, project, "agreement", agreement))
    html = page(client, project)
    assert "agreement" not in forms_on(html) and 'data-testid="agreement"' in html
    assert done(post_step(client, project, "operate", {"mode": OperatingMode.CONTRACTING}))
    assert fresh(project).status == "operating"


def test_a_handover_without_assets_says_why(client, clock, project, people):
    project = walk(project, "accepted", people, clock)
    client.force_login(people.township)
    data = {"handed_over_on": today().isoformat(), "asset_formed": "false"}
    html = post_step(client, project, "handover", data).content.decode()
    assert gettext("Say why no asset was formed.") in html
    data["no_asset_reason"] = "培训类项目，未形成资产"
    assert done(post_step(client, project, "handover", data))
    html = page(client, fresh(project))
    assert "培训类项目，未形成资产" in html


def test_a_library_project_is_adjusted_back_to_the_county_review(client, clock, project, people):
    project = walk(project, "in_library", people, clock)
    data = {}
    for name in ADJUSTABLE_FIELDS:
        value = getattr(project, name)
        data[name] = value.isoformat() if isinstance(value, datetime.date) else str(value)
    data["scale"] = "育秧大棚30座"
    client.force_login(people.bureau)
    html = post_step(client, project, "adjust", data).content.decode()
    assert gettext("This field is required.") in html  # the reason
    data["reason"] = "上级追加资金，扩大规模"
    assert done(post_step(client, project, "adjust", data))
    project = fresh(project)
    assert (project.status, project.scale) == ("county_review", "育秧大棚30座")
    html = page(client, project)
    assert "育秧大棚20座 → 育秧大棚30座" in html and "上级追加资金，扩大规模" in html


def test_a_plan_year_before_the_library_year_is_refused(client, clock, project, people):
    project = walk(project, "in_library", people, clock)
    client.force_login(people.bureau)
    html = post_step(client, project, "plan", {"plan_year": project.year - 1}).content.decode()
    assert str(project.year) in html and 'data-testid="step-plan"' in html
    assert fresh(project).status == "in_library"


def test_a_rolled_over_project_opens_on_next_years_project(client, clock, project, people):
    project = walk(project, "in_library", people, clock)
    client.force_login(people.bureau)
    response = post_step(client, project, "roll_over")
    successor = project.rolled_into
    assert response["Location"] == url(successor)
    assert (successor.year, successor.status) == (project.year + 1, "county_decided")
    assert 'data-testid="rolled-into"' in page(client, fresh(project))


def test_a_withdrawal_needs_its_reason(client, clock, project, people):
    project = walk(project, "county_decided", people, clock)
    client.force_login(people.bureau)
    html = page(client, project)
    assert 'data-testid="announce-link"' in html
    assert post_step(client, project, "withdraw", {"reason": ""}).status_code == 200
    assert done(post_step(client, project, "withdraw", {"reason": "用地无法落实"}))
    assert fresh(project).status == "withdrawn"


# ---- a page opened before someone else acted ---------------------------------------------------


def test_a_decision_from_a_page_opened_before_another_change_is_told_so(
    client, clock, project, people, county
):
    project = walk(project, "county_review", people, clock)
    seen = project.version
    colleague = UserFactory(username="bureau_2", role="bureau", area=county)
    reviews.joint_review(
        project=project, opinion="论证通过", expected_version=seen, actor=colleague
    )
    client.force_login(people.bureau)
    response = post_step(client, project, "county_decide", {"approved": "true"}, version=seen)
    html = response.content.decode()
    expected = gettext(
        "The %(what)s has changed since you opened it (someone else has just acted on it). "
        "Reload the page to see where it stands."
    ) % {"what": PROJECT_WORKFLOW.name}
    assert expected in html
    assert fresh(project).status == "county_review"
    assert done(post_step(client, project, "county_decide", {"approved": "true"}))


def test_a_step_the_project_has_moved_past_says_where_it_stands(
    client, clock, project, people, county
):
    project = walk(project, "county_review", people, clock)
    seen = project.version
    reviews.joint_review(
        project=project, opinion="论证通过", expected_version=seen, actor=people.bureau
    )
    project = fresh(project)
    colleague = UserFactory(username="bureau_2", role="bureau", area=county)
    reviews.county_decide(
        project=project, approved=True, reason="", expected_version=project.version, actor=colleague
    )
    client.force_login(people.bureau)
    response = post_step(
        client,
        project,
        "county_decide",
        {"approved": "false", "reason": "x"},
        version=project.version,
    )
    assert response.status_code == 200
    assert gettext("Someone else has acted on it since you opened it.") in response.content.decode()
    assert fresh(project).status == "county_decided"


# ---- access ----------------------------------------------------------------------------------


def test_readers_get_403_and_outsiders_404_on_a_step(
    client, clock, project, people, leader, clerk_b
):
    project = walk(project, "township_review", people, clock)
    client.force_login(leader)
    assert post_step(client, project, "township_review", {"decision": "pass"}).status_code == 403
    client.force_login(clerk_b)
    assert post_step(client, project, "township_review", {"decision": "pass"}).status_code == 404
    client.force_login(people.township)
    assert post_step(client, project, "no_such_step").status_code == 403
    assert fresh(project).status == "township_review"


def test_a_writer_posting_a_step_of_another_role_is_refused_on_the_form(
    client, clock, project, people
):
    project = walk(project, "county_review", people, clock)
    client.force_login(people.township)
    response = post_step(client, project, "joint_review", {"opinion": "同意"})
    assert response.status_code == 200
    refusal = PROJECT_WORKFLOW.refusal(project, "joint_review", people.township)
    assert refusal.message in response.content.decode()
    assert not project.adjustments.exists()
    assert Decimal(fresh(project).version) == project.version
