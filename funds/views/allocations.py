"""The pages of allocations (资金指标) and of a project's funds: the funds index, the allocation
ledger, an allocation with its assignments, a project's fund page (entries, arrival, position,
payments, retention)."""

from __future__ import annotations

from decimal import Decimal

from django.contrib import messages
from django.db.models import OuterRef
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from funds.codes import ReimbursementStatus, Tranche
from funds.forms import allocations as forms
from funds.models import FundAccount, Payment, ProjectFund
from funds.rules.payments import Terms, retention_amount
from funds.selectors import allocations as selectors
from funds.selectors import payments as payment_selectors
from funds.selectors import positions
from funds.services import allocations as services
from kaiyuan.accounts.capabilities import require, user_can
from kaiyuan.accounts.decorators import capability_required
from kaiyuan.common.dates import today
from kaiyuan.common.errors import DomainError
from kaiyuan.common.ledger import total_of
from kaiyuan.common.paging import probe_page, query_without_page
from kaiyuan.common.rules import add_refusal_to_form
from kaiyuan.common.scoping import get_for_user
from kaiyuan.policy.services import policy_for
from projects.models import Project


def _net_of(queryset):
    return total_of(queryset, "project")


# =============================================================================================
# The funds index
# =============================================================================================


@capability_required("funds.use")
def funds_index(request):
    """What the user works on first: the county's ledgers, or a township's funded projects and
    the 报账 it owes."""
    user = request.user
    context = {"county": user_can(user, "funds.county_view")}
    payments = payment_selectors.payments_for(user)
    context["owed"] = payment_selectors.open_reimbursements(payments).count()
    if user_can(user, "funds.reimbursement_accept"):
        context["to_accept"] = payments.filter(
            reimbursement__status=ReimbursementStatus.REPORTED, reverses__isnull=True
        ).count()
    if not context["county"]:
        context["accounts"] = (
            FundAccount.objects.visible_to(user)
            .select_related("project", "project__area")
            .annotate(
                assigned=_net_of(ProjectFund.objects.filter(project=OuterRef("project_id"))),
                paid_total=_net_of(Payment.objects.filter(project=OuterRef("project_id"))),
            )
            .order_by("project__code")[:200]
        )
    return render(request, "funds/allocations/index.html", context)


# =============================================================================================
# Allocations
# =============================================================================================


@capability_required("funds.county_view")
def allocation_list(request):
    """The allocation ledger with what each has assigned and spent (constant query count)."""
    filters = forms.AllocationFilterForm(request.GET or None)
    rows = filters.filter(selectors.allocations_for(request.user))
    page = probe_page(rows, request.GET.get("page"))
    return render(
        request,
        "funds/allocations/allocation_list.html",
        {"page": page, "filters": filters, "query": query_without_page(request)},
    )


@capability_required("funds.county_view")
def allocation_create(request):
    require(request.user, "funds.allocate")
    form = forms.AllocationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            allocation = services.allocation_create(**form.cleaned_data, actor=request.user)
        except DomainError as exc:
            add_refusal_to_form(form, exc, user=request.user)
        else:
            messages.success(request, _("The allocation was recorded."))
            return redirect("funds:allocation_detail", pk=allocation.pk)
    return render(request, "funds/allocations/allocation_form.html", {"form": form})


def _allocation(user, pk: int):
    allocation = selectors.allocations_for(user).filter(pk=pk).first()
    if allocation is None:
        raise Http404
    return allocation


def _allocation_page(request, allocation, **bound):
    user = request.user
    entries = (
        selectors.entries_for(user).filter(allocation=allocation).order_by("assigned_on", "id")
    )
    reversed_ids = set(
        ProjectFund.objects.filter(
            reduces__allocation=allocation, kind=ProjectFund.Kind.REVERSAL
        ).values_list("reduces_id", flat=True)
    )
    may_allocate = user_can(user, "funds.allocate") and not user.is_read_only
    net_amount = allocation.amount + allocation.reversed_amount
    context = {
        "allocation": allocation,
        "entries": entries,
        "reversed_ids": reversed_ids,
        "is_reversed": allocation.reversed_amount != 0,
        "unassigned": net_amount - allocation.assigned,
        "may_allocate": may_allocate,
    }
    if may_allocate:
        context["assign_form"] = bound.get("assign_form") or forms.AssignmentForm(
            allocation=allocation, user=user
        )
        context["reverse_form"] = bound.get("reverse_form") or forms.ReasonForm(prefix="allocation")
        context["entry_form"] = bound.get("entry_form") or forms.ReasonForm(prefix="entry")
        context["entry_error_pk"] = bound.get("entry_pk")
    status = 400 if bound else 200
    return render(request, "funds/allocations/allocation_detail.html", context, status=status)


@capability_required("funds.county_view")
def allocation_detail(request, pk: int):
    return _allocation_page(request, _allocation(request.user, pk))


def _writable_allocation(request, pk: int):
    allocation = _allocation(request.user, pk)
    require(request.user, "funds.allocate")
    get_for_user(type(allocation).objects.all(), request.user, write=True, pk=pk)
    return allocation


@require_POST
@capability_required("funds.county_view")
def assignment_add(request, pk: int):
    """Assign part of the allocation to a project of the year's plan."""
    allocation = _writable_allocation(request, pk)
    form = forms.AssignmentForm(request.POST, allocation=allocation, user=request.user)
    if form.is_valid():
        try:
            services.assignment_add(allocation=allocation, **form.cleaned_data, actor=request.user)
        except DomainError as exc:
            add_refusal_to_form(form, exc, user=request.user)
        else:
            messages.success(request, _("The allocation was assigned to the project."))
            return redirect("funds:allocation_detail", pk=allocation.pk)
    return _allocation_page(request, allocation, assign_form=form)


@require_POST
@capability_required("funds.county_view")
def allocation_reverse(request, pk: int):
    allocation = _writable_allocation(request, pk)
    form = forms.ReasonForm(request.POST, prefix="allocation")
    if form.is_valid():
        try:
            services.allocation_reverse(
                allocation=allocation, reason=form.cleaned_data["reason"], actor=request.user
            )
        except DomainError as exc:
            add_refusal_to_form(form, exc, user=request.user)
        else:
            messages.success(request, _("The allocation was reversed."))
            return redirect("funds:allocation_detail", pk=allocation.pk)
    return _allocation_page(request, allocation, reverse_form=form)


@require_POST
@capability_required("funds.county_view")
def assignment_reverse(request, pk: int):
    """Reverse an assignment (what is left of it) with a reason."""
    require(request.user, "funds.allocate")
    entry = get_for_user(
        ProjectFund.objects.select_related("allocation", "project"),
        request.user,
        write=True,
        pk=pk,
    )
    form = forms.ReasonForm(request.POST, prefix="entry")
    if form.is_valid():
        try:
            services.assignment_reverse(
                entry=entry, reason=form.cleaned_data["reason"], actor=request.user
            )
        except DomainError as exc:
            add_refusal_to_form(form, exc, user=request.user)
        else:
            messages.success(request, _("The assignment was reversed."))
            return redirect("funds:allocation_detail", pk=entry.allocation_id)
    allocation = _allocation(request.user, entry.allocation_id)
    return _allocation_page(request, allocation, entry_form=form, entry_pk=entry.pk)


# =============================================================================================
# A project's funds
# =============================================================================================


def _project(user, pk: int, *, write: bool = False) -> Project:
    return get_for_user(
        Project.objects.select_related("area", "area__parent"), user, write=write, pk=pk
    )


def _project_page(request, project: Project, **bound):
    user = request.user
    day = today()
    account = FundAccount.objects.filter(project=project).first()
    retention_required = account.retention_required if account else True
    position = positions.position(project, on=day, retention_required=retention_required)
    terms = Terms.of(policy_for(day.year))
    by_tranche = positions.paid_by_tranche(project)
    paid_rows = [(label, by_tranche.get(value, Decimal("0"))) for value, label in Tranche.choices]
    entries = selectors.entries_for(user).filter(project=project).order_by("assigned_on", "id")
    may_arrive = user_can(user, "funds.arrival") and not user.is_read_only
    may_allocate = user_can(user, "funds.allocate") and not user.is_read_only and account
    withheld = retention_amount(position, terms)
    context = {
        "project": project,
        "account": account,
        "position": position,
        "paid_rows": [row for row in paid_rows if row[1]],
        "arrived": positions.arrived(project),
        "assigned": positions.assigned(project),
        "withheld": withheld,
        "retention_held": withheld - position.retention_paid - position.retention_deducted,
        "acceptance": positions.passed_acceptance_by(project, day),
        "entries": entries,
        "payments": payment_selectors.payments_for(user).filter(project=project)[:100],
        "may_arrive": may_arrive,
        "may_pay": user_can(user, "funds.pay") and not user.is_read_only and account,
        "may_allocate": may_allocate,
        "arrival_form": bound.get("arrival_form") or forms.ArrivalForm(),
        "arrival_pk": bound.get("arrival_pk"),
    }
    if may_allocate:
        context["retention_form"] = bound.get("retention_form") or forms.RetentionForm(
            initial={
                "version": account.version,
                "required": "true" if account.retention_required else "false",
            }
        )
    status = 400 if bound else 200
    return render(request, "funds/allocations/project_funds.html", context, status=status)


@capability_required("funds.use")
def project_funds(request, pk: int):
    return _project_page(request, _project(request.user, pk))


@require_POST
@capability_required("funds.use")
def arrival_record(request, pk: int):
    """The township records when an entry's money arrived, and in which account."""
    require(request.user, "funds.arrival")
    entry = get_for_user(
        ProjectFund.objects.select_related("allocation", "project"),
        request.user,
        write=True,
        pk=pk,
    )
    form = forms.ArrivalForm(request.POST)
    if form.is_valid():
        try:
            services.arrival_record(entry=entry, **form.cleaned_data, actor=request.user)
        except DomainError as exc:
            add_refusal_to_form(form, exc, user=request.user)
        else:
            messages.success(request, _("The arrival was recorded."))
            return redirect("funds:project_funds", pk=entry.project_id)
    project = _project(request.user, entry.project_id)
    return _project_page(request, project, arrival_form=form, arrival_pk=entry.pk)


@require_POST
@capability_required("funds.use")
def retention_set(request, pk: int):
    require(request.user, "funds.allocate")
    project = _project(request.user, pk, write=True)
    form = forms.RetentionForm(request.POST)
    if form.is_valid():
        try:
            services.retention_set(
                project=project,
                required=form.cleaned_data["required"],
                expected_version=form.cleaned_data["version"],
                actor=request.user,
            )
        except DomainError as exc:
            add_refusal_to_form(form, exc, user=request.user)
        else:
            messages.success(request, _("The retention arrangement was saved."))
            return redirect("funds:project_funds", pk=project.pk)
    return _project_page(request, project, retention_form=form)


@require_POST
@capability_required("funds.export")
def ledger_export(request):
    """Start the fund ledger (by allocation and by project) of a year, or of every year."""
    from funds.exports.allocations import start_ledger_export
    from kaiyuan.jobs.views import export_started

    year = request.POST.get("year", "")
    return export_started(
        request,
        lambda: start_ledger_export(request.user, year=int(year) if year.isdigit() else None),
        back="funds:allocation_list",
    )
