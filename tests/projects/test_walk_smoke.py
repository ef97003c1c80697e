import pytest

from projects.codes import ProposerLevel
from projects.models import Project
from tests.projects.factories import new_project, people_for, walk

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "level", [ProposerLevel.VILLAGE, ProposerLevel.TOWNSHIP, ProposerLevel.COUNTY]
)
def test_a_project_walks_from_idea_to_operation(village_a, clock, level):
    people = people_for(village_a, proposer_level=level)
    project = new_project([village_a], people, proposer_level=level)
    project = walk(project, Project.Status.OPERATING, people, clock)
    assert project.status == Project.Status.OPERATING


def test_the_library_year_counts_an_admitted_project(village_a, clock, bureau):
    from projects.selectors.library import library_year

    people = people_for(village_a)
    project = walk(new_project([village_a], people), Project.Status.IN_LIBRARY, people, clock)
    year = library_year(bureau, project.year)
    assert year.total["projects"] == 1
    assert [row["name"] for row in year.by_township] == ["中固镇"]
    assert year.lacking == []
