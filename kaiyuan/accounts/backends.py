"""Authentication that honours the lock-out: a locked account cannot log in even with the right
password, so guessing stops paying off once the limit is reached."""

from __future__ import annotations

from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import PermissionDenied


class LockoutModelBackend(ModelBackend):
    def user_can_authenticate(self, user) -> bool:
        if getattr(user, "is_locked", False):
            # PermissionDenied stops Django from trying other backends and fires
            # user_login_failed, which keeps the audit trail complete.
            raise PermissionDenied
        return super().user_can_authenticate(user)
