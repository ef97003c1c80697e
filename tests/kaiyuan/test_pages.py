"""Every demo role lands on a home page made for it, and no link it is shown leads to an error."""

from __future__ import annotations

import re

import pytest
from django.core.management import call_command

from kaiyuan.accounts.models import User

pytestmark = pytest.mark.django_db

ROLES = ["admin", "bureau", "finance", "leader", "auditor", "dept_medical", "clerk_211282104"]


@pytest.fixture
def demo(db):
    call_command("seed_demo", households=0, seed=3)
    return {user.username: user for user in User.objects.all()}


def _links(html: str) -> list[str]:
    return sorted(
        {href for href in re.findall(r'href="(/[^"]*)"', html) if not href.startswith("/static/")}
    )


@pytest.mark.parametrize("username", [*ROLES, "grid"])
def test_no_link_on_the_home_page_leads_to_an_error(client, demo, username):
    if username == "grid":
        username = next(name for name in demo if name.startswith("grid_"))
    client.force_login(demo[username])
    home = client.get("/")
    assert home.status_code == 200
    html = home.content.decode()
    assert demo[username].get_role_display() in html
    for link in _links(html):
        response = client.get(link, follow=True)
        assert response.status_code == 200, (username, link)


def test_a_clerk_sees_their_township_and_a_county_user_the_county(client, demo):
    client.force_login(demo["clerk_211282104"])
    html = client.get("/").content.decode()
    assert "中固镇" in html
    assert 'data-testid="stat-townships"' not in html
    client.force_login(demo["bureau"])
    html = client.get("/").content.decode()
    assert re.search(r'data-testid="stat-townships">20<', html)


def test_department_staff_are_not_shown_a_count_of_grids_they_cannot_see(client, demo):
    client.force_login(demo["dept_medical"])
    assert 'data-testid="stat-grids"' not in client.get("/").content.decode()
    client.force_login(demo["bureau"])
    assert re.search(r'data-testid="stat-grids">\d', client.get("/").content.decode())


def test_the_navigation_follows_the_role(client, demo):
    client.force_login(demo["finance"])
    html = client.get("/").content.decode()
    assert "衔接资金" in html
    assert "审计日志" not in html
    assert client.get("/audit/").status_code == 403
    assert client.get("/monitoring/").status_code == 403
    client.force_login(demo["auditor"])
    assert "审计日志" in client.get("/").content.decode()


def test_pages_load_no_outside_assets(client, demo):
    client.force_login(demo["bureau"])
    html = client.get("/").content.decode()
    assert not re.search(r'(src|href)="(https?:)?//', html)
