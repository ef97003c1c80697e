"""A project's beneficiaries on its pages: households found in the registry the user sees (never
by an ID number in the address), added with their role, removed; readers 403, outsiders 404."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.utils.translation import gettext

from monitoring.codes import HouseholdType
from projects.models import ProjectBeneficiary
from projects.services import beneficiaries
from tests.monitoring.factories import make_household, make_member
from tests.projects.factories import new_project, people_for, walk
from tests.projects.page_steps import page

pytestmark = [pytest.mark.django_db, pytest.mark.sqlite]

ID_NUMBER = "211282199001011235"


@pytest.fixture
def project(village_a):
    return new_project([village_a], people_for(village_a))


@pytest.fixture
def household(village_a):
    household = make_household(village_a, household_type=HouseholdType.EXITED, head_name="赵德顺")
    make_member(household, name="赵小梅", id_number=ID_NUMBER)
    return household


def add_url(project) -> str:
    return f"/projects/{project.pk}/beneficiaries/add/"


def test_a_clerk_finds_a_household_by_name_or_number_and_adds_it(
    client, clerk_a, project, household, village_b
):
    other = make_household(village_b, head_name="赵德顺")  # the same name in township B
    client.force_login(clerk_a)
    html = client.get(add_url(project), {"q": "赵德"}).content.decode()
    assert html.count('data-testid="household-result"') == 1
    assert household.household_number in html and other.household_number not in html
    html = client.get(add_url(project), {"q": household.household_number[:10]}).content.decode()
    assert household.household_number in html
    response = client.post(
        f"{add_url(project)}?q=赵德",
        {"household": household.pk, "role": "务工", "amount": "3600", "note": "基地务工"},
    )
    assert response.status_code == 302
    assert response["Location"] == f"/projects/{project.pk}/#beneficiaries"
    row = ProjectBeneficiary.objects.get()
    assert (row.household, row.role, row.amount, row.note) == (
        household,
        "务工",
        Decimal("3600.00"),
        "基地务工",
    )
    html = page(client, project)
    assert html.count('data-testid="beneficiary-row"') == 1 and "基地务工" in html


def test_an_id_number_is_never_searched_from_the_address(client, clerk_a, project, household):
    client.force_login(clerk_a)
    html = client.get(add_url(project), {"q": ID_NUMBER}).content.decode()
    assert 'data-testid="id-in-address"' in html
    assert 'data-testid="household-result"' not in html
    assert ID_NUMBER not in html  # not even echoed in the search box


def test_a_household_added_twice_in_one_role_is_refused_on_the_form(
    client, clerk_a, project, household
):
    beneficiaries.beneficiary_add(project=project, household=household, role="受益", actor=clerk_a)
    client.force_login(clerk_a)
    response = client.post(add_url(project), {"household": household.pk, "role": "受益"})
    assert response.status_code == 200
    expected = gettext("%(household)s is already a beneficiary of this project as “%(role)s”.") % {
        "household": household,
        "role": "受益",
    }
    assert expected in response.content.decode()
    assert ProjectBeneficiary.objects.count() == 1


def test_a_household_of_another_township_cannot_be_added(client, clerk_a, project, village_b):
    other = make_household(village_b, head_name="钱有余")
    client.force_login(clerk_a)
    response = client.post(add_url(project), {"household": other.pk, "role": "受益"})
    assert response.status_code == 404
    assert not ProjectBeneficiary.objects.exists()


def test_a_beneficiary_is_removed_from_the_page(client, clerk_a, project, household):
    row = beneficiaries.beneficiary_add(
        project=project, household=household, role="分红", actor=clerk_a
    )
    client.force_login(clerk_a)
    html = page(client, project)
    assert f"/projects/beneficiaries/{row.pk}/remove/" in html
    response = client.post(f"/projects/beneficiaries/{row.pk}/remove/")
    assert response["Location"] == f"/projects/{project.pk}/#beneficiaries"
    assert not ProjectBeneficiary.objects.exists()


def test_a_closed_projects_beneficiaries_stay_as_they_were(
    client, clock, village_a, household, clerk_a
):
    people = people_for(village_a)
    project = walk(new_project([village_a], people), "township_review", people, clock)
    from projects.services import reviews

    reviews.township_review(
        project=project,
        decision="reject",
        reason="不符合条件",
        expected_version=project.version,
        actor=people.township,
    )
    client.force_login(clerk_a)
    response = client.post(add_url(project), {"household": household.pk, "role": "受益"})
    assert gettext("This project is closed; its beneficiaries are kept as they were.") in (
        response.content.decode()
    )
    assert not ProjectBeneficiary.objects.exists()


def test_readers_get_403_and_outsiders_404(client, leader, clerk_b, project, household, clerk_a):
    row = beneficiaries.beneficiary_add(
        project=project, household=household, role="受益", actor=clerk_a
    )
    client.force_login(leader)
    assert 'data-testid="beneficiary-add"' not in page(client, project)
    assert client.get(add_url(project)).status_code == 403
    assert (
        client.post(add_url(project), {"household": household.pk, "role": "务工"}).status_code
        == 403
    )
    assert client.post(f"/projects/beneficiaries/{row.pk}/remove/").status_code == 403
    client.force_login(clerk_b)
    assert client.get(add_url(project)).status_code == 404
    assert client.post(f"/projects/beneficiaries/{row.pk}/remove/").status_code == 404
    assert ProjectBeneficiary.objects.count() == 1


def test_a_user_sees_the_beneficiaries_of_their_part_of_the_registry_and_all_the_counts(
    client, village_a, village_a2, clerk_a
):
    from kaiyuan.accounts.roles import Role
    from tests.factories import UserFactory

    people = people_for(village_a, proposer_level="township")
    project = new_project([village_a, village_a2], people, proposer_level="township")
    mine = make_household(village_a2, head_name="孙立本")
    theirs = make_household(village_a, head_name="周立新")
    for household in (mine, theirs):
        beneficiaries.beneficiary_add(
            project=project, household=household, role="受益", actor=clerk_a
        )
    worker = UserFactory(username="grid_a2", role=Role.GRID_WORKER, area=village_a2)
    client.force_login(worker)
    html = page(client, project)
    assert "孙立本" in html and "周立新" not in html
    sentence = gettext(
        "%(households)s households, of which %(exited)s 脱贫户 and %(monitored)s monitored "
        "households"
    ) % {"households": 2, "exited": 2, "monitored": 0}
    assert sentence in html
