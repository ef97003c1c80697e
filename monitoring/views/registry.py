from __future__ import annotations

from django.shortcuts import render

from kaiyuan.web.navigation import module_required


@module_required("monitoring")
def monitoring_home(request):
    """The entry page of the monitoring grid: what this user can do here."""
    return render(request, "monitoring/home.html", {})
