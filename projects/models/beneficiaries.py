"""The households a project benefits (联农带农), picked from the registry, each with its role."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from kaiyuan.common.scoping import AreaScopedQuerySet
from projects.codes import BeneficiaryRole
from projects.models.projects import PROJECT_MEMBER_LOOKUP


class ProjectBeneficiary(models.Model):
    project = models.ForeignKey(
        "projects.Project",
        verbose_name=_("project"),
        on_delete=models.PROTECT,
        related_name="beneficiaries",
    )
    household = models.ForeignKey(
        "monitoring.Household",
        verbose_name=_("household"),
        on_delete=models.PROTECT,
        related_name="project_benefits",
    )
    role = models.CharField(_("role"), max_length=4, choices=BeneficiaryRole.choices)
    amount = models.DecimalField(
        _("amount (yuan)"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    note = models.CharField(_("note"), max_length=200, blank=True)

    objects = AreaScopedQuerySet.as_manager()
    area_lookup = "project__area"
    member_area_lookup = PROJECT_MEMBER_LOOKUP

    class Meta:
        verbose_name = _("project beneficiary")
        verbose_name_plural = _("project beneficiaries")
        ordering = ["project", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["project", "household", "role"], name="beneficiary_once_per_role"
            ),
            models.CheckConstraint(
                condition=Q(amount__isnull=True) | Q(amount__gte=0),
                name="beneficiary_amount_not_negative",
                violation_error_message=_("Amounts cannot be negative."),
            ),
        ]
        indexes = [models.Index(fields=["household"], name="beneficiary_household")]

    def __str__(self) -> str:
        return f"{self.project} {self.household} {self.role}"
