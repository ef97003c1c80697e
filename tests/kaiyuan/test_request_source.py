"""Where a request came from: the client address (X-Forwarded-For only from a trusted proxy) and
the channel (web or API), as the audit trail and the lock-out see them."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import RequestFactory, override_settings

from kaiyuan.accounts.services import api_token_issue
from kaiyuan.audit import record
from kaiyuan.audit.context import client_ip
from kaiyuan.audit.models import AuditEvent
from monitoring.models import Visit
from tests.factories import TEST_PASSWORD
from tests.kaiyuan.addresses import fresh_address
from tests.monitoring.factories import make_household

PROXY = "192.0.2.10"  # TEST-NET-1: documentation addresses only
OTHER_PROXY = "192.0.2.77"


def _request(remote: str, forwarded: str | None = None):
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **extra)


class TestClientAddress:
    def test_nobody_is_trusted_by_default(self):
        assert settings.TRUSTED_PROXIES == ()
        assert client_ip(_request("198.51.100.7", "203.0.113.1")) == "198.51.100.7"

    @override_settings(TRUSTED_PROXIES=("192.0.2.0/28",))
    def test_a_forwarded_address_from_an_untrusted_peer_is_ignored(self):
        assert client_ip(_request("198.51.100.7", "203.0.113.1")) == "198.51.100.7"

    @override_settings(TRUSTED_PROXIES=("192.0.2.0/28",))
    def test_behind_a_trusted_proxy_the_right_most_untrusted_hop_is_the_client(self):
        # The client wrote "203.0.113.1" itself; nginx appended the address it saw.
        assert client_ip(_request(PROXY, "203.0.113.1, 198.51.100.7")) == "198.51.100.7"
        assert client_ip(_request(PROXY, "198.51.100.7")) == "198.51.100.7"

    @override_settings(TRUSTED_PROXIES=("192.0.2.10", "192.0.2.77/32"))
    def test_a_chain_of_trusted_proxies_is_walked_from_the_right(self):
        forwarded = f"203.0.113.1, 198.51.100.7, {OTHER_PROXY}"
        assert client_ip(_request(PROXY, forwarded)) == "198.51.100.7"

    @override_settings(TRUSTED_PROXIES=("192.0.2.10",))
    def test_without_a_header_or_with_garbage_the_peer_is_kept(self):
        assert client_ip(_request(PROXY)) == PROXY
        assert client_ip(_request(PROXY, "not-an-address")) == PROXY
        assert client_ip(_request(PROXY, f"{PROXY}")) == PROXY


@pytest.mark.django_db
class TestTheAuditTrailKnowsTheSource:
    def test_a_spoofed_forwarded_address_does_not_reach_the_trail(self, client, clerk_a):
        here = fresh_address()
        client.post(
            "/accounts/login/",
            {"username": "clerk_a", "password": TEST_PASSWORD},
            REMOTE_ADDR=here,
            HTTP_X_FORWARDED_FOR="203.0.113.99",
        )
        event = AuditEvent.objects.get(action="login")
        assert (event.ip, event.source) == (here, "web")

    def test_a_spoofed_forwarded_address_does_not_dodge_the_lock_out(self, client, clerk_a):
        here = fresh_address()
        for _ in range(settings.LOGIN_MAX_FAILURES):
            client.post(
                "/accounts/login/",
                {"username": "clerk_a", "password": "wrong-password-1"},
                REMOTE_ADDR=here,
                HTTP_X_FORWARDED_FOR=fresh_address(),
            )
        response = client.post(
            "/accounts/login/",
            {"username": "clerk_a", "password": TEST_PASSWORD},
            REMOTE_ADDR=here,
            HTTP_X_FORWARDED_FOR=fresh_address(),
        )
        assert "_auth_user_id" not in client.session
        assert response.status_code == 200

    def test_a_write_through_the_api_is_recorded_as_the_api(self, client, village_a, grid_worker_a):
        household = make_household(village_a)
        _token, secret = api_token_issue(user=grid_worker_a)
        here = fresh_address()
        response = client.post(
            "/api/v1/visits/",
            {
                "household": household.pk,
                "visited_on": _today().isoformat(),
                "method": "on_site",
                "child_out_of_school": False,
                "housing_unsafe": False,
                "member_uninsured": False,
                "water_unsafe": False,
            },
            content_type="application/json",
            HTTP_AUTHORIZATION=f"Bearer {secret}",
            REMOTE_ADDR=here,
        )
        assert response.status_code == 201, response.content.decode()
        event = AuditEvent.objects.get(action="create", object_id=str(response.json()["id"]))
        assert (event.source, event.ip, event.actor) == ("api", here, grid_worker_a)

    def test_the_same_write_on_the_page_is_recorded_as_the_web(
        self, client, village_a, grid_worker_a
    ):
        from django.urls import reverse

        household = make_household(village_a)
        client.force_login(grid_worker_a)
        here = fresh_address()
        response = client.post(
            reverse("monitoring:visit_record", args=[household.pk]),
            {
                "visited_on": _today().isoformat(),
                "method": Visit.Method.ON_SITE,
                "child_out_of_school": "false",
                "housing_unsafe": "false",
                "member_uninsured": "false",
                "water_unsafe": "false",
                "income_change": Visit.IncomeChange.NONE,
                "note": "",
            },
            REMOTE_ADDR=here,
        )
        assert response.status_code == 302
        visit = Visit.objects.get(household=household)
        event = AuditEvent.objects.get(action="create", object_id=str(visit.pk))
        assert (event.source, event.ip) == ("web", here)

    def test_a_failed_api_login_is_recorded_as_the_api(self, client, clerk_a):
        here = fresh_address()
        client.post(
            "/api/v1/auth/token/",
            {"username": "clerk_a", "password": "wrong-password-1"},
            content_type="application/json",
            REMOTE_ADDR=here,
        )
        event = AuditEvent.objects.get(action="login_failed")
        assert (event.source, event.ip, event.data["username"]) == ("api", here, "clerk_a")

    def test_outside_a_request_the_caller_says_the_source(self, grid_a, clerk_a):
        assert record(grid_a, action="change", actor=clerk_a).source == "web"
        event = record(grid_a, action="change", actor=None, source="task")
        assert (event.source, event.ip) == ("task", None)


def _today():
    from kaiyuan.common import dates

    return dates.today()
