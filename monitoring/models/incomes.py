"""Household incomes and expenditure per year and assessment (收支情况, DOMAIN.md §2.4.3)."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import F, Q, Value
from django.db.models.functions import Abs
from django.db.models.lookups import LessThan
from django.utils.translation import gettext_lazy as _

from kaiyuan.common.scoping import AreaScopedQuerySet

MONEY = {"max_digits": 12, "decimal_places": 2}


class IncomeRecord(models.Model):
    """Income and expenditure of a household for one year and purpose (收支情况, §2.4.3).

    Net and per-capita income are computed by ``monitoring.services.incomes`` (MON-INC-1/2) and
    stored with the household size they were computed for, so a later change of members does not
    silently rewrite a past assessment. A database constraint holds MON-INC-1 as well.
    """

    # The amounts a clerk enters (the net and per-capita incomes are computed from them).
    MONEY_FIELDS = (
        "wage_income",
        "business_income",
        "property_income",
        "transfer_income",
        "business_expense",
        "claim_income",
        "compliant_self_paid",
    )

    class Kind(models.TextChoices):
        ANNUAL = "annual", _("Annual assessment")
        IDENTIFICATION = "identification", _("At identification")
        ELIMINATION = "elimination", _("After risk elimination")

    household = models.ForeignKey(
        "monitoring.Household",
        verbose_name=_("household"),
        on_delete=models.PROTECT,
        related_name="incomes",
    )
    year = models.PositiveSmallIntegerField(_("year"))
    kind = models.CharField(_("record type"), max_length=16, choices=Kind.choices)
    wage_income = models.DecimalField(_("wage income"), **MONEY)
    business_income = models.DecimalField(_("production and business income"), **MONEY)
    property_income = models.DecimalField(_("property income"), **MONEY)
    transfer_income = models.DecimalField(_("transfer income"), **MONEY)
    business_expense = models.DecimalField(_("production and business expenditure"), **MONEY)
    net_income = models.DecimalField(_("household net income"), **MONEY)
    household_size = models.PositiveSmallIntegerField(_("household size"))
    per_capita_net_income = models.DecimalField(_("per-capita net income"), **MONEY)
    claim_income = models.DecimalField(_("insurance-claim income"), **MONEY, default=Decimal("0"))
    compliant_self_paid = models.DecimalField(
        _("compliant self-paid expenditure"), **MONEY, default=Decimal("0")
    )
    note = models.CharField(_("note"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now=True)
    version = models.PositiveIntegerField(_("version"), default=1)

    objects = AreaScopedQuerySet.as_manager()
    area_lookup = "household__area"

    class Meta:
        verbose_name = _("income record")
        verbose_name_plural = _("income records")
        ordering = ["-year", "kind"]
        constraints = [
            models.UniqueConstraint(
                fields=["household", "year", "kind"], name="income_one_per_year_and_kind"
            ),
            models.CheckConstraint(
                condition=Q(wage_income__gte=0)
                & Q(business_income__gte=0)
                & Q(property_income__gte=0)
                & Q(transfer_income__gte=0)
                & Q(business_expense__gte=0)
                & Q(claim_income__gte=0)
                & Q(compliant_self_paid__gte=0),
                name="income_components_not_negative",
                violation_error_message=_("Income and expenditure amounts cannot be negative."),
            ),
            models.CheckConstraint(
                # Within half a fen rather than equal: SQLite (the embedded mode) computes with
                # floats, where 0.10 + 0.20 ≠ 0.30; amounts have two decimals, so any real
                # mismatch is at least 0.01 and is still refused on both databases.
                condition=LessThan(
                    Abs(
                        F("net_income")
                        - (
                            F("wage_income")
                            + F("business_income")
                            + F("property_income")
                            + F("transfer_income")
                            - F("business_expense")
                        )
                    ),
                    Value(Decimal("0.005")),
                ),
                name="income_net_is_sum_of_components",
                violation_error_message=_(
                    "Net income must equal the four incomes less expenditure."
                ),
            ),
            models.CheckConstraint(
                condition=Q(household_size__gte=1), name="income_household_size_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.household} {self.year} {self.get_kind_display()}"
