"""The household registry pages: search, household page, edits and typed changes, incomes."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kaiyuan.accounts.roles import Role
from kaiyuan.areas.models import Area
from kaiyuan.common.errors import DomainError
from kaiyuan.common.paging import probe_page, query_without_page
from kaiyuan.common.rules import add_refusal_to_form
from kaiyuan.web.navigation import module_required
from monitoring.codes import HouseholdType, MonitoringCategory
from monitoring.forms import (
    HeadChangeForm,
    HouseholdCreateForm,
    HouseholdForm,
    IncomeForm,
    LivingConditionForm,
    MemberAddForm,
    MemberEditForm,
    MemberRemoveForm,
    MergeForm,
    SearchForm,
    SplitForm,
)
from monitoring.models import Household, IncomeRecord
from monitoring.rules import incomes as income_rules
from monitoring.selectors import households as selectors
from monitoring.services import households as household_services
from monitoring.services import incomes
from monitoring.services import members as member_services

# Roles that keep the registry: everyone else reads it.
REGISTRY_WRITERS = frozenset({Role.TOWNSHIP_CLERK, Role.BUREAU, Role.ADMIN})


def _require_writer(user) -> None:
    if not (user.is_superuser or user.role in REGISTRY_WRITERS):
        raise PermissionDenied


@module_required("monitoring")
def monitoring_home(request):
    """The monitoring grid's entry: a search box and the user's tasks."""
    return render(
        request,
        "monitoring/home.html",
        {"form": SearchForm(), "may_register": _may_edit(request.user)},
    )


@module_required("monitoring")
def household_search(request):
    form = SearchForm(request.GET or None)
    result = None
    if form.is_valid():
        result = selectors.household_search(user=request.user, query=form.cleaned_data["q"])
    return render(request, "monitoring/household_search.html", {"form": form, "result": result})


@module_required("monitoring")
def household_list(request):
    """All households of the county, filtered: for county roles only (others search)."""
    if not request.user.is_county_wide:
        raise PermissionDenied
    queryset = selectors.household_list(user=request.user, filters=request.GET)
    page = probe_page(queryset, request.GET.get("page"))
    return render(
        request,
        "monitoring/household_list.html",
        {
            "page": page,
            "townships": Area.objects.townships(),
            "household_types": HouseholdType.choices,
            "categories": MonitoringCategory.choices,
            "query": query_without_page(request),
        },
    )


@module_required("monitoring")
def household_detail(request, pk: int):
    household = selectors.household_get_for_user(request.user, pk)
    detail = selectors.household_detail(household)
    bands = None
    if household.per_capita_income is not None and household.income_year:
        bands = income_rules.income_band(household.per_capita_income, year=household.income_year)
    return render(
        request,
        "monitoring/household_detail.html",
        {
            "detail": detail,
            "household": household,
            "band": bands,
            "line_check": _line_check(household),
            "may_edit": _may_edit(request.user),
            "may_act": _may_act(request.user),
            "may_reveal": member_services.may_see_full_ids(request.user),
        },
    )


def _may_edit(user) -> bool:
    return user.is_superuser or user.role in REGISTRY_WRITERS


def _may_act(user) -> bool:
    """Village and township users take the first steps of the monitoring procedures."""
    return user.is_superuser or user.role in (Role.GRID_WORKER, Role.TOWNSHIP_CLERK)


def _line_check(household: Household) -> dict:
    """The household's income against the year's monitoring line, or why it cannot be compared."""
    if household.per_capita_income is None or not household.income_year:
        return {}
    try:
        below = income_rules.is_below_monitoring_line(
            household.per_capita_income, year=household.income_year
        )
    except DomainError as exc:
        return {"missing": exc.message}
    return {"below": below}


@module_required("monitoring")
def household_create(request):
    """Register a new household with its head."""
    _require_writer(request.user)
    form = HouseholdCreateForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            household = household_services.household_create(
                actor=request.user,
                area=data["village"],
                household_number=data["household_number"],
                head=form.head_data(),
                id_number=data["id_number"],
                household_type=data["household_type"],
                phone=data["household_phone"],
                address=data["address"],
            )
        except DomainError as exc:
            add_refusal_to_form(form, exc)
        else:
            messages.success(request, _("The household was registered."))
            return redirect("monitoring:household_detail", pk=household.pk)
    return render(request, "monitoring/household_create.html", {"form": form})


@module_required("monitoring")
def id_number_check(request):
    """Checks an ID number as it is typed (htmx): validity, derived sex and birth date, and
    whether it already belongs to a member in the county (which household only if visible)."""
    raw = request.GET.get("id_number", "") or request.POST.get("id_number", "")
    return render(
        request,
        "monitoring/_id_check.html",
        {"check": member_services.id_number_check(raw, user=request.user)},
    )


@module_required("monitoring")
def household_edit(request, pk: int):
    _require_writer(request.user)
    household = selectors.household_get_for_user(request.user, pk, write=True)
    form = HouseholdForm(
        request.POST or None,
        instance=household,
        village=household.area,
        initial={"version": household.version},
    )
    if request.method == "POST" and form.is_valid():
        try:
            household_services.household_update(
                household=household,
                actor=request.user,
                expected_version=form.cleaned_data["version"],
                changes=form.changes(),
            )
        except DomainError as exc:
            add_refusal_to_form(form, exc)
        else:
            messages.success(request, _("The household was saved."))
            return redirect("monitoring:household_detail", pk=household.pk)
    return render(request, "monitoring/household_form.html", {"form": form, "household": household})


@module_required("monitoring")
def member_add(request, pk: int):
    _require_writer(request.user)
    household = selectors.household_get_for_user(request.user, pk, write=True)
    form = MemberAddForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            member_services.member_create(
                household=household,
                actor=request.user,
                id_number=data["id_number"],
                certificate=data["disability_certificate"],
                data=form.changes(),
                kind=data["kind"],
                happened_on=data["happened_on"],
                reason=data["reason"],
            )
        except DomainError as exc:
            add_refusal_to_form(form, exc)
        else:
            messages.success(request, _("The member was added."))
            return redirect("monitoring:household_detail", pk=household.pk)
    return render(
        request,
        "monitoring/member_form.html",
        {"form": form, "household": household, "adding": True},
    )


@module_required("monitoring")
def member_edit(request, pk: int):
    _require_writer(request.user)
    member = selectors.member_get_for_user(request.user, pk, write=True)
    form = MemberEditForm(
        request.POST or None, instance=member, initial={"version": member.version}
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            member_services.member_update(
                member=member,
                actor=request.user,
                expected_version=data["version"],
                changes=form.changes(),
                id_number=data["id_number"] or None,
                certificate=data["disability_certificate"],
            )
        except DomainError as exc:
            add_refusal_to_form(form, exc)
        else:
            messages.success(request, _("The member was saved."))
            return redirect("monitoring:household_detail", pk=member.household_id)
    return render(
        request,
        "monitoring/member_form.html",
        {"form": form, "household": member.household, "member": member},
    )


@module_required("monitoring")
def member_remove(request, pk: int):
    _require_writer(request.user)
    member = selectors.member_get_for_user(request.user, pk, write=True)
    form = MemberRemoveForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            member_services.member_remove(member=member, actor=request.user, **form.cleaned_data)
        except DomainError as exc:
            add_refusal_to_form(form, exc)
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
        },
    )


@module_required("monitoring")
def head_change(request, pk: int):
    _require_writer(request.user)
    household = selectors.household_get_for_user(request.user, pk, write=True)
    form = HeadChangeForm(request.POST or None, household=household)
    if request.method == "POST" and form.is_valid():
        try:
            household_services.household_change_head(
                household=household, actor=request.user, **form.cleaned_data
            )
        except DomainError as exc:
            add_refusal_to_form(form, exc)
        else:
            messages.success(request, _("The head of household was changed."))
            return redirect("monitoring:household_detail", pk=household.pk)
    return render(
        request,
        "monitoring/change_form.html",
        {"form": form, "household": household, "title": _("Change the head of household")},
    )


@module_required("monitoring")
def household_split(request, pk: int):
    _require_writer(request.user)
    household = selectors.household_get_for_user(request.user, pk, write=True)
    form = SplitForm(request.POST or None, household=household)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            new = household_services.household_split(
                household=household,
                actor=request.user,
                members=list(data["members"]),
                new_household_number=data["new_household_number"],
                happened_on=data["happened_on"],
                reason=data["reason"],
            )
        except DomainError as exc:
            add_refusal_to_form(form, exc)
        else:
            messages.success(request, _("The household was split."))
            return redirect("monitoring:household_detail", pk=new.pk)
    return render(
        request,
        "monitoring/change_form.html",
        {"form": form, "household": household, "title": _("Split the household")},
    )


@module_required("monitoring")
def household_merge(request, pk: int):
    _require_writer(request.user)
    household = selectors.household_get_for_user(request.user, pk, write=True)
    form = MergeForm(request.POST or None, household=household)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        target = (
            Household.objects.visible_to(request.user, action="change")
            .filter(household_number=data["into"].strip())
            .first()
        )
        if target is None:
            form.add_error("into", _("No household with this number in your area."))
        else:
            try:
                household_services.household_merge(
                    household=household,
                    into=target,
                    actor=request.user,
                    happened_on=data["happened_on"],
                    reason=data["reason"],
                    relations=form.relations(),
                )
            except DomainError as exc:
                add_refusal_to_form(form, exc)
            else:
                messages.success(request, _("The household was merged."))
                return redirect("monitoring:household_detail", pk=target.pk)
    return render(
        request,
        "monitoring/change_form.html",
        {"form": form, "household": household, "title": _("Merge into another household")},
    )


@module_required("monitoring")
def income_edit(request, pk: int):
    """Enter or correct a year's income record; the per-capita figure and bands follow."""
    _require_writer(request.user)
    household = selectors.household_get_for_user(request.user, pk, write=True)
    existing = None
    year, kind = request.GET.get("year"), request.GET.get("kind", IncomeRecord.Kind.ANNUAL)
    if year and year.isdigit():
        existing = household.incomes.filter(year=int(year), kind=kind).first()
    initial = {"household_size": household.household_size, "kind": kind}
    if existing is not None:
        initial.update(
            {
                name: getattr(existing, name)
                for name in (
                    "year",
                    "kind",
                    "wage_income",
                    "business_income",
                    "property_income",
                    "transfer_income",
                    "business_expense",
                    "claim_income",
                    "compliant_self_paid",
                    "household_size",
                    "note",
                    "version",
                )
            }
        )
    form = IncomeForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            _record, flags = incomes.income_record_save(
                household=household,
                actor=request.user,
                year=data["year"],
                kind=data["kind"],
                values=data,
                household_size=data["household_size"],
                note=data["note"],
                expected_version=data["version"],
            )
        except DomainError as exc:
            add_refusal_to_form(form, exc)
        else:
            messages.success(request, _("The income record was saved."))
            for flag in flags:
                messages.warning(request, f"{flag.message}（{flag.rule}）")
            return redirect("monitoring:household_detail", pk=household.pk)
    return render(
        request,
        "monitoring/change_form.html",
        {"form": form, "household": household, "title": _("Income and expenditure")},
    )


@module_required("monitoring")
def conditions_edit(request, pk: int):
    """Production and living conditions of one year."""
    _require_writer(request.user)
    household = selectors.household_get_for_user(request.user, pk, write=True)
    year = request.GET.get("year") or request.POST.get("year")
    existing = household.conditions.filter(year=int(year)).first() if str(year).isdigit() else None
    form = LivingConditionForm(request.POST or None, instance=existing)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            household_services.living_condition_save(
                household=household, actor=request.user, year=data["year"], values=data
            )
        except DomainError as exc:
            add_refusal_to_form(form, exc)
        else:
            messages.success(request, _("The production and living conditions were saved."))
            return redirect("monitoring:household_detail", pk=household.pk)
    return render(
        request,
        "monitoring/change_form.html",
        {
            "form": form,
            "household": household,
            "title": _("Production and living conditions"),
        },
    )


@require_POST
@module_required("monitoring")
def member_reveal_id(request, pk: int):
    """The full ID number, for roles that need it; answered as a fragment for htmx, audited."""
    member = selectors.member_get_for_user(request.user, pk)
    try:
        number = member_services.member_reveal_id(member=member, actor=request.user)
    except DomainError:
        raise PermissionDenied from None
    return HttpResponse(f'<span class="font-monospace" data-testid="full-id">{number}</span>')
