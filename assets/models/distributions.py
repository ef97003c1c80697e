"""The distribution of a settled year's income to households (差异化分配, AST-5..7, Q-15) or, for
a PV station, to its three uses (6:3:1, AST-PV-1): a plan of lines, its publicity (AST-PV-2),
then the payment."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from assets.codes import HOUSEHOLD_USES, LineUse
from kaiyuan.common.scoping import AreaScopedQuerySet
from kaiyuan.common.workflow import Step, Workflow

MONEY = {"max_digits": 14, "decimal_places": 2}


class Distribution(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Being drawn up")
        PUBLICISED = "publicised", _("Publicised")
        PAID = "paid", _("Paid")

    income = models.OneToOneField(
        "assets.AssetIncome",
        verbose_name=_("income settlement"),
        on_delete=models.PROTECT,
        related_name="distribution",
    )
    asset = models.ForeignKey(
        "assets.Asset",
        verbose_name=_("asset"),
        on_delete=models.PROTECT,
        related_name="distributions",
    )
    year = models.PositiveSmallIntegerField(_("income year"))
    amount = models.DecimalField(_("amount distributed (yuan)"), **MONEY)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.DRAFT
    )
    publicity_from = models.DateField(_("publicised from"), null=True, blank=True)
    publicity_to = models.DateField(_("publicised until"), null=True, blank=True)
    publicity_place = models.CharField(_("publicised at"), max_length=120, blank=True)
    publicity_objections = models.CharField(_("objections"), max_length=300, blank=True)
    paid_on = models.DateField(_("paid on"), null=True, blank=True)
    payment_reference = models.CharField(_("payment voucher"), max_length=80, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("drawn up by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("drawn up at"), default=timezone.now)
    version = models.PositiveIntegerField(_("version"), default=1)

    objects = AreaScopedQuerySet.as_manager()
    area_lookup = "asset__area"

    class Meta:
        verbose_name = _("income distribution")
        verbose_name_plural = _("income distributions")
        ordering = ["-year", "asset", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="distribution_positive"),
            models.CheckConstraint(
                condition=~Q(status="publicised")
                | Q(publicity_from__isnull=False, publicity_to__isnull=False),
                name="distribution_publicity_recorded",
            ),
            models.CheckConstraint(
                condition=~Q(status="paid") | Q(paid_on__isnull=False),
                name="distribution_paid_on",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.asset.code} {self.year}"

    def get_absolute_url(self) -> str:
        return reverse("assets:distribution_detail", args=[self.pk])


class DistributionLine(models.Model):
    """One line of a distribution: a household's share, or a named post, work or reward of a
    PV station's income. Seen from the distribution's area and from the household's."""

    distribution = models.ForeignKey(
        Distribution,
        verbose_name=_("distribution"),
        on_delete=models.CASCADE,
        related_name="lines",
    )
    use = models.CharField(_("use"), max_length=12, choices=LineUse.choices)
    household = models.ForeignKey(
        "monitoring.Household",
        verbose_name=_("household"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="asset_receipts",
    )
    payee = models.CharField(
        _("paid to"), max_length=64, blank=True, help_text=_("The post holder or the payee.")
    )
    item = models.CharField(
        _("post or work"), max_length=120, blank=True, help_text=_("The post or the work named.")
    )
    amount = models.DecimalField(_("amount (yuan)"), **MONEY)
    note = models.CharField(_("reason"), max_length=200, blank=True)

    objects = AreaScopedQuerySet.as_manager()
    area_lookup = "distribution__asset__area"
    member_area_lookup = "household__area"

    class Meta:
        verbose_name = _("distribution line")
        verbose_name_plural = _("distribution lines")
        ordering = ["distribution", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="distribution_line_positive"),
            models.CheckConstraint(
                condition=~Q(use__in=HOUSEHOLD_USES) | Q(household__isnull=False),
                name="distribution_line_household",
            ),
            models.CheckConstraint(
                condition=~Q(use__in=[LineUse.PV_JOBS, LineUse.PV_WORKS]) | ~Q(item=""),
                name="distribution_line_named",
            ),
            models.UniqueConstraint(
                fields=["distribution", "household", "use"],
                condition=Q(use__in=HOUSEHOLD_USES),
                name="distribution_line_once_per_household",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.distribution} {self.get_use_display()} {self.amount}"


D = Distribution.Status
DISTRIBUTION_WORKFLOW = Workflow(
    name=_("income distribution"),
    transitions={D.DRAFT: {D.PUBLICISED}, D.PUBLICISED: {D.PAID, D.DRAFT}},
    steps=(
        Step("publicise", _("Distribution publicised"), "assets.distribute"),
        Step("revise", _("Distribution reopened after objections"), "assets.distribute"),
        Step("pay", _("Distribution paid"), "assets.pay"),
    ),
    describe=lambda distribution: (str(distribution), distribution.get_absolute_url()),
)
