"""两公示一公告: each publicity at least N days (PRJ-3, N from the policy settings), ended only
after its last day with every objection handled, an upheld objection ends the proposal, and the
county decides (PRJ-1) and admits (PRJ-2) only after them."""

from __future__ import annotations

import datetime

import pytest

from kaiyuan.common.dates import today
from kaiyuan.common.rules import RulesBroken
from kaiyuan.common.workflow import StepChanged
from kaiyuan.policy.models import PolicySettings
from projects.codes import PublicityMedium
from projects.models import Project, PublicityRecord
from projects.services import publicity, reviews
from tests.projects.factories import beijing, new_project, people_for, walk

pytestmark = pytest.mark.django_db
Status = Project.Status
DAY = datetime.timedelta(days=1)


@pytest.fixture
def people(village_a):
    return people_for(village_a)


@pytest.fixture
def proposed(village_a, people, clock):
    return walk(new_project([village_a], people), Status.PROPOSED, people, clock)


def _record(project, actor, days, *, start=None):
    start = start or today()
    return publicity.publicity_record(
        project=project,
        level="village",
        medium=PublicityMedium.BOARD,
        start_date=start,
        end_date=start + (days - 1) * DAY,
        expected_version=project.version,
        actor=actor,
    )


def _close(project, actor):
    project = Project.objects.get(pk=project.pk)
    return publicity.publicity_close(project=project, expected_version=project.version, actor=actor)


def test_a_publicity_of_nine_days_is_refused_and_ten_days_is_taken(proposed, people):
    with pytest.raises(RulesBroken) as refused:
        _record(proposed, people.proposer, 9)
    assert "不得少于10天" in str(refused.value)
    assert not PublicityRecord.objects.exists()
    record = _record(proposed, people.proposer, 10)
    assert record.days == 10
    assert Project.objects.get(pk=proposed.pk).status == Status.VILLAGE_PUBLICITY


def test_the_publicity_length_follows_the_policy_setting(proposed, people):
    PolicySettings.objects.update_or_create(
        year=today().year, defaults={"project_publicity_days": 7}
    )
    _record(proposed, people.proposer, 7)
    assert Project.objects.get(pk=proposed.pk).status == Status.VILLAGE_PUBLICITY


def test_a_publicity_ends_only_after_its_last_day(proposed, people, clock):
    record = _record(proposed, people.proposer, 10)
    clock.move_to(beijing(record.end_date, 18))
    with pytest.raises(RulesBroken) as refused:
        _close(proposed, people.proposer)
    assert str(record.end_date) in str(refused.value)
    clock.move_to(beijing(record.end_date + DAY, 9))
    assert _close(proposed, people.proposer).status == Status.TOWNSHIP_REVIEW


def test_an_objection_must_be_handled_before_the_publicity_ends(proposed, people, clock):
    record = _record(proposed, people.proposer, 10)
    objection = publicity.objection_record(
        publicity=record, received_on=today(), text="选址占用基本农田", actor=people.proposer
    )
    clock.move_to(beijing(record.end_date + DAY, 9))
    with pytest.raises(RulesBroken) as refused:
        _close(proposed, people.proposer)
    assert "1条异议未处理" in str(refused.value)
    project = Project.objects.get(pk=proposed.pk)
    publicity.objection_handle(
        objection=objection,
        upheld=False,
        handling="经核实不占基本农田，已向群众解释",
        expected_version=project.version,
        actor=people.proposer,
    )
    assert _close(proposed, people.proposer).status == Status.TOWNSHIP_REVIEW


def test_an_upheld_objection_ends_the_proposal(proposed, people):
    record = _record(proposed, people.proposer, 10)
    objection = publicity.objection_record(
        publicity=record, received_on=today(), text="受益户名单不实", actor=people.proposer
    )
    project = Project.objects.get(pk=proposed.pk)
    publicity.objection_handle(
        objection=objection,
        upheld=True,
        handling="异议属实",
        expected_version=project.version,
        actor=people.proposer,
    )
    assert Project.objects.get(pk=proposed.pk).status == Status.REJECTED


def test_the_county_admits_only_after_its_announcement_has_run(village_a, people, clock):
    project = walk(new_project([village_a], people), Status.COUNTY_DECIDED, people, clock)
    start = today()
    publicity.announcement_create(
        year=project.year,
        title="",
        number="",
        medium=PublicityMedium.WEBSITE,
        start_date=start,
        end_date=start + 9 * DAY,
        projects=[project],
        actor=people.bureau,
    )
    project = Project.objects.get(pk=project.pk)
    clock.move_to(beijing(start + 9 * DAY, 16))
    with pytest.raises(RulesBroken) as refused:
        reviews.project_admit(
            project=project, expected_version=project.version, actor=people.bureau
        )
    assert "公告" in str(refused.value)
    clock.move_to(beijing(start + 10 * DAY, 9))
    admitted = reviews.project_admit(
        project=project, expected_version=project.version, actor=people.bureau
    )
    assert admitted.status == Status.IN_LIBRARY


def test_an_announcement_is_all_or_nothing(village_a, people, clock):
    decided = walk(new_project([village_a], people), Status.COUNTY_DECIDED, people, clock)
    still_in_review = walk(new_project([village_a], people), Status.COUNTY_REVIEW, people, clock)
    with pytest.raises(StepChanged) as refused:
        publicity.announcement_create(
            year=decided.year,
            title="",
            number="",
            medium=PublicityMedium.WEBSITE,
            start_date=today(),
            end_date=today() + 9 * DAY,
            projects=[decided, still_in_review],
            actor=people.bureau,
        )
    assert "县级论证" in str(refused.value)
    assert Project.objects.get(pk=decided.pk).status == Status.COUNTY_DECIDED
    assert not PublicityRecord.objects.filter(level="county").exists()
