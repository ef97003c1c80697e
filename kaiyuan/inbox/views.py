"""The 待办 page: each source the user's role sees with its count; one source's items paged, or
the first few of every source that has any; opening a notice."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from kaiyuan.common import dates
from kaiyuan.common.paging import query_without_page
from kaiyuan.inbox import selectors
from kaiyuan.inbox.registry import source_for
from kaiyuan.inbox.services import notice_open


def inbox(request):
    """``?source=<key>``: that source's items, paged; without it, the first few of each."""
    user = request.user
    summary = selectors.inbox_summary(user)
    counts = summary.counts
    key = request.GET.get("source", "")
    source = source_for(user, key) if key else None
    if key and source is None:
        raise Http404  # an unknown source and another role's answer alike
    context = {
        "counts": summary.to_act,
        "watches": summary.watches,
        "source": source,
        "today": dates.today(),
    }
    if source is not None:
        context["page"] = selectors.inbox_page(user, source, request.GET.get("page"))
        context["query"] = query_without_page(request)
        context["count"] = next(c for c in counts if c.key == source.key)
    else:
        context["previews"] = [
            (count, selectors.inbox_preview(user, count.source)) for count in counts if count.count
        ]
    return render(request, "inbox/inbox.html", context)


@require_POST
def notice_opened(request, pk: int):
    """Mark the notice read and go to the page it tells of."""
    notice = selectors.notice_get_for_user(request.user, pk)
    notice_open(notice=notice, actor=request.user)
    if not url_has_allowed_host_and_scheme(notice.link, allowed_hosts={request.get_host()}):
        return redirect("inbox:index")
    return redirect(notice.link)
