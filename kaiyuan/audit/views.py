from __future__ import annotations

from django.shortcuts import render
from django.views.decorators.http import require_POST

from kaiyuan.accounts.decorators import capability_required
from kaiyuan.audit.jobs import AUDIT_EXPORT
from kaiyuan.audit.selectors import audit_event_list
from kaiyuan.common.paging import probe_page, query_without_page
from kaiyuan.jobs.services import job_start
from kaiyuan.jobs.views import export_started

PAGE_SIZE = 50


@capability_required("audit.read_log")
def event_list(request):
    events, filterset = audit_event_list(user=request.user, filters=request.GET)
    page = probe_page(events, request.GET.get("page"), size=PAGE_SIZE)
    return render(
        request,
        "audit/event_list.html",
        {"page": page, "filter": filterset, "query": query_without_page(request)},
    )


@require_POST
@capability_required("audit.read_log")
def event_export(request):
    filters = {key: value for key, value in request.POST.items() if key != "csrfmiddlewaretoken"}
    return export_started(
        request,
        lambda: job_start(kind=AUDIT_EXPORT, actor=request.user, params={"filters": filters}),
        back="audit:event_list",
    )
