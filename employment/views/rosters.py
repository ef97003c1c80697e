"""The monthly roster (月度务工名册), the clerks' monthly update: the page that downloads a month's
roster for the user's area or a township or village picked inside it, the upload of the updated
file, and each upload's result (progress, what was written, or the problems with the marked
workbook and the explicit, audited choice to import only the valid rows).

Downloading needs employment.export (clerks, the bureau, leaders, auditors, the administrator);
uploading needs employment.import (clerks and the bureau); others get 403. An area outside the
user's is the 404 of a missing one, and an upload is seen only by whoever made it.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from employment.exports.rosters import (
    is_small,
    month_label,
    roster_response,
    start_roster_export,
)
from employment.forms.rosters import DownloadForm, MonthForm, UploadForm, ValidRowsForm
from employment.imports.rosters.jobs import import_start, keep_upload
from employment.imports.rosters.layout import IMPORT_JOB
from employment.imports.rosters.writer import INVALID, may_import
from employment.selectors.rosters import previous_month
from kaiyuan.accounts.capabilities import user_can
from kaiyuan.accounts.decorators import capability_required
from kaiyuan.areas.models import Area
from kaiyuan.areas.picker import UnknownArea, area_pick
from kaiyuan.common.api_filters import as_id
from kaiyuan.common.errors import DomainError
from kaiyuan.common.scoping import get_for_user
from kaiyuan.jobs.models import Job
from kaiyuan.jobs.views import export_started

INDEX = "employment:roster_index"
RECENT_IMPORTS = 10


def _recent(user):
    return (
        Job.objects.visible_to(user)
        .filter(kind=IMPORT_JOB)
        .order_by("-created_at")[:RECENT_IMPORTS]
    )


@require_GET
@capability_required("employment.export")
def roster_index(request):
    """The month and the area of the roster to download, and the user's recent uploads."""
    user = request.user
    pick = area_pick(
        user, as_id(request.GET.get("township", "")), as_id(request.GET.get("village", ""))
    )
    form = MonthForm(request.GET if "month" in request.GET else None)
    year, month = form.chosen()
    scope = pick.scope or Area.objects.home_county()
    importer = user_can(user, "employment.import")
    context = {
        "pick": pick,
        "scope": scope,
        "form": form,
        "year": year,
        "month": month,
        "month_label": month_label(year, month),
        "held_label": month_label(*previous_month(year, month)),
        "small": is_small(scope),
        "may_import": importer,
        "recent": list(_recent(user)) if importer else [],
    }
    return render(request, "employment/rosters/index.html", context)


@require_POST
@capability_required("employment.export")
def roster_download(request):
    """A village's roster at once; a township's or the county's as a job (its page follows it)."""
    user = request.user
    form = DownloadForm(request.POST)
    valid = form.is_valid()
    if "township" in form.errors or "village" in form.errors:
        raise Http404
    data = form.cleaned_data
    try:
        pick = area_pick(user, data.get("township"), data.get("village"), strict=True)
    except UnknownArea:
        raise Http404 from None
    if not valid:
        messages.error(request, _("Choose the month of the roster, this month or an earlier one."))
        return redirect(INDEX)
    scope = pick.scope or Area.objects.home_county()
    year, month = data["year"], data["month"]
    if is_small(scope):
        try:
            return roster_response(user, area=scope, year=year, month=month)
        except DomainError as exc:
            messages.error(request, exc.message)
            return redirect(INDEX)
    return export_started(
        request,
        lambda: start_roster_export(user, area=scope, year=year, month=month),
        back=INDEX,
    )


@capability_required("employment.import")
def roster_upload(request):
    """The upload: refusals that need no parsing are answered at once; the file is then kept
    and checked (and, if no row has an error, imported) in this request or in the background."""
    user = request.user
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        uploaded = form.cleaned_data["file"]
        path = keep_upload(uploaded)
        try:
            job = import_start(
                actor=user,
                path=path,
                file_name=uploaded.name,
                year=form.cleaned_data["year"],
                month=form.cleaned_data["month"],
                rows=form.checked.data_rows,
                background=form.checked.background,
            )
        except DomainError as exc:
            messages.error(request, exc.message)
            return redirect("employment:roster_upload")
        return redirect("employment:roster_import", pk=job.pk)
    context = {
        "form": form,
        "recent": _recent(user),
        "max_upload_mb": settings.MAX_UPLOAD_MB,
        "max_rows": settings.IMPORT_MAX_ROWS,
    }
    return render(request, "employment/rosters/upload.html", context)


def _may_import_valid(job: Job, user) -> bool:
    result = job.result or {}
    return (
        job.status == Job.Status.DONE
        and result.get("state") == INVALID
        and not job.params.get("valid_only")
        and result.get("to_write", 0) > 0
        and may_import(user)
    )


@capability_required("employment.import")
def roster_import(request, pk: int):
    """One upload: progress while it runs, then what was written, or the problems with the
    marked workbook; POST is the explicit, audited choice to import only the valid rows."""
    user = request.user
    job = get_for_user(
        Job.objects.filter(kind=IMPORT_JOB), user, write=request.method == "POST", pk=pk
    )
    if request.method == "POST":
        return _import_valid_rows(request, job)
    context = {
        "job": job,
        "result": job.result or {},
        "may_import_valid": _may_import_valid(job, user),
        "valid_form": ValidRowsForm(),
    }
    template = "employment/rosters/import_result.html"
    if request.headers.get("HX-Request"):
        template = "employment/rosters/_import_result.html"
    return render(request, template, context)


def _import_valid_rows(request, job: Job):
    if not _may_import_valid(job, request.user):
        return HttpResponseBadRequest(_("This import has no valid rows left to import."))
    form = ValidRowsForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Tick the box to confirm that the rows with errors are skipped."))
        return redirect("employment:roster_import", pk=job.pk)
    params = job.params
    try:
        new = import_start(
            actor=request.user,
            path=params["path"],
            file_name=params.get("file_name", ""),
            year=params["year"],
            month=params["month"],
            rows=params.get("rows", 0),
            background=params.get("background", True),
            valid_only=True,
            after=job.pk,
        )
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("employment:roster_import", pk=job.pk)
    return redirect("employment:roster_import", pk=new.pk)
