"""Users of the platform: each has one role and one area that bounds what they see; and the
keys they use for the API."""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kaiyuan.accounts.roles import LEVEL_LABELS, ROLE_LEVEL, Department, Role


class User(AbstractUser):
    """A person who logs in. ``area`` is where they work; ``role`` what they may do there."""

    Role = Role
    Department = Department

    role = models.CharField(
        _("role"), max_length=32, choices=Role.choices, default=Role.GRID_WORKER
    )
    area = models.ForeignKey(
        "areas.Area",
        verbose_name=_("area"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="users",
    )
    department = models.CharField(
        _("department"), max_length=32, choices=Department.choices, blank=True
    )
    phone = models.CharField(_("phone"), max_length=20, blank=True)

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["username"]

    def __str__(self) -> str:
        full = self.get_full_name()
        return f"{full}（{self.username}）" if full else self.username

    def get_full_name(self) -> str:
        # Chinese names are family name first, with no space.
        return f"{self.last_name}{self.first_name}".strip()

    @property
    def is_read_only(self) -> bool:
        from kaiyuan.accounts.capabilities import user_can

        return not user_can(self, "records.change")

    @property
    def is_county_wide(self) -> bool:
        return self.is_superuser or self.level == "county"

    @property
    def level(self) -> str:
        return ROLE_LEVEL[Role(self.role)]

    def save(self, *args, **kwargs) -> None:
        # Every way of changing a password (the user's own page, the admin's form, the
        # changepassword command, a reset) goes through set_password() and then save(), which is
        # also where Django tells the password validators. Ending the user's API tokens here
        # means no path can forget it: a token must not outlive the password that issued it.
        password_changed = self._password is not None and self.pk is not None
        super().save(*args, **kwargs)
        if password_changed:
            from kaiyuan.accounts.services import api_tokens_revoke_for_user

            api_tokens_revoke_for_user(user=self, actor=self, reason="password_change")

    def clean(self) -> None:
        super().clean()
        expected = ROLE_LEVEL[Role(self.role)]
        if self.area is not None and self.area.level != expected:
            raise ValidationError(
                {
                    "area": _("A %(role)s works at %(level)s level; choose an area of that level.")
                    % {"role": self.get_role_display(), "level": LEVEL_LABELS[expected]}
                }
            )
        if self.role == Role.DEPARTMENT and not self.department:
            raise ValidationError({"department": _("Department staff must name their department.")})
        if self.role != Role.DEPARTMENT and self.department:
            raise ValidationError({"department": _("Only department staff have a department.")})


class ApiToken(models.Model):
    """A key for the API, issued by POST /api/v1/auth/token/ and shown to its user only then.

    Only the SHA-256 of the secret is stored, so a copy of the database opens nothing. A fast
    hash is enough (a password hasher is not needed): the secret is 256 random bits, not a
    word someone chose, and the digest can then be looked up through the unique index.

    A token works until the first of: ``API_TOKEN_IDLE`` without use, ``expires_at`` (issue time
    plus ``API_TOKEN_MAX_AGE``), its revocation (API logout, logging out of the site, any
    password change).
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="api_tokens",
    )
    key_hash = models.CharField(_("key digest"), max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("issued at"), default=timezone.now)
    last_used_at = models.DateTimeField(_("last used at"))
    expires_at = models.DateTimeField(_("expires at"))
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["user", "revoked_at"], name="accounts_token_user_live")]

    def __str__(self) -> str:
        return f"{self.user} {timezone.localtime(self.created_at):%Y-%m-%d %H:%M}"

    @staticmethod
    def digest(secret: str) -> str:
        return hashlib.sha256(secret.encode()).hexdigest()

    def is_usable(self, now) -> bool:
        return (
            self.revoked_at is None
            and now < self.expires_at
            and now < self.last_used_at + settings.API_TOKEN_IDLE
        )
