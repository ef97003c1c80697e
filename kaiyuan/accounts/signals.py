"""Cross-cutting login bookkeeping: audit every login and failed login, count failures."""

from __future__ import annotations

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from kaiyuan.accounts import services
from kaiyuan.audit import record
from kaiyuan.audit.context import client_ip


@receiver(user_logged_in)
def on_login(sender, request, user, **kwargs) -> None:
    services.login_success_register(user=user)
    record(user, action="login", actor=user, ip=client_ip(request))


@receiver(user_logged_out)
def on_logout(sender, request, user, **kwargs) -> None:
    if user is not None:
        record(user, action="logout", actor=user, ip=client_ip(request))


@receiver(user_login_failed)
def on_login_failed(sender, credentials, request=None, **kwargs) -> None:
    username = (credentials or {}).get("username", "")[:150]
    user = services.login_failure_register(username=username) if username else None
    record(
        user,
        action="login_failed",
        actor=None,
        ip=client_ip(request),
        data={"username": username, "locked": bool(user and user.is_locked)},
    )
