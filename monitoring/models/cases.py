"""Identification and elimination cases (DOMAIN.md §2.6–§2.7), their steps and attachments, and
the risk leads that open them.

Lifecycle of a case (one model for both kinds; the transition maps in
``monitoring.services.cases`` say which moves each kind allows):

identification: application → verifying → village_appraisal → village_publicity
                → township_review → county_approval → approved | rejected
                (township review may return a case to verifying)
elimination:    verifying → village_appraisal → village_publicity → township_review
                → county_approval → approved | rejected
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kaiyuan.common.scoping import AreaScopedQuerySet
from monitoring.codes import EliminationMode, MonitoringCategory


class MonitoringCase(models.Model):
    """One identification (识别纳入) or risk-elimination (风险消除) procedure of a household."""

    class Kind(models.TextChoices):
        IDENTIFICATION = "identification", _("Identification")
        ELIMINATION = "elimination", _("Risk elimination")

    class Status(models.TextChoices):
        APPLICATION = "application", _("Awaiting the signed application")
        VERIFYING = "verifying", _("On-site verification and data cross-check")
        VILLAGE_APPRAISAL = "village_appraisal", _("Village democratic appraisal")
        VILLAGE_PUBLICITY = "village_publicity", _("Village publicity")
        TOWNSHIP_REVIEW = "township_review", _("Township review")
        COUNTY_APPROVAL = "county_approval", _("County approval")
        APPROVED = "approved", _("Approved and announced")
        REJECTED = "rejected", _("Not approved")

    OPEN_STATES = (
        Status.APPLICATION,
        Status.VERIFYING,
        Status.VILLAGE_APPRAISAL,
        Status.VILLAGE_PUBLICITY,
        Status.TOWNSHIP_REVIEW,
        Status.COUNTY_APPROVAL,
    )

    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    household = models.ForeignKey(
        "monitoring.Household",
        verbose_name=_("household"),
        on_delete=models.PROTECT,
        related_name="cases",
    )
    area = models.ForeignKey(
        "areas.Area", verbose_name=_("village"), on_delete=models.PROTECT, related_name="+"
    )
    lead = models.ForeignKey(
        "monitoring.RiskLead",
        verbose_name=_("risk lead"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="cases",
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices)
    # The proposed (identification) or recorded (elimination) classification.
    category = models.CharField(
        _("monitoring category"), max_length=16, choices=MonitoringCategory.choices, blank=True
    )
    risk_1 = models.CharField(_("risk 1"), max_length=32, blank=True)
    risk_2 = models.CharField(_("risk 2"), max_length=32, blank=True)
    risk_3 = models.CharField(_("risk 3"), max_length=32, blank=True)
    risk_4 = models.CharField(_("risk 4"), max_length=32, blank=True)
    risk_5 = models.CharField(_("risk 5"), max_length=32, blank=True)
    disaster_subitem = models.CharField(_("natural disaster sub-item"), max_length=32, blank=True)
    income_unstable_reason = models.CharField(
        _("why income is unstable"),
        max_length=300,
        blank=True,
        help_text=_("MON-CAT-2: needed when per-capita income is not below the monitoring line."),
    )
    elimination_mode = models.CharField(
        _("elimination mode"), max_length=8, choices=EliminationMode.choices, blank=True
    )
    # What the household's monitoring status was before the case, to restore on rejection.
    household_status_before = models.CharField(
        _("household status before the case"), max_length=32, blank=True
    )
    application_date = models.DateField(_("application date"), null=True, blank=True)
    deadline = models.DateField(_("deadline"), null=True, blank=True)
    overdue = models.BooleanField(_("overdue"), default=False)
    verifiers = models.JSONField(_("on-site verifiers"), default=list, blank=True)
    verified_on = models.DateField(_("verified on"), null=True, blank=True)
    crosscheck_result = models.TextField(_("data cross-check result"), blank=True)
    crosscheck_on = models.DateField(_("cross-checked on"), null=True, blank=True)
    appraisal_on = models.DateField(_("appraised on"), null=True, blank=True)
    publicity_start = models.DateField(_("publicity starts"), null=True, blank=True)
    publicity_end = models.DateField(_("publicity ends"), null=True, blank=True)
    objections = models.TextField(_("objections received"), blank=True)
    announced_on = models.DateField(_("announced on"), null=True, blank=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("opened by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    opened_at = models.DateTimeField(_("opened at"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    version = models.PositiveIntegerField(_("version"), default=1)

    objects = AreaScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("monitoring case")
        verbose_name_plural = _("monitoring cases")
        ordering = ["-opened_at"]
        indexes = [
            models.Index(fields=["area", "status"], name="case_area_status"),
            models.Index(fields=["status", "opened_at"], name="case_status_opened"),
        ]
        constraints = [
            # A household has at most one open case at a time.
            models.UniqueConstraint(
                fields=["household"],
                condition=Q(
                    status__in=[
                        "application",
                        "verifying",
                        "village_appraisal",
                        "village_publicity",
                        "township_review",
                        "county_approval",
                    ]
                ),
                name="case_one_open_per_household",
                violation_error_message=_("This household already has a case under way."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.household}"

    @property
    def risks(self) -> list[str]:
        return [r for r in (self.risk_1, self.risk_2, self.risk_3, self.risk_4, self.risk_5) if r]

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATES


STEP_LABELS = {
    "open": _("Opened"),
    "submit_application": _("Application and authorisation submitted"),
    "crosscheck": _("Data cross-check recorded"),
    "verify": _("On-site verification done"),
    "appraise": _("Democratic appraisal: eligible"),
    "appraise_not_eligible": _("Democratic appraisal: not eligible"),
    "objection": _("Objection recorded"),
    "close_publicity": _("Publicity ended without an upheld objection"),
    "objection_upheld": _("Objection upheld"),
    "township_pass": _("Township review passed"),
    "township_return": _("Returned by the township"),
    "county_approve": _("Approved by the county"),
    "county_reject": _("Not approved by the county"),
}


class CaseStep(models.Model):
    """One step taken on a case: who, when, from which state to which, and why."""

    case = models.ForeignKey(
        MonitoringCase, verbose_name=_("case"), on_delete=models.PROTECT, related_name="steps"
    )
    action = models.CharField(_("step"), max_length=32)
    from_state = models.CharField(_("from state"), max_length=20, blank=True)
    to_state = models.CharField(_("to state"), max_length=20, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("done by"),
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
    )
    at = models.DateTimeField(_("time"), default=timezone.now)
    reason = models.TextField(_("reason"), blank=True)
    data = models.JSONField(_("details"), default=dict, blank=True)

    objects = AreaScopedQuerySet.as_manager()
    area_lookup = "case__area"

    class Meta:
        verbose_name = _("case step")
        verbose_name_plural = _("case steps")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.case} {self.action}"

    @property
    def action_label(self) -> str:
        return str(STEP_LABELS.get(self.action, self.action))

    @property
    def to_state_label(self) -> str:
        return str(MonitoringCase.Status(self.to_state).label) if self.to_state else ""


class CaseAttachment(models.Model):
    """A document of a case: signed application, verification form, minutes, publicity photo."""

    class Kind(models.TextChoices):
        AUTHORISATION = "authorisation", _("Signed application and authorisation")
        VERIFICATION = "verification", _("On-site verification form")
        MINUTES = "minutes", _("Democratic appraisal minutes")
        PUBLICITY = "publicity", _("Publicity record")
        ANNOUNCEMENT = "announcement", _("Announcement")
        OTHER = "other", _("Other")

    case = models.ForeignKey(
        MonitoringCase, verbose_name=_("case"), on_delete=models.PROTECT, related_name="attachments"
    )
    kind = models.CharField(_("document"), max_length=16, choices=Kind.choices)
    file = models.FileField(_("file"), upload_to="cases/%Y/%m/")
    name = models.CharField(_("file name"), max_length=200)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    objects = AreaScopedQuerySet.as_manager()
    area_lookup = "case__area"

    class Meta:
        verbose_name = _("case document")
        verbose_name_plural = _("case documents")
        ordering = ["uploaded_at"]

    def __str__(self) -> str:
        return self.name


class RiskLead(models.Model):
    """A risk lead (风险线索) that must reach a decision: from a household's application, a visit
    that found a risk, or a department warning. Part 2 of the monitoring grid works them."""

    class Source(models.TextChoices):
        SELF_APPLICATION = "self_application", _("Household's own application")
        VISIT = "visit", _("Cadre visit")
        DEPARTMENT = "department", _("Department warning")

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        NO_RISK = "no_risk", _("Closed: no risk")
        CASE_OPENED = "case_opened", _("Identification case opened")

    household = models.ForeignKey(
        "monitoring.Household",
        verbose_name=_("household"),
        on_delete=models.PROTECT,
        related_name="leads",
    )
    area = models.ForeignKey(
        "areas.Area", verbose_name=_("village"), on_delete=models.PROTECT, related_name="+"
    )
    source = models.CharField(_("source"), max_length=20, choices=Source.choices)
    visit = models.OneToOneField(
        "monitoring.Visit",
        verbose_name=_("visit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="lead",
    )
    description = models.CharField(_("description"), max_length=300)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.OPEN
    )
    deadline = models.DateField(_("deadline"))
    overdue = models.BooleanField(_("overdue"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = AreaScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("risk lead")
        verbose_name_plural = _("risk leads")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["area", "status"], name="lead_area_status")]

    def __str__(self) -> str:
        return f"{self.household} {self.get_source_display()}"
