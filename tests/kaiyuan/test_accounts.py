"""Login, lock-out, logout, password change and idle sessions.

The lock-out counts failures per user name *and* client address (django-axes), so an attacker
elsewhere cannot lock the real user out, and every refusal reads the same, so the login page and
the token endpoint never tell which user names exist.
"""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from kaiyuan.audit.models import AuditEvent
from tests.factories import TEST_PASSWORD, UserFactory
from tests.kaiyuan.addresses import fresh_address

pytestmark = pytest.mark.django_db
LOGIN = "/accounts/login/"
TOKEN = "/api/v1/auth/token/"
LIMIT = settings.LOGIN_MAX_FAILURES
WRONG = "wrong-password-1"


def _login(client, username, password, address):
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=address)


def _token(client, username, password, address):
    return client.post(
        TOKEN,
        {"username": username, "password": password},
        content_type="application/json",
        REMOTE_ADDR=address,
    )


def _page_error(response) -> str:
    """The error the login page shows (the form's only message)."""
    assert response.status_code == 200
    errors = response.context["form"].non_field_errors()
    assert len(errors) == 1
    assert errors[0] in response.content.decode()
    return errors[0]


def _logged_in(client) -> bool:
    return "_auth_user_id" in client.session


def test_a_clerk_logs_in_and_lands_on_the_home_page(client, clerk_a):
    response = _login(client, "clerk_a", TEST_PASSWORD, fresh_address())
    assert response.status_code == 302
    assert response["Location"] == reverse("web:home")
    event = AuditEvent.objects.get(action="login")
    assert (event.actor, event.object_id) == (clerk_a, str(clerk_a.pk))


def test_a_wrong_password_is_refused_and_audited_with_the_name_tried(client, clerk_a):
    here = fresh_address()
    response = _login(client, "clerk_a", WRONG, here)
    assert "登录失败" in _page_error(response)
    event = AuditEvent.objects.get(action="login_failed")
    assert (event.data["username"], event.ip, event.actor) == ("clerk_a", here, None)


def test_one_short_of_the_limit_the_right_password_still_works(client, clerk_a):
    here = fresh_address()
    for _ in range(LIMIT - 1):
        _login(client, "clerk_a", WRONG, here)
    assert _login(client, "clerk_a", TEST_PASSWORD, here).status_code == 302
    assert not AuditEvent.objects.filter(action="lockout").exists()


def test_the_limit_of_failures_locks_that_name_from_that_address(client, clerk_a):
    here = fresh_address()
    for _ in range(LIMIT):
        _login(client, "clerk_a", WRONG, here)
    # Even the right password is refused while the lock holds.
    response = _login(client, "clerk_a", TEST_PASSWORD, here)
    assert response.status_code == 200
    assert not _logged_in(client)
    # The token endpoint shares the lock: it is the same name from the same address.
    assert _token(client, "clerk_a", TEST_PASSWORD, here).status_code == 400
    lockout = AuditEvent.objects.get(action="lockout")
    assert (lockout.data["username"], lockout.ip) == ("clerk_a", here)
    assert lockout.object_id == str(clerk_a.pk)


def test_an_attacker_elsewhere_cannot_lock_the_real_user_out(client, bureau):
    attacker, office = fresh_address(), fresh_address()
    # The attack of the report: anonymous POSTs to the token endpoint with a wrong password.
    for _ in range(LIMIT + 2):
        assert _token(client, "bureau", WRONG, attacker).status_code == 400
    assert _token(client, "bureau", TEST_PASSWORD, attacker).status_code == 400  # locked there
    assert _token(client, "bureau", TEST_PASSWORD, office).status_code == 201
    assert _login(client, "bureau", TEST_PASSWORD, office).status_code == 302


def test_a_token_obtained_with_the_right_password_clears_the_count(client, clerk_a):
    here = fresh_address()
    for _ in range(LIMIT - 1):
        _token(client, "clerk_a", WRONG, here)
    assert _token(client, "clerk_a", TEST_PASSWORD, here).status_code == 201
    for _ in range(LIMIT - 1):
        _token(client, "clerk_a", WRONG, here)
    assert _login(client, "clerk_a", TEST_PASSWORD, here).status_code == 302


def test_the_lock_expires(client, clerk_a):
    here = fresh_address()
    start = timezone.now()
    with time_machine.travel(start, tick=False) as clock:
        for _ in range(LIMIT):
            _login(client, "clerk_a", WRONG, here)
        clock.shift(settings.LOGIN_LOCKOUT - datetime.timedelta(seconds=1))
        assert _login(client, "clerk_a", TEST_PASSWORD, here).status_code == 200
        # That refused try counts as a failure too and starts the pause again.
        clock.shift(settings.LOGIN_LOCKOUT + datetime.timedelta(seconds=1))
        assert _login(client, "clerk_a", TEST_PASSWORD, here).status_code == 302


def test_every_login_failure_reads_the_same(client, clerk_a):
    inactive = UserFactory(username="retired", is_active=False)
    assert inactive.check_password(TEST_PASSWORD)
    locked_here = fresh_address()
    for _ in range(LIMIT):
        _login(client, "clerk_a", WRONG, locked_here)

    attempts = {
        "unknown user": ("nobody", TEST_PASSWORD, fresh_address()),
        "wrong password": ("clerk_a", WRONG, fresh_address()),
        "inactive": ("retired", TEST_PASSWORD, fresh_address()),
        "locked": ("clerk_a", TEST_PASSWORD, locked_here),
    }
    page = {case: _page_error(_login(client, *args)) for case, args in attempts.items()}
    assert len(set(page.values())) == 1, page
    assert "锁定" not in next(iter(page.values()))

    api = {}
    for case, args in attempts.items():
        response = _token(client, *args)
        api[case] = (response.status_code, response.json())
    assert len({repr(answer) for answer in api.values()}) == 1, api
    status, body = next(iter(api.values()))
    assert (status, body["code"]) == (400, "login_failed")
    assert body["detail"] == next(iter(page.values()))


def test_the_administrator_unlocks_an_account_for_every_address(client, clerk_a, admin_user):
    first, second = fresh_address(), fresh_address()
    for here in (first, second):
        for _ in range(LIMIT):
            _login(client, "clerk_a", WRONG, here)
    client.force_login(admin_user)
    listed = client.get("/admin/accounts/user/").context["cl"].result_list
    assert {user.username: user.locked for user in listed} == {"admin": False, "clerk_a": True}
    response = client.post(
        "/admin/accounts/user/", {"action": "unlock", "_selected_action": [clerk_a.pk]}
    )
    assert response.status_code == 302
    event = AuditEvent.objects.get(action="unlock")
    assert (event.actor, event.object_id) == (admin_user, str(clerk_a.pk))
    client.logout()
    assert _login(client, "clerk_a", TEST_PASSWORD, first).status_code == 302
    client.logout()
    assert _login(client, "clerk_a", TEST_PASSWORD, second).status_code == 302


def test_logout_ends_the_session(client, clerk_a):
    client.force_login(clerk_a)
    client.post("/accounts/logout/")
    assert client.get("/").status_code == 302
    assert AuditEvent.objects.filter(action="logout", actor=clerk_a).exists()


def test_sessions_expire_when_idle():
    assert settings.SESSION_SAVE_EVERY_REQUEST is True
    assert settings.SESSION_COOKIE_AGE == 30 * 60


def test_the_password_change_refuses_weak_passwords(client, clerk_a):
    client.force_login(clerk_a)
    response = client.post(
        "/accounts/password/",
        {
            "old_password": TEST_PASSWORD,
            "new_password1": "abcdefghij",
            "new_password2": "abcdefghij",
        },
    )
    assert response.status_code == 200
    assert "密码必须同时包含字母和数字或符号" in response.content.decode()
    response = client.post(
        "/accounts/password/",
        {
            "old_password": TEST_PASSWORD,
            "new_password1": "Zhonggu-2025!",
            "new_password2": "Zhonggu-2025!",
        },
    )
    assert response.status_code == 302
    clerk_a.refresh_from_db()
    assert clerk_a.check_password("Zhonggu-2025!")


def test_a_role_must_match_the_level_of_its_area(clerk_a, village_a):
    from django.core.exceptions import ValidationError

    clerk_a.area = village_a
    with pytest.raises(ValidationError) as error:
        clerk_a.full_clean()
    assert "area" in error.value.message_dict
