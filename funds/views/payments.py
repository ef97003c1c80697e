"""The pages of payments (拨付) and their 报账: a new payment on a project, a payment with its
draws, payee, 报账 and reversal, the payments of the area."""

from __future__ import annotations

from django.contrib import messages
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from funds.codes import ReimbursementStatus
from funds.forms import payments as forms
from funds.models import Payment, ReimbursementVoucher
from funds.rules import payments as rules
from funds.selectors import payments as selectors
from funds.services import payments as services
from funds.services.payments import Inspection, Payee
from funds.views.allocations import _project
from kaiyuan.accounts.capabilities import require, user_can
from kaiyuan.accounts.decorators import capability_required
from kaiyuan.common.errors import DomainError
from kaiyuan.common.paging import probe_page, query_without_page
from kaiyuan.common.rules import add_refusal_to_form
from kaiyuan.common.scoping import get_for_user

# =============================================================================================
# A new payment
# =============================================================================================


@capability_required("funds.use")
def payment_create(request, pk: int):
    """A payment of the project's funds; a refusal shows the rule's reason beside its field and
    nothing is saved."""
    require(request.user, "funds.pay")
    project = _project(request.user, pk, write=True)
    form = forms.PaymentForm(request.POST or None, project=project)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            payment = services.payment_record(
                project=project,
                tranche=data["tranche"],
                amount=data["amount"],
                paid_on=data["paid_on"],
                payee=Payee(
                    name=data["payee_name"],
                    account=data["payee_account"],
                    kind=data["payee_kind"],
                    bank=data["payee_bank"],
                    uscc=data["payee_uscc"],
                    id_number=data["payee_id_number"],
                ),
                basis=data["basis"],
                household=data["household"],
                inspection=Inspection(
                    on=data["inspected_on"],
                    by=data["inspected_by"],
                    note=data["inspection_note"],
                ),
                use=data["use"],
                actor=request.user,
            )
        except DomainError as exc:
            add_refusal_to_form(form, exc, user=request.user)
        else:
            messages.success(request, _("The payment was recorded."))
            for flag in rules.use_flags(payment.use):
                messages.warning(request, flag.message)
            return redirect("funds:payment_detail", pk=payment.pk)
    return render(
        request,
        "funds/payments/payment_form.html",
        {"form": form, "project": project},
        status=400 if form.errors else 200,
    )


# =============================================================================================
# A payment
# =============================================================================================


def _payment(user, pk: int, *, write: bool = False) -> Payment:
    payment = selectors.payments_for(user).filter(pk=pk).first()
    if payment is None:
        raise Http404
    if write:
        get_for_user(Payment.objects.all(), user, write=True, pk=pk)
    return payment


def _writer(user, capability: str) -> bool:
    return user_can(user, capability) and not user.is_read_only


def _payment_page(request, payment: Payment, *, revealed: str = "", **bound):
    if payment.reverses_id is not None:
        raise Http404  # a reversal's steps are those of the payment it reverses
    user = request.user
    reimbursement = payment.reimbursement
    closed = payment.reverses_id is not None or payment.reversed
    may_report = (
        _writer(user, "funds.pay")
        and not closed
        and reimbursement.status in (ReimbursementStatus.UNREPORTED, ReimbursementStatus.RETURNED)
    )
    may_decide = (
        _writer(user, "funds.reimbursement_accept")
        and not closed
        and reimbursement.status == ReimbursementStatus.REPORTED
    )
    may_reverse = (
        _writer(user, "funds.pay")
        and not closed
        and reimbursement.status != ReimbursementStatus.ACCEPTED
    )
    context = {
        "payment": payment,
        "reimbursement": reimbursement,
        "draws": payment.draws.select_related("fund__allocation").order_by("id"),
        "vouchers": reimbursement.vouchers.all(),
        "overdue": selectors.is_overdue(payment),
        "due": selectors.due_of(payment),
        "reversal": Payment.objects.filter(reverses=payment).first() if payment.reversed else None,
        "revealed": revealed,
        "may_reveal": user_can(user, "funds.reveal_payee") and bool(payment.payee_id_masked),
        "may_report": may_report,
        "may_decide": may_decide,
        "may_reverse": may_reverse,
    }
    version = {"version": reimbursement.version}
    if may_report:
        context["report_form"] = bound.get("report_form") or forms.ReportForm(
            initial={**version, "voucher_numbers": reimbursement.voucher_numbers}
        )
    if may_decide:
        context["decide_form"] = bound.get("decide_form") or forms.DecideForm(initial=version)
    if may_reverse:
        context["reverse_form"] = bound.get("reverse_form") or forms.ReasonForm()
    status = 400 if bound else 200
    return render(request, "funds/payments/payment_detail.html", context, status=status)


@capability_required("funds.use")
def payment_detail(request, pk: int):
    payment = _payment(request.user, pk)
    if payment.reverses_id is not None:
        # A reversal has no 报账 of its own: it is shown on the page of the payment it reverses.
        return redirect("funds:payment_detail", pk=payment.reverses_id)
    return _payment_page(request, payment)


@require_POST
@capability_required("funds.use")
def payee_id_reveal(request, pk: int):
    """The payee's full ID number, for the roles that need it (audited by the service)."""
    require(request.user, "funds.reveal_payee")
    payment = _payment(request.user, pk)
    number = services.payee_id_reveal(payment=payment, actor=request.user)
    return _payment_page(request, payment, revealed=number)


@require_POST
@capability_required("funds.use")
def reimbursement_report(request, pk: int):
    require(request.user, "funds.pay")
    payment = _payment(request.user, pk, write=True)
    form = forms.ReportForm(request.POST, request.FILES)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.reimbursement_report(
                reimbursement=payment.reimbursement,
                reported_on=data["reported_on"],
                voucher_numbers=data["voucher_numbers"],
                vouchers=data["vouchers"],
                expected_version=data["version"],
                actor=request.user,
            )
        except DomainError as exc:
            add_refusal_to_form(form, exc, user=request.user)
        else:
            messages.success(request, _("The 报账 was reported to finance."))
            return redirect("funds:payment_detail", pk=payment.pk)
    return _payment_page(request, payment, report_form=form)


@require_POST
@capability_required("funds.use")
def reimbursement_decide(request, pk: int):
    require(request.user, "funds.reimbursement_accept")
    payment = _payment(request.user, pk, write=True)
    form = forms.DecideForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.reimbursement_decide(
                reimbursement=payment.reimbursement,
                accept=data["accept"],
                reason=data["reason"],
                expected_version=data["version"],
                actor=request.user,
            )
        except DomainError as exc:
            add_refusal_to_form(form, exc, user=request.user)
        else:
            if data["accept"]:
                messages.success(request, _("The 报账 was accepted."))
            else:
                messages.success(request, _("The 报账 was returned for correction."))
            return redirect("funds:payment_detail", pk=payment.pk)
    return _payment_page(request, payment, decide_form=form)


@require_POST
@capability_required("funds.use")
def payment_reverse(request, pk: int):
    require(request.user, "funds.pay")
    payment = _payment(request.user, pk, write=True)
    form = forms.ReasonForm(request.POST)
    if form.is_valid():
        try:
            reversal = services.payment_reverse(
                payment=payment, reason=form.cleaned_data["reason"], actor=request.user
            )
        except DomainError as exc:
            add_refusal_to_form(form, exc, user=request.user)
        else:
            messages.success(request, _("The payment was reversed."))
            return redirect("funds:payment_detail", pk=reversal.pk)
    return _payment_page(request, payment, reverse_form=form)


@capability_required("funds.use")
def voucher_download(request, pk: int):
    """A voucher of a 报账, to whoever sees the payment."""
    voucher = get_for_user(ReimbursementVoucher.objects.all(), request.user, pk=pk)
    return FileResponse(voucher.file.open("rb"), as_attachment=True, filename=voucher.name)


# =============================================================================================
# The payments of the area
# =============================================================================================


@capability_required("funds.use")
def payment_list(request):
    """The payments the user sees, with their 报账 status and the FND-5 flag (constant query
    count: the policy is read once for every row)."""
    filters = forms.PaymentFilterForm(request.GET or None)
    rows = selectors.payments_for(request.user)
    if filters.is_valid():
        data = filters.cleaned_data
        if data.get("tranche"):
            rows = rows.filter(tranche=data["tranche"])
        if data.get("status"):
            rows = rows.filter(reimbursement__status=data["status"])
        if data.get("overdue"):
            rows = selectors.overdue_reimbursements(rows)
    page = probe_page(
        selectors.with_overdue(rows).order_by("-paid_on", "-id"), request.GET.get("page")
    )
    return render(
        request,
        "funds/payments/payment_list.html",
        {"page": page, "filters": filters, "query": query_without_page(request)},
    )


@require_POST
@capability_required("funds.export")
def payments_export(request):
    """Start the payments with their payees, as the list's filters select them."""
    from funds.exports.payments import start_payments_export
    from kaiyuan.jobs.views import export_started

    year = request.POST.get("year", "")
    return export_started(
        request,
        lambda: start_payments_export(
            request.user,
            year=int(year) if year.isdigit() else None,
            tranche=request.POST.get("tranche", ""),
            status=request.POST.get("status", ""),
        ),
        back="funds:payment_list",
    )
