"""Debt placements (债权投入, FND-6, FND-10, §5.8): the list of the area's placements with their
flags, a new placement on a debt-type project, and a placement's page, where the township
records returns and recovered principal (and reverses one recorded in error), proposes a
redeployment, fills in the year's 六清楚, and the bureau consents to or refuses a redeployment.
Every form posts to the page itself with its step's name."""

from __future__ import annotations

from collections import OrderedDict
from decimal import Decimal

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from funds.codes import SixClears
from funds.forms import placements as forms
from funds.models import PlacementReturn, PrincipalRecovery, Redeployment, SixClearsReview
from funds.models.placements import REDEPLOYMENT_WORKFLOW
from funds.selectors.placements import ending_days_on, flagged, flags_of, placements_for
from funds.services import placements as services
from funds.services.allocations import FUNDED_STATES
from kaiyuan.accounts.capabilities import require, user_can
from kaiyuan.accounts.decorators import capability_required
from kaiyuan.common.dates import today
from kaiyuan.common.errors import DomainError
from kaiyuan.common.paging import probe_page, query_without_page
from kaiyuan.common.rules import add_refusal_to_form
from kaiyuan.common.scoping import CHANGE, user_may_write
from projects.codes import FinanceMode
from projects.models import Project
from projects.selectors.projects import project_get_for_user


@capability_required("funds.use")
def placement_list(request):
    """The area's placements, those ending soon or ended with principal outstanding marked;
    ``?flagged=1`` keeps only those."""
    day = today()
    ending_days = ending_days_on(day)
    rows = placements_for(request.user)
    only_flagged = request.GET.get("flagged") == "1"
    if only_flagged:
        rows = flagged(rows, on=day)
    page = probe_page(rows.order_by("end_date", "id"), request.GET.get("page"))
    for placement in page:
        placement.flags = flags_of(placement, on=day, ending_days=ending_days)
    debt_projects = []
    if user_can(request.user, "funds.placements") and user_may_write(request.user):
        debt_projects = list(
            Project.objects.visible_to(request.user, action=CHANGE)
            .filter(finance_mode=FinanceMode.DEBT, status__in=FUNDED_STATES)
            .order_by("code")[:20]
        )
    return render(
        request,
        "funds/placements/placement_list.html",
        {
            "page": page,
            "query": query_without_page(request),
            "only_flagged": only_flagged,
            "debt_projects": debt_projects,
        },
    )


@capability_required("funds.use")
def placement_new(request, pk: int):
    require(request.user, "funds.placements")
    project = project_get_for_user(request.user, pk, write=True)
    form = forms.PlacementForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            placement = services.placement_create(
                project=project, actor=request.user, **form.cleaned_data
            )
        except DomainError as exc:
            add_refusal_to_form(form, exc, user=request.user)
        else:
            messages.success(request, _("The debt placement was recorded."))
            return redirect("funds:placement_detail", pk=placement.pk)
    return render(
        request, "funds/placements/placement_form.html", {"form": form, "project": project}
    )


# ---- the placement's page and its steps -------------------------------------------------------


def _placement(user, pk: int, *, write: bool):
    placement = placements_for(user).filter(pk=pk).first()
    if placement is None:
        raise Http404
    if write and not user_may_write(user):
        raise PermissionDenied
    return placement


def _entry(model, placement, form):
    entry = model.objects.filter(placement=placement, pk=form.cleaned_data["entry"]).first()
    if entry is None:
        raise Http404
    return entry


def _return(placement, form, user):
    services.return_record(placement=placement, actor=user, **form.cleaned_data)
    return _("The return was recorded.")


def _return_reverse(placement, form, user):
    services.return_reverse(
        entry=_entry(PlacementReturn, placement, form),
        reason=form.cleaned_data["reason"],
        actor=user,
    )
    return _("The return was reversed.")


def _recovery(placement, form, user):
    services.recovery_record(placement=placement, actor=user, **form.cleaned_data)
    return _("The recovered principal was recorded.")


def _recovery_reverse(placement, form, user):
    services.recovery_reverse(
        entry=_entry(PrincipalRecovery, placement, form),
        reason=form.cleaned_data["reason"],
        actor=user,
    )
    return _("The recovery was reversed.")


def _redeploy(placement, form, user):
    services.redeployment_propose(placement=placement, actor=user, **form.cleaned_data)
    return _("The redeployment was proposed to the bureau.")


def _decide(placement, form, user):
    data = form.cleaned_data
    redeployment = placement.redeployments.filter(pk=data["redeployment"]).first()
    if redeployment is None:
        raise Http404
    services.redeployment_decide(
        redeployment=redeployment,
        consent=data["consent"],
        note=data["note"],
        expected_version=data["version"],
        actor=user,
    )
    return _("The bureau consented.") if data["consent"] else _("The bureau refused.")


def _six_clears(placement, form, user):
    data = form.cleaned_data
    services.six_clears_record(
        placement=placement,
        year=data["year"],
        items=form.items(),
        problems=data["problems"],
        measures=data["measures"],
        reviewed_on=data["reviewed_on"],
        expected_version=data["version"],
        actor=user,
    )
    return _("The 六清楚 checklist was saved.")


# step name → (capability, form class, run)
STEPS = {
    "return": ("funds.placements", forms.ReturnForm, _return),
    "return_reverse": ("funds.placements", forms.ReverseForm, _return_reverse),
    "recovery": ("funds.placements", forms.RecoveryForm, _recovery),
    "recovery_reverse": ("funds.placements", forms.ReverseForm, _recovery_reverse),
    "redeploy": ("funds.placements", forms.RedeploymentForm, _redeploy),
    "decide": ("funds.consent_redeployment", forms.RedeploymentDecisionForm, _decide),
    "six_clears": ("funds.placements", forms.SixClearsForm, _six_clears),
}


def _form(step: str, user, data=None, review=None):
    form_class = STEPS[step][1]
    kwargs = {"prefix": step}
    if form_class is forms.RedeploymentForm:
        kwargs["user"] = user
    if form_class is forms.SixClearsForm:
        kwargs["review"] = review
    return form_class(data, **kwargs)


@capability_required("funds.use")
def placement_detail(request, pk: int):
    posting = request.method == "POST"
    placement = _placement(request.user, pk, write=posting)
    user = request.user
    step = request.POST.get("step") if posting else None
    bound = None
    if posting:
        if step not in STEPS:
            raise Http404
        require(user, STEPS[step][0])
        bound = _form(step, user, request.POST)
        if bound.is_valid():
            try:
                done = STEPS[step][2](placement, bound, user)
            except DomainError as exc:
                add_refusal_to_form(bound, exc, user=user)
            else:
                messages.success(request, done)
                return redirect("funds:placement_detail", pk=placement.pk)
    returns = list(placement.returns.select_related("recorded_by").order_by("year", "id"))
    by_year: OrderedDict[int, Decimal] = OrderedDict()
    for entry in returns:
        by_year[entry.year] = by_year.get(entry.year, Decimal("0.00")) + entry.amount
    recoveries = list(placement.recoveries.order_by("recovered_on", "id"))
    redeployments = list(placement.redeployments.select_related("to_project").order_by("id"))
    reviews = list(
        SixClearsReview.objects.filter(placement=placement)
        .select_related("reviewed_by")
        .order_by("-year")
    )
    this_year = next((r for r in reviews if r.year == today().year), None)
    may_record = user_can(user, "funds.placements") and user_may_write(user)
    may_propose = REDEPLOYMENT_WORKFLOW.may_take(None, "propose", user)
    may_decide = user_can(user, "funds.consent_redeployment") and user_may_write(user)
    forms_shown = {}
    if may_record:
        for name in ("return", "recovery", "six_clears"):
            forms_shown[name] = _form(name, user, review=this_year)
    if may_propose:
        forms_shown["redeploy"] = _form("redeploy", user)
    if bound is not None:
        forms_shown[step] = bound
    day = today()
    for item in redeployments:
        item.awaiting = item.status == Redeployment.Status.PROPOSED
    labels = dict(SixClears.choices)
    for review in reviews:
        review.rows = [(labels[code], review.items.get(code, {})) for code in SixClears.values]
    return render(
        request,
        "funds/placements/placement_detail.html",
        {
            "placement": placement,
            "outstanding": placement.outstanding,
            "flags": flags_of(placement, on=day),
            "returns": returns,
            "returns_by_year": list(by_year.items()),
            "recoveries": recoveries,
            "redeployments": redeployments,
            "reviews": reviews,
            "forms": forms_shown,
            "failed_step": step if bound is not None else None,
            "may_record": may_record,
            "may_decide": may_decide,
            "reverse_errors": bound if step in ("return_reverse", "recovery_reverse") else None,
            "decide_errors": bound if step == "decide" else None,
        },
    )


@require_POST
@capability_required("funds.export")
def placements_export(request):
    """Start the debt placements with their returns, flags and 六清楚."""
    from funds.exports.placements import start_placements_export
    from kaiyuan.jobs.views import export_started

    return export_started(
        request, lambda: start_placements_export(request.user), back="funds:placement_list"
    )
