"""Cross-cutting login bookkeeping: audit every login, failed login and lock-out, and end the
user's API tokens when they log out of the site.

Counting failures and refusing locked logins is django-axes' work (per user name and address);
these receivers only leave the trail. The channel (web or API) comes from the request context.
"""

from __future__ import annotations

from axes.signals import user_locked_out
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from kaiyuan.accounts import services
from kaiyuan.audit import record
from kaiyuan.audit.context import client_ip


def _user_named(username: str):
    return get_user_model().objects.filter(username=username).first() if username else None


@receiver(user_logged_in)
def on_login(sender, request, user, **kwargs) -> None:
    record(user, action="login", actor=user, ip=client_ip(request))


@receiver(user_logged_out)
def on_logout(sender, request, user, **kwargs) -> None:
    if user is None:
        return
    record(user, action="logout", actor=user, ip=client_ip(request))
    services.api_tokens_revoke_for_user(user=user, actor=user, reason="logout")


@receiver(user_login_failed)
def on_login_failed(sender, credentials, request=None, **kwargs) -> None:
    username = (credentials or {}).get("username", "")[:150]
    record(
        _user_named(username),
        action="login_failed",
        actor=None,
        ip=client_ip(request),
        data={"username": username},
    )


@receiver(user_locked_out)
def on_locked_out(sender, request, username, ip_address, **kwargs) -> None:
    # Axes sends this on the failure that reaches the limit and again on every later try while
    # the lock holds; the trail records the moment the lock began.
    if getattr(request, "axes_failures_since_start", None) != settings.LOGIN_MAX_FAILURES:
        return
    record(
        _user_named(username or ""),
        action="lockout",
        actor=None,
        ip=ip_address,
        data={"username": username or "", "failures": settings.LOGIN_MAX_FAILURES},
    )
