"""Settling an asset's income for a past year (清算, AST-8) with only depreciation and
maintenance deducted (AST-9), and correcting a settlement while its plan is drawn up. A
debt-type asset's income is pre-filled with the returns its placement brought that year (the
funds app's ``PlacementReturn``, read through ``selectors.incomes.year_return``)."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from assets.forms import incomes as forms
from assets.models import Asset, AssetIncome
from assets.selectors.assets import DEBT, return_basis
from assets.selectors.incomes import year_return
from assets.services import incomes as services
from kaiyuan.accounts.capabilities import require, user_can
from kaiyuan.accounts.decorators import capability_required
from kaiyuan.common.dates import today
from kaiyuan.common.errors import DomainError
from kaiyuan.common.rules import add_refusal_to_form, shown_to
from kaiyuan.common.scoping import get_for_user


def _asset(user, pk: int):
    rows = Asset.objects.select_related("area__parent", "project", "placement")
    return get_for_user(rows, user, write=True, pk=pk)


def _income(user, pk: int) -> AssetIncome:
    rows = AssetIncome.objects.select_related("asset__area__parent")
    return get_for_user(rows, user, write=True, pk=pk)


def after_settlement(user, income: AssetIncome) -> str:
    """Where a settlement leads: its distribution (drawn up, or to draw up), else the asset."""
    if user_can(user, "assets.distribute"):
        return reverse("assets:distribution_new", args=[income.pk])
    return income.asset.get_absolute_url()


def _year(raw: str | None) -> int | None:
    return int(raw) if raw and raw.isdigit() and 2000 <= int(raw) <= 2100 else None


@capability_required("assets.use")
def income_new(request, pk: int):
    """The settlement of a past year (last year unless ``?year=`` says otherwise)."""
    require(request.user, "assets.settle")
    asset = _asset(request.user, pk)
    year = _year(request.GET.get("year")) or today().year - 1
    returns = year_return(asset, year) if return_basis(asset) == DEBT else None
    if returns is not None and returns.basis != DEBT:
        returns = None  # a debt-type asset whose placement is not recorded: nothing to pre-fill
    form = forms.IncomeForm(request.POST or None, year=year, returns=returns)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            income = services.income_settle(
                asset=asset,
                year=data["year"],
                gross_income=data["gross_income"],
                deductions=form.deductions(),
                settled_on=data["settled_on"],
                note=data["note"],
                actor=request.user,
            )
        except DomainError as exc:
            add_refusal_to_form(form, exc, user=request.user)
        else:
            messages.success(request, _("%(year)s's income was settled.") % {"year": income.year})
            return redirect(after_settlement(request.user, income))
    return render(
        request,
        "assets/incomes/income_form.html",
        {
            "asset": asset,
            "form": form,
            "returns": returns,
            "return_flags": [
                (flag.rule, shown_to(request.user, flag))
                for flag in (returns.flags if returns else [])
            ],
            "settled": list(asset.incomes.select_related("distribution").order_by("-year")),
        },
        status=400 if form.errors else 200,
    )


@capability_required("assets.use")
def income_edit(request, pk: int):
    """The settlement corrected, while its distribution is still drawn up (the service says
    so once it is publicised)."""
    require(request.user, "assets.settle")
    income = _income(request.user, pk)
    form = forms.IncomeCorrectForm(
        request.POST or None,
        initial={
            "gross_income": income.gross_income,
            "depreciation": income.depreciation,
            "maintenance": income.maintenance,
            "note": income.note,
            "version": income.version,
        },
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            income = services.income_correct(
                income=income,
                gross_income=data["gross_income"],
                deductions=form.deductions(),
                note=data["note"],
                expected_version=data["version"],
                actor=request.user,
            )
        except DomainError as exc:
            add_refusal_to_form(form, exc, user=request.user)
        else:
            messages.success(
                request, _("%(year)s's settlement was corrected.") % {"year": income.year}
            )
            return redirect(after_settlement(request.user, income))
    return render(
        request,
        "assets/incomes/income_form.html",
        {"asset": income.asset, "income": income, "form": form},
        status=400 if form.errors else 200,
    )
