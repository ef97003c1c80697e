"""The project library's 待办 sources: each item appears when its project enters the state that
waits, is offered only to who may take the step (role, level, sector, separation of duties), is
gone once the step is taken, opens the page where it is taken and carries the PRJ-6 deadline
until the county's announcement."""

from __future__ import annotations

import datetime

import pytest
from django.utils import translation

from kaiyuan.common.dates import today
from kaiyuan.inbox.registry import source_for
from kaiyuan.inbox.selectors import inbox_counts, read_items
from projects.codes import PublicityMedium
from projects.rules.library import library_deadline_for
from projects.services import implementation, projects, publicity, reviews
from tests.projects.factories import People, new_project, people_for, walk

pytestmark = [pytest.mark.django_db, pytest.mark.sqlite]


@pytest.fixture(autouse=True)
def chinese():
    with translation.override("zh-hans"):
        yield


def items(user, key):
    """The entries of source ``key`` as ``user`` sees them (and the source's count agrees)."""
    source = source_for(user, key)
    assert source is not None, f"{user} does not see {key}"
    entries = [item.entry for item in read_items(source, source.items(user))]
    count = next(c.count for c in inbox_counts(user) if c.key == key)
    assert count == len(entries)
    return entries


def subjects(user, key):
    return [entry.subject for entry in items(user, key)]


def page_of(project) -> str:
    return f"/projects/{project.pk}/"


@pytest.fixture
def people(village_a):
    return people_for(village_a)


@pytest.fixture
def project(village_a, people):
    return new_project([village_a], people)


def test_a_draft_waits_for_its_proposer_to_submit_it(project, people, clerk_b):
    [entry] = items(people.proposer, "projects.to_submit")
    assert (entry.subject, entry.url) == (str(project), page_of(project))
    assert entry.deadline == library_deadline_for(project.year)  # PRJ-6: 2024-11-30
    assert entry.since is not None
    assert subjects(clerk_b, "projects.to_submit") == []  # another township's
    assert source_for(people.bureau, "projects.to_submit") is None
    projects.project_submit(
        project=project, expected_version=project.version, actor=people.proposer
    )
    assert subjects(people.proposer, "projects.to_submit") == []


def test_a_submitted_proposal_waits_for_its_publicity_then_for_its_end(
    client, clock, project, people
):
    project = walk(project, "proposed", people, clock)
    [entry] = items(people.proposer, "projects.to_publicise")
    assert entry.url == page_of(project)
    publicity.publicity_record(
        project=project,
        level="village",
        medium=PublicityMedium.BOARD,
        start_date=today(),
        end_date=today() + datetime.timedelta(days=9),
        expected_version=project.version,
        actor=people.proposer,
    )
    assert subjects(people.proposer, "projects.to_publicise") == []
    assert subjects(people.proposer, "projects.publicity_to_close") == []  # still running
    clock.move_to(
        datetime.datetime.combine(today() + datetime.timedelta(days=9), datetime.time(10))
    )
    assert subjects(people.proposer, "projects.publicity_to_close") == []  # its last day
    clock.move_to(
        datetime.datetime.combine(today() + datetime.timedelta(days=1), datetime.time(10))
    )
    assert subjects(people.proposer, "projects.publicity_to_close") == [str(project)]
    project.refresh_from_db()
    publicity.publicity_close(
        project=project, expected_version=project.version, actor=people.proposer
    )
    assert subjects(people.proposer, "projects.publicity_to_close") == []


def test_the_township_posts_its_publicity_of_a_village_proposal_it_passed(clock, project, people):
    project = walk(project, "township_publicity", people, clock)
    assert subjects(people.township, "projects.to_publicise") == [str(project)]
    assert subjects(people.proposer, "projects.to_publicise") == []  # the township's act
    publicity.publicity_record(
        project=project,
        level="township",
        medium=PublicityMedium.TOWNSHIP_BOARD,
        start_date=today(),
        end_date=today() + datetime.timedelta(days=9),
        expected_version=project.version,
        actor=people.township,
    )
    assert subjects(people.township, "projects.to_publicise") == []


def test_the_township_review_is_offered_to_a_clerk_who_took_no_village_step(
    clock, village_a, clerk_a, reviewer_a
):
    base = people_for(village_a)
    people = People(
        proposer=clerk_a, township=reviewer_a, department=base.department, bureau=base.bureau
    )
    project = walk(new_project([village_a], people), "township_review", people, clock)
    [entry] = items(reviewer_a, "projects.township_review")
    assert entry.url == page_of(project)
    assert entry.deadline == library_deadline_for(project.year)
    # clerk_a entered the village's steps: the review is another clerk's (the page says so too)
    assert subjects(clerk_a, "projects.township_review") == []
    reviews.township_review(
        project=project,
        decision="pass",
        reason="",
        expected_version=project.version,
        actor=reviewer_a,
    )
    assert subjects(reviewer_a, "projects.township_review") == []


def test_the_sector_review_waits_for_the_sectors_own_department(
    clock, project, people, dept_medical
):
    project = walk(project, "sector_review", people, clock)
    [entry] = items(people.department, "projects.department_review")
    assert entry.url == page_of(project)
    assert subjects(dept_medical, "projects.department_review") == []
    reviews.department_review(
        project=project,
        passed=True,
        opinion="同意",
        expected_version=project.version,
        actor=people.department,
    )
    assert subjects(people.department, "projects.department_review") == []
    assert subjects(people.bureau, "projects.county_review") == [str(project)]


def test_the_county_decision_then_the_announcement_then_the_admission(clock, project, people):
    project = walk(project, "county_review", people, clock)
    [entry] = items(people.bureau, "projects.county_review")
    assert entry.url == page_of(project)
    project = walk(project, "county_decided", people, clock)
    assert subjects(people.bureau, "projects.county_review") == []
    [entry] = items(people.bureau, "projects.to_announce")
    assert entry.url == f"/projects/announcements/new/?year={project.year}"
    assert entry.deadline == library_deadline_for(project.year)
    start = today()
    publicity.announcement_create(
        year=project.year,
        title="",
        number="",
        medium=PublicityMedium.WEBSITE,
        start_date=start,
        end_date=start + datetime.timedelta(days=9),
        projects=[project],
        actor=people.bureau,
    )
    assert subjects(people.bureau, "projects.to_announce") == []
    assert subjects(people.bureau, "projects.to_admit") == []  # the announcement runs
    clock.move_to(datetime.datetime.combine(start + datetime.timedelta(days=10), datetime.time(10)))
    [entry] = items(people.bureau, "projects.to_admit")
    assert (entry.url, entry.deadline) == (page_of(project), None)
    project.refresh_from_db()
    reviews.project_admit(project=project, expected_version=project.version, actor=people.bureau)
    assert subjects(people.bureau, "projects.to_admit") == []


def test_implementation_waits_for_the_township_from_start_to_operation(clock, project, people):
    project = walk(project, "planned", people, clock)
    [entry] = items(people.township, "projects.implementation")
    assert (entry.url, entry.deadline) == (page_of(project), None)
    # The bureau implements the county's own projects, not a village's.
    assert subjects(people.bureau, "projects.implementation") == []
    project = walk(project, "implementing", people, clock)
    assert subjects(people.township, "projects.implementation") == [str(project)]
    implementation.progress_report(
        project=project, reported_on=today(), percent=100, text="完工", actor=people.township
    )
    project.refresh_from_db()
    implementation.project_complete(
        project=project, expected_version=project.version, actor=people.township
    )
    assert subjects(people.township, "projects.implementation") == []
    assert subjects(people.bureau, "projects.to_accept") == [str(project)]
    assert source_for(people.township, "projects.to_accept") is None
    project = walk(project, "accepted", people, clock)
    assert subjects(people.bureau, "projects.to_accept") == []
    assert subjects(people.township, "projects.implementation") == [str(project)]  # hand over
    project = walk(project, "operating", people, clock)
    assert subjects(people.township, "projects.implementation") == []


def test_readers_are_offered_no_project_step(leader, auditor):
    for reader in (leader, auditor):
        keys = {c.key for c in inbox_counts(reader)}
        assert not any(key.startswith("projects.") for key in keys)
