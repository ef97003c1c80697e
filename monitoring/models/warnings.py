"""Department screening lists and the warnings matched from them (部门筛查预警, §2.4.7)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from kaiyuan.accounts.roles import Department
from kaiyuan.common.scoping import AreaScopedQuerySet
from kaiyuan.common.workflow import TOWNSHIP, VILLAGE, Step, Workflow


class WarningUploadQuerySet(models.QuerySet):
    def visible_to(self, user, *, action: str = "view"):
        """A department sees its own uploads; county-wide readers (bureau, leader, auditor,
        admin) see all. Uploads are county-level records with no area of their own."""
        if not getattr(user, "is_authenticated", False) or not user.is_active:
            return self.none()
        if user.is_superuser:
            return self.all()
        if user.department:
            return self.filter(department=user.department)
        if user.is_county_wide:
            return self.all() if action == "view" else self.none()
        return self.none()


class WarningUpload(models.Model):
    """One screening list uploaded by a department, with what matching found."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting")
        MATCHING = "matching", _("Matching")
        DONE = "done", _("Matched")
        FAILED = "failed", _("Failed")

    department = models.CharField(_("department"), max_length=32, choices=Department.choices)
    file = models.FileField(_("file"), upload_to="warnings/%Y/%m/")
    file_name = models.CharField(_("file name"), max_length=200)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.PENDING
    )
    rows = models.PositiveIntegerField(_("rows"), default=0)
    matched = models.PositiveIntegerField(_("matched"), default=0)
    duplicates = models.PositiveIntegerField(_("already received"), default=0)
    unmatched = models.JSONField(_("unmatched rows"), default=list, blank=True)
    errors = models.JSONField(_("rows with errors"), default=list, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    job = models.ForeignKey(
        "jobs.Job",
        verbose_name=_("background job"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = WarningUploadQuerySet.as_manager()

    class Meta:
        verbose_name = _("screening list")
        verbose_name_plural = _("screening lists")
        ordering = ["-uploaded_at"]

    def __str__(self) -> str:
        return f"{self.get_department_display()} {self.file_name}"


class DeptWarning(models.Model):
    """A person on a department's screening list, matched by ID number to a household member and
    routed to the township, which verifies it before its deadline."""

    class Result(models.TextChoices):
        PENDING = "pending", _("To verify")
        RISK = "risk", _("Risk confirmed")
        NO_RISK = "no_risk", _("No risk")
        ALREADY_MONITORED = "already_monitored", _("Already monitored")

    upload = models.ForeignKey(
        WarningUpload,
        verbose_name=_("screening list"),
        on_delete=models.PROTECT,
        related_name="warnings",
    )
    department = models.CharField(_("department"), max_length=32, choices=Department.choices)
    member = models.ForeignKey(
        "monitoring.Member",
        verbose_name=_("member"),
        on_delete=models.PROTECT,
        related_name="warnings",
    )
    household = models.ForeignKey(
        "monitoring.Household",
        verbose_name=_("household"),
        on_delete=models.PROTECT,
        related_name="warnings",
    )
    area = models.ForeignKey(
        "areas.Area", verbose_name=_("village"), on_delete=models.PROTECT, related_name="+"
    )
    id_index = models.CharField(_("ID number index"), max_length=64, editable=False)
    listed_name = models.CharField(_("name on the list"), max_length=64)
    warning_type = models.CharField(_("warning type"), max_length=64)
    indicator = models.CharField(_("amount or indicator"), max_length=64, blank=True)
    warned_on = models.DateField(_("warning date"))
    deadline = models.DateField(_("verify by"))
    overdue = models.BooleanField(_("overdue"), default=False)
    result = models.CharField(
        _("verification result"), max_length=20, choices=Result.choices, default=Result.PENDING
    )
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("verified by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    verified_at = models.DateTimeField(_("verified at"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)
    lead = models.OneToOneField(
        "monitoring.RiskLead",
        verbose_name=_("risk lead"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="warning",
    )
    version = models.PositiveIntegerField(_("version"), default=1)

    objects = AreaScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("department warning")
        verbose_name_plural = _("department warnings")
        ordering = ["deadline", "id"]
        indexes = [
            models.Index(fields=["area", "result", "deadline"], name="warning_area_result"),
        ]
        constraints = [
            # The same person, warning and date from the same department is one warning, however
            # many times the list is uploaded.
            models.UniqueConstraint(
                fields=["department", "id_index", "warning_type", "warned_on"],
                name="warning_unique_per_list_row",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.listed_name} {self.warning_type}"

    @staticmethod
    def sector_q(department: str) -> Q:
        """Department staff see their own sector's warnings."""
        return Q(department=department)


# =============================================================================================
# Workflows
# =============================================================================================

Result = DeptWarning.Result
WARNING_WORKFLOW = Workflow(
    name=_("department warning"),
    state_field="result",
    transitions={Result.PENDING: {Result.RISK, Result.NO_RISK, Result.ALREADY_MONITORED}},
    steps=(
        # The township verifies, with the village's grid worker (DOMAIN.md §2.4.7).
        Step(
            "verify",
            _("Verified"),
            "warnings.verify",
            TOWNSHIP,
            by=(VILLAGE, TOWNSHIP),
        ),
        Step("mark_overdue", _("Marked overdue"), None),
    ),
)

Upload = WarningUpload.Status
UPLOAD_WORKFLOW = Workflow(
    name=_("screening list"),
    version_field=None,
    transitions={
        Upload.PENDING: {Upload.MATCHING},
        # A matching cut short (a worker restarted) or refused may run again.
        Upload.MATCHING: {Upload.MATCHING, Upload.DONE, Upload.FAILED},
        Upload.FAILED: {Upload.MATCHING},
    },
    steps=(
        Step("start_matching", _("Matching started"), None),
        Step("match", _("Matched"), None),
        Step("matching_failed", _("Matching failed"), None),
    ),
)
