"""Micro-credit for 脱贫户 and monitored households (脱贫人口小额信贷, the plan's §四(二)1): the
bank's loan, its repayments, and the interest subsidy (贴息) paid from linkage funds."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from funds.codes import LoanPurpose
from kaiyuan.common.ledger import LedgerEntry
from kaiyuan.common.scoping import AreaScopedQuerySet

MONEY = {"max_digits": 14, "decimal_places": 2}


class MicrocreditLoan(models.Model):
    household = models.ForeignKey(
        "monitoring.Household",
        verbose_name=_("household"),
        on_delete=models.PROTECT,
        related_name="loans",
    )
    borrower = models.ForeignKey(
        "monitoring.Member",
        verbose_name=_("borrower"),
        on_delete=models.PROTECT,
        related_name="loans",
    )
    bank = models.CharField(_("lending bank"), max_length=60)
    contract_number = models.CharField(_("loan contract number"), max_length=60)
    amount = models.DecimalField(_("loan amount (yuan)"), **MONEY)
    issued_on = models.DateField(_("issued on"))
    term_months = models.PositiveSmallIntegerField(_("term (months)"))
    due_on = models.DateField(_("due on"))
    extended_to = models.DateField(
        _("extended to"),
        null=True,
        blank=True,
        help_text=_("A loan extended (展期) by the bank is overdue only after this date."),
    )
    purpose = models.CharField(_("purpose"), max_length=12, choices=LoanPurpose.choices)
    purpose_note = models.CharField(_("what the money is for"), max_length=200, blank=True)
    annual_rate = models.DecimalField(_("annual interest rate (%)"), max_digits=5, decimal_places=2)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("recorded at"), default=timezone.now)
    version = models.PositiveIntegerField(_("version"), default=1)

    objects = AreaScopedQuerySet.as_manager()
    area_lookup = "household__area"

    class Meta:
        verbose_name = _("micro-credit loan")
        verbose_name_plural = _("micro-credit loans")
        ordering = ["-issued_on", "-id"]
        indexes = [models.Index(fields=["due_on"], name="loan_due_on")]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="loan_amount_positive"),
            models.CheckConstraint(
                condition=Q(due_on__gt=models.F("issued_on")), name="loan_due_after_issue"
            ),
            models.UniqueConstraint(fields=["bank", "contract_number"], name="loan_contract_once"),
        ]

    def __str__(self) -> str:
        return f"{self.bank} {self.contract_number}"

    def get_absolute_url(self) -> str:
        return reverse("funds:loan_detail", args=[self.pk])

    @property
    def final_due(self):
        return self.extended_to or self.due_on


class LoanRepayment(LedgerEntry):
    """Principal repaid to the bank."""

    loan = models.ForeignKey(
        MicrocreditLoan,
        verbose_name=_("loan"),
        on_delete=models.PROTECT,
        related_name="repayments",
    )
    repaid_on = models.DateField(_("repaid on"))

    objects = AreaScopedQuerySet.as_manager()
    area_lookup = "loan__household__area"

    class Meta(LedgerEntry.Meta):
        verbose_name = _("loan repayment")
        verbose_name_plural = _("loan repayments")
        ordering = ["repaid_on", "id"]

    def __str__(self) -> str:
        return f"{self.loan} {self.amount}"


class InterestSubsidy(LedgerEntry):
    """The interest subsidy (贴息) of a period, paid from linkage funds."""

    loan = models.ForeignKey(
        MicrocreditLoan,
        verbose_name=_("loan"),
        on_delete=models.PROTECT,
        related_name="subsidies",
    )
    period_start = models.DateField(_("period from"))
    period_end = models.DateField(_("period to"))
    paid_on = models.DateField(_("paid on"))
    project = models.ForeignKey(
        "projects.Project",
        verbose_name=_("paid from project"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("The library's interest-subsidy project whose linkage funds pay it."),
    )

    objects = AreaScopedQuerySet.as_manager()
    area_lookup = "loan__household__area"

    class Meta(LedgerEntry.Meta):
        verbose_name = _("interest subsidy")
        verbose_name_plural = _("interest subsidies")
        ordering = ["period_start", "id"]
        constraints = [
            *LedgerEntry.Meta.constraints,
            models.CheckConstraint(
                condition=Q(period_end__gte=models.F("period_start")),
                name="subsidy_period_in_order",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.loan} {self.period_start}–{self.period_end}"
