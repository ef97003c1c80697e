"""Public-welfare posts (乡村公益性岗位, DOMAIN.md §6.3): a post of a village, what pays for it
(a PV station's income, the post subsidy or a named source), its holder, months and monthly pay,
and the pay of each month, written once as ledger entries."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from employment.codes import PostFunding
from kaiyuan.common.ledger import LedgerEntry
from kaiyuan.common.scoping import AreaScopedQuerySet

MONEY = {"max_digits": 12, "decimal_places": 2}


class WelfarePost(models.Model):
    area = models.ForeignKey(
        "areas.Area", verbose_name=_("village"), on_delete=models.PROTECT, related_name="+"
    )
    post_type = models.CharField(_("public-welfare job type"), max_length=32)
    duties = models.CharField(_("duties"), max_length=200, blank=True)
    funding = models.CharField(_("funded by"), max_length=12, choices=PostFunding.choices)
    funding_asset = models.ForeignKey(
        "assets.Asset",
        verbose_name=_("PV station"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="welfare_posts",
    )
    funding_note = models.CharField(_("funding source"), max_length=120, blank=True)
    holder = models.ForeignKey(
        "monitoring.Member",
        verbose_name=_("holder"),
        on_delete=models.PROTECT,
        related_name="welfare_posts",
    )
    start_date = models.DateField(_("from"))
    end_date = models.DateField(_("until"), null=True, blank=True)
    months = models.PositiveSmallIntegerField(_("months employed"))
    monthly_pay = models.DecimalField(_("monthly pay (yuan)"), **MONEY)
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
        verbose_name = _("public-welfare post")
        verbose_name_plural = _("public-welfare posts")
        ordering = ["area", "post_type", "-start_date", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(monthly_pay__gt=0), name="welfare_post_pay"),
            models.CheckConstraint(
                condition=Q(months__gte=1, months__lte=12), name="welfare_post_months"
            ),
            models.CheckConstraint(
                condition=~Q(funding="光伏收益") | Q(funding_asset__isnull=False),
                name="welfare_post_pv_names_station",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.area} {self.post_type} {self.holder}"

    def get_absolute_url(self) -> str:
        return reverse("employment:post_detail", args=[self.pk])


class PostPayment(LedgerEntry):
    """The pay of one month of a post; a mistake is corrected by a reversing entry."""

    post = models.ForeignKey(
        WelfarePost, verbose_name=_("post"), on_delete=models.PROTECT, related_name="payments"
    )
    month = models.DateField(_("month"), help_text=_("The first day of the month paid for."))
    paid_on = models.DateField(_("paid on"))

    objects = AreaScopedQuerySet.as_manager()
    area_lookup = "post__area"

    class Meta(LedgerEntry.Meta):
        verbose_name = _("post payment")
        verbose_name_plural = _("post payments")
        ordering = ["post", "month", "id"]

    def __str__(self) -> str:
        return f"{self.post} {self.month:%Y-%m} {self.amount}"
