"""The income page of a household (收支情况) with its flags."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from kaiyuan.accounts.capabilities import require
from kaiyuan.accounts.decorators import capability_required
from kaiyuan.common.errors import DomainError
from kaiyuan.common.rules import add_refusal_to_form, shown_to
from monitoring.forms.incomes import IncomeForm
from monitoring.models import IncomeRecord
from monitoring.selectors import households as selectors
from monitoring.services import incomes


@capability_required("monitoring.use")
def income_edit(request, pk: int):
    """Enter or correct a year's income record; the per-capita figure and bands follow."""
    require(request.user, "households.edit")
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
                    *IncomeRecord.MONEY_FIELDS,
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
            add_refusal_to_form(form, exc, user=request.user)
        else:
            messages.success(request, _("The income record was saved."))
            for flag in flags:
                messages.warning(request, shown_to(request.user, flag))
            return redirect("monitoring:household_detail", pk=household.pk)
    return render(
        request,
        "monitoring/change_form.html",
        {"form": form, "household": household, "title": _("Income and expenditure")},
    )
