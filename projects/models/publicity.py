"""两公示一公告 (DOMAIN.md §3.3): the village and township publicity of each project, with its
objections and how each was handled, and the county's announcement of the library, which lists
many projects at once."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kaiyuan.common.scoping import AreaScopedQuerySet
from projects.codes import PublicityMedium
from projects.models.projects import PROJECT_MEMBER_LOOKUP, project_sector_q


class Announcement(models.Model):
    """The county's announcement (公告) of the projects it has decided for a library year."""

    year = models.PositiveSmallIntegerField(_("library year"))
    title = models.CharField(_("title"), max_length=200)
    number = models.CharField(_("document number"), max_length=64, blank=True)
    medium = models.CharField(
        _("medium"), max_length=16, choices=PublicityMedium.choices, default=PublicityMedium.WEBSITE
    )
    start_date = models.DateField(_("announced on"))
    end_date = models.DateField(_("announcement ends"))
    area = models.ForeignKey(
        "areas.Area", verbose_name=_("area"), on_delete=models.PROTECT, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("recorded at"), default=timezone.now)

    objects = AreaScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("county announcement")
        verbose_name_plural = _("county announcements")
        ordering = ["-start_date", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gte=F("start_date")),
                name="announcement_dates_in_order",
                violation_error_message=_("The end cannot be before the start."),
            ),
        ]

    def __str__(self) -> str:
        return self.title


class PublicityRecord(models.Model):
    """One publicity of one project at one level: where, from when to when, and the objections
    received. A county announcement is a record at county level pointing at its announcement."""

    class Level(models.TextChoices):
        VILLAGE = "village", _("Village publicity")
        TOWNSHIP = "township", _("Township publicity")
        COUNTY = "county", _("County publicity or announcement")

    project = models.ForeignKey(
        "projects.Project",
        verbose_name=_("project"),
        on_delete=models.PROTECT,
        related_name="publicity_records",
    )
    level = models.CharField(_("level"), max_length=8, choices=Level.choices)
    medium = models.CharField(_("medium"), max_length=16, choices=PublicityMedium.choices)
    place = models.CharField(_("where it was posted"), max_length=200, blank=True)
    start_date = models.DateField(_("publicity starts"))
    end_date = models.DateField(_("publicity ends"))
    announcement = models.ForeignKey(
        Announcement,
        verbose_name=_("announcement"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="records",
    )
    closed_on = models.DateField(_("ended on"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("recorded at"), default=timezone.now)

    objects = AreaScopedQuerySet.as_manager()
    area_lookup = "project__area"
    member_area_lookup = PROJECT_MEMBER_LOOKUP
    sector_q = project_sector_q()

    class Meta:
        verbose_name = _("publicity record")
        verbose_name_plural = _("publicity records")
        ordering = ["project", "start_date", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gte=F("start_date")),
                name="publicity_dates_in_order",
                violation_error_message=_("The end cannot be before the start."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.project} {self.get_level_display()}"

    @property
    def days(self) -> int:
        """The publicity's length, both ends counted."""
        return (self.end_date - self.start_date).days + 1


class PublicityObjection(models.Model):
    """An objection received during a publicity and how it was handled."""

    record = models.ForeignKey(
        PublicityRecord,
        verbose_name=_("publicity"),
        on_delete=models.PROTECT,
        related_name="objections",
    )
    received_on = models.DateField(_("received on"))
    text = models.CharField(_("objection"), max_length=500)
    handling = models.CharField(_("how it was handled"), max_length=500, blank=True)
    upheld = models.BooleanField(_("upheld"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        related_name="+",
    )

    objects = AreaScopedQuerySet.as_manager()
    area_lookup = "record__project__area"
    member_area_lookup = "record__" + PROJECT_MEMBER_LOOKUP
    sector_q = project_sector_q("record__project")

    class Meta:
        verbose_name = _("publicity objection")
        verbose_name_plural = _("publicity objections")
        ordering = ["received_on", "id"]

    def __str__(self) -> str:
        return self.text[:40]

    @property
    def is_handled(self) -> bool:
        return self.upheld is not None
