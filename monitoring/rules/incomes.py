"""Income rules (MON-INC-1..5), the plan's income bands and the focus list (MON-FOCUS-1)."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import (
    Case,
    DecimalField,
    Exists,
    F,
    OuterRef,
    Q,
    QuerySet,
    Value,
    When,
)
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kaiyuan.common.money import CENT
from kaiyuan.common.rules import FLAG, Rule, Violation
from kaiyuan.policy.models import PolicySettings
from kaiyuan.policy.services import monitoring_line_for, policy_for
from monitoring.codes import RISK_ILLNESS, HouseholdType
from monitoring.exceptions import MonitoringError
from monitoring.models import (
    Household,
    IncomeRecord,
)

COMPONENTS = ("wage_income", "business_income", "property_income", "transfer_income")

MON_INC_1 = Rule(
    "MON-INC-1", gettext_lazy("Net income is the four incomes less production expenditure.")
)
MON_INC_2 = Rule(
    "MON-INC-2", gettext_lazy("Per-capita income is net income divided by the household size.")
)
MON_INC_3 = Rule("MON-INC-3", gettext_lazy("Amounts are yuan with two decimals, never negative."))
MON_INC_4 = Rule(
    "MON-INC-4",
    gettext_lazy("A household at risk 因病 should have compliant self-paid expenditure."),
    FLAG,
)
MON_INC_5 = Rule(
    "MON-INC-5", gettext_lazy("Wage income between 0 and 100 yuan is implausible."), FLAG
)
MON_FOCUS_1 = Rule(
    "MON-FOCUS-1",
    gettext_lazy(
        "Poverty-exited households whose income fell, or is at or below the focus line, get "
        "focused help."
    ),
    FLAG,
)


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
            MON_INC_5.violation(
                "wage_income", _("Wage income between 0 and 100 yuan is implausible: please check.")
            )
        )
    if (
        record_kind == IncomeRecord.Kind.IDENTIFICATION
        and RISK_ILLNESS in household.risks
        and compliant_self_paid <= 0
    ):
        flags.append(
            MON_INC_4.violation(
                "compliant_self_paid",
                _(
                    "The household's risk includes 因病, so compliant self-paid "
                    "expenditure should be more than 0."
                ),
            )
        )
    return flags


class IncomeBand(enum.Enum):
    """The plan's two income lines read as the law reads them (DOMAIN.md §1.5): households "在8500
    元以下" (at or below 8,500 yuan per head) get the stacked share of asset income; 脱贫人口 "在万
    元以下" (at or below 10,000) get focused help (MON-FOCUS-1). Both lines come from the year's
    policy settings."""

    BELOW_STACKED = "below_stacked"  # ≤ the stacked-share line
    BELOW_FOCUS = "below_focus"  # above it, ≤ the focus line
    ABOVE_FOCUS = "above_focus"  # above the focus line

    @property
    def label(self) -> str:
        return str(BAND_LABELS[self])


BAND_LABELS = {
    IncomeBand.BELOW_STACKED: gettext_lazy("At or below the stacked-distribution line"),
    IncomeBand.BELOW_FOCUS: gettext_lazy("At or below the focus line"),
    IncomeBand.ABOVE_FOCUS: gettext_lazy("Above the focus line"),
}


def income_band(per_capita: Decimal, *, year: int) -> IncomeBand:
    """Which band a per-capita income falls in: ≤ 8,500; ≤ 10,000; above (the lines of the
    year's policy settings, each line itself included)."""
    policy = policy_for(year)
    if per_capita <= policy.stacked_income_threshold:
        return IncomeBand.BELOW_STACKED
    if per_capita <= policy.low_income_focus_threshold:
        return IncomeBand.BELOW_FOCUS
    return IncomeBand.ABOVE_FOCUS


def counts_as_low_income(per_capita: Decimal, *, year: int) -> bool:
    """The plan's indicator "收入低于1万元的脱贫人口比重" (§三.2): strictly below the focus line,
    because 低于 excludes the number (the focus list itself includes it)."""
    return per_capita < policy_for(year).low_income_focus_threshold


def is_below_monitoring_line(per_capita: Decimal, *, year: int) -> bool:
    """Compared with the line of the year assessed (MON-LINE-1); refused until that line is set."""
    return per_capita < monitoring_line_for(year)


def threshold_of_income_year(field: str):
    """``policy_for(income_year).<field>`` as one SQL expression: that year's settings, else the
    latest earlier year's, else the plan's default. One small query reads the policy rows; the
    comparison with each household runs in the database. The Python rules above and the
    querysets below read the lines through this one function, so they cannot disagree."""
    default = Decimal(PolicySettings._meta.get_field(field).get_default())
    whens = [
        When(income_year__gte=year, then=Value(threshold))
        for year, threshold in PolicySettings.objects.order_by("-year").values_list("year", field)
    ]
    money = DecimalField(max_digits=12, decimal_places=2)
    if not whens:
        return Value(default, output_field=money)
    return Case(*whens, default=Value(default), output_field=money)


def income_band_q(band: IncomeBand | str) -> Q:
    """Households whose latest per-capita income lies in ``band``, each compared with the lines
    of its own income year, exactly as ``income_band`` does."""
    band = IncomeBand(band)
    stacked = threshold_of_income_year("stacked_income_threshold")
    focus = threshold_of_income_year("low_income_focus_threshold")
    known = Q(per_capita_income__isnull=False, income_year__isnull=False)
    if band == IncomeBand.BELOW_STACKED:
        return known & Q(per_capita_income__lte=stacked)
    if band == IncomeBand.BELOW_FOCUS:
        return known & Q(per_capita_income__gt=stacked, per_capita_income__lte=focus)
    return known & Q(per_capita_income__gt=focus)


def households_with_falling_income() -> QuerySet[IncomeRecord]:
    """The households whose latest annual per-capita income is below the previous year's (as
    household ids, for ``pk__in``): read from the income records, not per household."""
    later = IncomeRecord.objects.filter(
        household=OuterRef("household"), kind=IncomeRecord.Kind.ANNUAL, year__gt=OuterRef("year")
    )
    higher_before = IncomeRecord.objects.filter(
        household=OuterRef("household"),
        kind=IncomeRecord.Kind.ANNUAL,
        year=OuterRef("year") - 1,
        per_capita_net_income__gt=OuterRef("per_capita_net_income"),
    )
    return (
        IncomeRecord.objects.filter(kind=IncomeRecord.Kind.ANNUAL)
        .exclude(Exists(later))
        .filter(Exists(higher_before))
        .values("household")
    )


def focus_q() -> tuple[Q, Q]:
    """MON-FOCUS-1 (§四(一)2 "收入减少及收入在万元以下的脱贫人口"): 脱贫户 whose latest per-capita
    income is at or below the focus line of its year, and 脱贫户 whose latest annual income fell.
    Other households whose income fell are not on the list. Returns (low income, income fell),
    each already limited to 脱贫户; the caller annotates ``focus_threshold``."""
    exited = Q(household_type=HouseholdType.EXITED)
    low = exited & Q(per_capita_income__lte=F("focus_threshold"))
    fell = exited & Q(pk__in=households_with_falling_income())
    return low, fell
