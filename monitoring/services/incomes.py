"""Household incomes (MON-INC-1..5) and how they compare with the year's lines."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kaiyuan.audit import record
from kaiyuan.common.money import CENT, yuan
from kaiyuan.policy.services import monitoring_line_for, policy_for
from monitoring.codes import RISK_ILLNESS
from monitoring.exceptions import HouseholdChanged, MonitoringError, RulesBroken, Violation
from monitoring.models import Household, IncomeRecord
from monitoring.services.access import ensure_may_edit

COMPONENTS = ("wage_income", "business_income", "property_income", "transfer_income")
IMPLAUSIBLE_WAGE_BELOW = Decimal("100")  # MON-INC-5: 0 < wage < 100 yuan is a typing slip


@dataclass(frozen=True)
class IncomeFigures:
    net_income: Decimal
    per_capita_net_income: Decimal


def income_compute(
    *,
    wage_income: Decimal,
    business_income: Decimal,
    property_income: Decimal,
    transfer_income: Decimal,
    business_expense: Decimal,
    household_size: int,
) -> IncomeFigures:
    """MON-INC-1: net = the four incomes − production expenditure; MON-INC-2: per capita = net ÷
    household size (members living together), rounded half-up to the fen (MON-INC-3)."""
    if household_size < 1:
        raise MonitoringError(_("The household size must be at least 1."), field="household_size")
    net = wage_income + business_income + property_income + transfer_income - business_expense
    per_capita = (net / household_size).quantize(CENT, rounding=ROUND_HALF_UP)
    return IncomeFigures(net_income=net.quantize(CENT), per_capita_net_income=per_capita)


def income_flags(
    *, record_kind: str, wage_income: Decimal, compliant_self_paid: Decimal, household: Household
) -> list[Violation]:
    """MON-INC-4 and MON-INC-5, listed for review (the national checks flag them)."""
    flags = []
    if (
        record_kind == IncomeRecord.Kind.IDENTIFICATION
        and Decimal("0") < wage_income < IMPLAUSIBLE_WAGE_BELOW
    ):
        flags.append(
            Violation(
                "MON-INC-5",
                "wage_income",
                _("Wage income between 0 and 100 yuan is implausible: please check."),
                "flag",
            )
        )
    if (
        record_kind == IncomeRecord.Kind.IDENTIFICATION
        and RISK_ILLNESS in household.risks
        and compliant_self_paid <= 0
    ):
        flags.append(
            Violation(
                "MON-INC-4",
                "compliant_self_paid",
                _(
                    "The household's risk includes 因病, so compliant self-paid "
                    "expenditure should be more than 0."
                ),
                "flag",
            )
        )
    return flags


class IncomeBand(enum.Enum):
    """The plan's two income thresholds (DOMAIN.md §2.2): below 8,500 yuan households get a
    stacked distribution; below 10,000 yuan 脱贫 people get focused help."""

    BELOW_STACKED = "below_stacked"
    BELOW_FOCUS = "below_focus"
    ABOVE_FOCUS = "above_focus"

    @property
    def label(self) -> str:
        return str(BAND_LABELS[self])


BAND_LABELS = {
    IncomeBand.BELOW_STACKED: gettext_lazy("Below the stacked-distribution line"),
    IncomeBand.BELOW_FOCUS: gettext_lazy("Between the stacked-distribution and focus lines"),
    IncomeBand.ABOVE_FOCUS: gettext_lazy("At or above the focus line"),
}


def income_band(per_capita: Decimal, *, year: int) -> IncomeBand:
    """Which band a per-capita income falls in: < 8,500; 8,500 ≤ x < 10,000; ≥ 10,000 (the
    thresholds of the year's policy settings)."""
    policy = policy_for(year)
    if per_capita < policy.stacked_income_threshold:
        return IncomeBand.BELOW_STACKED
    if per_capita < policy.low_income_focus_threshold:
        return IncomeBand.BELOW_FOCUS
    return IncomeBand.ABOVE_FOCUS


def is_below_monitoring_line(per_capita: Decimal, *, year: int) -> bool:
    """Compared with the line of the year assessed (MON-LINE-1); refused until that line is set."""
    return per_capita < monitoring_line_for(year)


def _money_fields(values: dict[str, Any]) -> dict[str, Decimal]:
    names = (*COMPONENTS, "business_expense", "claim_income", "compliant_self_paid")
    parsed = {}
    for name in names:
        try:
            parsed[name] = yuan(values.get(name) if values.get(name) not in (None, "") else "0")
        except (ValueError, TypeError):
            raise RulesBroken(
                [Violation("MON-INC-3", name, _("Enter an amount in yuan, for example 1234.56."))]
            ) from None
        if parsed[name] < 0:
            raise RulesBroken([Violation("MON-INC-3", name, _("Amounts cannot be negative."))])
    return parsed


@transaction.atomic
def income_record_save(
    *,
    household: Household,
    actor,
    year: int,
    kind: str,
    values: dict[str, Any],
    household_size: int | None = None,
    note: str = "",
    expected_version: int | None = None,
) -> tuple[IncomeRecord, list[Violation]]:
    """Create or replace the income record of (household, year, kind) and return it with the
    flags to review. Replacing needs the version the user loaded; the latest annual or
    identification figure becomes the household's current per-capita income."""
    locked = Household.objects.select_for_update().select_related("area").get(pk=household.pk)
    ensure_may_edit(actor, locked)
    amounts = _money_fields(values)
    size = household_size or locked.household_size
    figures = income_compute(
        wage_income=amounts["wage_income"],
        business_income=amounts["business_income"],
        property_income=amounts["property_income"],
        transfer_income=amounts["transfer_income"],
        business_expense=amounts["business_expense"],
        household_size=size,
    )
    existing = (
        IncomeRecord.objects.select_for_update()
        .filter(household=locked, year=year, kind=kind)
        .first()
    )
    if existing is not None and expected_version != existing.version:
        raise HouseholdChanged(
            _(
                "Someone else saved this income record after you opened it. Reload the page and "
                "enter your changes again."
            )
        )
    income = existing or IncomeRecord(household=locked, year=year, kind=kind)
    for name, amount in amounts.items():
        setattr(income, name, amount)
    income.net_income = figures.net_income
    income.per_capita_net_income = figures.per_capita_net_income
    income.household_size = size
    income.note = note
    income.recorded_by = actor
    if existing is not None:
        income.version = F("version") + 1
    income.save()
    income.refresh_from_db()
    latest = (
        IncomeRecord.objects.filter(household=locked)
        .exclude(kind=IncomeRecord.Kind.ELIMINATION)
        .order_by("-year", "-recorded_at")
        .first()
    )
    if latest is not None:
        Household.objects.filter(pk=locked.pk).update(
            per_capita_income=latest.per_capita_net_income, income_year=latest.year
        )
    record(
        income,
        action="change" if existing else "create",
        actor=actor,
        data={"year": year, "kind": kind, "per_capita": str(income.per_capita_net_income)},
    )
    flags = income_flags(
        record_kind=kind,
        wage_income=amounts["wage_income"],
        compliant_self_paid=amounts["compliant_self_paid"],
        household=locked,
    )
    return income, flags
