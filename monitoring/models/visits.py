"""Visits to households (走访, DOMAIN.md §2.4.6)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from kaiyuan.common.scoping import AreaScopedQuerySet
from monitoring.models.households import GuaranteeAnswers


class Visit(GuaranteeAnswers):
    """A visit to a household by the village (monthly) or township (quarterly) level (§2.4.6).

    ``area`` repeats the household's village so that coverage pages filter and group visits by
    area and date on one indexed table.
    """

    class Level(models.TextChoices):
        VILLAGE = "village", _("Village level")
        TOWNSHIP = "township", _("Township level")

    class Method(models.TextChoices):
        ON_SITE = "on_site", _("On-site")
        PHONE = "phone", _("By phone")

    class IncomeChange(models.TextChoices):
        NONE = "none", _("No notable change")
        UP = "up", _("Increased")
        DOWN = "down", _("Decreased")

    household = models.ForeignKey(
        "monitoring.Household",
        verbose_name=_("household"),
        on_delete=models.PROTECT,
        related_name="visits",
    )
    area = models.ForeignKey(
        "areas.Area", verbose_name=_("village"), on_delete=models.PROTECT, related_name="+"
    )
    visitor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("visitor"),
        on_delete=models.PROTECT,
        related_name="visits",
    )
    level = models.CharField(_("level"), max_length=16, choices=Level.choices)
    visited_on = models.DateField(_("date of visit"))
    method = models.CharField(_("method"), max_length=16, choices=Method.choices)
    income_change = models.CharField(
        _("income change"), max_length=8, choices=IncomeChange.choices, default=IncomeChange.NONE
    )
    new_risk = models.BooleanField(_("new risk found"), default=False)
    risk_note = models.CharField(_("risk found"), max_length=200, blank=True)
    no_change = models.BooleanField(_("no change since the last visit"), default=False)
    note = models.TextField(_("note"), blank=True)
    photo = models.ImageField(_("photo"), upload_to="visits/%Y/%m/", blank=True)
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    objects = AreaScopedQuerySet.as_manager()

    # One per submitted form (or API Idempotency-Key): the same visit sent twice, or twice at
    # once from a phone on a weak connection, is recorded once.
    submission_key = models.UUIDField(
        _("submission key"), null=True, blank=True, unique=True, editable=False
    )

    class Meta:
        verbose_name = _("visit")
        verbose_name_plural = _("visits")
        ordering = ["-visited_on", "-id"]
        indexes = [
            models.Index(
                fields=["household", "level", "-visited_on"], name="visit_household_level"
            ),
            models.Index(fields=["area", "level", "visited_on"], name="visit_area_level_date"),
        ]

    def __str__(self) -> str:
        return f"{self.household} {self.visited_on} {self.get_level_display()}"
