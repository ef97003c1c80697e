from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class CodeItemQuerySet(models.QuerySet["CodeItem"]):
    def of(self, table: str) -> CodeItemQuerySet:
        return self.filter(table=table, active=True).order_by("sort_order", "value")

    def values_of(self, table: str) -> list[str]:
        return list(self.of(table).values_list("value", flat=True))


class CodeItem(models.Model):
    """One value of an editable national code table (the lists DOMAIN.md calls not final)."""

    class Table(models.TextChoices):
        RISK_TYPE = "risk_type", _("Risk type")
        DISASTER_SUBITEM = "disaster_subitem", _("Natural disaster sub-item")
        DROPOUT_REASON = "dropout_reason", _("Reason for dropping out")
        EMPLOYMENT_CHANNEL = "employment_channel", _("Employment channel")
        WELFARE_JOB_TYPE = "welfare_job_type", _("Public-welfare job type")
        POVERTY_CAUSE = "poverty_cause", _("Poverty cause (2014-2020 register)")

    table = models.CharField(_("code table"), max_length=32, choices=Table.choices)
    value = models.CharField(_("value"), max_length=64)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)
    active = models.BooleanField(_("in use"), default=True)

    objects = CodeItemQuerySet.as_manager()

    class Meta:
        verbose_name = _("code table value")
        verbose_name_plural = _("code table values")
        ordering = ["table", "sort_order", "value"]
        constraints = [
            models.UniqueConstraint(fields=["table", "value"], name="codeitem_unique_value"),
        ]

    def __str__(self) -> str:
        return self.value
