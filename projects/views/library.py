"""The library of a year (totals, the PRJ-8 targets, the PRJ-6 deadline), its exports (the
year's library, an announcement's projects and its printed announcement, a project's
beneficiaries) and the import of a township's proposals."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kaiyuan.accounts.decorators import capability_required
from kaiyuan.areas.models import Area
from kaiyuan.common import dates
from kaiyuan.common.errors import DomainError
from kaiyuan.common.scoping import get_for_user
from kaiyuan.jobs.models import Job
from kaiyuan.jobs.views import export_started
from projects.exports.library.announcements import (
    announcement_export_response,
    announcement_pdf_response,
)
from projects.exports.library.beneficiaries import beneficiaries_export_response
from projects.exports.library.template import import_template_response
from projects.exports.library.year import library_export_start
from projects.forms.library import (
    ImportUploadForm,
    LibraryExportForm,
    LibraryYearForm,
    TemplateForm,
    ValidRowsForm,
)
from projects.imports.library.jobs import IMPORT_JOB, import_start, keep_upload
from projects.imports.library.writer import INVALID, may_create
from projects.rules.library import PRJ_6, PRJ_8
from projects.selectors.library import (
    announcement_get_for_user,
    library_year,
    library_years,
    year_announcements,
)
from projects.selectors.projects import project_get_for_user

RECENT_IMPORTS = 10


# =============================================================================================
# The library of a year
# =============================================================================================


def _targets(targets: list[dict]) -> list[dict]:
    for target in targets:
        wanted = target["target"]
        target["met"] = target["count"] >= wanted
        target["percent"] = 100 if not wanted else min(100, target["count"] * 100 // wanted)
    return targets


def _tables(summary) -> list[dict]:
    """The four breakdowns, each row named for the page."""
    tables = []
    for title, testid, rows, key in (
        (_("By township"), "by-township", summary.by_township, "name"),
        (_("By category"), "by-category", summary.by_category, "category"),
        (_("By state"), "by-status", summary.by_status, "label"),
        (_("By finance mode"), "by-finance-mode", summary.by_finance_mode, "finance_mode"),
    ):
        named = [{**row, "name": row[key]} for row in rows]
        tables.append({"title": title, "testid": testid, "rows": named})
    return tables


@login_required
@capability_required("projects.use")
def library_page(request):
    """The year's library as the user's area sees it: every figure grouped in the database."""
    user = request.user
    years = library_years(user)
    form = LibraryYearForm(request.GET or None, years=years)
    year = years[0] if years else dates.today().year
    if form.is_bound and form.is_valid():
        year = form.cleaned_data["year"]
    else:
        form = LibraryYearForm(initial={"year": year}, years=years)
    summary = library_year(user, year)
    deadline = summary.deadline
    context = {
        "form": form,
        "year": year,
        "summary": summary,
        "linkage": sum((row["linkage"] for row in summary.by_township), Decimal("0")),
        "targets": _targets(summary.targets),
        "days_left": (deadline - dates.today()).days if deadline else None,
        "tables": _tables(summary),
        "announcements": list(year_announcements(user, year)),
        "prj_6": PRJ_6,
        "prj_8": PRJ_8,
    }
    return render(request, "projects/library/library.html", context)


@require_POST
@login_required
@capability_required("projects.export")
def library_export(request):
    """Start the export of the year's library; the job's page shows its progress."""
    form = LibraryExportForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose the library year to export."))
        return redirect("projects:library")
    back = f"{reverse('projects:library')}?year={form.cleaned_data['year']}"
    return export_started(
        request,
        lambda: library_export_start(
            actor=request.user,
            year=form.cleaned_data["year"],
            admitted_only=form.cleaned_data["admitted_only"],
        ),
        back=back,
    )


# =============================================================================================
# An announcement, a project's beneficiaries
# =============================================================================================


@login_required
@capability_required("projects.export")
def announcement_export(request, pk: int):
    announcement = announcement_get_for_user(request.user, pk)
    return announcement_export_response(announcement, actor=request.user)


@login_required
@capability_required("projects.export")
def announcement_pdf(request, pk: int):
    announcement = announcement_get_for_user(request.user, pk)
    return announcement_pdf_response(announcement, actor=request.user)


@login_required
@capability_required("projects.export")
def beneficiaries_export(request, pk: int):
    project = project_get_for_user(request.user, pk)
    return beneficiaries_export_response(project, actor=request.user)


# =============================================================================================
# The import of a township's proposals
# =============================================================================================


@login_required
@capability_required("projects.import")
def import_upload(request):
    """Upload page: refusals that need no parsing are answered at once; the file is then kept
    and checked (and, if every row is good, imported) in this request or in the background."""
    user = request.user
    form = ImportUploadForm(request.POST or None, request.FILES or None, user=user)
    if request.method == "POST" and form.is_valid():
        uploaded = form.cleaned_data["file"]
        path = keep_upload(uploaded)
        try:
            job = import_start(
                actor=user,
                path=path,
                file_name=uploaded.name,
                township=form.chosen_township,
                year=form.cleaned_data["year"],
                rows=form.checked.data_rows,
                background=form.checked.background,
            )
        except DomainError as exc:
            messages.error(request, exc.message)
            return redirect("projects:library_import")
        return redirect("projects:library_import_result", pk=job.pk)
    recent = (
        Job.objects.visible_to(user)
        .filter(kind=IMPORT_JOB)
        .order_by("-created_at")[:RECENT_IMPORTS]
    )
    context = {
        "form": form,
        "recent": recent,
        "creates": may_create(user),
        "max_upload_mb": settings.MAX_UPLOAD_MB,
        "max_rows": settings.IMPORT_MAX_ROWS,
    }
    return render(request, "projects/library/import_upload.html", context)


def _may_import_valid(job: Job, user) -> bool:
    result = job.result or {}
    return (
        job.status == Job.Status.DONE
        and result.get("state") == INVALID
        and not job.params.get("valid_only")
        and result.get("valid_rows", 0) > 0
        and may_create(user)
    )


@login_required
@capability_required("projects.import")
def import_result(request, pk: int):
    """One import: progress while it runs, then the proposals created, or the problems with
    the marked workbook and the choice to import only the valid rows."""
    job = get_for_user(Job.objects.filter(kind=IMPORT_JOB), request.user, pk=pk)
    context = {
        "job": job,
        "result": job.result or {},
        "may_import_valid": _may_import_valid(job, request.user),
        "valid_form": ValidRowsForm(),
    }
    template = "projects/library/import_result.html"
    if request.headers.get("HX-Request"):
        template = "projects/library/_import_result.html"
    return render(request, template, context)


@require_POST
@login_required
@capability_required("projects.import")
def import_valid_rows(request, pk: int):
    """The explicit, audited choice to import only the rows without errors."""
    job = get_for_user(Job.objects.filter(kind=IMPORT_JOB), request.user, write=True, pk=pk)
    if not _may_import_valid(job, request.user):
        return HttpResponseBadRequest(_("This import has no valid rows left to import."))
    form = ValidRowsForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Tick the box to confirm that the rows with errors are skipped."))
        return redirect("projects:library_import_result", pk=job.pk)
    params = job.params
    try:
        new = import_start(
            actor=request.user,
            path=params["path"],
            file_name=params.get("file_name", ""),
            township=_job_township(params),
            year=params["year"],
            rows=params.get("rows", 0),
            background=params.get("background", True),
            valid_only=True,
            after=job.pk,
        )
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("projects:library_import_result", pk=job.pk)
    return redirect("projects:library_import_result", pk=new.pk)


def _job_township(params) -> Area:
    return Area.objects.get(pk=params["township"])


@login_required
@capability_required("projects.import")
def import_template(request):
    """The blank workbook (its sample row names villages of the user's township, or of the
    township a county user chose)."""
    user = request.user
    form = TemplateForm(request.GET or None, user=user)
    township = form.cleaned_data.get("township") if form.is_valid() else None
    if township is None:
        township = user.area if user.area and user.area.level == "township" else None
    if township is None:
        township = form.fields["township"].queryset.order_by("code").first()
    if township is None:
        return HttpResponseBadRequest(_("Your account has no township."))
    return import_template_response(actor=user, township=township, year=dates.today().year + 1)
