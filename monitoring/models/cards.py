"""The delivery of a household's 明白卡 (DOMAIN.md §2.11)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from kaiyuan.common.scoping import AreaScopedQuerySet


class CardDelivery(models.Model):
    """Who delivered a household's 明白卡 and posted it on the wall, and when (§2.11)."""

    household = models.ForeignKey(
        "monitoring.Household",
        verbose_name=_("household"),
        on_delete=models.PROTECT,
        related_name="card_deliveries",
    )
    year = models.PositiveSmallIntegerField(_("year"))
    delivered_by = models.CharField(_("delivered by"), max_length=64)
    delivered_on = models.DateField(_("delivered on"))
    posted_on = models.DateField(_("posted on the wall on"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    objects = AreaScopedQuerySet.as_manager()
    area_lookup = "household__area"

    class Meta:
        verbose_name = _("card delivery")
        verbose_name_plural = _("card deliveries")
        ordering = ["-delivered_on"]
        constraints = [
            models.UniqueConstraint(fields=["household", "year"], name="card_one_per_year"),
            models.CheckConstraint(
                condition=Q(posted_on__isnull=True) | Q(posted_on__gte=models.F("delivered_on")),
                name="card_posted_after_delivery",
                violation_error_message=_("A card is posted on or after the day it is delivered."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.household} {self.year}"
