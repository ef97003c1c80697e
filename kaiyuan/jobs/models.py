"""Background jobs (exports, imports, matching) with their progress, so a page can show a bar and
the user can download the result once it is ready."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from kaiyuan.common.scoping import AreaScopedQuerySet


class JobQuerySet(AreaScopedQuerySet):
    def visible_to(self, user, *, action: str = "view"):
        """A job's result may hold personal data of the creator's whole area, so only its
        creator may see or download it (an auditor too reaches only their own exports, and the
        superuser flag is no exception), and only while the job's area is still within theirs:
        a clerk moved to another township no longer reaches the old township's files."""
        scoped = super().visible_to(user, action=action).filter(created_by=user)
        if getattr(user, "department", "") and not user.is_superuser:
            # Department staff see only their sector's rows of scoped models; their own jobs
            # (a screening list's matching) are theirs whatever their content.
            scoped = self.filter(created_by=user) if user.is_active else self.none()
        if getattr(user, "is_superuser", False) and user.area_id is not None:
            scoped = scoped.filter(area__path__startswith=user.area.path)
        return scoped


class Job(models.Model):
    """One run of a background job.

    Lifecycle: PENDING → RUNNING → DONE | FAILED. The worker moves it; nobody else does.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    kind = models.CharField(_("kind"), max_length=64)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.PENDING
    )
    params = models.JSONField(_("parameters"), default=dict, blank=True)
    progress = models.PositiveIntegerField(_("progress"), default=0)
    total = models.PositiveIntegerField(_("total"), null=True, blank=True)
    message = models.TextField(_("message"), blank=True)
    result_file = models.FileField(_("result file"), upload_to="jobs/%Y/%m/", blank=True)
    result_name = models.CharField(_("file name"), max_length=200, blank=True)
    result = models.JSONField(_("result"), default=dict, blank=True)
    area = models.ForeignKey(
        "areas.Area", verbose_name=_("area"), on_delete=models.PROTECT, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.PROTECT,
        related_name="jobs",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    # Set when the retention period deleted the result file (kaiyuan.jobs.services.files_purge).
    purged_at = models.DateTimeField(_("file deleted at"), null=True, blank=True)

    objects = JobQuerySet.as_manager()

    class Meta:
        verbose_name = _("background job")
        verbose_name_plural = _("background jobs")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["created_by", "-created_at"], name="job_creator_recent")]

    def __str__(self) -> str:
        return f"{self.kind} #{self.pk}"

    @property
    def percent(self) -> int:
        if self.status == self.Status.DONE:
            return 100
        if not self.total:
            return 0
        return min(100, int(self.progress * 100 / self.total))

    @property
    def finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)
