from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kaiyuan.accounts.decorators import role_required
from kaiyuan.accounts.roles import AUDIT_LOG_ROLES
from kaiyuan.audit.jobs import AUDIT_EXPORT
from kaiyuan.audit.selectors import audit_event_list
from kaiyuan.common.errors import DomainError
from kaiyuan.jobs.services import job_start

PAGE_SIZE = 50


@role_required(AUDIT_LOG_ROLES)
def event_list(request):
    events, filterset = audit_event_list(user=request.user, filters=request.GET)
    # The paginator's COUNT would scan the whole log; a "next page" probe keeps each page cheap.
    page_number = _page_number(request.GET.get("page"))
    offset = (page_number - 1) * PAGE_SIZE
    rows = list(events[offset : offset + PAGE_SIZE + 1])
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "audit/event_list.html",
        {
            "events": rows[:PAGE_SIZE],
            "filter": filterset,
            "page_number": page_number,
            "has_next": len(rows) > PAGE_SIZE,
            "has_previous": page_number > 1,
            "query": query.urlencode(),
        },
    )


@require_POST
@role_required(AUDIT_LOG_ROLES)
def event_export(request):
    filters = {key: value for key, value in request.POST.items() if key != "csrfmiddlewaretoken"}
    try:
        job = job_start(kind=AUDIT_EXPORT, actor=request.user, params={"filters": filters})
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("audit:event_list")
    messages.info(request, _("The export has started; the file can be downloaded here when ready."))
    return redirect("jobs:job_detail", pk=job.pk)


def _page_number(raw: str | None) -> int:
    try:
        return max(1, int(raw or 1))
    except ValueError:
        return 1
