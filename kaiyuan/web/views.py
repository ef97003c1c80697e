from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import render

from kaiyuan.inbox.selectors import inbox_summary
from kaiyuan.web.navigation import INBOX, NAV_ITEMS, nav_items_for
from kaiyuan.web.selectors import home_summary, township_villages


def home(request):
    """The landing page, made for the user's role and area: what waits for them first."""
    user = request.user
    inbox = inbox_summary(user)
    return render(
        request,
        "web/home.html",
        {
            "summary": home_summary(user),
            "inbox_counts": inbox.to_act,
            "inbox_watches": inbox.watches,
            "inbox_total": inbox.total,
            "villages": township_villages(user),
            "modules": [item for item in nav_items_for(user) if item.key != INBOX],
        },
    )


def module_index(request, module: str):
    """The entry page of an area of work whose screens later releases fill in."""
    item = next((nav for nav in NAV_ITEMS if nav.key == module), None)
    if item is None:
        raise Http404
    if item not in nav_items_for(request.user):
        raise PermissionDenied
    return render(request, "web/module_index.html", {"module": item})
