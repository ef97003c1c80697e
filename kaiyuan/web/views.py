from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import render

from kaiyuan.web.navigation import NAV_ITEMS, nav_items_for
from kaiyuan.web.selectors import home_summary


def home(request):
    """The landing page, made for the user's role and area."""
    return render(
        request,
        "web/home.html",
        {"summary": home_summary(request.user), "modules": nav_items_for(request.user)},
    )


def module_index(request, module: str):
    """The entry page of an area of work whose screens later releases fill in."""
    item = next((nav for nav in NAV_ITEMS if nav.key == module), None)
    if item is None:
        raise Http404
    if item not in nav_items_for(request.user):
        raise PermissionDenied
    return render(request, "web/module_index.html", {"module": item})
