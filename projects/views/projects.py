"""The pages of a project: its detail with the step the user may take; the list of the
library and the proposal's own form (new, and the draft's edit)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from kaiyuan.accounts.capabilities import require
from kaiyuan.accounts.decorators import capability_required
from kaiyuan.common.errors import DomainError
from kaiyuan.common.paging import probe_page, query_without_page
from kaiyuan.common.rules import save_with_every_error
from kaiyuan.common.scoping import ensure_may_change
from kaiyuan.common.views import lenient_filterset
from projects.codes import Category, FinanceMode, ProposerLevel
from projects.filters import ProjectFilter
from projects.forms.projects import SUBCATEGORY_GROUPS, ProposalForm
from projects.models import Project
from projects.selectors import projects as selectors
from projects.selectors.projects import project_get_for_user
from projects.services import projects as project_services
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


# =============================================================================================
# Proposals and the list
# =============================================================================================


@capability_required("projects.use")
def project_list(request):
    """The projects of the user's area (a clerk's township, the projects touching a grid
    worker's village, a department's sector, the county), with the shared filters."""
    filterset = lenient_filterset(
        ProjectFilter,
        request.GET,
        queryset=selectors.project_rows(request.user),
        user=request.user,
    )
    page = probe_page(selectors.with_villages(filterset.qs), request.GET.get("page"))
    return render(
        request,
        "projects/project_list.html",
        {
            "page": page,
            "pick": filterset.pick,
            "chosen": filterset.form.cleaned_data,
            "years": selectors.project_years(request.user),
            "categories": Category.choices,
            "subcategories": SUBCATEGORY_GROUPS,
            "statuses": Project.Status.choices,
            "finance_modes": FinanceMode.choices,
            "levels": ProposerLevel.choices,
            "query": query_without_page(request),
            "may_propose": bool(project_services.proposer_levels(request.user)),
        },
    )


def _proposal_errors(form: ProposalForm) -> list:
    """The rules the parsed part of the proposal breaks (errors only: flags do not refuse)."""
    return [v for v in project_services.proposal_problems(form.proposal()) if v.is_error]


def _saved(request, project: Project, form: ProposalForm, message):
    messages.success(request, message)
    for flag in project_services.proposal_problems(form.proposal()):
        if not flag.is_error:
            messages.warning(request, flag.message)
    return redirect("projects:project_detail", pk=project.pk)


@capability_required("projects.use")
def project_create(request):
    """A new proposal, drafted (谋划) until its proposer submits it from the project's page."""
    require(request.user, "projects.propose")
    levels = project_services.proposer_levels(request.user)
    if not levels:
        raise PermissionDenied
    form = ProposalForm(request.POST or None, user=request.user, levels=levels, initial=None)
    if request.method == "POST":
        project = save_with_every_error(
            form,
            save=lambda: project_services.project_create(
                proposal=form.proposal(), proposer_level=form.proposer_level, actor=request.user
            ),
            problems=lambda: _proposal_errors(form),
            user=request.user,
        )
        if project is not None:
            return _saved(request, project, form, _("The proposal was saved as a draft."))
    return render(request, "projects/project_form.html", {"form": form, "project": None})


@capability_required("projects.use")
def project_edit(request, pk: int):
    """A draft proposal changed by its proposer; once submitted it changes only by the steps
    of its page (recalled for changes, or adjusted by the county)."""
    require(request.user, "projects.propose")
    project = selectors.project_get_for_user(request.user, pk, write=True)
    if project.proposer_level not in project_services.proposer_levels(request.user):
        raise PermissionDenied
    try:
        ensure_may_change(request.user, project)
    except DomainError:
        # A village of a township's project sees it and does not change it.
        raise PermissionDenied from None
    if project.status not in Project.EDITABLE_STATES:
        messages.error(
            request,
            _("The proposal is at the step “%(state)s”: it is no longer edited here.")
            % {"state": project.get_status_display()},
        )
        return redirect("projects:project_detail", pk=project.pk)
    form = ProposalForm(
        request.POST or None, user=request.user, levels=[project.proposer_level], project=project
    )
    if request.method == "POST":
        saved = save_with_every_error(
            form,
            save=lambda: project_services.project_update(
                project=project,
                proposal=form.proposal(),
                expected_version=form.cleaned_data["version"],
                actor=request.user,
            ),
            problems=lambda: _proposal_errors(form),
            user=request.user,
        )
        if saved is not None:
            return _saved(request, saved, form, _("The proposal was saved."))
    return render(request, "projects/project_form.html", {"form": form, "project": project})
