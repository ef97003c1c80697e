"""The bureau's list exports as background jobs (kaiyuan.jobs): the same selector as the page,
re-run for the job's user (so a changed role or area is honoured), streamed to a write-only
workbook and audited with the filters, the row count and the file's SHA-256."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.files import File
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from kaiyuan.audit import record
from kaiyuan.common.errors import DomainError
from kaiyuan.jobs.models import Job
from kaiyuan.jobs.registry import register
from kaiyuan.jobs.services import job_start
from monitoring.lists import exports
from monitoring.selectors.lists import (
    CASES,
    FOCUS,
    LIST_KEYS,
    MONITORED,
    OVERDUE,
    ListFilters,
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
        today = timezone.localdate(as_of)
        filters = list_filters(user, key, job.params.get("filters", {}))
        counted, sheet = _sheet(user, key, part, filters, today)
        if counted is not None:
            progress.total(counted.count())
        stored_name = f"monitoring-list-{key}-{job.pk}.xlsx"
        path = settings.MEDIA_ROOT / "tmp" / stored_name
        result = exports.write_sheet(path, sheet, on_progress=progress.step)
        job.result_name = f"{sheet.title}-{filters.area.scope.name}-{today:%Y%m%d}.xlsx"
    with path.open("rb") as handle:
        job.result_file.save(stored_name, File(handle), save=False)
    path.unlink(missing_ok=True)
    job.progress = result.rows
    job.result = {"rows": result.rows, "sha256": result.sha256, "list": key, "part": part}
    record(
        job,
        action="export",
        actor=user,
        source="task",
        data={
            "what": LIST_EXPORT,
            "list": key,
            "part": part,
            "filters": filters.describe(),
            "as_of": as_of.isoformat(),
            "rows": result.rows,
            "sha256": result.sha256,
        },
    )
