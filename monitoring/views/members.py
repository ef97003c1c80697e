"""Member pages: add, edit and remove members, check an ID number as it is typed, reveal one."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kaiyuan.accounts.capabilities import require
from kaiyuan.accounts.decorators import capability_required
from kaiyuan.common.errors import DomainError
from kaiyuan.common.rules import add_refusal_to_form, save_with_every_error
from monitoring.forms.members import (
    MemberAddForm,
    MemberEditForm,
    MemberRegisterForm,
    MemberRemoveForm,
)
from monitoring.selectors import households as selectors
from monitoring.services import members as member_services


@require_POST
@capability_required("households.edit")
def id_number_check(request):
    """Checks an ID number as it is typed (htmx, POST so that the number stays out of URLs and
    access logs): validity, derived sex and birth date, and whether it already belongs to a
    member (which household only if the user may see it)."""
    try:
        check = member_services.id_number_check(
            request.POST.get("id_number", ""), user=request.user
        )
    except member_services.TooManyChecks as exc:
        return render(
            request, "monitoring/_id_check.html", {"check": {"error": exc.message}}, status=429
        )
    return render(request, "monitoring/_id_check.html", {"check": check})


@capability_required("monitoring.use")
def member_add(request, pk: int):
    """Add a member: while the household's first registration is open (it declared more
    members than it has) without a change type, as 首次登记; afterwards as a typed change."""
    require(request.user, "households.edit")
    household = selectors.household_get_for_user(request.user, pk, write=True)
    registering = member_services.registration_open(household)
    form_class = MemberRegisterForm if registering else MemberAddForm
    form = form_class(request.POST or None)
    if request.method == "POST":

        def parsed(name, default=None):
            return form.cleaned_data.get(name, default)

        saved = save_with_every_error(
            form,
            save=lambda: member_services.member_create(
                household=household,
                actor=request.user,
                id_number=parsed("id_number"),
                certificate=parsed("disability_certificate", ""),
                data=form.changes(),
                kind=parsed("kind"),
                happened_on=parsed("happened_on"),
                reason=parsed("reason", ""),
            ),
            problems=lambda: member_services.member_add_problems(
                household=household,
                actor=request.user,
                data=form.changes(),
                id_number=parsed("id_number"),
                certificate=parsed("disability_certificate", ""),
            ),
            user=request.user,
        )
        if saved is not None:
            messages.success(request, _("The member was added."))
            household.refresh_from_db()
            if registering and member_services.registration_open(household):
                return redirect("monitoring:member_add", pk=household.pk)
            return redirect("monitoring:household_detail", pk=household.pk)
    context = {"form": form, "household": household, "adding": True, "registering": registering}
    if registering:
        context["registered"] = household.members.active().count()
    return render(request, "monitoring/member_form.html", context)


@capability_required("monitoring.use")
def member_edit(request, pk: int):
    require(request.user, "households.edit")
    member = selectors.member_get_for_user(request.user, pk, write=True)
    form = MemberEditForm(
        request.POST or None, instance=member, initial={"version": member.version}
    )
    if request.method == "POST":

        def parsed(name, default=None):
            return form.cleaned_data.get(name, default)

        saved = save_with_every_error(
            form,
            save=lambda: member_services.member_update(
                member=member,
                actor=request.user,
                expected_version=parsed("version"),
                changes=form.changes(),
                id_number=parsed("id_number") or None,
                certificate=parsed("disability_certificate", ""),
            ),
            problems=lambda: member_services.member_edit_problems(
                member=member,
                actor=request.user,
                changes=form.changes(),
                id_number=parsed("id_number") or None,
                certificate=parsed("disability_certificate", ""),
            ),
            user=request.user,
        )
        if saved is not None:
            messages.success(request, _("The member was saved."))
            return redirect("monitoring:household_detail", pk=member.household_id)
    return render(
        request,
        "monitoring/member_form.html",
        {"form": form, "household": member.household, "member": member},
    )


@capability_required("monitoring.use")
def member_remove(request, pk: int):
    require(request.user, "households.edit")
    member = selectors.member_get_for_user(request.user, pk, write=True)
    form = MemberRemoveForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            member_services.member_remove(member=member, actor=request.user, **form.cleaned_data)
        except DomainError as exc:
            add_refusal_to_form(form, exc, user=request.user)
        else:
            messages.success(request, _("The member was removed from the household."))
            return redirect("monitoring:household_detail", pk=member.household_id)
    return render(
        request,
        "monitoring/change_form.html",
        {
            "form": form,
            "household": member.household,
            "title": _("Remove %(name)s from the household") % {"name": member.name},
            "confirm": True,
        },
    )


@require_POST
@capability_required("monitoring.use")
def member_reveal_id(request, pk: int):
    """The full ID number, for roles that need it; answered as a fragment for htmx, audited."""
    member = selectors.member_get_for_user(request.user, pk)
    try:
        number = member_services.member_reveal_id(member=member, actor=request.user)
    except DomainError:
        raise PermissionDenied from None
    return HttpResponse(f'<span class="font-monospace" data-testid="full-id">{number}</span>')
