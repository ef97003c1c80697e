"""Money idle at the townships (FND-7, with "no payment at all" as its second marker, DOMAIN.md
§10 Q-6 d, Q-14), the bureau's reallocation (调剂) of it, and the reallocations decided."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from funds.forms.reallocations import IdleFilterForm, ReallocationForm
from funds.models import ProjectFund, Reallocation
from funds.rules import allocations as rules
from funds.selectors.allocations import balance, entries_for, idle_entries
from funds.services.reallocations import reallocation_decide
from kaiyuan.accounts.capabilities import require
from kaiyuan.accounts.decorators import capability_required
from kaiyuan.areas.picker import townships_for
from kaiyuan.common.dates import today
from kaiyuan.common.errors import DomainError
from kaiyuan.common.money import format_yuan
from kaiyuan.common.paging import probe_page, query_without_page
from kaiyuan.common.rules import add_refusal_to_form
from kaiyuan.common.scoping import user_may_write
from kaiyuan.policy.services import policy_for


@capability_required("funds.county_view")
def idle_list(request):
    """Every entry idle as of today, oldest arrival first, with its markers: FND-7 (unspent
    more than the months set after arrival) and FND-NO-PAYMENT (the project paid nothing)."""
    day = today()
    months = policy_for(day.year).idle_fund_months
    form = IdleFilterForm(request.GET or None, townships=townships_for(request.user))
    rows = idle_entries(request.user, on=day).select_related("project__area__parent")
    township = form.chosen_township()
    if township is not None:
        rows = rows.filter(project__area__path__startswith=township.path)
    page = probe_page(rows, request.GET.get("page"))
    for entry in page:
        entry.balance = balance(entry)
        entry.flags = rules.idle_flags(
            balance=entry.balance,
            paid_any=entry.paid_any,
            arrived_on=entry.arrived_on,
            months=months,
            today=day,
        )
    return render(
        request,
        "funds/reallocations/idle_list.html",
        {
            "form": form,
            "page": page,
            "query": query_without_page(request),
            "today": day,
            "months": months,
        },
    )


def _idle_entry(user, pk: int) -> ProjectFund:
    """The positive entry the reallocation takes money from, with its balance: 404 for a
    hidden or missing one, 403 for a role that only reads."""
    entry = (
        entries_for(user)
        .filter(pk=pk, kind__in=ProjectFund.POSITIVE)
        .select_related("project__area__parent")
        .first()
    )
    if entry is None:
        raise Http404
    if not user_may_write(user):
        raise PermissionDenied
    return entry


@capability_required("funds.county_view")
def reallocation_new(request, pk: int):
    """The bureau moves idle money of one entry's allocation to another funded project."""
    require(request.user, "funds.reallocate")
    entry = _idle_entry(request.user, pk)
    left = balance(entry)
    form = ReallocationForm(
        request.POST or None,
        user=request.user,
        from_project=entry.project,
        initial={"amount": left if left > 0 else None},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            decision = reallocation_decide(
                allocation=entry.allocation,
                from_project=entry.project,
                to_project=data["to_project"],
                amount=data["amount"],
                decided_on=data["decided_on"],
                document_number=data["document_number"],
                reason=data["reason"],
                actor=request.user,
            )
        except DomainError as exc:
            add_refusal_to_form(form, exc, user=request.user)
        else:
            messages.success(
                request,
                _("%(amount)s yuan were reallocated from %(from)s to %(to)s.")
                % {
                    "amount": format_yuan(decision.amount),
                    "from": decision.from_project.code,
                    "to": decision.to_project.code,
                },
            )
            return redirect("funds:reallocation_list")
    return render(
        request,
        "funds/reallocations/reallocation_form.html",
        {"form": form, "entry": entry, "balance": left},
    )


@capability_required("funds.county_view")
def reallocation_list(request):
    rows = (
        Reallocation.objects.visible_to(request.user)
        .select_related("from_project", "to_project", "allocation", "decided_by")
        .order_by("-decided_on", "-id")
    )
    page = probe_page(rows, request.GET.get("page"))
    return render(
        request,
        "funds/reallocations/reallocation_list.html",
        {"page": page, "query": query_without_page(request)},
    )
