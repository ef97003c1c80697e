"""Payments (拨付) of a project's funds, their 报账 and the retention (DOMAIN.md §4.2, §4.3).

A payment is a ledger entry: never edited, corrected by its reversal. It draws on the
project's arrived funds, oldest first (``PaymentDraw``), so each yuan paid is traced to its
allocation, and spending is known by level. Its 报账 is a separate record with its own workflow
(reported by the township, accepted or returned by finance), since the payment itself never
changes.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from funds.codes import PayeeKind, ReimbursementStatus, Tranche
from kaiyuan.common.ledger import AppendOnly, LedgerEntry
from kaiyuan.common.scoping import AreaScopedQuerySet
from kaiyuan.common.workflow import COUNTY, TOWNSHIP, Step, Workflow
from projects.models.projects import PROJECT_MEMBER_LOOKUP

MONEY = {"max_digits": 14, "decimal_places": 2}


class Payment(LedgerEntry):
    project = models.ForeignKey(
        "projects.Project",
        verbose_name=_("project"),
        on_delete=models.PROTECT,
        related_name="payments",
    )
    tranche = models.CharField(_("tranche"), max_length=12, choices=Tranche.choices)
    paid_on = models.DateField(_("paid on"))

    payee_name = models.CharField(_("payee"), max_length=120)
    payee_account = models.CharField(_("payee's bank account"), max_length=40)
    payee_bank = models.CharField(_("payee's bank"), max_length=60, blank=True)
    payee_kind = models.CharField(_("payee is"), max_length=8, choices=PayeeKind.choices)
    payee_uscc = models.CharField(_("payee's credit code"), max_length=18, blank=True)
    # A person's ID number, encrypted, with its blind index; the mask is kept beside it so
    # lists never decrypt (kaiyuan.common.pii).
    payee_id_cipher = models.TextField(_("payee's ID number (encrypted)"), blank=True)
    payee_id_index = models.CharField(_("payee's ID number index"), max_length=64, blank=True)
    payee_id_masked = models.CharField(_("payee's ID number"), max_length=18, blank=True)
    household = models.ForeignKey(
        "monitoring.Household",
        verbose_name=_("household"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="subsidy_payments",
    )

    basis = models.CharField(_("basis document"), max_length=200)
    progress_report = models.ForeignKey(
        "projects.ProgressReport",
        verbose_name=_("progress report"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    acceptance = models.ForeignKey(
        "projects.Acceptance",
        verbose_name=_("acceptance"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    placement = models.ForeignKey(
        "funds.DebtPlacement",
        verbose_name=_("debt placement"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="payments",
    )
    # PRJ-HH-1: a household subsidy is paid after the build or stock is inspected (先建后补).
    inspected_on = models.DateField(_("inspected on"), null=True, blank=True)
    inspected_by = models.CharField(_("inspected by"), max_length=60, blank=True)
    inspection_note = models.CharField(_("inspection finding"), max_length=300, blank=True)
    use = models.ForeignKey(
        "funds.FundUse",
        verbose_name=_("use"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    objects = AreaScopedQuerySet.as_manager()
    area_lookup = "project__area"
    member_area_lookup = PROJECT_MEMBER_LOOKUP

    class Meta(LedgerEntry.Meta):
        verbose_name = _("payment")
        verbose_name_plural = _("payments")
        ordering = ["-paid_on", "-id"]
        indexes = [
            models.Index(fields=["project", "paid_on"], name="payment_project_paid"),
            models.Index(fields=["household", "paid_on"], name="payment_household_paid"),
        ]
        constraints = [
            *LedgerEntry.Meta.constraints,
            models.CheckConstraint(
                condition=~Q(tranche="household") | Q(household__isnull=False),
                name="payment_household_subsidy_has_household",
                violation_error_message=_("A household subsidy names its household."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.project.code} {self.get_tranche_display()} {self.amount}"

    def get_absolute_url(self) -> str:
        return reverse("funds:payment_detail", args=[self.pk])

    @property
    def payee_identifier(self) -> str:
        """The payee's credit code, or their masked ID number."""
        return self.payee_uscc or self.payee_id_masked


class PaymentDraw(AppendOnly):
    """The part of a payment drawn on one of the project's fund entries (oldest arrival first);
    a reversal draws the same parts back, negated."""

    payment = models.ForeignKey(
        Payment, verbose_name=_("payment"), on_delete=models.PROTECT, related_name="draws"
    )
    fund = models.ForeignKey(
        "funds.ProjectFund", verbose_name=_("fund"), on_delete=models.PROTECT, related_name="draws"
    )
    amount = models.DecimalField(_("amount (yuan)"), **MONEY)

    class Meta:
        verbose_name = _("payment draw")
        verbose_name_plural = _("payment draws")
        constraints = [
            models.CheckConstraint(condition=~Q(amount=0), name="paymentdraw_not_zero"),
        ]

    def __str__(self) -> str:
        return f"{self.payment_id} ← {self.fund_id} {self.amount}"


class Reimbursement(models.Model):
    """The 报账 of a payment: reported by the township with its vouchers, accepted (or returned
    for correction) by finance. FND-5 flags it when not reported in time."""

    Status = ReimbursementStatus

    payment = models.OneToOneField(
        Payment,
        verbose_name=_("payment"),
        on_delete=models.PROTECT,
        related_name="reimbursement",
    )
    status = models.CharField(
        _("报账 status"),
        max_length=12,
        choices=ReimbursementStatus.choices,
        default=ReimbursementStatus.UNREPORTED,
    )
    reported_on = models.DateField(_("reported on"), null=True, blank=True)
    voucher_numbers = models.CharField(_("voucher numbers"), max_length=200, blank=True)
    accepted_on = models.DateField(_("accepted on"), null=True, blank=True)
    return_reason = models.CharField(_("why returned"), max_length=300, blank=True)
    version = models.PositiveIntegerField(_("version"), default=1)

    objects = AreaScopedQuerySet.as_manager()
    area_lookup = "payment__project__area"
    member_area_lookup = "payment__project__villages__village"

    class Meta:
        verbose_name = _("报账")
        verbose_name_plural = _("报账")
        indexes = [models.Index(fields=["status"], name="reimbursement_status")]

    def __str__(self) -> str:
        return f"{self.payment} {self.get_status_display()}"

    def get_absolute_url(self) -> str:
        return self.payment.get_absolute_url()


class ReimbursementVoucher(models.Model):
    reimbursement = models.ForeignKey(
        Reimbursement,
        verbose_name=_("报账"),
        on_delete=models.PROTECT,
        related_name="vouchers",
    )
    file = models.FileField(_("file"), upload_to="funds/vouchers/%Y/%m/")
    name = models.CharField(_("file name"), max_length=200)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), default=timezone.now)

    objects = AreaScopedQuerySet.as_manager()
    area_lookup = "reimbursement__payment__project__area"
    member_area_lookup = "reimbursement__payment__project__villages__village"

    class Meta:
        verbose_name = _("voucher")
        verbose_name_plural = _("vouchers")
        ordering = ["uploaded_at", "id"]

    def __str__(self) -> str:
        return self.name


class RetentionDeduction(LedgerEntry):
    """Part of a project's retention kept back for defects found in the defect period; it is not
    released."""

    project = models.ForeignKey(
        "projects.Project",
        verbose_name=_("project"),
        on_delete=models.PROTECT,
        related_name="retention_deductions",
    )
    decided_on = models.DateField(_("decided on"))

    objects = AreaScopedQuerySet.as_manager()
    area_lookup = "project__area"
    member_area_lookup = PROJECT_MEMBER_LOOKUP

    class Meta(LedgerEntry.Meta):
        verbose_name = _("retention deduction")
        verbose_name_plural = _("retention deductions")
        ordering = ["decided_on", "id"]

    def __str__(self) -> str:
        return f"{self.project.code} {self.amount}"


S = ReimbursementStatus
REIMBURSEMENT_WORKFLOW = Workflow(
    name=_("报账"),
    transitions={
        S.UNREPORTED: {S.REPORTED},
        S.REPORTED: {S.ACCEPTED, S.RETURNED},
        S.RETURNED: {S.REPORTED},
    },
    steps=(
        Step("report", _("报账 reported"), "funds.pay", TOWNSHIP, by=(TOWNSHIP, COUNTY)),
        Step("accept", _("报账 accepted by finance"), "funds.reimbursement_accept", COUNTY),
        Step(
            "return",
            _("报账 returned by finance"),
            "funds.reimbursement_accept",
            COUNTY,
            notifies_proposer=True,
        ),
    ),
    proposal_level=lambda reimbursement: TOWNSHIP,
    describe=lambda reimbursement: (str(reimbursement.payment), reimbursement.get_absolute_url()),
    proposer=lambda reimbursement: reimbursement.payment.recorded_by_id,
)
