"""Department warning pages (部门筛查预警): a department uploads its screening list and follows
what became of it; the township (and the village's grid worker) verifies each warning; the
bureau follows the handling list by township and the overdue warnings."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from kaiyuan.accounts.capabilities import require, user_can
from kaiyuan.accounts.decorators import capability_required
from kaiyuan.accounts.roles import Department
from kaiyuan.areas.picker import area_pick
from kaiyuan.common import dates, exports
from kaiyuan.common.api_filters import as_id
from kaiyuan.common.errors import DomainError
from kaiyuan.common.paging import probe_page, query_without_page
from kaiyuan.jobs.views import export_started
from monitoring.exports import warnings as template
from monitoring.forms.warnings import ListUploadForm, VerifyForm
from monitoring.models import DeptWarning, WarningUpload
from monitoring.selectors import warnings as selectors
from monitoring.services.warnings import warning_upload_create, warning_verify

PAGE_SIZE = 50
UPLOAD_PAGE_SIZE = 20
SHOWN_PROBLEM_ROWS = 200  # the rest are in the downloadable workbook


def _is_department(user) -> bool:
    return user_can(user, "warnings.upload") and bool(user.department)


def _is_county_reader(user) -> bool:
    return user_can(user, "warnings.follow")


# =============================================================================================
# Lists
# =============================================================================================


@capability_required("monitoring.use")
def warning_list(request):
    """待核实部门预警 for the township and village; the handling list for the county; a
    department's own lists and their results."""
    user = request.user
    today = dates.today()
    if user_can(user, "warnings.verify"):
        return _township_list(request, today)
    if _is_department(user):
        return _department_list(request, today)
    if _is_county_reader(user):
        return _county_overview(request, today)
    raise PermissionDenied


def _township_list(request, today):
    verified = request.GET.get("show") == "verified"
    queryset = selectors.warning_township_list(user=request.user, verified=verified)
    return render(
        request,
        "monitoring/warnings/list_township.html",
        {
            "page": probe_page(queryset, request.GET.get("page"), size=PAGE_SIZE),
            "query": query_without_page(request),
            "counts": selectors.warning_area_counts(user=request.user, today=today),
            "verified": verified,
            "today": today,
        },
    )


def _county_overview(request, today):
    user = request.user
    pick = area_pick(user, as_id(request.GET.get("township") or ""))
    township = pick.township
    department = request.GET.get("department", "")
    if department not in Department.values:
        department = ""
    rows, total = selectors.warning_township_counts(user=user, today=today, department=department)
    overdue = selectors.warning_overdue_list(
        user=user, today=today, township=township, department=department
    )
    return render(
        request,
        "monitoring/warnings/list_county.html",
        {
            "rows": rows,
            "total": total,
            "page": probe_page(overdue, request.GET.get("page"), size=PAGE_SIZE),
            "query": query_without_page(request),
            "townships": pick.townships,
            "township": township,
            "departments": selectors.department_choices(),
            "department": department,
            "uploads": selectors.warning_upload_list(user=user, today=today)[:10],
            "today": today,
        },
    )


def _department_list(request, today):
    user = request.user
    uploads = selectors.warning_upload_list(user=user, today=today)
    return render(
        request,
        "monitoring/warnings/list_department.html",
        {
            "totals": selectors.warning_department_totals(department=user.department, today=today),
            "page": probe_page(uploads, request.GET.get("page"), size=UPLOAD_PAGE_SIZE),
            "query": query_without_page(request),
        },
    )


# =============================================================================================
# Upload (department)
# =============================================================================================


@capability_required("monitoring.use")
def warning_upload(request):
    """The department's template links and the upload form. The list is checked before anything
    is kept; it is then matched in the background and the result page shows the progress."""
    user = request.user
    if not _is_department(user):
        raise PermissionDenied
    form = ListUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            upload = warning_upload_create(actor=user, file=form.cleaned_data["file"])
        except DomainError as exc:
            form.add_error("file", exc.message)
        else:
            upload.refresh_from_db(fields=["status"])
            if upload.status == WarningUpload.Status.DONE:  # matched at once (no worker)
                messages.success(request, _("The list was received and matched."))
            else:
                messages.success(request, _("The list was received; it is being matched."))
            return redirect("monitoring:warning_upload_detail", pk=upload.pk)
    return render(
        request,
        "monitoring/warnings/upload.html",
        {
            "form": form,
            "department": Department(user.department),
            "warning_types": template.warning_types_for(user.department),
            "headers": template.HEADERS,
            "max_upload_mb": settings.MAX_UPLOAD_MB,
            "max_rows": settings.IMPORT_MAX_ROWS,
        },
    )


@capability_required("monitoring.use")
def warning_template(request, department: str):
    if department not in Department.values:
        raise Http404
    return exports.export_response(
        template.template_workbook(department, today=dates.today()),
        name=template.template_file_name(department),
        content_type=exports.XLSX,
        actor=request.user,
        audit_object=None,
        area=request.user.area,
        what="warning_template",
        filters={"department": department},
    )


@capability_required("monitoring.use")
def warning_upload_detail(request, pk: int):
    """One list: the matching's progress, then its counts, the rows refused or not found (for
    the department to correct) and what the townships found for each warning."""
    upload = selectors.warning_upload_get_for_user(request.user, pk)
    finished = upload.status in (WarningUpload.Status.DONE, WarningUpload.Status.FAILED)
    context = {"upload": upload, "finished": finished, "job": upload.job}
    if upload.status == WarningUpload.Status.DONE:
        warnings = selectors.warning_upload_warnings(upload=upload)
        context.update(
            {
                "results": selectors.warning_upload_results(upload=upload),
                "errors": upload.errors[:SHOWN_PROBLEM_ROWS],
                "unmatched": upload.unmatched[:SHOWN_PROBLEM_ROWS],
                "shown_limit": SHOWN_PROBLEM_ROWS,
                "page": probe_page(warnings, request.GET.get("page"), size=PAGE_SIZE),
                "query": query_without_page(request),
                "today": dates.today(),
            }
        )
    template_name = "monitoring/warnings/upload_detail.html"
    if request.headers.get("HX-Request"):
        template_name = "monitoring/warnings/_upload_status.html"
    return render(request, template_name, context)


@capability_required("monitoring.use")
def warning_upload_feedback(request, pk: int):
    """The rows of a list that became no warning, as Excel (audited: it holds names)."""
    upload = selectors.warning_upload_get_for_user(request.user, pk)
    if upload.status != WarningUpload.Status.DONE:
        raise Http404
    if template.feedback_needs_job(upload):
        return export_started(
            request,
            lambda: template.feedback_export_start(actor=request.user, upload=upload),
            back=reverse("monitoring:warning_upload_detail", args=[upload.pk]),
        )
    as_of = timezone.now()
    return exports.export_response(
        template.feedback_workbook(
            upload.errors, upload.unmatched, file_name=upload.file_name, as_of=as_of
        ),
        name=template.feedback_file_name(upload.file_name),
        content_type=exports.XLSX,
        actor=request.user,
        audit_object=upload,
        what=template.FEEDBACK_WHAT,
        filters=template.feedback_filters(upload),
        as_of=as_of,
    )


# =============================================================================================
# Verification (township, grid worker)
# =============================================================================================


@capability_required("monitoring.use")
def warning_verify_page(request, pk: int):
    user = request.user
    require(user, "warnings.verify")
    warning = selectors.warning_get_for_user(user, pk, write=True)
    form = None
    if warning.result == DeptWarning.Result.PENDING:
        form = VerifyForm(request.POST or None, initial={"version": warning.version})
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            try:
                warning_verify(
                    warning=warning,
                    actor=user,
                    result=data["result"],
                    note=data["note"],
                    expected_version=data["version"],
                )
            except DomainError as exc:
                form.add_error(exc.field if exc.field in form.fields else None, exc.message)
            else:
                messages.success(
                    request,
                    _("The verification of %(name)s was recorded.") % {"name": warning.member},
                )
                return redirect("monitoring:warning_list")
    listed = warning.listed_name.strip()
    return render(
        request,
        "monitoring/warnings/verify.html",
        {
            "warning": warning,
            "form": form,
            "name_differs": bool(listed) and listed != warning.member.name,
            "today": dates.today(),
        },
    )
