"""Import of the national household/member Excel and export of the standard lists."""

from __future__ import annotations

import io

from django.conf import settings
from django.contrib import messages
from django.http import FileResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kaiyuan.accounts.decorators import role_required
from kaiyuan.common.errors import DomainError
from kaiyuan.common.scoping import get_for_user
from kaiyuan.jobs.models import Job
from monitoring.transfer.exporter import EXPORT_ROLES, template_workbook
from monitoring.transfer.forms import ExportForm, ImportUploadForm, ValidRowsForm
from monitoring.transfer.importer import IMPORT_ROLES, INVALID
from monitoring.transfer.jobs import IMPORT_JOB, export_start, import_start, store_upload

RECENT_IMPORTS = 10


@role_required(IMPORT_ROLES)
def import_upload(request):
    """Upload page: refusals that need no parsing are answered at once; the file is then kept
    and validated (and, if every row is good, imported) in this request or in the background."""
    form = ImportUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        uploaded = form.cleaned_data["file"]
        path = store_upload(uploaded)
        try:
            job = import_start(
                actor=request.user,
                path=path,
                file_name=uploaded.name,
                rows=form.inspection.data_rows,
            )
        except DomainError as exc:
            messages.error(request, exc.message)
            return redirect("monitoring:import_upload")
        return redirect("monitoring:import_result", pk=job.pk)
    recent = (
        Job.objects.visible_to(request.user)
        .filter(kind=IMPORT_JOB)
        .order_by("-created_at")[:RECENT_IMPORTS]
    )
    context = {"form": form, "recent": recent, "max_upload_mb": settings.MAX_UPLOAD_MB}
    return render(request, "monitoring/transfer/import_upload.html", context)


@role_required(IMPORT_ROLES)
def import_result(request, pk: int):
    """The outcome of one import run: progress while it runs, then the counts, or the problems
    with the marked workbook and the choice to import only the valid households."""
    job = get_for_user(Job.objects.filter(kind=IMPORT_JOB), request.user, pk=pk)
    result = job.result or {}
    context = {
        "job": job,
        "result": result,
        "may_import_valid": _may_import_valid(job),
        "valid_form": ValidRowsForm(),
    }
    template = "monitoring/transfer/import_result.html"
    if request.headers.get("HX-Request"):
        template = "monitoring/transfer/_import_result.html"
    return render(request, template, context)


def _may_import_valid(job: Job) -> bool:
    result = job.result or {}
    return (
        job.status == Job.Status.DONE
        and result.get("state") == INVALID
        and not job.params.get("valid_only")
        and result.get("valid_households", 0) > 0
    )


@require_POST
@role_required(IMPORT_ROLES)
def import_valid_rows(request, pk: int):
    """The explicit, audited choice to import only the households whose rows are all valid."""
    job = get_for_user(Job.objects.filter(kind=IMPORT_JOB), request.user, write=True, pk=pk)
    if not _may_import_valid(job):
        return HttpResponseBadRequest(_("This import has no valid households left to import."))
    form = ValidRowsForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Tick the box to confirm that the other households are skipped."))
        return redirect("monitoring:import_result", pk=job.pk)
    try:
        new = import_start(
            actor=request.user,
            path=job.params["path"],
            file_name=job.params.get("file_name", ""),
            rows=job.params.get("rows", 0),
            valid_only=True,
            after=job.pk,
        )
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("monitoring:import_result", pk=job.pk)
    return redirect("monitoring:import_result", pk=new.pk)


@role_required(IMPORT_ROLES)
def import_template(request):
    return FileResponse(
        io.BytesIO(template_workbook()),
        as_attachment=True,
        filename="家庭成员导入模板.xlsx",
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )


@role_required(EXPORT_ROLES)
def export_lists(request):
    """Choose a list and an area; the export runs as a job and the user waits on its page."""
    form = ExportForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            job = export_start(
                actor=request.user,
                list_key=form.cleaned_data["list"],
                area=form.cleaned_data["area"],
            )
        except DomainError as exc:
            messages.error(request, exc.message)
            return redirect("monitoring:export_lists")
        messages.info(
            request, _("The export has started; the file can be downloaded here when ready.")
        )
        return redirect("jobs:job_detail", pk=job.pk)
    return render(request, "monitoring/transfer/export.html", {"form": form})
