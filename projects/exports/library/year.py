"""The year's library as the county publishes it: a job, since its rows grow with the county."""

from __future__ import annotations

from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from kaiyuan.accounts.capabilities import user_can
from kaiyuan.common import dates
from kaiyuan.common import exports as files
from kaiyuan.common.errors import DomainError
from kaiyuan.jobs.models import Job
from kaiyuan.jobs.registry import register
from kaiyuan.jobs.services import job_start
from projects.exports.library.layout import library_sheet, library_title, user_scope
from projects.selectors.library import library_rows, with_export_parts

LIBRARY_EXPORT = "projects_library_export"
CHUNK = 500


def may_export(user) -> bool:
    return user_can(user, "projects.export")


def library_export_start(*, actor, year: int, admitted_only: bool) -> Job:
    """Start the export of ``year``'s library as ``actor`` may see it."""
    if not may_export(actor):
        raise DomainError(_("Your role may not export the project library."))
    params = {"year": int(year), "admitted_only": bool(admitted_only)}
    return job_start(kind=LIBRARY_EXPORT, actor=actor, params=params)


def library_filters(year: int, admitted_only: bool) -> list[tuple[str, str]]:
    shown = [(_("Library year"), str(year))]
    if admitted_only:
        shown.append((_("Projects"), _("Admitted to the library only")))
    return shown


@register(LIBRARY_EXPORT)
def run_library_export(job: Job, progress) -> None:
    user = job.created_by
    if not may_export(user):
        raise DomainError(_("Your role may not export the project library."))
    year = int(job.params["year"])
    admitted_only = bool(job.params.get("admitted_only"))
    with translation.override(settings.LANGUAGE_CODE):
        as_of = timezone.now()
        today = dates.local_date(as_of)
        scope = user_scope(user)
        rows = library_rows(user, year, admitted_only=admitted_only)
        progress.total(rows.count())
        caption = files.caption(
            library_title(year),
            scope=files.scope_name(scope),
            filters=library_filters(year, admitted_only),
            as_of=as_of,
        )
        sheet = library_sheet(with_export_parts(rows).iterator(chunk_size=CHUNK), caption=caption)
        stored_name = f"projects-library-{year}-{job.pk}.xlsx"
        written = files.write_workbook(
            files.temp_path(stored_name), [sheet], on_progress=progress.step
        )
        name = f"{year}年度项目库-{scope.name}-{today:%Y%m%d}.xlsx"
    files.export_to_job(
        job,
        written,
        stored_name=stored_name,
        name=name,
        what=LIBRARY_EXPORT,
        filters={"year": year, "admitted_only": admitted_only, "area": scope.code},
        as_of=as_of,
        result={"year": year},
    )
    job.message = _("The %(year)s library is ready: %(n)s projects.") % {
        "year": year,
        "n": written.rows,
    }
