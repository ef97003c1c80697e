"""Login, lock-out, logout, password change and idle sessions."""

from __future__ import annotations

import datetime

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from kaiyuan.audit.models import AuditEvent
from tests.factories import TEST_PASSWORD

pytestmark = pytest.mark.django_db
LOGIN = "/accounts/login/"


def _login(client, username, password):
    return client.post(LOGIN, {"username": username, "password": password})


def test_a_clerk_logs_in_and_lands_on_the_home_page(client, clerk_a):
    response = _login(client, "clerk_a", TEST_PASSWORD)
    assert response.status_code == 302
    assert response["Location"] == reverse("web:home")
    event = AuditEvent.objects.get(action="login")
    assert (event.actor, event.object_id) == (clerk_a, str(clerk_a.pk))


def test_a_wrong_password_is_refused_and_audited(client, clerk_a):
    response = _login(client, "clerk_a", "wrong-password-1")
    assert response.status_code == 200
    assert "请输入一个正确的" in response.content.decode()
    event = AuditEvent.objects.get(action="login_failed")
    assert event.data["username"] == "clerk_a"
    assert event.actor is None


def test_the_account_locks_after_the_limit_of_failures(client, clerk_a):
    for _ in range(settings.LOGIN_MAX_FAILURES - 1):
        _login(client, "clerk_a", "wrong-password-1")
    clerk_a.refresh_from_db()
    assert not clerk_a.is_locked  # one short of the limit: still open
    response = _login(client, "clerk_a", "wrong-password-1")
    clerk_a.refresh_from_db()
    assert clerk_a.is_locked
    assert "账号已被锁定" in response.content.decode()
    # Even the right password is refused while the lock holds.
    response = _login(client, "clerk_a", TEST_PASSWORD)
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
    assert AuditEvent.objects.filter(action="login_failed", data__locked=True).exists()


def test_the_lock_expires(client, clerk_a):
    get_user_model().objects.filter(pk=clerk_a.pk).update(
        failed_login_count=settings.LOGIN_MAX_FAILURES,
        locked_until=timezone.now() - datetime.timedelta(seconds=1),
    )
    response = _login(client, "clerk_a", TEST_PASSWORD)
    assert response.status_code == 302
    clerk_a.refresh_from_db()
    assert (clerk_a.failed_login_count, clerk_a.locked_until) == (0, None)


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
    clerk_a.area = village_a
    with pytest.raises(ValidationError) as error:
        clerk_a.full_clean()
    assert "area" in error.value.message_dict
