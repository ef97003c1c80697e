from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from kaiyuan.common.scoping import AreaScopedQuerySet


class GuaranteeAnswers(models.Model):
    """The four 三保障 and drinking-water questions (§2.4.4, §2.10); True means a problem."""

    child_out_of_school = models.BooleanField(
        _("a compulsory-school-age child is out of school"), null=True
    )
    housing_unsafe = models.BooleanField(_("housing is unsafe"), null=True)
    member_uninsured = models.BooleanField(_("a member has no basic medical insurance"), null=True)
    water_unsafe = models.BooleanField(_("drinking water is unsafe"), null=True)

    class Meta:
        abstract = True

    GUARANTEE_FIELDS = ("child_out_of_school", "housing_unsafe", "member_uninsured", "water_unsafe")

    @property
    def guarantee_problems(self) -> list[str]:
        return [
            str(self._meta.get_field(name).verbose_name)
            for name in self.GUARANTEE_FIELDS
            if getattr(self, name)
        ]

    @property
    def guarantee_items(self) -> list[tuple[str, bool | None]]:
        """(question, answer) pairs in the national order, for display."""
        return [
            (str(self._meta.get_field(name).verbose_name), getattr(self, name))
            for name in self.GUARANTEE_FIELDS
        ]

    @property
    def guarantees_complete(self) -> bool:
        return all(getattr(self, name) is not None for name in self.GUARANTEE_FIELDS)


class GuaranteeCheck(GuaranteeAnswers):
    """The 三保障/water answers recorded at identification or after risk elimination."""

    class Kind(models.TextChoices):
        IDENTIFICATION = "identification", _("At identification")
        ELIMINATION = "elimination", _("After risk elimination")

    household = models.ForeignKey(
        "monitoring.Household",
        verbose_name=_("household"),
        on_delete=models.PROTECT,
        related_name="guarantee_checks",
    )
    kind = models.CharField(_("record type"), max_length=16, choices=Kind.choices)
    checked_on = models.DateField(_("date"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), on_delete=models.PROTECT
    )

    objects = AreaScopedQuerySet.as_manager()
    area_lookup = "household__area"

    class Meta:
        verbose_name = _("three guarantees and water check")
        verbose_name_plural = _("three guarantees and water checks")
        ordering = ["-checked_on", "-id"]

    def __str__(self) -> str:
        return f"{self.household} {self.get_kind_display()} {self.checked_on}"


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
        Visit,
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
