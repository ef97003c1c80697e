"""Users of the platform: each has one role and one area that bounds what they see."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kaiyuan.accounts.roles import (
    COUNTY_ROLES,
    LEVEL_LABELS,
    READ_ONLY_ROLES,
    ROLE_LEVEL,
    Department,
    Role,
)


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
    # Lock-out after repeated failed logins: the counter is reset by a successful login or once
    # the lock has expired.
    failed_login_count = models.PositiveSmallIntegerField(_("failed logins"), default=0)
    locked_until = models.DateTimeField(_("locked until"), null=True, blank=True)

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
        return self.role in READ_ONLY_ROLES

    @property
    def is_county_wide(self) -> bool:
        return self.is_superuser or self.role in COUNTY_ROLES

    @property
    def level(self) -> str:
        return ROLE_LEVEL[Role(self.role)]

    @property
    def is_locked(self) -> bool:
        return self.locked_until is not None and self.locked_until > timezone.now()

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
