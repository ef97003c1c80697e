"""API tokens: issued once, stored hashed, ended by idleness, age, logout and password change."""

from __future__ import annotations

import datetime
import hashlib

import pytest
import time_machine
from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from kaiyuan.accounts.models import ApiToken
from kaiyuan.audit.models import AuditEvent
from tests.factories import TEST_PASSWORD
from tests.kaiyuan.addresses import fresh_address

pytestmark = pytest.mark.django_db
TOKEN = "/api/v1/auth/token/"
REVOKE = "/api/v1/auth/token/revoke/"
GRIDS = "/api/v1/grids/"
IDLE = settings.API_TOKEN_IDLE
MAX_AGE = settings.API_TOKEN_MAX_AGE


def _issue(client, user, password=TEST_PASSWORD) -> str:
    response = client.post(
        TOKEN,
        {"username": user.username, "password": password},
        content_type="application/json",
        REMOTE_ADDR=fresh_address(),
    )
    assert response.status_code == 201, response.content.decode()
    return response.json()["token"]


def _get(client, secret, url=GRIDS):
    return client.get(url, HTTP_AUTHORIZATION=f"Bearer {secret}")


def test_the_token_is_shown_once_and_only_its_hash_is_stored(client, clerk_a):
    now = timezone.now()
    with time_machine.travel(now, tick=False):
        response = client.post(
            TOKEN,
            {"username": "clerk_a", "password": TEST_PASSWORD},
            content_type="application/json",
            REMOTE_ADDR=fresh_address(),
        )
    body = response.json()
    secret = body["token"]
    assert len(secret) >= 40
    assert datetime.datetime.fromisoformat(body["expires_at"]) == now + MAX_AGE
    assert body["idle_timeout_minutes"] == IDLE.total_seconds() // 60
    token = ApiToken.objects.get(user=clerk_a)
    assert token.key_hash == hashlib.sha256(secret.encode()).hexdigest()
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {ApiToken._meta.db_table}")  # noqa: S608
        assert secret not in repr(cursor.fetchall())
    assert _get(client, secret).status_code == 200
    # The older "Token" keyword of DRF's authtoken still works for existing scripts.
    assert client.get(GRIDS, HTTP_AUTHORIZATION=f"Token {secret}").status_code == 200
    assert _get(client, secret + "x").status_code == 401


def test_issuing_a_token_is_audited_as_an_api_login(client, clerk_a):
    _issue(client, clerk_a)
    event = AuditEvent.objects.get(action="login")
    assert (event.actor, event.source) == (clerk_a, "api")


def test_a_token_ends_after_the_idle_limit(client, clerk_a):
    start = timezone.now()
    with time_machine.travel(start, tick=False) as clock:
        secret = _issue(client, clerk_a)
        clock.shift(IDLE - datetime.timedelta(minutes=1))
        assert _get(client, secret).status_code == 200  # use renews the idle limit
        clock.shift(IDLE - datetime.timedelta(minutes=1))
        assert _get(client, secret).status_code == 200
        clock.shift(IDLE + datetime.timedelta(minutes=1))
        assert _get(client, secret).status_code == 401


def test_a_token_ends_after_the_absolute_limit_however_busy(client, clerk_a):
    start = timezone.now()
    step = IDLE - datetime.timedelta(minutes=1)
    with time_machine.travel(start, tick=False) as clock:
        secret = _issue(client, clerk_a)
        while timezone.now() + step < start + MAX_AGE:
            clock.shift(step)
            assert _get(client, secret).status_code == 200
        clock.move_to(start + MAX_AGE + datetime.timedelta(seconds=1))
        assert _get(client, secret).status_code == 401


def test_the_api_revokes_the_token_it_is_called_with(client, clerk_a):
    first, second = _issue(client, clerk_a), _issue(client, clerk_a)
    response = client.post(REVOKE, HTTP_AUTHORIZATION=f"Bearer {first}")
    assert response.status_code == 204
    assert _get(client, first).status_code == 401
    assert _get(client, second).status_code == 200  # another device keeps its own
    event = AuditEvent.objects.get(action="api_token_revoked")
    assert (event.actor, event.source, event.data["reason"]) == (clerk_a, "api", "api_logout")


def test_logging_out_of_the_site_revokes_the_users_tokens(client, clerk_a, clerk_b):
    mine, theirs = _issue(client, clerk_a), _issue(client, clerk_b)
    client.force_login(clerk_a)
    client.post("/accounts/logout/")
    assert _get(client, mine).status_code == 401
    assert _get(client, theirs).status_code == 200


def test_changing_the_password_revokes_the_users_tokens(client, clerk_a):
    secret = _issue(client, clerk_a)
    client.force_login(clerk_a)
    response = client.post(
        "/accounts/password/",
        {
            "old_password": TEST_PASSWORD,
            "new_password1": "Zhonggu-2025!",
            "new_password2": "Zhonggu-2025!",
        },
    )
    assert response.status_code == 302
    client.logout()
    assert _get(client, secret).status_code == 401
    event = AuditEvent.objects.get(action="api_token_revoked")
    assert event.data == {"reason": "password_change", "count": 1}


def test_the_administrator_setting_a_password_revokes_the_users_tokens(client, clerk_a, admin_user):
    secret = _issue(client, clerk_a)
    client.force_login(admin_user)
    response = client.post(
        f"/admin/accounts/user/{clerk_a.pk}/password/",
        {"password1": "Zhonggu-2025!", "password2": "Zhonggu-2025!", "usable_password": "true"},
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    client.logout()
    assert _get(client, secret).status_code == 401


def test_a_deactivated_users_token_stops_working(client, clerk_a):
    secret = _issue(client, clerk_a)
    clerk_a.is_active = False
    clerk_a.save(update_fields=["is_active"])
    assert _get(client, secret).status_code == 401


def test_the_token_endpoint_is_throttled_per_address(client, clerk_a):
    rate = settings.API_TOKEN_REQUESTS_PER_MINUTE
    here = fresh_address()
    start = timezone.now()
    with time_machine.travel(start, tick=False) as clock:
        for _ in range(rate):
            response = client.post(TOKEN, {"username": "x", "password": "y"}, REMOTE_ADDR=here)
            assert response.status_code == 400
        refused = client.post(TOKEN, {"username": "x", "password": "y"}, REMOTE_ADDR=here)
        assert refused.status_code == 429
        assert "请求" in refused.json()["detail"]
        # A spoofed X-Forwarded-For does not give the same client a fresh allowance.
        spoofed = client.post(
            TOKEN,
            {"username": "x", "password": "y"},
            REMOTE_ADDR=here,
            HTTP_X_FORWARDED_FOR=fresh_address(),
        )
        assert spoofed.status_code == 429
        elsewhere = client.post(
            TOKEN, {"username": "x", "password": "y"}, REMOTE_ADDR=fresh_address()
        )
        assert elsewhere.status_code == 400
        clock.shift(datetime.timedelta(minutes=1, seconds=1))
        again = client.post(TOKEN, {"username": "x", "password": "y"}, REMOTE_ADDR=here)
        assert again.status_code == 400


def test_the_schema_documents_the_token_endpoints_without_warnings(tmp_path):
    schema = tmp_path / "schema.yml"
    call_command("spectacular", "--fail-on-warn", "--file", str(schema))
    text = schema.read_text()
    assert "/api/v1/auth/token/:" in text
    assert "/api/v1/auth/token/revoke/:" in text
    assert "expires_at" in text
