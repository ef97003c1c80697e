"""The pages of a project: its detail with the step the user may take."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from kaiyuan.accounts.decorators import capability_required
from kaiyuan.common.scoping import get_for_user
from projects.models import Project


@login_required
@capability_required("projects.use")
def project_detail(request, pk: int):
    project = get_for_user(Project.objects.select_related("area"), request.user, pk=pk)
    return render(request, "projects/project_detail.html", {"project": project})
