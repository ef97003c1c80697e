"""Refusals of the accounts app."""

from __future__ import annotations

from django.conf import settings
from django.utils.translation import gettext as _

from kaiyuan.common.errors import DomainError


def login_failed_message() -> str:
    """The one answer to every refused login (unknown name, wrong password, inactive account,
    paused after too many failures), on the login page and the token endpoint alike: any
    difference would tell a stranger which user names exist."""
    return _(
        "Login failed. Check the user name and password. After %(limit)d failed attempts in a "
        "row, logging in from this address is paused for %(minutes)d minutes."
    ) % {
        "limit": settings.LOGIN_MAX_FAILURES,
        "minutes": settings.LOGIN_LOCKOUT.total_seconds() // 60,
    }


class LoginFailed(DomainError):
    code = "login_failed"

    def __init__(self) -> None:
        super().__init__(login_failed_message())
