"""Refusals must not reveal anything outside the user's area. The API's MON-DQ-2 refusal on
POST /api/v1/members/ said "已登记在户编号 KB170036005 的家庭成员中" for a household the same clerk
gets 404 for."""

from __future__ import annotations

import pytest

from kaiyuan.common import pii
from monitoring.codes import Relation
from tests.monitoring.factories import make_household, make_member, next_id_number

pytestmark = pytest.mark.django_db


def _member_payload(household, number):
    return {
        "household": household.pk,
        "kind": "member_moved_in",
        "happened_on": "2025-01-05",
        "reason": "迁入",
        "id_number": number,
        "name": "钱小雨",
        "relation": Relation.DAUGHTER,
        "health": "健康",
        "labour_skill": "普通劳动力",
        "education": "初中",
        "residents_medical_insurance": True,
        "employees_medical_insurance": False,
        "critical_illness_insurance": True,
    }


def test_a_number_registered_in_another_township_is_refused_without_saying_where(
    client, clerk_b, village_a, village_b, township_a
):
    number = next_id_number()
    elsewhere = make_household(village_a, head_name="孙二娘")
    make_member(elsewhere, id_number=number, name="孙小玲")
    mine = make_household(village_b, head_name="钱大有")
    client.force_login(clerk_b)
    assert client.get(f"/api/v1/households/{elsewhere.pk}/").status_code == 404
    response = client.post(
        "/api/v1/members/", _member_payload(mine, number), content_type="application/json"
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert response.json()["code"] == "mon_dq_2"
    assert "不能在此登记" in body
    for secret in (elsewhere.household_number, "孙", village_a.name, township_a.name):
        assert secret not in body
    assert pii.blind_index(number)


def test_inside_the_area_the_refusal_names_the_household(client, clerk_a, village_a):
    number = next_id_number()
    other = make_household(village_a, head_name="周大福")
    make_member(other, id_number=number, name="周小福")
    mine = make_household(village_a, head_name="吴小平")
    client.force_login(clerk_a)
    response = client.post(
        "/api/v1/members/", _member_payload(mine, number), content_type="application/json"
    )
    assert response.status_code == 400
    assert other.household_number in response.json()["detail"]
