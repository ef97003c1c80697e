"""Excel builders of the bureau's lists: rows in, a sheet out, streamed, attached to the job and
recorded by kaiyuan.common.exports.

Household numbers and names only: no ID number is ever written to these files. Headers are the
national labels (gettext, written in the language the job runs in).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import replace
from typing import Any

from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from kaiyuan.common import dates
from kaiyuan.common import exports as files
from kaiyuan.common.dates import working_days_between
from kaiyuan.common.errors import DomainError
from kaiyuan.jobs.models import Job
from kaiyuan.jobs.registry import register
from kaiyuan.jobs.services import job_start
from monitoring.exports import lists as exports
from monitoring.models import Household, MonitoringCase, RiskLead
from monitoring.selectors.lists import (
    CASES,
    FOCUS,
    LIST_KEYS,
    MEAS_1,
    MEAS_2,
    MONITORED,
    OVERDUE,
    RULE_CHOICES,
    ListFilters,
    Summary,
    case_ages,
    case_list,
    focus_households,
    list_filters,
    may_see_lists,
    measure_breakers,
    monitored_households,
    monitored_summary,
    overdue_cases,
    overdue_leads,
    risk_types,
)

# Household numbers are long digit strings: written as text so that Excel keeps them whole.
NUMBER_COLUMN = frozenset({2})


def list_sheet(
    title: str, headers, rows, text_columns: frozenset[int] = NUMBER_COLUMN
) -> files.Sheet:
    return files.Sheet(title=title, headers=headers, rows=rows, text_columns=text_columns)


def _place() -> list[str]:
    return [_("Township"), _("Village"), _("household number"), _("name of the head of household")]


def _where(household: Household) -> list[Any]:
    village = household.area
    township = village.parent.name if village.parent_id else ""
    return [township, village.name, household.household_number, household.head_name]


def _risks(obj) -> str:
    return "、".join(obj.risks)


# =============================================================================================
# The lists
# =============================================================================================


def monitored_sheet(households: Iterable[Household]) -> files.Sheet:
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
            h.risk_identified_on,
            h.risk_eliminated_on,
            h.per_capita_income,
            h.income_year,
        ]
        for h in households
    )
    return list_sheet(_("List of monitored households"), headers, rows)


def summary_sheet(summary: Summary) -> files.Sheet:
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
    return list_sheet(_("Monitored households by category and risk"), headers, rows, frozenset())


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
        case.opened_at,
        case.days_open,
        case.application_date,
        case.days_since_application,
        case.deadline,
        case.working_days_over or None,
    ]


def cases_sheet(cases: Iterable[MonitoringCase], today: datetime.date) -> files.Sheet:
    rows = (_case_row(case, today) for case in cases)
    return list_sheet(_("Identification and elimination cases"), _case_columns(), rows)


def overdue_cases_sheet(cases: Iterable[MonitoringCase], today: datetime.date) -> files.Sheet:
    rows = (_case_row(case, today) for case in cases)
    return list_sheet(_("Overdue identification cases"), _case_columns(), rows)


def overdue_leads_sheet(leads: Iterable[RiskLead], today: datetime.date) -> files.Sheet:
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
            lead.created_at,
            lead.deadline,
            working_days_between(lead.deadline, today),
        ]
        for lead in leads
    )
    return list_sheet(_("Overdue risk leads"), headers, rows)


def focus_reasons(household: Household) -> list[str]:
    reasons = []
    if household.low_income:
        threshold = household.focus_threshold
        reasons.append(_("Income at or below %(threshold)s") % {"threshold": threshold})
    if household.income_fell:
        reasons.append(_("Income fell year-on-year"))
    return reasons


def focus_sheet(households: Iterable[Household]) -> files.Sheet:
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
    return list_sheet(_("Focus list"), headers, rows)


def broken_rules(household: Household) -> list[str]:
    """The rule a row of ``measure_breakers`` breaks (never both: see the selector)."""
    return [MEAS_1 if household.breaks_meas_1 else MEAS_2]


def measures_sheet(households: Iterable[Household]) -> files.Sheet:
    headers = [
        *_place(),
        _("household type"),
        _("monitoring category"),
        _("monitoring status"),
        _("risk identified"),
        _("What is missing"),
        _("rule"),
    ]
    rows = (
        [
            *_where(h),
            h.household_type,
            h.monitoring_category,
            h.get_monitoring_status_display(),
            h.risk_identified_on,
            "、".join(str(dict(RULE_CHOICES)[rule]) for rule in broken_rules(h)),
            "、".join(broken_rules(h)),
        ]
        for h in households
    )
    return list_sheet(_("Households missing assistance measures"), headers, rows)


def list_caption(title: str, filters: ListFilters, as_of: datetime.datetime) -> str:
    """The title row: the list, the area it covers and each filter as the page offered it."""
    shown = []
    for name, value in filters.values.items():
        label = filters.labels.get(name, name)
        shown.append((label, dict(filters.choices.get(name, ())).get(value, value)))
    scope = files.scope_name(filters.area.scope)
    return files.caption(title, scope=scope, filters=shown, as_of=as_of)


LIST_EXPORT = "monitoring_list_export"


SUMMARY = "summary"


CHUNK = 2000


def list_export_start(*, actor, key: str, filters: ListFilters, part: str = "") -> Job:
    """Start the export of list ``key`` as the user filtered it (``part="summary"`` exports the
    category × risk table of the monitored list instead of its households)."""
    params = {"list": key, "part": part, "filters": filters.as_params()}
    return job_start(kind=LIST_EXPORT, actor=actor, params=params)


def _sheet(user, key: str, part: str, filters: ListFilters, today: datetime.date):
    """(queryset to count for the progress bar or None, the sheet)."""
    if key == MONITORED and part == SUMMARY:
        return None, exports.summary_sheet(monitored_summary(user, filters, risk_types()))
    if key == MONITORED:
        households = monitored_households(user, filters)
        return households, exports.monitored_sheet(households.iterator(chunk_size=CHUNK))
    if key == CASES:
        cases = case_list(user, filters, today)
        return cases, exports.cases_sheet(cases.iterator(chunk_size=CHUNK), today)
    if key == OVERDUE and filters.get("section") == "leads":
        leads = overdue_leads(user, filters.area, today)
        return leads, exports.overdue_leads_sheet(leads.iterator(chunk_size=CHUNK), today)
    if key == OVERDUE:
        cases = overdue_cases(user, filters.area, today)
        return cases, exports.overdue_cases_sheet(cases.iterator(chunk_size=CHUNK), today)
    if key == FOCUS:
        households = focus_households(user, filters)
        return households, exports.focus_sheet(households.iterator(chunk_size=CHUNK))
    households = measure_breakers(user, filters, today)
    return households, exports.measures_sheet(households.iterator(chunk_size=CHUNK))


@register(LIST_EXPORT)
def run_list_export(job: Job, progress) -> None:
    user = job.created_by
    key = job.params.get("list", "")
    part = job.params.get("part", "")
    if key not in LIST_KEYS or not may_see_lists(user):
        raise DomainError(_("This list cannot be exported."))
    with translation.override(settings.LANGUAGE_CODE):
        as_of = timezone.now()
        today = dates.local_date(as_of)
        filters = list_filters(user, key, job.params.get("filters", {}))
        counted, sheet = _sheet(user, key, part, filters, today)
        sheet = replace(sheet, caption=list_caption(sheet.title, filters, as_of))
        if counted is not None:
            progress.total(counted.count())
        stored_name = f"monitoring-list-{key}-{job.pk}.xlsx"
        written = files.write_workbook(
            files.temp_path(stored_name), [sheet], on_progress=progress.step
        )
        name = f"{sheet.title}-{filters.area.scope.name}-{today:%Y%m%d}.xlsx"
    files.export_to_job(
        job,
        written,
        stored_name=stored_name,
        name=name,
        what=LIST_EXPORT,
        filters=filters.describe(),
        as_of=as_of,
        data={"list": key, "part": part},
        result={"list": key, "part": part},
    )
