"""Account writes: unlocking after failed logins, and the API tokens' life."""

from __future__ import annotations

import datetime
import secrets

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from kaiyuan.accounts.models import ApiToken, User
from kaiyuan.audit import record

# A token's last use is written at most this often: the idle limit is counted in minutes, and
# a write on every API request would double the work of a busy script.
TOKEN_TOUCH_INTERVAL = datetime.timedelta(minutes=1)


@transaction.atomic
def user_unlock(*, user: User, actor: User) -> User:
    """Clear the failed logins of ``user`` from every address (django-axes counts them per user
    name and address), so the user can log in again at once."""
    from axes.utils import reset

    cleared = reset(username=user.get_username())
    record(user, action="unlock", actor=actor, data={"cleared": cleared})
    return user


# =============================================================================================
# API tokens
# =============================================================================================


@transaction.atomic
def api_token_issue(*, user: User) -> tuple[ApiToken, str]:
    """A new token for ``user`` (who has just proved their password). Returns the row and the
    secret; the secret is not kept anywhere and cannot be shown again."""
    now = timezone.now()
    # Rows past their absolute limit are of no use to anyone; the audit trail keeps the story.
    ApiToken.objects.filter(user=user, expires_at__lte=now).delete()
    secret = secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user,
        key_hash=ApiToken.digest(secret),
        created_at=now,
        last_used_at=now,
        expires_at=now + settings.API_TOKEN_MAX_AGE,
    )
    record(
        user,
        action="api_token_issued",
        actor=user,
        data={"token": token.pk, "expires_at": token.expires_at.isoformat()},
    )
    return token, secret


def api_token_use(*, secret: str) -> ApiToken | None:
    """The usable token with this secret, its last use brought up to now; None when there is no
    such token or it is revoked, idle too long or past its absolute limit."""
    token = (
        ApiToken.objects.select_related("user")
        .filter(key_hash=ApiToken.digest(secret), revoked_at__isnull=True)
        .first()
    )
    now = timezone.now()
    if token is None or not token.is_usable(now):
        return None
    if now - token.last_used_at >= TOKEN_TOUCH_INTERVAL:
        # Compare-and-swap, so parallel requests write once and never move the time back.
        ApiToken.objects.filter(pk=token.pk, last_used_at=token.last_used_at).update(
            last_used_at=now
        )
        token.last_used_at = now
    return token


@transaction.atomic
def api_token_revoke(*, token: ApiToken, actor: User, reason: str) -> None:
    """End one token (the API's own logout)."""
    revoked = ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )
    if revoked:
        record(
            token.user,
            action="api_token_revoked",
            actor=actor,
            data={"reason": reason, "count": revoked},
        )


@transaction.atomic
def api_tokens_revoke_for_user(*, user: User, actor: User | None, reason: str) -> int:
    """End every live token of ``user``: on logging out of the site and on any password
    change. Returns how many were ended."""
    now = timezone.now()
    revoked = ApiToken.objects.filter(
        user=user, revoked_at__isnull=True, expires_at__gt=now
    ).update(revoked_at=now)
    if revoked:
        record(
            user,
            action="api_token_revoked",
            actor=actor,
            data={"reason": reason, "count": revoked},
        )
    return revoked
