"""What a proposal must hold: the funding adds up, the villages' shares make 100 % (PRJ-5 for
several villages: beneficiary entity, ownership split, duties), a valid credit code, the fields
the township review needs (PRJ-4), the 四有 of an industry project (PRJ-9) and the construction
lists of a model village. Each refusal says what is wrong in Chinese and writes nothing."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import IntegrityError, connection, transaction

from kaiyuan.common.rules import RulesBroken
from projects.codes import Category, Subcategory
from projects.models import ConstructionListItem, FourHavesItem, Project, ProjectVillage
from projects.services import projects as services
from projects.services import reviews
from tests.projects.factories import new_project, people_for, proposal, walk

pytestmark = pytest.mark.django_db
Status = Project.Status


def _refusal(villages, people, **fields):
    with pytest.raises(RulesBroken) as refused:
        services.project_create(
            proposal=proposal(villages, **fields.pop("_proposal", {}), **fields),
            proposer_level="village",
            actor=people.proposer,
        )
    assert not Project.objects.exists()
    return refused.value


def test_funding_that_does_not_add_up_is_refused_with_both_sums(village_a):
    people = people_for(village_a)
    refused = _refusal([village_a], people, self_raised=Decimal("100000.01"))
    assert "1,000,000.01" in refused.message and "1,000,000.00" in refused.message


def test_the_database_refuses_funding_that_does_not_add_up(village_a):
    project = new_project([village_a], people_for(village_a))
    with pytest.raises(IntegrityError), transaction.atomic():
        Project.objects.filter(pk=project.pk).update(self_raised=Decimal("1"))


def test_an_invalid_credit_code_is_refused(village_a):
    refused = _refusal([village_a], people_for(village_a), entity_uscc="91110000600037341X")
    assert "统一社会信用代码" in refused.message


def test_a_valid_credit_code_is_kept_normalised(village_a):
    project = new_project([village_a], people_for(village_a), entity_uscc=" 91110000600037341l ")
    assert project.entity_uscc == "91110000600037341L"


def test_a_subcategory_of_another_category_is_refused(village_a):
    refused = _refusal(
        [village_a],
        people_for(village_a),
        category=Category.EMPLOYMENT,
        subcategory=Subcategory.GRAPE,
    )
    assert "葡萄" in refused.message


def test_shares_under_and_over_100_percent_are_refused(village_a, village_a2, clerk_a):
    people = people_for(village_a)
    people.proposer = clerk_a
    for shares in ([Decimal("50"), Decimal("49.99")], [Decimal("50"), Decimal("50.01")]):
        refused = _refusal([village_a, village_a2], people, shares=shares)
        assert "不是100%" in refused.message
    project = services.project_create(
        proposal=proposal([village_a, village_a2], shares=[Decimal("60"), Decimal("40")]),
        proposer_level="village",
        actor=clerk_a,
    )
    assert sorted(v.share_percent for v in project.villages.all()) == [Decimal("40"), Decimal("60")]
    assert project.area == village_a.parent  # the township holding both villages


def test_a_cross_village_project_names_its_beneficiary_entity_and_each_villages_duties(
    village_a, village_a2, clerk_a
):
    people = people_for(village_a)
    people.proposer = clerk_a
    bad = proposal([village_a, village_a2], beneficiary_entity="")
    bad.villages[1].duties = ""
    with pytest.raises(RulesBroken) as refused:
        services.project_create(proposal=bad, proposer_level="village", actor=clerk_a)
    rules = {v.rule for v in refused.value.violations}
    assert rules == {"PRJ-5"}
    assert "受益主体" in refused.value.message and village_a2.name in refused.value.message


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigger is PostgreSQL's")
def test_the_database_keeps_the_village_shares_at_100_percent(village_a):
    project = new_project([village_a], people_for(village_a))
    with pytest.raises(IntegrityError), transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS projects_village_shares_sum IMMEDIATE")
        ProjectVillage.objects.filter(project=project).update(share_percent=Decimal("90"))


def test_a_grid_worker_cannot_propose_for_another_village(village_a, village_a2):
    people = people_for(village_a)
    with pytest.raises(Exception) as refused:
        services.project_create(
            proposal=proposal([village_a2]), proposer_level="village", actor=people.proposer
        )
    assert village_a2.name in str(refused.value)


def _at_review(village, clock, **fields):
    people = people_for(village)
    project = walk(new_project([village], people, **fields), Status.TOWNSHIP_REVIEW, people, clock)
    return project, people


def _pass(project, people):
    return reviews.township_review(
        project=project,
        decision="pass",
        reason="",
        expected_version=project.version,
        actor=people.township,
    )


def test_the_township_review_needs_the_prj4_fields(village_a, clock):
    project, people = _at_review(village_a, clock, mechanisms=[])
    project.indicators.filter(group="满意度指标").delete()
    with pytest.raises(RulesBroken) as refused:
        _pass(project, people)
    assert {v.field for v in refused.value.violations} == {"mechanisms", "indicators"}
    assert "满意度指标" in refused.value.message
    assert Project.objects.get(pk=project.pk).status == Status.TOWNSHIP_REVIEW


def test_the_county_decides_an_industry_project_only_with_all_of_four_haves(village_a, clock):
    people = people_for(village_a)
    project = walk(
        new_project([village_a], people, four_haves={}), Status.COUNTY_REVIEW, people, clock
    )
    project = reviews.joint_review(
        project=project, opinion="论证通过", expected_version=project.version, actor=people.bureau
    )
    with pytest.raises(RulesBroken) as refused:
        reviews.county_decide(
            project=project,
            approved=True,
            reason="",
            expected_version=project.version,
            actor=people.bureau,
        )
    assert all(item.label in refused.value.message for item in FourHavesItem.objects.all())
    # An item the bureau retires is no longer asked for.
    FourHavesItem.objects.update(active=False)
    decided = reviews.county_decide(
        project=project,
        approved=True,
        reason="",
        expected_version=project.version,
        actor=people.bureau,
    )
    assert decided.status == Status.COUNTY_DECIDED


def test_a_model_village_project_is_checked_against_the_construction_lists(village_a, clock):
    people = people_for(village_a)
    fields = {
        "category": Category.RURAL_CONSTRUCTION,
        "subcategory": Subcategory.MODEL_VILLAGE,
        "name": "烟厂村乡村建设典型村创建项目",
    }
    project = new_project([village_a], people, **fields)
    from projects.services import projects as project_services

    with pytest.raises(RulesBroken) as refused:
        project_services.project_submit(
            project=project, expected_version=project.version, actor=people.proposer
        )
    assert "正面清单" in refused.value.message
    negative = ConstructionListItem.objects.filter(kind="negative").first()
    positive = ConstructionListItem.objects.filter(kind="positive").first()
    project.construction_items.set([positive, negative])
    with pytest.raises(RulesBroken) as refused:
        project_services.project_submit(
            project=project, expected_version=project.version, actor=people.proposer
        )
    assert negative.text in refused.value.message
    project.construction_items.set([positive])
    submitted = project_services.project_submit(
        project=project, expected_version=project.version, actor=people.proposer
    )
    assert submitted.status == Status.PROPOSED


def test_a_completion_before_the_start_is_refused_with_both_dates(village_a):
    import datetime

    refused = _refusal([village_a], people_for(village_a), end_date=datetime.date(2025, 3, 31))
    assert "2025-03-31" in refused.message and "2025-04-01" in refused.message
