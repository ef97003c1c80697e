"""Excel builders of the bureau's lists: rows in, a write-only workbook out (kaiyuan.common.excel).

Household numbers and names only: no ID number is ever written to these files. Headers are the
national labels (gettext, written in the language the job runs in).
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from kaiyuan.common.excel import ExportResult, write_xlsx
from monitoring.models import Household, MonitoringCase, RiskLead
from monitoring.selectors.lists import MEAS_1, MEAS_2, Summary, case_ages, working_days_between

# Household numbers are long digit strings: written as text so that Excel keeps them whole.
NUMBER_COLUMN = frozenset({2})


@dataclass(frozen=True)
class Sheet:
    title: str
    headers: Sequence[str]
    rows: Iterable[Sequence[Any]]
    text_columns: frozenset[int] = NUMBER_COLUMN


def write_sheet(path: Path, sheet: Sheet, on_progress: Callable | None = None) -> ExportResult:
    return write_xlsx(
        path,
        title=sheet.title,
        headers=sheet.headers,
        rows=sheet.rows,
        text_columns=sheet.text_columns,
        on_progress=on_progress,
    )


def _place() -> list[str]:
    return [_("Township"), _("Village"), _("household number"), _("name of the head of household")]


def _where(household: Household) -> list[Any]:
    village = household.area
    township = village.parent.name if village.parent_id else ""
    return [township, village.name, household.household_number, household.head_name]


def _day(value: datetime.date | None) -> str:
    return value.isoformat() if value else ""


def _risks(obj) -> str:
    return "、".join(obj.risks)


# =============================================================================================
# The lists
# =============================================================================================


def monitored_sheet(households: Iterable[Household]) -> Sheet:
    headers = [
        *_place(),
        _("household type"),
        _("monitoring category"),
        _("risks"),
        _("monitoring status"),
        _("household size"),
        _("risk identified"),
        _("risk eliminated"),
        _("per-capita net income"),
        _("income year"),
    ]
    rows = (
        [
            *_where(h),
            h.household_type,
            h.monitoring_category,
            _risks(h),
            h.get_monitoring_status_display(),
            h.household_size,
            _day(h.risk_identified_on),
            _day(h.risk_eliminated_on),
            h.per_capita_income,
            h.income_year,
        ]
        for h in households
    )
    return Sheet(_("Monitored households"), headers, rows)


def summary_sheet(summary: Summary) -> Sheet:
    """One row per category and risk type (households counted once per risk), then a row per
    category with each household once."""
    headers = [_("monitoring category"), _("Risk type"), _("Households"), _("Persons")]
    rows: list[list[Any]] = []
    for row in summary.rows:
        for category, cell in zip(summary.categories, row.cells, strict=True):
            if cell.households:
                rows.append([category, row.risk, cell.households, cell.persons])
    for category, cell in zip(summary.categories, summary.totals, strict=True):
        rows.append([category, _("All risk types"), cell.households, cell.persons])
    rows.append([_("Total"), _("All risk types"), summary.total.households, summary.total.persons])
    return Sheet(_("Monitored households by category and risk"), headers, rows, frozenset())


def _case_columns() -> list[str]:
    return [
        *_place(),
        _("kind"),
        _("status"),
        _("monitoring category"),
        _("risks"),
        _("opened at"),
        _("Days since opened"),
        _("application date"),
        _("Days since application"),
        _("deadline"),
        _("Working days over"),
    ]


def _case_row(case: MonitoringCase, today: datetime.date) -> list[Any]:
    case_ages(case, today)
    return [
        *_where(case.household),
        case.get_kind_display(),
        case.get_status_display(),
        case.category,
        _risks(case),
        timezone.localtime(case.opened_at).date().isoformat() if case.opened_at else "",
        case.days_open,
        _day(case.application_date),
        case.days_since_application,
        _day(case.deadline),
        case.working_days_over or None,
    ]


def cases_sheet(cases: Iterable[MonitoringCase], today: datetime.date) -> Sheet:
    rows = (_case_row(case, today) for case in cases)
    return Sheet(_("Identification and elimination cases"), _case_columns(), rows)


def overdue_cases_sheet(cases: Iterable[MonitoringCase], today: datetime.date) -> Sheet:
    rows = (_case_row(case, today) for case in cases)
    return Sheet(_("Overdue identification cases"), _case_columns(), rows)


def overdue_leads_sheet(leads: Iterable[RiskLead], today: datetime.date) -> Sheet:
    headers = [
        *_place(),
        _("source"),
        _("description"),
        _("created at"),
        _("deadline"),
        _("Working days over"),
    ]
    rows = (
        [
            *_where(lead.household),
            lead.get_source_display(),
            lead.description,
            timezone.localtime(lead.created_at).date().isoformat(),
            _day(lead.deadline),
            working_days_between(lead.deadline, today),
        ]
        for lead in leads
    )
    return Sheet(_("Overdue risk leads"), headers, rows)


def focus_reasons(household: Household) -> list[str]:
    reasons = []
    if household.low_income:
        reasons.append(_("Income below %(threshold)s") % {"threshold": household.focus_threshold})
    if household.income_fell:
        reasons.append(_("Income fell year-on-year"))
    return reasons


def focus_sheet(households: Iterable[Household]) -> Sheet:
    headers = [
        *_place(),
        _("household type"),
        _("income year"),
        _("per-capita net income"),
        _("Focus threshold"),
        _("Latest annual assessment"),
        _("Annual per-capita income"),
        _("Previous year's annual per-capita income"),
        _("Reason on the list"),
    ]
    rows = (
        [
            *_where(h),
            h.household_type,
            h.income_year,
            h.per_capita_income,
            h.focus_threshold,
            h.latest_year,
            h.latest_annual,
            h.previous_annual,
            "；".join(focus_reasons(h)),
        ]
        for h in households
    )
    return Sheet(_("Focus list"), headers, rows)


def broken_rules(household: Household) -> list[str]:
    """The rule a row of ``measure_breakers`` breaks (never both: see the selector)."""
    return [MEAS_1 if household.breaks_meas_1 else MEAS_2]


def measures_sheet(households: Iterable[Household]) -> Sheet:
    headers = [
        *_place(),
        _("household type"),
        _("monitoring category"),
        _("monitoring status"),
        _("risk identified"),
        _("Rules broken"),
    ]
    rows = (
        [
            *_where(h),
            h.household_type,
            h.monitoring_category,
            h.get_monitoring_status_display(),
            _day(h.risk_identified_on),
            "、".join(broken_rules(h)),
        ]
        for h in households
    )
    return Sheet(_("Households missing assistance measures"), headers, rows)
