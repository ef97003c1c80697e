"""Income rules (MON-INC-1..5), the plan's income bands and the focus list (MON-FOCUS-1)."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import (
    Case,
    DecimalField,
    Exists,
    OuterRef,
    Q,
    QuerySet,
    Value,
    When,
)
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kaiyuan.common.money import CENT
from kaiyuan.common.rules import Violation
from kaiyuan.policy.models import PolicySettings
from kaiyuan.policy.services import monitoring_line_for, policy_for
from monitoring.codes import RISK_ILLNESS
from monitoring.exceptions import MonitoringError
from monitoring.models import (
    Household,
    IncomeRecord,
)

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


def income_band_q(band: IncomeBand | str) -> Q:
    """Households whose latest per-capita income lies in ``band``, each compared with the
    thresholds of its own income year, exactly as ``incomes.income_band`` does: a year uses its
    policy record, else the latest earlier one, else the plan's defaults (``policy_for``). One
    query reads the few policy rows; the comparison itself runs in the database."""
    band = IncomeBand(band)
    rows = list(
        PolicySettings.objects.order_by("year").values_list(
            "year", "stacked_income_threshold", "low_income_focus_threshold"
        )
    )
    defaults = PolicySettings.defaults_for(2024)
    # (first year, first year of the next span or None, stacked, focus)
    spans: list[tuple[int | None, int | None, object, object]] = [
        (
            None,
            rows[0][0] if rows else None,
            defaults.stacked_income_threshold,
            defaults.low_income_focus_threshold,
        )
    ]
    for position, (year, stacked, focus) in enumerate(rows):
        following = rows[position + 1][0] if position + 1 < len(rows) else None
        spans.append((year, following, stacked, focus))
    condition = Q()
    for start, end, stacked, focus in spans:
        years = Q(income_year__isnull=False)
        if start is not None:
            years &= Q(income_year__gte=start)
        if end is not None:
            years &= Q(income_year__lt=end)
        if band == IncomeBand.BELOW_STACKED:
            amount = Q(per_capita_income__lt=stacked)
        elif band == IncomeBand.BELOW_FOCUS:
            amount = Q(per_capita_income__gte=stacked, per_capita_income__lt=focus)
        else:
            amount = Q(per_capita_income__gte=focus)
        condition |= years & amount
    return condition & Q(per_capita_income__isnull=False)


def _focus_threshold():
    """policy_for(income_year).low_income_focus_threshold as one SQL expression: that year's
    settings, else the latest earlier year's, else the plan's default (one small query)."""
    default = PolicySettings._meta.get_field("low_income_focus_threshold").get_default()
    whens = [
        When(income_year__gte=year, then=Value(threshold))
        for year, threshold in PolicySettings.objects.order_by("-year").values_list(
            "year", "low_income_focus_threshold"
        )
    ]
    money = DecimalField(max_digits=12, decimal_places=2)
    if not whens:
        return Value(Decimal(default), output_field=money)
    return Case(*whens, default=Value(Decimal(default)), output_field=money)


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
