"""The library of a year: who sees which projects (a township's clerk its township, a village's
grid worker the projects touching the village, a department its sector), the PRJ-8 targets at
their threshold with a changed setting, and the PRJ-6 deadline with what each township lacks."""

from __future__ import annotations

import datetime

import pytest

from kaiyuan.accounts.roles import Department, Role
from kaiyuan.policy.models import PolicySettings
from monitoring.codes import HouseholdType
from projects.models import Project
from projects.rules.library import library_deadline_for
from projects.selectors.library import deadline_lacking, library_year
from projects.services import beneficiaries
from tests.factories import UserFactory
from tests.monitoring.factories import make_household
from tests.projects.factories import new_project, people_for, walk

pytestmark = pytest.mark.django_db
Status = Project.Status


def test_each_user_sees_the_projects_of_their_area(
    village_a, village_a2, village_b, clerk_a, clerk_b, grid_worker_a, county, bureau
):
    people_a = people_for(village_a)
    people_a.proposer = clerk_a
    both = new_project([village_a, village_a2], people_a)
    only_a2 = new_project([village_a2], people_a)
    in_b = new_project([village_b], people_for(village_b))
    water = UserFactory(role=Role.DEPARTMENT, area=county, department=Department.WATER)

    def seen(user):
        return set(Project.objects.visible_to(user).values_list("pk", flat=True))

    assert seen(clerk_a) == {both.pk, only_a2.pk}
    assert seen(clerk_b) == {in_b.pk}
    assert seen(grid_worker_a) == {both.pk}  # the cross-village project includes village A
    assert seen(bureau) == {both.pk, only_a2.pk, in_b.pk}
    assert seen(water) == set()
    agriculture = UserFactory(role=Role.DEPARTMENT, area=county, department=Department.AGRICULTURE)
    assert seen(agriculture) == {both.pk, only_a2.pk, in_b.pk}


def test_a_grid_worker_sees_but_does_not_change_a_cross_village_project(
    village_a, village_a2, clerk_a, grid_worker_a
):
    from kaiyuan.common.errors import DomainError
    from projects.services import projects as services
    from tests.projects.factories import proposal

    people = people_for(village_a)
    people.proposer = clerk_a
    both = new_project([village_a, village_a2], people)
    with pytest.raises(DomainError):
        services.project_update(
            project=both,
            proposal=proposal([village_a]),
            expected_version=both.version,
            actor=grid_worker_a,
        )


def _strongly_linked(village, people, clock, households):
    project = new_project([village], people)
    for household in households:
        beneficiaries.beneficiary_add(
            project=project, household=household, role="分红", actor=people.township
        )
    return walk(project, Status.IN_LIBRARY, people, clock)


def test_the_industry_target_counts_projects_at_the_strong_linkage_threshold(
    village_a, clock, bureau
):
    people = people_for(village_a)
    households = [make_household(village_a, household_type=HouseholdType.EXITED) for _ in range(10)]
    ordinary = make_household(village_a, household_type=HouseholdType.ORDINARY)
    just_under = _strongly_linked(village_a, people, clock, [*households[:9], ordinary])
    at = _strongly_linked(village_a, people, clock, households)

    def industry(year):
        return next(t for t in library_year(bureau, year).targets if t["key"] == "industry")

    year = at.year
    assert industry(year)["count"] == 1 and industry(year)["target"] == 21
    PolicySettings.objects.update_or_create(year=year, defaults={"strong_linkage_households": 9})
    assert industry(year)["count"] == 2
    PolicySettings.objects.filter(year=year).update(project_target_industry=2)
    assert industry(year)["target"] == 2
    assert just_under.pk != at.pk


def test_the_library_deadline_is_the_previous_years_setting(village_a, clock, bureau):
    assert library_deadline_for(2025) == datetime.date(2024, 11, 30)
    PolicySettings.objects.update_or_create(
        year=2026, defaults={"library_deadline": datetime.date(2026, 11, 30)}
    )
    assert library_deadline_for(2027) == datetime.date(2026, 11, 30)
    people = people_for(village_a)
    new_project([village_a], people, year=2027)
    walk(new_project([village_a], people, year=2027), Status.IN_LIBRARY, people, clock)
    lacking = deadline_lacking(bureau, 2027)
    assert lacking == [
        {
            "township": village_a.parent.path,
            "name": village_a.parent.name,
            "pending": 1,
            "done": 1,
            "days_left": (datetime.date(2026, 11, 30) - clock_today()).days,
            "late": True,
        }
    ]


def clock_today():
    from kaiyuan.common.dates import today

    return today()
