"""The 四个一批 review of an operating asset (巩固 / 升级 / 盘活 / 调整, the plan's §四(二)1): each
review dated, with its reason; the asset carries the latest."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kaiyuan.common.scoping import AreaScopedQuerySet
from projects.codes import FourBatches


class AssetReview(models.Model):
    asset = models.ForeignKey(
        "assets.Asset", verbose_name=_("asset"), on_delete=models.CASCADE, related_name="reviews"
    )
    batch = models.CharField(_("四个一批 class"), max_length=8, choices=FourBatches.choices)
    reviewed_on = models.DateField(_("reviewed on"))
    reason = models.CharField(_("reason"), max_length=300)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewed by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now)

    objects = AreaScopedQuerySet.as_manager()
    area_lookup = "asset__area"

    class Meta:
        verbose_name = _("四个一批 review")
        verbose_name_plural = _("四个一批 reviews")
        ordering = ["asset", "-reviewed_on", "-id"]

    def __str__(self) -> str:
        return f"{self.asset.code} {self.batch} {self.reviewed_on}"
