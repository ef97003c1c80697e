"""After admission: progress reports, acceptance (验收, PRJ-7), the 管护 arrangements of a
rural-construction project (建管用), the handover to the asset ledger, and the operating
agreement (PRJ-10, PRJ-11)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kaiyuan.common.scoping import AreaScopedQuerySet
from projects.codes import AcceptanceResult, OperatingMode
from projects.models.projects import PROJECT_MEMBER_LOOKUP, project_sector_q

MONEY = {"max_digits": 14, "decimal_places": 2}


class ProgressReport(models.Model):
    project = models.ForeignKey(
        "projects.Project",
        verbose_name=_("project"),
        on_delete=models.PROTECT,
        related_name="progress_reports",
    )
    reported_on = models.DateField(_("as of"))
    percent = models.DecimalField(_("physical progress (%)"), max_digits=5, decimal_places=2)
    text = models.TextField(_("progress"))
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reported by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("recorded at"), default=timezone.now)

    objects = AreaScopedQuerySet.as_manager()
    area_lookup = "project__area"
    member_area_lookup = PROJECT_MEMBER_LOOKUP
    sector_q = project_sector_q()

    class Meta:
        verbose_name = _("progress report")
        verbose_name_plural = _("progress reports")
        ordering = ["project", "reported_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(percent__gte=0, percent__lte=100),
                name="progress_percent_range",
                violation_error_message=_("Progress is between 0 and 100%."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.project} {self.reported_on} {self.percent}%"


class Acceptance(models.Model):
    """A completion acceptance, organised by the bureau (PRJ-7)."""

    project = models.ForeignKey(
        "projects.Project",
        verbose_name=_("project"),
        on_delete=models.PROTECT,
        related_name="acceptances",
    )
    accepted_on = models.DateField(_("accepted on"))
    result = models.CharField(_("result"), max_length=4, choices=AcceptanceResult.choices)
    findings = models.TextField(_("findings"), blank=True)
    inspectors = models.CharField(_("acceptance group"), max_length=200, blank=True)
    organised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("organised by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("recorded at"), default=timezone.now)

    objects = AreaScopedQuerySet.as_manager()
    area_lookup = "project__area"
    member_area_lookup = PROJECT_MEMBER_LOOKUP
    sector_q = project_sector_q()

    class Meta:
        verbose_name = _("acceptance")
        verbose_name_plural = _("acceptances")
        ordering = ["project", "accepted_on", "id"]

    def __str__(self) -> str:
        return f"{self.project} {self.accepted_on} {self.result}"

    @property
    def passed(self) -> bool:
        return self.result == AcceptanceResult.PASSED


class MaintenanceArrangement(models.Model):
    """Who maintains a rural-construction project, with what responsibility, how, and from what
    money (the plan's §四(四) 建管用: 管护 settled before acceptance)."""

    project = models.ForeignKey(
        "projects.Project",
        verbose_name=_("project"),
        on_delete=models.CASCADE,
        related_name="maintenance",
    )
    maintainer = models.CharField(_("maintained by"), max_length=120)
    responsibility = models.CharField(_("responsibility"), max_length=300)
    method = models.CharField(_("how"), max_length=300)
    funding_source = models.CharField(_("maintenance funding"), max_length=120)

    objects = AreaScopedQuerySet.as_manager()
    area_lookup = "project__area"

    class Meta:
        verbose_name = _("maintenance arrangement")
        verbose_name_plural = _("maintenance arrangements")
        ordering = ["project", "id"]

    def __str__(self) -> str:
        return f"{self.project} {self.maintainer}"


class Handover(models.Model):
    """The handover of an accepted project's assets to the asset ledger, or the record that it
    formed none (the assets app receives it)."""

    project = models.OneToOneField(
        "projects.Project",
        verbose_name=_("project"),
        on_delete=models.PROTECT,
        related_name="handover",
    )
    handed_over_on = models.DateField(_("handed over on"))
    asset_formed = models.BooleanField(_("assets formed"), default=True)
    no_asset_reason = models.CharField(_("why no asset was formed"), max_length=300, blank=True)
    assets = models.TextField(_("assets handed over"), blank=True)
    value = models.DecimalField(_("value (yuan)"), null=True, blank=True, **MONEY)
    recipient = models.CharField(_("received by"), max_length=120, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        related_name="+",
    )

    objects = AreaScopedQuerySet.as_manager()
    area_lookup = "project__area"

    class Meta:
        verbose_name = _("asset handover")
        verbose_name_plural = _("asset handovers")
        constraints = [
            models.CheckConstraint(
                condition=Q(asset_formed=True, value__gte=0)
                | Q(asset_formed=False) & ~Q(no_asset_reason=""),
                name="handover_value_or_reason",
                violation_error_message=_(
                    "Give the value of the assets handed over, or why none was formed."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.project} {self.handed_over_on}"


class OperatingAgreement(models.Model):
    """The signed operating agreement of an operating project (PRJ-10): mode, term, guaranteed
    and variable return, rights and obligations."""

    project = models.OneToOneField(
        "projects.Project",
        verbose_name=_("project"),
        on_delete=models.PROTECT,
        related_name="operating_agreement",
    )
    mode = models.CharField(_("operating mode"), max_length=8, choices=OperatingMode.choices)
    operator = models.CharField(_("operator"), max_length=120)
    operator_uscc = models.CharField(_("operator's credit code"), max_length=18, blank=True)
    signed_on = models.DateField(_("signed on"))
    term_start = models.DateField(_("term starts"))
    term_end = models.DateField(_("term ends"))
    guaranteed_return_percent = models.DecimalField(
        _("guaranteed return (% a year)"), max_digits=5, decimal_places=2
    )
    variable_return = models.CharField(_("variable return"), max_length=300, blank=True)
    rights_obligations = models.TextField(_("rights and obligations"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        related_name="+",
    )

    objects = AreaScopedQuerySet.as_manager()
    area_lookup = "project__area"

    class Meta:
        verbose_name = _("operating agreement")
        verbose_name_plural = _("operating agreements")
        constraints = [
            models.CheckConstraint(
                condition=Q(term_end__gt=F("term_start")),
                name="agreement_term_in_order",
                violation_error_message=_("The term must end after it starts."),
            ),
            models.CheckConstraint(
                condition=Q(guaranteed_return_percent__gte=0, guaranteed_return_percent__lte=100),
                name="agreement_return_range",
                violation_error_message=_("A return rate is between 0 and 100%."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.project} {self.mode}"
