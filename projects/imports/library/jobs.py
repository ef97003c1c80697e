"""The import as a background job (kaiyuan.jobs), in the request for a small file."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.files import File
from django.utils import translation
from django.utils.translation import gettext as _

from kaiyuan.areas.models import Area
from kaiyuan.common.imports import ImportRefused, precheck, start_job, store_upload
from kaiyuan.jobs.models import Job
from kaiyuan.jobs.registry import register
from projects.imports.library.layout import IMPORT_JOB, SPEC, UPLOAD_DIR
from projects.imports.library.writer import CHECKED, IMPORTED, Outcome, import_file, may_import


def inspect_upload(uploaded):
    """The checks made while the user waits: a readable .xlsx within every limit and, for a
    small file, the layout's headers and a data row (``kaiyuan.common.imports.precheck``)."""
    return precheck(uploaded, SPEC)


def keep_upload(uploaded) -> str:
    return store_upload(uploaded, folder=UPLOAD_DIR)


def import_start(
    *,
    actor,
    path: str,
    file_name: str,
    township: Area,
    year: int,
    rows: int,
    background: bool,
    valid_only: bool = False,
    after: int = 0,
) -> Job:
    """Run the import of the stored file ``path`` for ``township``'s library of ``year``: in
    this request when the pre-parse checks found it small, else in the worker."""
    params = {
        "path": path,
        "file_name": file_name,
        "township": township.pk,
        "year": int(year),
        "rows": rows,
        "background": background,
        "valid_only": valid_only,
        "after": after,
    }
    return start_job(kind=IMPORT_JOB, actor=actor, params=params, background=background)


def _township_for(user, pk) -> Area:
    township = Area.objects.townships().filter(pk=pk).first()
    if township is None or user.area is None or not township.path.startswith(user.area.path):
        raise ImportRefused(_("Proposals are imported for a township of your own area."))
    return township


@register(IMPORT_JOB)
def run_import(job: Job, progress) -> None:
    params = job.params
    path = settings.MEDIA_ROOT / params["path"]
    file_name = params.get("file_name", "")
    marked_path = settings.MEDIA_ROOT / "tmp" / f"projects-import-{job.pk}-marked.xlsx"
    with translation.override(settings.LANGUAGE_CODE):
        try:
            if not may_import(job.created_by):
                raise ImportRefused(_("Your role may not import proposals."))
            township = _township_for(job.created_by, params.get("township"))
            if not path.is_file():
                raise ImportRefused(_("The uploaded file is no longer available: upload it again."))
            outcome = import_file(
                path=path,
                actor=job.created_by,
                township=township,
                year=int(params["year"]),
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
            job.result_file.save(f"projects-import-{job.pk}-marked.xlsx", File(handle), save=False)
        outcome.marked.unlink(missing_ok=True)
        job.result_name = f"{Path(file_name).stem or '项目申报'}-错误标注.xlsx"
    if outcome.state == IMPORTED:
        path.unlink(missing_ok=True)  # written: the upload is not needed again
    job.progress = job.total or 0


def summary(outcome: Outcome) -> str:
    report = outcome.report
    if outcome.state == IMPORTED:
        return _(
            "Imported: %(n)s draft proposals created. Complete each one (the 四有 checklist, "
            "the performance targets) before submitting it."
        ) % {"n": len(outcome.created)}
    if outcome.state == CHECKED:
        return _(
            "The file has no errors: its %(n)s rows can be imported as proposals. Your role "
            "checks files; the township imports them."
        ) % {"n": report.rows}
    return _(
        "%(n)s problems in %(rows)s rows; nothing was imported. Download the marked workbook, "
        "correct it and upload it again, or import only the valid rows."
    ) % {"n": report.problems.error_count, "rows": len(report.problems.error_rows)}
