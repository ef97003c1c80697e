"""Debt placements (债权投入, DOMAIN.md §4.2, FND-6, FND-10, §5.8): the money of a debt-type
project placed with an enterprise or cooperative, the returns received year by year, the
principal recovered and its redeployment with the bureau's consent, and the yearly 六清楚
checklist."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kaiyuan.common.ledger import LedgerEntry
from kaiyuan.common.scoping import AreaScopedQuerySet
from kaiyuan.common.workflow import COUNTY, TOWNSHIP, Step, Workflow
from projects.models.projects import PROJECT_MEMBER_LOOKUP

MONEY = {"max_digits": 14, "decimal_places": 2}
PLACEMENT_MEMBERS = "placement__project__villages__village"


class DebtPlacement(models.Model):
    project = models.ForeignKey(
        "projects.Project",
        verbose_name=_("project"),
        on_delete=models.PROTECT,
        related_name="placements",
    )
    counterparty = models.CharField(_("counterparty"), max_length=120)
    counterparty_uscc = models.CharField(_("counterparty's credit code"), max_length=18)
    principal = models.DecimalField(_("principal (yuan)"), **MONEY)
    start_date = models.DateField(_("term starts"))
    end_date = models.DateField(_("term ends"))
    agreed_rate = models.DecimalField(_("agreed annual return (%)"), max_digits=5, decimal_places=2)
    collateral = models.CharField(_("guarantee or collateral"), max_length=300)
    risk_measures = models.CharField(_("risk-control measures"), max_length=500)
    agreement_number = models.CharField(_("agreement number"), max_length=80, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("recorded at"), default=timezone.now)
    version = models.PositiveIntegerField(_("version"), default=1)

    objects = AreaScopedQuerySet.as_manager()
    area_lookup = "project__area"
    member_area_lookup = PROJECT_MEMBER_LOOKUP

    class Meta:
        verbose_name = _("debt placement")
        verbose_name_plural = _("debt placements")
        ordering = ["end_date", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(principal__gt=0), name="placement_principal_positive"
            ),
            models.CheckConstraint(
                condition=Q(end_date__gt=F("start_date")), name="placement_term_in_order"
            ),
            models.CheckConstraint(
                condition=Q(agreed_rate__gte=0, agreed_rate__lte=100), name="placement_rate_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.project.code} {self.counterparty}"

    def get_absolute_url(self) -> str:
        return reverse("funds:placement_detail", args=[self.pk])


class PlacementReturn(LedgerEntry):
    """A year's return received from the counterparty."""

    placement = models.ForeignKey(
        DebtPlacement, verbose_name=_("placement"), on_delete=models.PROTECT, related_name="returns"
    )
    year = models.PositiveSmallIntegerField(_("for year"))
    received_on = models.DateField(_("received on"))

    objects = AreaScopedQuerySet.as_manager()
    area_lookup = "placement__project__area"
    member_area_lookup = PLACEMENT_MEMBERS

    class Meta(LedgerEntry.Meta):
        verbose_name = _("return received")
        verbose_name_plural = _("returns received")
        ordering = ["year", "received_on", "id"]

    def __str__(self) -> str:
        return f"{self.placement} {self.year} {self.amount}"


class PrincipalRecovery(LedgerEntry):
    placement = models.ForeignKey(
        DebtPlacement,
        verbose_name=_("placement"),
        on_delete=models.PROTECT,
        related_name="recoveries",
    )
    recovered_on = models.DateField(_("recovered on"))

    objects = AreaScopedQuerySet.as_manager()
    area_lookup = "placement__project__area"
    member_area_lookup = PLACEMENT_MEMBERS

    class Meta(LedgerEntry.Meta):
        verbose_name = _("principal recovered")
        verbose_name_plural = _("principal recovered")
        ordering = ["recovered_on", "id"]

    def __str__(self) -> str:
        return f"{self.placement} {self.amount}"


class Redeployment(models.Model):
    """Recovered principal put to a new use: proposed by the township, done only with the
    bureau's consent (FND-10)."""

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("Awaiting the bureau's consent")
        CONSENTED = "consented", _("Consented by the bureau")
        REFUSED = "refused", _("Refused by the bureau")

    placement = models.ForeignKey(
        DebtPlacement,
        verbose_name=_("placement"),
        on_delete=models.PROTECT,
        related_name="redeployments",
    )
    amount = models.DecimalField(_("amount (yuan)"), **MONEY)
    to_project = models.ForeignKey(
        "projects.Project",
        verbose_name=_("into project"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    purpose = models.CharField(_("new use"), max_length=300)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.PROPOSED
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("proposed by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    proposed_at = models.DateTimeField(_("proposed at"), default=timezone.now)
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    decision_note = models.CharField(_("decision"), max_length=300, blank=True)
    version = models.PositiveIntegerField(_("version"), default=1)

    objects = AreaScopedQuerySet.as_manager()
    area_lookup = "placement__project__area"
    member_area_lookup = PLACEMENT_MEMBERS

    class Meta:
        verbose_name = _("redeployment")
        verbose_name_plural = _("redeployments")
        ordering = ["proposed_at", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="redeployment_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.placement} {self.amount}"

    def get_absolute_url(self) -> str:
        return self.placement.get_absolute_url()


class SixClearsReview(models.Model):
    """The 六清楚 checklist of a placement for a year: each item clear or with an issue, the open
    problems and the measures taken."""

    placement = models.ForeignKey(
        DebtPlacement,
        verbose_name=_("placement"),
        on_delete=models.PROTECT,
        related_name="six_clears",
    )
    year = models.PositiveSmallIntegerField(_("year"))
    items = models.JSONField(
        _("items"), default=dict, help_text=_("Item code → {clear: bool, note: text}.")
    )
    problems = models.TextField(_("open problems"), blank=True)
    measures = models.TextField(_("measures taken"), blank=True)
    reviewed_on = models.DateField(_("reviewed on"))
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewed by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    version = models.PositiveIntegerField(_("version"), default=1)

    objects = AreaScopedQuerySet.as_manager()
    area_lookup = "placement__project__area"
    member_area_lookup = PLACEMENT_MEMBERS

    class Meta:
        verbose_name = _("六清楚 checklist")
        verbose_name_plural = _("六清楚 checklists")
        ordering = ["placement", "-year"]
        constraints = [
            models.UniqueConstraint(fields=["placement", "year"], name="six_clears_once_a_year")
        ]

    def __str__(self) -> str:
        return f"{self.placement} {self.year}"

    @property
    def open_items(self) -> list[str]:
        return [code for code, item in self.items.items() if not item.get("clear")]


R = Redeployment.Status
REDEPLOYMENT_WORKFLOW = Workflow(
    name=_("redeployment"),
    transitions={R.PROPOSED: {R.CONSENTED, R.REFUSED}},
    steps=(
        Step("propose", _("Redeployment proposed"), "funds.placements", TOWNSHIP),
        Step(
            "consent",
            _("Redeployment consented"),
            "funds.consent_redeployment",
            COUNTY,
            approves=True,
            notifies_proposer=True,
        ),
        Step(
            "refuse",
            _("Redeployment refused"),
            "funds.consent_redeployment",
            COUNTY,
            notifies_proposer=True,
        ),
    ),
    proposal_level=lambda redeployment: TOWNSHIP,
    describe=lambda redeployment: (str(redeployment), redeployment.get_absolute_url()),
    proposer=lambda redeployment: redeployment.proposed_by_id,
)
