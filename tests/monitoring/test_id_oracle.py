"""The ID-number check beside the forms was an oracle: any user could learn that a number
"belongs to a member of a household outside your area", 200 guesses in 1.6 s found a person in
another township, and the numbers travelled in URLs. Now: POST only, outside the area only
"cannot be registered here", a rate limit per user, and every lookup audited."""

from __future__ import annotations

import pytest
from django.test import override_settings
from django.urls import reverse

from kaiyuan.audit.models import AuditEvent
from kaiyuan.common import pii
from tests.monitoring.factories import make_household, make_member, next_id_number

pytestmark = pytest.mark.django_db
CHECK = "/monitoring/check-id/"


@pytest.fixture
def number_in_a(village_a):
    number = next_id_number()
    make_member(make_household(village_a, head_name="吴春生"), id_number=number, name="吴小军")
    return number


def test_the_check_answers_no_get_so_numbers_stay_out_of_urls(client, clerk_b, number_in_a):
    client.force_login(clerk_b)
    assert client.get(CHECK, {"id_number": number_in_a}).status_code == 405


def test_outside_the_area_it_says_only_that_the_number_cannot_be_registered_here(
    client, clerk_b, number_in_a, township_a, village_a
):
    client.force_login(clerk_b)
    html = client.post(CHECK, {"id_number": number_in_a}).content.decode()
    assert "不能在此登记" in html
    for secret in ("吴", village_a.name, township_a.name, "211282104"):
        assert secret not in html


def test_every_lookup_is_audited_with_the_number_masked(client, clerk_b, number_in_a):
    client.force_login(clerk_b)
    client.post(CHECK, {"id_number": number_in_a})
    event = AuditEvent.objects.get(action="id_check")
    assert event.actor == clerk_b
    assert event.data["outcome"] == "not_here"
    assert number_in_a not in str(event.data) and "*" in event.data["id_number"]


@override_settings(ID_CHECKS_PER_MINUTE=3)
def test_checks_are_rate_limited_per_user(client, clerk_b, clerk_a, number_in_a):
    client.force_login(clerk_b)
    answers = [client.post(CHECK, {"id_number": next_id_number()}).status_code for _ in range(4)]
    assert answers == [200, 200, 200, 429]
    assert AuditEvent.objects.filter(action="id_check").count() == 3
    client.force_login(clerk_a)  # another user has their own allowance
    assert client.post(CHECK, {"id_number": number_in_a}).status_code == 200


def test_readers_and_grid_workers_may_not_use_the_check(client, leader, grid_worker_a, number_in_a):
    for user in (leader, grid_worker_a):
        client.force_login(user)
        assert client.post(CHECK, {"id_number": number_in_a}).status_code == 403


def test_a_search_by_id_number_is_post_only(client, clerk_a, number_in_a):
    client.force_login(clerk_a)
    url = reverse("monitoring:household_search")
    by_get = client.get(url, {"q": number_in_a}).content.decode()
    assert 'data-testid="id-in-address"' in by_get and "吴春生" not in by_get
    by_post = client.post(url, {"q": number_in_a}).content.decode()
    assert "吴春生" in by_post
    assert pii.blind_index(number_in_a)  # the search itself goes through the blind index
