"""A masked ID number must not be completable from what stands beside it. The mask
211282********0014 hides digits 7–14, which are the birth date; shown next to the birth date it
gave back every number (5,603 of 5,603 demo members were rebuilt from /api/v1/members/ by a grid
worker). Pages and the API show the age instead."""

from __future__ import annotations

import datetime
import json
import re

import pytest
from django.urls import reverse

from kaiyuan.common import pii
from tests.monitoring.factories import make_household, make_member

pytestmark = pytest.mark.django_db


def _hidden_digits(member) -> str:
    return pii.decrypt(member.id_cipher)[6:14]


def _completions(text: str, digits: str) -> list[str]:
    """The ways the eight hidden digits (YYYYMMDD) could appear in ``text``."""
    day = datetime.date(int(digits[:4]), int(digits[4:6]), int(digits[6:]))
    forms = {
        digits,
        day.isoformat(),
        day.strftime("%Y/%m/%d"),
        f"{day.year}年{day.month}月{day.day}日",
    }
    return [form for form in forms if form in text]


@pytest.fixture
def family(village_a, grid_a):
    household = make_household(village_a, head_name="周国庆", grid=grid_a)
    make_member(household, name="周小燕", birth_date=datetime.date(2009, 10, 23), sex="女")
    return household


def test_the_members_api_gives_nothing_that_completes_a_masked_number(
    client, grid_worker_a, family
):
    client.force_login(grid_worker_a)
    rows = client.get("/api/v1/members/").json()["results"]
    assert rows and all("*" in row["id_number_masked"] for row in rows)
    for member in family.members.all():
        row = next(row for row in rows if row["id"] == member.pk)
        assert _completions(json.dumps(row, ensure_ascii=False), _hidden_digits(member)) == []
        assert row["age"] == member.age
    detail = client.get(f"/api/v1/households/{family.pk}/").json()
    for member in family.members.all():
        assert _completions(json.dumps(detail, ensure_ascii=False), _hidden_digits(member)) == []


def test_the_household_page_shows_the_age_not_the_birth_date(client, grid_worker_a, family):
    client.force_login(grid_worker_a)
    html = client.get(reverse("monitoring:household_detail", args=[family.pk])).content.decode()
    text = re.sub(r"<[^>]+>", " ", html)
    for member in family.members.all():
        assert member.id_masked in text
        assert _completions(text, _hidden_digits(member)) == []
