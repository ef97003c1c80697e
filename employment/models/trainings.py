"""Skills training (乡村振兴技能提升培训, DOMAIN.md §6.2 item 4): a course with its dates, and the
people trained in it with their certificates. A job found after it is counted under "乡村振兴技能
提升培训一批"."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from employment.codes import Certificate, CourseType
from kaiyuan.common.scoping import AreaScopedQuerySet


class Training(models.Model):
    area = models.ForeignKey(
        "areas.Area",
        verbose_name=_("organised for"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("The township or village whose people it trains, or the county."),
    )
    course = models.CharField(_("course"), max_length=120)
    course_type = models.CharField(_("course type"), max_length=12, choices=CourseType.choices)
    organiser = models.CharField(_("organiser"), max_length=100)
    place = models.CharField(_("place"), max_length=100, blank=True)
    start_date = models.DateField(_("from"))
    end_date = models.DateField(_("until"))
    hours = models.PositiveSmallIntegerField(_("class hours"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    version = models.PositiveIntegerField(_("version"), default=1)

    objects = AreaScopedQuerySet.as_manager()
    # A course of the county is seen from each village whose people it trained.
    member_area_lookup = "trainees__member__household__area"

    class Meta:
        verbose_name = _("skills training")
        verbose_name_plural = _("skills trainings")
        ordering = ["-start_date", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gte=F("start_date")),
                name="training_period_in_order",
                violation_error_message=_("A course ends on or after the day it starts."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.course}（{self.start_date:%Y-%m-%d}）"

    def get_absolute_url(self) -> str:
        return reverse("employment:training_detail", args=[self.pk])


class Trainee(models.Model):
    training = models.ForeignKey(
        Training, verbose_name=_("course"), on_delete=models.PROTECT, related_name="trainees"
    )
    member = models.ForeignKey(
        "monitoring.Member",
        verbose_name=_("person"),
        on_delete=models.PROTECT,
        related_name="trainings",
    )
    completed = models.BooleanField(_("completed the course"), default=True)
    certificate = models.CharField(
        _("certificate"), max_length=12, choices=Certificate.choices, blank=True
    )
    certificate_number = models.CharField(_("certificate number"), max_length=40, blank=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    added_at = models.DateTimeField(_("recorded at"), default=timezone.now)

    objects = AreaScopedQuerySet.as_manager()
    area_lookup = "member__household__area"

    class Meta:
        verbose_name = _("trainee")
        verbose_name_plural = _("trainees")
        ordering = ["training", "id"]
        constraints = [
            models.UniqueConstraint(fields=["training", "member"], name="trainee_once_a_course"),
            models.CheckConstraint(
                condition=Q(certificate="") | Q(completed=True),
                name="trainee_certificate_needs_completion",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.member} {self.training}"
