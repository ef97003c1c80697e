"""Identification and elimination cases (DOMAIN.md §2.6–§2.7), their steps and attachments, and
the risk leads that open them.

Lifecycle of a case (one model for both kinds; ``CASE_WORKFLOW`` below says which
moves each kind allows, who takes each step and at which level):

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
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kaiyuan.common.scoping import AreaScopedQuerySet
from kaiyuan.common.workflow import COUNTY, TOWNSHIP, VILLAGE, Step, Workflow
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


class CaseStep(models.Model):
    """One step taken on a case: who, when, from which state to which, and why."""

    case = models.ForeignKey(
        MonitoringCase, verbose_name=_("case"), on_delete=models.PROTECT, related_name="steps"
    )
    action = models.CharField(_("step"), max_length=32)
    # The level whose act the step was (separation of duties: one person, one level per case).
    level = models.CharField(_("level"), max_length=16, blank=True)
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
        try:
            return str(CASE_WORKFLOW.step(self.action).label)
        except KeyError:
            return self.action

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


# =============================================================================================
# The workflow of a case: transition maps, steps, who takes each at which level
# =============================================================================================

Status = MonitoringCase.Status
Kind = MonitoringCase.Kind

CASE_TRANSITIONS: dict[str, dict[str, set[str]]] = {
    Kind.IDENTIFICATION: {
        Status.APPLICATION: {Status.VERIFYING, Status.REJECTED},
        Status.VERIFYING: {Status.VILLAGE_APPRAISAL},
        Status.VILLAGE_APPRAISAL: {Status.VILLAGE_PUBLICITY, Status.REJECTED},
        Status.VILLAGE_PUBLICITY: {Status.TOWNSHIP_REVIEW, Status.REJECTED},
        Status.TOWNSHIP_REVIEW: {Status.COUNTY_APPROVAL, Status.VERIFYING},
        Status.COUNTY_APPROVAL: {Status.APPROVED, Status.REJECTED},
    },
    Kind.ELIMINATION: {
        Status.VERIFYING: {Status.VILLAGE_APPRAISAL, Status.REJECTED},
        Status.VILLAGE_APPRAISAL: {Status.VILLAGE_PUBLICITY, Status.REJECTED},
        Status.VILLAGE_PUBLICITY: {Status.TOWNSHIP_REVIEW, Status.REJECTED},
        Status.TOWNSHIP_REVIEW: {Status.COUNTY_APPROVAL, Status.VERIFYING},
        Status.COUNTY_APPROVAL: {Status.APPROVED, Status.REJECTED},
    },
}

# Village steps are the village's acts (application, on-site verification by the village cadres
# with the township's, appraisal, publicity), taken by its grid worker or entered by the
# township clerk for it; the township reviews; the county bureau cross-checks and decides
# (DOMAIN.md §2.7, §7). Whoever entered a village step leaves the township review to another.
_VILLAGE = {"capability": "cases.village_step", "level": VILLAGE, "by": (VILLAGE, TOWNSHIP)}
CASE_WORKFLOW = Workflow(
    name=_("monitoring case"),
    transitions=lambda case: CASE_TRANSITIONS[case.kind],
    steps=(
        Step("open", _("Opened"), **_VILLAGE),
        Step("submit_application", _("Application and authorisation submitted"), **_VILLAGE),
        Step("indicators", _("Post-elimination indicators recorded"), **_VILLAGE),
        Step("verify", _("On-site verification done"), **_VILLAGE),
        Step("crosscheck", _("Data cross-check recorded"), "cases.crosscheck", COUNTY),
        Step("appraise", _("Democratic appraisal: eligible"), **_VILLAGE),
        Step("appraise_not_eligible", _("Democratic appraisal: not eligible"), **_VILLAGE),
        Step("objection", _("Objection recorded"), **_VILLAGE),
        Step("close_publicity", _("Publicity ended without an upheld objection"), **_VILLAGE),
        Step("objection_upheld", _("Objection upheld"), **_VILLAGE),
        Step(
            "township_pass",
            _("Township review passed"),
            "cases.township_review",
            TOWNSHIP,
            approves=True,
        ),
        # A return and the county's decision are told to whoever proposed the case (the 待办
        # inbox's notices).
        Step(
            "township_return",
            _("Returned by the township"),
            "cases.township_review",
            TOWNSHIP,
            notifies_proposer=True,
        ),
        Step(
            "county_approve",
            _("Approved by the county"),
            "cases.county_decide",
            COUNTY,
            approves=True,
            notifies_proposer=True,
        ),
        Step(
            "county_reject",
            _("Not approved by the county"),
            "cases.county_decide",
            COUNTY,
            notifies_proposer=True,
        ),
        # MON-ID-4: the daily sweep marks identification cases past their deadline.
        Step("mark_overdue", _("Marked overdue"), None),
    ),
    record_step=lambda case, step, actor, before, after, reason, data: CaseStep.objects.create(
        case=case,
        action=step.action,
        level=step.level or "",
        from_state=before,
        to_state=after,
        actor=actor,
        reason=reason,
        data=data,
    ),
    step_rows=lambda case: CaseStep.objects.filter(case=case),
    proposal_level=lambda case: VILLAGE,
    describe=lambda case: (
        f"{case.get_kind_display()} {case.household}",
        reverse("monitoring:case_detail", args=[case.pk]),
    ),
)

LEAD_WORKFLOW = Workflow(
    name=_("risk lead"),
    version_field=None,
    transitions={
        RiskLead.Status.OPEN: {RiskLead.Status.NO_RISK, RiskLead.Status.CASE_OPENED},
    },
    steps=(
        Step("close_no_risk", _("Closed: no risk"), **_VILLAGE),
        Step("open_case", _("Identification case opened"), **_VILLAGE),
        Step("mark_overdue", _("Marked overdue"), None),
    ),
)
