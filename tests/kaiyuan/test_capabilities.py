"""The capability matrix: one table of who may do what, shown in the README, and no role sets
anywhere else in the code."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.utils import translation

from kaiyuan.accounts.capabilities import CAPABILITIES, matrix_table, user_can
from kaiyuan.accounts.roles import Role
from tests.factories import UserFactory

ROOT = Path(__file__).resolve().parents[2]
APPS = ("kaiyuan", "monitoring", "projects", "funds", "assets", "employment", "reports")
# Where roles may be named: the roles themselves, the matrix, and the demo logins.
ALLOWED = {
    Path("kaiyuan/accounts/roles.py"),
    Path("kaiyuan/accounts/capabilities.py"),
    Path("kaiyuan/accounts/models.py"),  # only the department field's own validation
}
ROLE_SET = re.compile(
    r"frozenset\(\{?\s*Role\.|\.role\s+(not\s+)?in\b|\(\s*Role\.\w+\s*,|\[\s*Role\.\w+\s*,|"
    r"\{\s*Role\.\w+\s*,|\.role\s*[!=]=|role\s*==\s*\""
)


def test_the_matrix_is_printed_and_the_readme_shows_it():
    with translation.override("en"):
        table = matrix_table()
    print(table)  # noqa: T201  (the issue asks for the matrix printed by a test)
    readme = (ROOT / "README.md").read_text()
    shown = readme.split("<!-- capabilities -->")[1].split("<!-- /capabilities -->")[0]
    assert shown.strip() == table.strip(), "README's table is stale: paste matrix_table()"


def test_every_capability_names_known_roles_and_has_a_holder():
    for capability in CAPABILITIES:
        assert capability.roles, capability.name
        assert capability.roles <= set(Role.values), capability.name


def test_an_unknown_capability_fails_loudly():
    with pytest.raises(ImproperlyConfigured):
        user_can(None, "cases.county_decides")


@pytest.mark.django_db
def test_the_superuser_flag_gives_no_capability(county):
    # A superuser whose role is grid worker acts as a grid worker in the app (the flag opens the
    # Django admin only), so it cannot bypass a county decision or a township review.
    user = UserFactory(role=Role.GRID_WORKER, area=county, is_superuser=True)
    assert user_can(user, "cases.village_step")
    assert not user_can(user, "cases.county_decide")
    assert not user_can(user, "cases.township_review")


@pytest.mark.django_db
def test_an_inactive_user_can_do_nothing(county):
    user = UserFactory(role=Role.BUREAU, area=county, is_active=False)
    assert not any(user_can(user, capability.name) for capability in CAPABILITIES)


def test_no_role_set_exists_outside_the_matrix():
    offenders = []
    for app in APPS:
        for path in (ROOT / app).rglob("*.py"):
            relative = path.relative_to(ROOT)
            if relative in ALLOWED or "migrations" in relative.parts or "demo" in relative.parts:
                continue
            for number, line in enumerate(path.read_text().splitlines(), start=1):
                if ROLE_SET.search(line):
                    offenders.append(f"{relative}:{number}: {line.strip()}")
    assert offenders == [], "ask user_can(user, capability) instead:\n" + "\n".join(offenders)


def test_no_template_compares_roles():
    offenders = [
        f"{path.relative_to(ROOT)}: {line.strip()}"
        for path in (ROOT / "templates").rglob("*.html")
        for line in path.read_text().splitlines()
        if re.search(r"user\.role\s*(==|!=|in)", line)
    ]
    assert offenders == [], 'use {% if user|can:"…" %} instead'
