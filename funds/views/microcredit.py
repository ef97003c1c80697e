"""Micro-credit (脱贫人口小额信贷): the loans of the area (the bureau's overdue list with
``?overdue=1``), a new loan from a household's page, and a loan's page, where its repayments,
interest subsidies (贴息) and the bank's extension (展期) are recorded. Every form posts to the
page itself with its step's name."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from funds.forms import microcredit as forms
from funds.selectors.microcredit import loans_for, overdue
from funds.services import microcredit as services
from kaiyuan.accounts.capabilities import require, user_can
from kaiyuan.accounts.decorators import capability_required
from kaiyuan.common.dates import today
from kaiyuan.common.errors import DomainError
from kaiyuan.common.paging import probe_page, query_without_page
from kaiyuan.common.rules import add_refusal_to_form
from kaiyuan.common.scoping import user_may_write
from monitoring.selectors.households import household_get_for_user


@capability_required("funds.use")
def loan_list(request):
    form = forms.LoanFilterForm(request.GET or None)
    only_overdue = form.is_valid() and form.cleaned_data["overdue"]
    day = today()
    rows = loans_for(request.user)
    if only_overdue:
        rows = overdue(rows, on=day)
    page = probe_page(rows.order_by("due_on", "id"), request.GET.get("page"))
    return render(
        request,
        "funds/microcredit/loan_list.html",
        {
            "form": form,
            "page": page,
            "query": query_without_page(request),
            "only_overdue": only_overdue,
        },
    )


@capability_required("funds.use")
def loan_new(request, pk: int):
    require(request.user, "funds.microcredit")
    household = household_get_for_user(request.user, pk, write=True)
    form = forms.LoanForm(request.POST or None, household=household)
    if request.method == "POST" and form.is_valid():
        try:
            loan = services.loan_create(
                household=household, actor=request.user, **form.cleaned_data
            )
        except DomainError as exc:
            add_refusal_to_form(form, exc, user=request.user)
        else:
            messages.success(request, _("The loan was recorded."))
            return redirect("funds:loan_detail", pk=loan.pk)
    return render(
        request, "funds/microcredit/loan_form.html", {"form": form, "household": household}
    )


def _loan(user, pk: int, *, write: bool):
    loan = loans_for(user).filter(pk=pk).first()
    if loan is None:
        raise Http404
    if write and not user_may_write(user):
        raise PermissionDenied
    return loan


def _repayment(loan, form, user):
    services.repayment_record(loan=loan, actor=user, **form.cleaned_data)
    return _("The repayment was recorded.")


def _subsidy(loan, form, user):
    services.subsidy_record(loan=loan, actor=user, **form.cleaned_data)
    return _("The interest subsidy was recorded.")


def _extend(loan, form, user):
    data = form.cleaned_data
    services.loan_extend(
        loan=loan, extended_to=data["extended_to"], expected_version=data["version"], actor=user
    )
    return _("The extension was recorded.")


STEPS = {
    "repayment": (forms.RepaymentForm, _repayment),
    "subsidy": (forms.SubsidyForm, _subsidy),
    "extend": (forms.ExtensionForm, _extend),
}


def _form(step: str, user, loan, data=None):
    form_class = STEPS[step][0]
    kwargs = {"prefix": step}
    if form_class is forms.SubsidyForm:
        kwargs["user"] = user
    if form_class is forms.ExtensionForm:
        kwargs["initial"] = {"version": loan.version}
    return form_class(data, **kwargs)


@capability_required("funds.use")
def loan_detail(request, pk: int):
    posting = request.method == "POST"
    user = request.user
    loan = _loan(user, pk, write=posting)
    step = request.POST.get("step") if posting else None
    bound = None
    if posting:
        if step not in STEPS:
            raise Http404
        require(user, "funds.microcredit")
        bound = _form(step, user, loan, request.POST)
        if bound.is_valid():
            try:
                done = STEPS[step][1](loan, bound, user)
            except DomainError as exc:
                add_refusal_to_form(bound, exc, user=user)
            else:
                messages.success(request, done)
                return redirect("funds:loan_detail", pk=loan.pk)
    may_record = user_can(user, "funds.microcredit") and user_may_write(user)
    forms_shown = {}
    if may_record:
        forms_shown = {name: _form(name, user, loan) for name in STEPS}
    if bound is not None:
        forms_shown[step] = bound
    return render(
        request,
        "funds/microcredit/loan_detail.html",
        {
            "loan": loan,
            "is_overdue": loan.overdue,
            "repayments": list(loan.repayments.order_by("repaid_on", "id")),
            "subsidies": list(loan.subsidies.select_related("project").order_by("period_start")),
            "forms": forms_shown,
            "may_record": may_record,
        },
    )
