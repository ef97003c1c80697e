"""Reallocation (调剂) of idle money by the bureau (FND-7): an audited decision that moves money
of one allocation from one project (or township) to another. It writes two fund entries, one
out and one in, that name it."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kaiyuan.common.scoping import AreaScopedQuerySet

MONEY = {"max_digits": 14, "decimal_places": 2}


class Reallocation(models.Model):
    from_project = models.ForeignKey(
        "projects.Project",
        verbose_name=_("from project"),
        on_delete=models.PROTECT,
        related_name="reallocations_out",
    )
    to_project = models.ForeignKey(
        "projects.Project",
        verbose_name=_("to project"),
        on_delete=models.PROTECT,
        related_name="reallocations_in",
    )
    allocation = models.ForeignKey(
        "funds.FundAllocation",
        verbose_name=_("allocation"),
        on_delete=models.PROTECT,
        related_name="reallocations",
    )
    amount = models.DecimalField(_("amount (yuan)"), **MONEY)
    decided_on = models.DateField(_("decided on"))
    document_number = models.CharField(_("decision document"), max_length=80)
    reason = models.CharField(_("reason"), max_length=300)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now)

    objects = AreaScopedQuerySet.as_manager()
    # A reallocation between townships is the county's decision; county-wide roles see it.
    area_lookup = "allocation__area"

    class Meta:
        verbose_name = _("reallocation")
        verbose_name_plural = _("reallocations")
        ordering = ["-decided_on", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="reallocation_positive"),
            models.CheckConstraint(
                condition=~Q(from_project=models.F("to_project")),
                name="reallocation_between_projects",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.from_project.code} → {self.to_project.code} {self.amount}"
