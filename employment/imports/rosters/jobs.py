"""The roster's import as a job (kaiyuan.jobs): in the request for a small file, in the worker
for a large one, with the same result page, access rule and audit."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.files import File
from django.utils import translation
from django.utils.translation import gettext as _

from employment.exports.rosters import valid_month
from employment.imports.rosters.layout import IMPORT_JOB, SPEC, UPLOAD_DIR
from employment.imports.rosters.writer import IMPORTED, Outcome, import_file, may_import
from kaiyuan.common.errors import DomainError
from kaiyuan.common.imports import ImportRefused, precheck, start_job, store_upload
from kaiyuan.jobs.models import Job
from kaiyuan.jobs.registry import register


def inspect_upload(uploaded):
    """The checks made while the user waits: a readable .xlsx within every limit and, for a
    small file, the roster's headers and a data row (``kaiyuan.common.imports.precheck``)."""
    return precheck(uploaded, SPEC)


def keep_upload(uploaded) -> str:
    return store_upload(uploaded, folder=UPLOAD_DIR)


def import_start(
    *,
    actor,
    path: str,
    file_name: str,
    year: int,
    month: int,
    rows: int,
    background: bool,
    valid_only: bool = False,
    after: int = 0,
) -> Job:
    """Run the import of the stored file ``path`` as the roster of ``year``-``month``.
    ``after`` is the job whose result the user chose to act on (valid rows only)."""
    params = {
        "path": path,
        "file_name": file_name,
        "year": int(year),
        "month": int(month),
        "rows": rows,
        "background": background,
        "valid_only": valid_only,
        "after": after,
    }
    return start_job(kind=IMPORT_JOB, actor=actor, params=params, background=background)


@register(IMPORT_JOB)
def run_import(job: Job, progress) -> None:
    params = job.params
    path = settings.MEDIA_ROOT / params["path"]
    file_name = params.get("file_name", "")
    marked_path = settings.MEDIA_ROOT / "tmp" / f"employment-roster-{job.pk}-marked.xlsx"
    with translation.override(settings.LANGUAGE_CODE):
        try:
            if not may_import(job.created_by):
                raise ImportRefused(_("Your role may not upload the monthly employment file."))
            try:
                year, month = valid_month(params.get("year"), params.get("month"))
            except DomainError as exc:
                raise ImportRefused(exc.message) from None
            if not path.is_file():
                raise ImportRefused(_("The uploaded file is no longer available: upload it again."))
            outcome = import_file(
                path=path,
                actor=job.created_by,
                year=year,
                month=month,
                file_name=file_name,
                valid_only=bool(params.get("valid_only")),
                progress=progress,
                audit_object=job,
                marked_path=marked_path,
            )
        except ImportRefused as exc:
            job.result = {"state": "refused", "messages": exc.messages, "file_name": file_name}
            raise
        job.result = {**outcome.as_dict(), "file_name": file_name}
        job.message = summary(outcome)
    if outcome.marked is not None:
        with outcome.marked.open("rb") as handle:
            job.result_file.save(
                f"employment-roster-{job.pk}-marked.xlsx", File(handle), save=False
            )
        outcome.marked.unlink(missing_ok=True)
        job.result_name = f"{Path(file_name).stem or '务工名册'}-错误标注.xlsx"
    if outcome.state == IMPORTED:
        path.unlink(missing_ok=True)  # written: the upload is not needed again
    job.progress = job.total or 0


def summary(outcome: Outcome) -> str:
    report = outcome.report
    if outcome.state == IMPORTED:
        counts = outcome.counts or {}
        return _(
            "Imported the roster of %(month)s: %(confirmed)s jobs confirmed (%(carried)s carried "
            "into the new year), %(ended)s ended, %(changed)s corrected, %(created)s new jobs; "
            "%(nothing)s rows needed nothing."
        ) % {
            "month": counts.get("month", ""),
            "confirmed": counts.get("confirmed", 0),
            "carried": counts.get("carried", 0),
            "ended": counts.get("ended", 0),
            "changed": counts.get("changed", 0),
            "created": counts.get("created", 0),
            "nothing": counts.get("nothing", 0),
        }
    return _(
        "%(n)s problems in %(rows)s rows; nothing was imported. Download the marked workbook, "
        "correct it and upload it again, or import only the valid rows."
    ) % {"n": report.problems.error_count, "rows": len(report.problems.error_rows)}
