"""A project's beneficiaries (联农带农): households found in the part of the registry the user
sees, added with their role, and removed. Searched by household number or the head's name; an
ID number is never searched from the address (it would stay in the history and the logs)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kaiyuan.accounts.capabilities import user_can
from kaiyuan.accounts.decorators import capability_required
from kaiyuan.common.errors import DomainError
from kaiyuan.common.idcard import looks_like_id_number
from kaiyuan.common.rules import add_refusal_to_form
from kaiyuan.common.scoping import may_change
from monitoring.selectors.households import household_get_for_user, household_search
from projects.forms import beneficiaries as forms
from projects.selectors.beneficiaries import beneficiary_get_for_user
from projects.selectors.projects import project_get_for_user
from projects.services import beneficiaries as services

# Who names a project's beneficiaries: its proposers, its implementers and the bureau.
CAPABILITIES = ("projects.propose", "projects.implement", "projects.county_review")


def may_name_beneficiaries(user, project) -> bool:
    return any(user_can(user, name) for name in CAPABILITIES) and may_change(user, project)


def _writable_project(user, pk: int):
    project = project_get_for_user(user, pk, write=True)
    if not may_name_beneficiaries(user, project):
        raise PermissionDenied
    return project


@capability_required("projects.use")
def beneficiary_add(request, pk: int):
    """Find a household and add it with its role, amount and note."""
    project = _writable_project(request.user, pk)
    search = forms.HouseholdSearchForm(request.GET or None)
    result, id_in_address = None, False
    if search.is_valid() and search.cleaned_data["q"]:
        query = search.cleaned_data["q"]
        if looks_like_id_number(query):
            id_in_address = True
        else:
            result = household_search(user=request.user, query=query)
    form = forms.BeneficiaryForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        household = household_get_for_user(request.user, form.cleaned_data["household"])
        try:
            services.beneficiary_add(
                project=project,
                household=household,
                role=form.cleaned_data["role"],
                amount=form.cleaned_data["amount"],
                note=form.cleaned_data["note"],
                actor=request.user,
            )
        except DomainError as exc:
            add_refusal_to_form(form, exc, user=request.user)
        else:
            messages.success(
                request,
                _("%(household)s was added to the beneficiaries.") % {"household": household},
            )
            return redirect(f"{project.get_absolute_url()}#beneficiaries")
    return render(
        request,
        "projects/beneficiaries/beneficiary_add.html",
        {
            "project": project,
            "search": search,
            "result": result,
            "id_in_address": id_in_address,
            "form": form,
        },
    )


@require_POST
@capability_required("projects.use")
def beneficiary_remove(request, pk: int):
    beneficiary = beneficiary_get_for_user(request.user, pk, write=True)
    project = beneficiary.project
    if not may_name_beneficiaries(request.user, project):
        raise PermissionDenied
    try:
        services.beneficiary_remove(beneficiary=beneficiary, actor=request.user)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            _("%(household)s was removed from the beneficiaries.")
            % {"household": beneficiary.household},
        )
    return redirect(f"{project.get_absolute_url()}#beneficiaries")
