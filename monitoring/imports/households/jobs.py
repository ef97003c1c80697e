"""Imports and list exports as background jobs (kaiyuan.jobs), with progress.

A file the pre-parse checks find small (IMPORT_BACKGROUND_ROWS, IMPORT_BACKGROUND_KB) runs inside
the user's request (through the same job row, so the result page and its access rule are the
same); a larger one is parsed only in the worker.
Exports always run as jobs and stream their rows.
"""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.files import File
from django.utils import translation
from django.utils.translation import gettext as _

from kaiyuan.common.imports import ImportRefused, start_job
from kaiyuan.common.imports import store_upload as _store_upload
from kaiyuan.jobs.models import Job
from kaiyuan.jobs.registry import register
from monitoring.imports.households.writer import IMPORTED, Outcome, import_file

IMPORT_JOB = "monitoring_import"
UPLOAD_DIR = "imports"


# =============================================================================================
# Import
# =============================================================================================


def store_upload(uploaded) -> str:
    """Keep an upload under MEDIA_ROOT/imports/; the path relative to MEDIA_ROOT."""
    return _store_upload(uploaded, folder=UPLOAD_DIR)


def import_start(
    *,
    actor,
    path: str,
    file_name: str,
    rows: int,
    background: bool,
    valid_only: bool = False,
    after: int = 0,
) -> Job:
    """Run the import of the stored file ``path``: in this request when the pre-parse checks
    found it small, else in the worker (``background``). ``after`` is the job whose result the
    user chose to act on (valid rows only)."""
    params = {
        "path": path,
        "file_name": file_name,
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
