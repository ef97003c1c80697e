"""Imports and list exports as background jobs (kaiyuan.jobs), with progress.

An import of up to ``BACKGROUND_ROWS`` data rows runs inside the user's request (through the same
job row, so the result page and its access rule are the same); larger files go to the worker.
Exports always run as jobs and stream their rows.
"""

from __future__ import annotations

import secrets
from pathlib import Path

from django.conf import settings
from django.core.files import File
from django.utils import translation
from django.utils.translation import gettext as _

from kaiyuan.common.errors import DomainError
from kaiyuan.jobs.models import Job
from kaiyuan.jobs.registry import register
from kaiyuan.jobs.services import job_run, job_start
from monitoring.imports.households.workbook import ImportRefused
from monitoring.imports.households.writer import IMPORTED, Outcome, import_file

IMPORT_JOB = "monitoring_import"
BACKGROUND_ROWS = 300
UPLOAD_DIR = "imports"


# =============================================================================================
# Import
# =============================================================================================


def store_upload(uploaded) -> str:
    """Keep an upload under MEDIA_ROOT/imports/ with a random name; returns the path relative
    to MEDIA_ROOT (what the job's parameters carry)."""
    relative = f"{UPLOAD_DIR}/{secrets.token_hex(16)}.xlsx"
    target = settings.MEDIA_ROOT / relative
    target.parent.mkdir(parents=True, exist_ok=True)
    uploaded.seek(0)
    with target.open("wb") as handle:
        for chunk in uploaded.chunks():
            handle.write(chunk)
    return relative


def import_start(
    *, actor, path: str, file_name: str, rows: int, valid_only: bool = False, after: int = 0
) -> Job:
    """Run the import of the stored file ``path``: in this request when it is small, else in the
    worker. ``after`` is the job whose result the user chose to act on (valid rows only)."""
    params = {
        "path": path,
        "file_name": file_name,
        "rows": rows,
        "valid_only": valid_only,
        "after": after,
    }
    if rows > BACKGROUND_ROWS:
        return job_start(kind=IMPORT_JOB, actor=actor, params=params)
    if actor.area_id is None:
        raise DomainError(_("Your account has no area; ask the administrator to assign one."))
    job = Job.objects.create(kind=IMPORT_JOB, params=params, created_by=actor, area=actor.area)
    job_run(job_id=job.pk)
    job.refresh_from_db()
    return job


@register(IMPORT_JOB)
def run_import(job: Job, progress) -> None:
    params = job.params
    path = settings.MEDIA_ROOT / params["path"]
    file_name = params.get("file_name", "")
    marked_path = settings.MEDIA_ROOT / "tmp" / f"import-{job.pk}-marked.xlsx"
    with translation.override(settings.LANGUAGE_CODE):
        try:
            if not path.is_file():
                raise ImportRefused(_("The uploaded file is no longer available: upload it again."))
            outcome = import_file(
                path=path,
                actor=job.created_by,
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
        job.message = _summary(outcome)
    if outcome.marked is not None:
        with outcome.marked.open("rb") as handle:
            job.result_file.save(f"import-{job.pk}-marked.xlsx", File(handle), save=False)
        outcome.marked.unlink(missing_ok=True)
        job.result_name = f"{Path(file_name).stem or 'import'}-错误标注.xlsx"
    if outcome.state == IMPORTED:
        path.unlink(missing_ok=True)  # written: the upload is not needed again
    job.progress = job.total or 0


def _summary(outcome: Outcome) -> str:
    if outcome.state == IMPORTED and outcome.counts is not None:
        counts = outcome.counts
        return _(
            "Imported. Households: %(hc)s created, %(hu)s updated, %(hn)s unchanged, "
            "%(hs)s skipped. Members: %(mc)s created, %(mu)s updated, %(mn)s unchanged."
        ) % {
            "hc": counts.households_created,
            "hu": counts.households_updated,
            "hn": counts.households_unchanged,
            "hs": counts.households_skipped,
            "mc": counts.members_created,
            "mu": counts.members_updated,
            "mn": counts.members_unchanged,
        }
    report = outcome.report
    return _(
        "%(n)s problems in %(rows)s rows; nothing was imported. Download the marked workbook, "
        "correct it and upload it again, or import only the valid households."
    ) % {"n": report.error_count, "rows": len(report.error_rows)}


# =============================================================================================
# Export
# =============================================================================================
