"""A year's income of an asset, settled (清算) before it is distributed (AST-8), with the only
deductions the plan allows: depreciation and maintenance (AST-9)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kaiyuan.common.scoping import AreaScopedQuerySet

MONEY = {"max_digits": 14, "decimal_places": 2}


class AssetIncome(models.Model):
    asset = models.ForeignKey(
        "assets.Asset", verbose_name=_("asset"), on_delete=models.PROTECT, related_name="incomes"
    )
    year = models.PositiveSmallIntegerField(_("income year"))
    gross_income = models.DecimalField(
        _("income (yuan)"),
        help_text=_(
            "What the owner received for the year: rent, contract fee, dividend or the station's "
            "income after its operating costs."
        ),
        **MONEY,
    )
    depreciation = models.DecimalField(_("depreciation (yuan)"), default=0, **MONEY)
    maintenance = models.DecimalField(_("maintenance (yuan)"), default=0, **MONEY)
    settled_on = models.DateField(_("settled on"))
    note = models.CharField(_("note"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now)
    version = models.PositiveIntegerField(_("version"), default=1)

    objects = AreaScopedQuerySet.as_manager()
    area_lookup = "asset__area"

    class Meta:
        verbose_name = _("income settlement")
        verbose_name_plural = _("income settlements")
        ordering = ["asset", "-year"]
        constraints = [
            models.UniqueConstraint(fields=["asset", "year"], name="asset_income_once_a_year"),
            models.CheckConstraint(
                condition=Q(gross_income__gte=0, depreciation__gte=0, maintenance__gte=0),
                name="asset_income_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(gross_income__gte=F("depreciation") + F("maintenance")),
                name="asset_income_deductions_within_income",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.asset.code} {self.year}"

    @property
    def net_income(self):
        return self.gross_income - self.depreciation - self.maintenance
