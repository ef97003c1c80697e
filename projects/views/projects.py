"""The pages of a project: its detail with the step the user may take."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from kaiyuan.accounts.decorators import capability_required
from projects.selectors.projects import project_get_for_user
from projects.views import steps


@login_required
@capability_required("projects.use")
def project_detail(request, pk: int):
    """A project with everything recorded on it, and the forms of the steps the user may take
    now (each posts back here; see ``projects.views.steps``)."""
    project = project_get_for_user(request.user, pk)
    forms, response = steps.step_forms(request, project)
    if response is not None:
        return response
    return render(
        request,
        "projects/project_detail.html",
        steps.page_context(project, request.user, forms),
    )
