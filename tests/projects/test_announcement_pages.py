"""The county's announcement pages: the bureau announces a year's decided projects (all chosen
by default), each announcement lists its projects; only the bureau announces."""

from __future__ import annotations

import datetime

import pytest
from django.utils.translation import gettext

from kaiyuan.common.dates import today
from projects.codes import PublicityMedium
from projects.models import Announcement, Project
from projects.rules import publicity as publicity_rules
from tests.projects.factories import new_project, people_for, walk

pytestmark = [pytest.mark.django_db, pytest.mark.sqlite]

NEW = "/projects/announcements/new/"


@pytest.fixture
def people(village_a):
    return people_for(village_a)


@pytest.fixture
def decided(village_a, people, clock):
    """Two decided projects of the 2025 library and one of 2026."""
    return [
        walk(
            new_project([village_a], people, name=name, year=year), "county_decided", people, clock
        )
        for name, year in (("稻米基地", 2025), ("葡萄园", 2025), ("冷库", 2026))
    ]


def _data(projects, *, days: int = 10, **extra):
    start = today()
    return {
        "title": "",
        "number": "开乡振发〔2026〕8号",
        "medium": PublicityMedium.WEBSITE,
        "start_date": start.isoformat(),
        "end_date": (start + datetime.timedelta(days=days - 1)).isoformat(),
        "projects": [p.pk for p in projects],
        **extra,
    }


def test_the_bureau_announces_the_decided_projects_of_a_year(client, decided, people):
    client.force_login(people.bureau)
    html = client.get(NEW, {"year": 2025}).content.decode()
    for project in decided[:2]:
        assert f'value="{project.pk}"' in html and project.code in html
    assert decided[2].code not in html  # another year's
    assert html.count("checked") == 2  # all of the year's, by default
    response = client.post(f"{NEW}?year=2025", _data(decided[:2]))
    announcement = Announcement.objects.get()
    assert response["Location"] == f"/projects/announcements/{announcement.pk}/"
    assert (announcement.year, announcement.number) == (2025, "开乡振发〔2026〕8号")
    assert Project.objects.filter(status="county_announced").count() == 2
    html = client.get(response["Location"]).content.decode()
    assert html.count('data-testid="announced-project"') == 2
    assert 'data-testid="announcement-downloads"' in html
    listing = client.get("/projects/announcements/").content.decode()
    assert listing.count('data-testid="announcement-row"') == 1
    # The project's page links its announcement.
    page = client.get(f"/projects/{decided[0].pk}/").content.decode()
    assert f"/projects/announcements/{announcement.pk}/" in page


def test_an_unticked_project_waits_for_a_later_announcement(client, decided, people):
    client.force_login(people.bureau)
    response = client.post(f"{NEW}?year=2025", _data(decided[:1]))
    assert response.status_code == 302
    assert Project.objects.get(pk=decided[1].pk).status == "county_decided"
    html = client.get(NEW, {"year": 2025}).content.decode()
    assert decided[1].code in html and decided[0].code not in html


def test_an_announcement_shorter_than_the_policys_days_is_refused(client, decided, people):
    client.force_login(people.bureau)
    response = client.post(f"{NEW}?year=2025", _data(decided[:2], days=9))
    assert response.status_code == 200
    start = today()
    [problem] = publicity_rules.length_problems(start, start + datetime.timedelta(days=8), days=10)
    assert problem.message in response.content.decode()
    assert not Announcement.objects.exists()


def test_a_year_without_decided_projects_has_nothing_to_announce(client, people, county):
    client.force_login(people.bureau)
    html = client.get(NEW, {"year": 2030}).content.decode()
    assert 'data-testid="nothing-to-announce"' in html


def test_only_the_bureau_announces(client, decided, clerk_a, leader):
    client.force_login(clerk_a)
    assert client.get(NEW, {"year": 2025}).status_code == 403
    assert client.post(f"{NEW}?year=2025", _data(decided[:2])).status_code == 403
    client.force_login(leader)
    assert client.get(NEW, {"year": 2025}).status_code == 403
    assert client.post(f"{NEW}?year=2025", _data(decided[:2])).status_code == 403
    assert not Announcement.objects.exists()


def test_an_announcement_is_read_by_the_county_and_hidden_from_a_township(
    client, decided, people, clerk_a, leader
):
    client.force_login(people.bureau)
    client.post(f"{NEW}?year=2025", _data(decided[:2]))
    announcement = Announcement.objects.get()
    client.force_login(leader)
    assert client.get(f"/projects/announcements/{announcement.pk}/").status_code == 200
    html = client.get("/projects/announcements/").content.decode()
    assert 'data-testid="announcement-row"' in html
    assert 'data-testid="announce-year"' not in html  # a reader announces nothing
    client.force_login(clerk_a)
    assert client.get(f"/projects/announcements/{announcement.pk}/").status_code == 404
    html = client.get("/projects/announcements/").content.decode()
    assert 'data-testid="announcement-row"' not in html
    assert gettext("No announcement recorded.") in html
