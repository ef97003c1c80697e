"""Employment-assistance workshops (就业帮扶车间, DOMAIN.md §6.3): a market entity that employs
脱贫 people near home; the workers it has are its employment records."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from employment.codes import WorkshopType
from kaiyuan.common.scoping import AreaScopedQuerySet


class Workshop(models.Model):
    area = models.ForeignKey(
        "areas.Area", verbose_name=_("village"), on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField(_("workshop name"), max_length=100)
    workshop_type = models.CharField(_("workshop type"), max_length=8, choices=WorkshopType.choices)
    operator = models.CharField(_("operating entity"), max_length=100)
    operator_uscc = models.CharField(_("operating entity's credit code"), max_length=18)
    products = models.CharField(_("products or work"), max_length=200, blank=True)
    opened_on = models.DateField(_("opened on"))
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    total_workers = models.PositiveIntegerField(_("workers in all"), default=0)
    contact = models.CharField(_("contact person"), max_length=40, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    version = models.PositiveIntegerField(_("version"), default=1)

    objects = AreaScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("employment-assistance workshop")
        verbose_name_plural = _("employment-assistance workshops")
        ordering = ["area", "name"]
        constraints = [
            models.UniqueConstraint(fields=["area", "name"], name="workshop_unique_name"),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("employment:workshop_detail", args=[self.pk])
