"""Employment records (DOMAIN.md §6.4): one job of one person in one year, with its period, the
months worked, where and for whom, the kind of job and the one 七个一批 measure it is counted
under (EMP-7), how it is known and who verified it; the one-off transport subsidy of a worker
outside the province."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from employment.codes import Batch, JobType, PlaceCategory, Source
from kaiyuan.common.scoping import AreaScopedQuerySet

MONEY = {"max_digits": 12, "decimal_places": 2}


class RecordQuerySet(AreaScopedQuerySet):
    def overlapping(self, first: datetime.date, last: datetime.date) -> RecordQuerySet:
        """Records whose period touches [first, last]: begun by its last day, not ended before
        its first (a record ending on 31 January is January's, one starting on 1 February is
        February's)."""
        return self.filter(start_date__lte=last).filter(
            Q(end_date__isnull=True) | Q(end_date__gte=first)
        )


class EmploymentRecord(models.Model):
    member = models.ForeignKey(
        "monitoring.Member",
        verbose_name=_("person"),
        on_delete=models.PROTECT,
        related_name="employment_records",
    )
    year = models.PositiveSmallIntegerField(_("year"))
    start_date = models.DateField(_("from"))
    end_date = models.DateField(
        _("until"), null=True, blank=True, help_text=_("Leave empty while the person still works.")
    )
    months_worked = models.PositiveSmallIntegerField(_("months worked"))
    place_category = models.CharField(
        _("place category"), max_length=8, choices=PlaceCategory.choices, blank=True
    )
    place = models.CharField(_("place of work"), max_length=100, blank=True)
    employer = models.CharField(_("employer"), max_length=100, blank=True)
    employer_uscc = models.CharField(_("employer's credit code"), max_length=18, blank=True)
    job_type = models.CharField(_("job type"), max_length=8, choices=JobType.choices)
    welfare_job_type = models.CharField(_("public-welfare job type"), max_length=32, blank=True)
    post = models.ForeignKey(
        "employment.WelfarePost",
        verbose_name=_("public-welfare post"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="records",
    )
    workshop = models.ForeignKey(
        "employment.Workshop",
        verbose_name=_("employment-assistance workshop"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="records",
    )
    batch = models.CharField(_("seven batches measure"), max_length=20, choices=Batch.choices)
    monthly_wage = models.DecimalField(_("monthly wage (yuan)"), null=True, blank=True, **MONEY)
    channel = models.CharField(_("employment channel"), max_length=32, blank=True)
    source = models.CharField(_("source"), max_length=8, choices=Source.choices)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("verified by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    verified_on = models.DateField(_("verified on"), null=True, blank=True)
    transport_subsidy = models.DecimalField(
        _("one-off transport subsidy (yuan)"), null=True, blank=True, **MONEY
    )
    transport_subsidy_paid_on = models.DateField(
        _("transport subsidy paid on"), null=True, blank=True
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewed by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    review_note = models.CharField(_("review note"), max_length=300, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now)
    version = models.PositiveIntegerField(_("version"), default=1)

    objects = RecordQuerySet.as_manager()
    area_lookup = "member__household__area"

    class Meta:
        verbose_name = _("employment record")
        verbose_name_plural = _("employment records")
        ordering = ["-year", "member", "-start_date", "-id"]
        indexes = [
            models.Index(fields=["year", "start_date"], name="employment_year_start"),
            models.Index(fields=["member", "year"], name="employment_member_year"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=F("start_date")),
                name="employment_period_in_order",
                violation_error_message=_("A job ends on or after the day it starts."),
            ),
            models.CheckConstraint(
                condition=Q(months_worked__lte=12), name="employment_months_within_year"
            ),
            models.CheckConstraint(
                condition=Q(transport_subsidy__isnull=True) | Q(transport_subsidy__gt=0),
                name="employment_transport_subsidy_positive",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.member} {self.year} {self.get_job_type_display()}"

    def get_absolute_url(self) -> str:
        return reverse("employment:record_detail", args=[self.pk])

    @property
    def is_ongoing(self) -> bool:
        return self.end_date is None

    @property
    def needs_review(self) -> bool:
        """EMP-4 flags are shown until someone at the township or county has looked at them."""
        return self.reviewed_at is None
