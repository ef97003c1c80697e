"""Account writes: lock-out bookkeeping and user creation."""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from kaiyuan.accounts.models import User


def login_failure_register(*, username: str) -> User | None:
    """Count a failed login for ``username``; lock the account once the limit is reached.

    The increment is a single UPDATE so that parallel guesses cannot slip past the limit.
    Unknown usernames are ignored (there is nothing to lock), but still audited by the caller.
    """
    now = timezone.now()
    with transaction.atomic():
        user = User.objects.select_for_update().filter(username=username).first()
        if user is None:
            return None
        if user.locked_until is not None and user.locked_until <= now:
            # The previous lock ran out: start counting afresh.
            user.failed_login_count = 0
            user.locked_until = None
            user.save(update_fields=["failed_login_count", "locked_until"])
        User.objects.filter(pk=user.pk).update(failed_login_count=F("failed_login_count") + 1)
        user.refresh_from_db(fields=["failed_login_count", "locked_until"])
        if user.failed_login_count >= settings.LOGIN_MAX_FAILURES and not user.is_locked:
            user.locked_until = now + settings.LOGIN_LOCKOUT
            user.save(update_fields=["locked_until"])
    return user


def login_success_register(*, user: User) -> None:
    if user.failed_login_count or user.locked_until:
        User.objects.filter(pk=user.pk).update(failed_login_count=0, locked_until=None)


def user_unlock(*, user: User, actor: User) -> User:
    from kaiyuan.audit import record

    with transaction.atomic():
        User.objects.filter(pk=user.pk).update(failed_login_count=0, locked_until=None)
        record(user, action="unlock", actor=actor, note="")
    user.refresh_from_db()
    return user
