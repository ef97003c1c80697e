"""Yearly policy settings: every number of the plan that may change by year or place.

The 2024 values of the county plan are the defaults. Code reads them through
``kaiyuan.policy.services.policy_for(year)`` and never hard-codes them.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import formats
from django.utils.translation import gettext_lazy as _

PERCENT = [MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))]


def _money(verbose: str, default: str | None, **kwargs) -> models.DecimalField:
    return models.DecimalField(
        verbose,
        max_digits=14,
        decimal_places=2,
        default=None if default is None else Decimal(default),
        validators=[MinValueValidator(Decimal("0"))],
        **kwargs,
    )


def _percent(verbose: str, default: str) -> models.DecimalField:
    return models.DecimalField(
        verbose, max_digits=5, decimal_places=2, default=Decimal(default), validators=PERCENT
    )


def _days(verbose: str, default: int) -> models.PositiveSmallIntegerField:
    return models.PositiveSmallIntegerField(
        verbose, default=default, validators=[MinValueValidator(1)]
    )


class PolicySettings(models.Model):
    """The plan's numbers for one year (DOMAIN.md rule ids in the help texts)."""

    class VisitScope(models.TextChoices):
        GRID = "grid", _("Poverty-exited, monitored and flagged households")
        ALL = "all", _("All rural households")

    year = models.PositiveSmallIntegerField(
        _("year"), unique=True, validators=[MinValueValidator(2021), MaxValueValidator(2100)]
    )

    # ---- monitoring (MON-LINE, MON-VISIT, MON-ID, MON-MEAS, MON-ELIM) -------------------------
    monitoring_line = _money(
        _("monitoring line (yuan per person per year)"),
        None,
        null=True,
        blank=True,
        help_text=_(
            "MON-LINE-1. Set by the province every year; income checks are refused until it is "
            "filled in."
        ),
    )
    # The demo (seed_demo) fills the line with made-up figures (DOMAIN.md §10 Q-1: the
    # province's were not found); every place that shows the line labels them as such.
    demo_values = models.BooleanField(
        _("demonstration values"),
        default=False,
        help_text=_(
            "Set by the demo: the monitoring line of this year is a demonstration figure, not the "
            "province's, and is shown as demonstration data wherever it appears. Clear it when "
            "the official line is entered."
        ),
    )
    stacked_income_threshold = _money(
        _("stacked distribution threshold (yuan per person per year)"),
        "8500",
        help_text=_("MON-LINE-2. Households at or below it get a stacked income distribution."),
    )
    low_income_focus_threshold = _money(
        _("low-income focus threshold (yuan per person per year)"),
        "10000",
        help_text=_(
            "MON-LINE-3, MON-FOCUS-1. Poverty-exited people at or below it get focused help."
        ),
    )
    village_visits_per_month = models.PositiveSmallIntegerField(
        _("village visits per month"), default=1, help_text=_("MON-VISIT-1.")
    )
    township_visits_per_quarter = models.PositiveSmallIntegerField(
        _("township visits per quarter"), default=1, help_text=_("MON-VISIT-2.")
    )
    visit_scope = models.CharField(
        _("households that must be visited"),
        max_length=16,
        choices=VisitScope.choices,
        default=VisitScope.GRID,
    )
    monitoring_publicity_days = _days(_("monitoring publicity (days)"), 5)
    identification_working_days = _days(_("identification time limit (working days)"), 20)
    identification_acceptance_days = _days(_("application acceptance (days)"), 2)
    identification_verification_days = _days(_("on-site verification (days)"), 3)
    identification_crosscheck_days = _days(_("data cross-check (days)"), 5)
    identification_appraisal_days = _days(_("appraisal and publicity (days)"), 5)
    warning_verification_days = _days(
        _("department warning verification (days)"),
        7,
    )
    measure_due_months = _days(_("months before a development measure is due"), 6)
    elimination_min_months = _days(_("months between identification and elimination"), 6)
    elimination_stable_income_months = _days(_("months of stable income before elimination"), 6)
    elimination_early_flag_months = _days(_("elimination flagged as early within (months)"), 2)

    # ---- project library (PRJ) ---------------------------------------------------------------
    project_publicity_days = _days(_("project publicity (days)"), 10)
    library_deadline = models.DateField(
        _("project library deadline"),
        null=True,
        blank=True,
        help_text=_("PRJ-6. The next year's library must be complete by this date."),
    )
    project_target_industry = _days(_("industry projects with strong farmer-linking (target)"), 21)
    project_target_model_villages = _days(_("model-village projects (target)"), 11)
    project_target_collective = _days(_("new collective-economy projects (target)"), 9)
    strong_linkage_households = _days(
        _("beneficiary households that make farmer-linking strong"), 10
    )
    household_subsidy_cap = _money(_("household subsidy cap (yuan per household per year)"), "2000")

    # ---- funds (FND) ---------------------------------------------------------------------------
    advance_percent = _percent(_("advance payment limit (%)"), "30")
    progress_payment_percent = _percent(_("progress payment (%)"), "40")
    progress_threshold_percent = _percent(_("physical progress required (%)"), "70")
    retention_percent = _percent(_("quality retention (%)"), "3")
    retention_release_months = _days(_("retention released after (months)"), 12)
    reimbursement_days = _days(_("reimbursement report due within (days)"), 10)
    idle_fund_months = _days(_("funds idle after (months)"), 1)
    spending_target_april = _percent(_("spending progress by 30 April (%)"), "30")
    spending_target_june = _percent(_("spending progress by 30 June (%)"), "50")
    spending_target_september = _percent(_("spending progress by 30 September (%)"), "75")
    spending_target_december = _percent(_("spending progress by 31 December (%)"), "100")
    industry_share_percent = _percent(_("industry share of linkage funds (%)"), "60")
    placement_ending_days = _days(_("debt placement flagged as ending within (days)"), 90)
    microcredit_max_amount = _money(_("micro-credit loan limit (yuan)"), "50000")
    microcredit_max_months = _days(_("micro-credit term limit (months)"), 36)

    # ---- assets (AST) --------------------------------------------------------------------------
    minimum_return_percent = _percent(_("minimum annual return (%)"), "6")
    pv_public_jobs_percent = _percent(_("PV income: public-welfare jobs (%)"), "60")
    pv_public_works_percent = _percent(_("PV income: small public works (%)"), "30")
    pv_rewards_percent = _percent(_("PV income: rewards and subsidies (%)"), "10")
    # the plan gives only the ratio; the three uses are the national ones, named here so the
    # bureau can correct the wording without a release.
    pv_public_jobs_label = models.CharField(
        _("PV income: first use"), max_length=30, default="公益岗位工资"
    )
    pv_public_works_label = models.CharField(
        _("PV income: second use"), max_length=30, default="小型公益事业"
    )
    pv_rewards_label = models.CharField(
        _("PV income: third use"), max_length=30, default="奖励补助"
    )
    distribution_tilt = models.BooleanField(
        _("distribution tilted towards monitored households"),
        default=True,
        help_text=_(
            "AST-6. Monitored households' average share is at least that of other "
            "poverty-exited households; a distribution that is not is flagged."
        ),
    )

    # ---- employment (EMP) ----------------------------------------------------------------------
    employment_target = models.PositiveIntegerField(_("employment target (persons)"), default=2500)
    employment_min_months = models.PositiveSmallIntegerField(
        _("months of work that count"),
        default=1,
        validators=[MinValueValidator(1), MaxValueValidator(12)],
        help_text=_("EMP-3. A job counts once this many months are worked."),
    )
    employment_count_basis = models.CharField(
        _("employment counted"),
        max_length=8,
        choices=[
            ("year", _("Worked in the year up to the month reported")),
            ("month", _("Working in the month reported")),
        ],
        default="year",
        help_text=_(
            "EMP-2, Q-12. Whether a month's count is everyone who has worked in the year so far, "
            "or only those working in that month."
        ),
    )
    employment_counts_welfare_posts = models.BooleanField(
        _("public-welfare posts count"), default=True
    )
    employment_counts_workshops = models.BooleanField(_("workshop jobs count"), default=True)
    employment_counts_flexible = models.BooleanField(_("flexible employment counts"), default=True)
    employment_counts_self_employed = models.BooleanField(_("self-employment counts"), default=True)
    workshop_min_workers = models.PositiveSmallIntegerField(
        _("poverty-exited workers a workshop employs"),
        default=5,
        validators=[MinValueValidator(1)],
        help_text=_("EMP-WORKSHOP. A workshop with fewer in the year is flagged."),
    )

    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("updated by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("policy settings")
        verbose_name_plural = _("policy settings")
        ordering = ["-year"]
        constraints = [
            models.CheckConstraint(
                condition=Q(
                    pv_public_jobs_percent=100
                    - F("pv_public_works_percent")
                    - F("pv_rewards_percent")
                ),
                name="policy_pv_split_sums_to_100",
                violation_error_message=_("The three PV income shares must add up to 100%."),
            ),
            models.CheckConstraint(
                condition=Q(advance_percent__lte=100 - F("progress_payment_percent")),
                name="policy_tranches_within_100",
                violation_error_message=_("Advance and progress payments cannot exceed 100%."),
            ),
        ]

    def __str__(self) -> str:
        return str(_("Policy settings for %(year)s") % {"year": self.year})

    @classmethod
    def defaults_for(cls, year: int) -> PolicySettings:
        """An unsaved record with the plan's default values."""
        policy = cls(year=year)
        if year == 2024:
            policy.library_deadline = datetime.date(2024, 11, 30)
        return policy


DEMO_LABEL = _("demonstration data")


def line_label(line: Decimal | None, *, demo: bool) -> str:
    """A monitoring line as the pages show it: "7600.00", with "（演示数据）" when it is the
    demo's figure, "—" when none is set."""
    if line is None:
        return "—"
    shown = formats.number_format(line, decimal_pos=2)
    return f"{shown}（{DEMO_LABEL}）" if demo else shown


class CalendarDay(models.Model):
    """A day the State Council's yearly holiday notice (国务院办公厅关于部分节假日安排的通知)
    moves: a public holiday (放假) on what would be a working day, or a weekend that is worked
    (调休上班). Every other Monday to Friday is a working day. The administrator enters each
    year's notice when it is published, usually in November of the year before."""

    class Kind(models.TextChoices):
        HOLIDAY = "holiday", _("Holiday")
        WORKDAY = "workday", _("Adjusted working day")

    day = models.DateField(_("date"), unique=True)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    name = models.CharField(_("festival"), max_length=20, help_text=_("For example 春节, 国庆节."))

    class Meta:
        verbose_name = _("holiday calendar day")
        verbose_name_plural = _("holiday calendar")
        ordering = ["day"]

    def __str__(self) -> str:
        return f"{self.day.isoformat()} {self.name} {self.get_kind_display()}"

    def clean(self) -> None:
        if self.day and self.kind == self.Kind.WORKDAY and self.day.weekday() < 5:
            raise ValidationError(
                {"kind": _("An adjusted working day is a Saturday or Sunday that is worked.")}
            )
