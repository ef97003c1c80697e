"""The disposal procedure on the pages (处置, DOMAIN.md §5.6): a disposal proposed from the asset's
page, the list of the area's disposals, and a disposal's page with the steps taken and the form
of the next step for whoever may take it (the owner's decision entered by the township, the
bureau's approval, the disposal with its proceeds). Each step posts to ``disposal_step``."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from assets.codes import AssetStatus
from assets.forms import disposals as forms
from assets.models import Asset, Disposal
from assets.models.disposals import DISPOSAL_WORKFLOW, OPEN_DISPOSAL_STATES
from assets.selectors.disposals import disposals_for
from assets.services import disposals as services
from assets.views import trail_of
from kaiyuan.accounts.capabilities import require
from kaiyuan.accounts.decorators import capability_required
from kaiyuan.common.errors import DomainError
from kaiyuan.common.paging import probe_page, query_without_page
from kaiyuan.common.rules import add_refusal_to_form
from kaiyuan.common.scoping import get_for_user, may_change, user_may_write
from kaiyuan.common.workflow import LEVEL_LABELS

S = Disposal.Status
# The steps that follow each state, in the order the page offers them.
NEXT_STEPS = {
    S.PROPOSED: ("owner_decide", "owner_keep"),
    S.DECIDED: ("approve_disposal", "refuse_disposal"),
    S.APPROVED: ("dispose",),
}
STEP_FORMS = {
    "owner_decide": forms.DecisionForm,
    "owner_keep": forms.DecisionForm,
    "approve_disposal": forms.ApprovalForm,
    "refuse_disposal": forms.RefusalForm,
    "dispose": forms.CompletionForm,
}
ROWS = Disposal.objects.select_related("asset__area__parent", "proposed_by")


def _decide(disposal, data, user, *, dispose: bool):
    services.disposal_decide(
        disposal=disposal,
        dispose=dispose,
        decided_on=data["decided_on"],
        decision=data["decision"],
        expected_version=data["version"],
        actor=user,
    )


def _approve(disposal, data, user, *, approve: bool):
    services.disposal_approve(
        disposal=disposal,
        approve=approve,
        reason=data["reason"],
        expected_version=data["version"],
        actor=user,
    )


def _complete(disposal, data, user):
    services.disposal_complete(
        disposal=disposal,
        completed_on=data["completed_on"],
        proceeds=data["proceeds"],
        proceeds_use=data["proceeds_use"],
        expected_version=data["version"],
        actor=user,
    )


DONE = {
    "owner_decide": gettext_lazy("The owner's decision to dispose of the asset was recorded."),
    "owner_keep": gettext_lazy("The owner's decision to keep the asset was recorded."),
    "approve_disposal": gettext_lazy("The disposal was approved."),
    "refuse_disposal": gettext_lazy("The disposal was not approved."),
    "dispose": gettext_lazy(
        "The disposal and its proceeds were recorded; the asset is disposed of."
    ),
}
RUN = {
    "owner_decide": lambda d, data, user: _decide(d, data, user, dispose=True),
    "owner_keep": lambda d, data, user: _decide(d, data, user, dispose=False),
    "approve_disposal": lambda d, data, user: _approve(d, data, user, approve=True),
    "refuse_disposal": lambda d, data, user: _approve(d, data, user, approve=False),
    "dispose": _complete,
}


@capability_required("assets.use")
def disposal_new(request, pk: int):
    """Propose the disposal of an asset: how and why (the owner decides next)."""
    require(request.user, "assets.dispose")
    asset = get_for_user(
        Asset.objects.select_related("area__parent"), request.user, write=True, pk=pk
    )
    form = forms.DisposalForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            disposal = services.disposal_propose(
                asset=asset,
                method=form.cleaned_data["method"],
                reason=form.cleaned_data["reason"],
                actor=request.user,
            )
        except DomainError as exc:
            add_refusal_to_form(form, exc, user=request.user)
        else:
            messages.success(request, _("The disposal was proposed."))
            return redirect(disposal)
    return render(
        request,
        "assets/disposals/disposal_form.html",
        {"form": form, "asset": asset, "disposed": asset.status == AssetStatus.DISPOSED},
    )


@capability_required("assets.use")
def disposal_list(request):
    """The area's disposals, newest first; ``?status=`` keeps one state."""
    rows = disposals_for(request.user)
    status = request.GET.get("status", "")
    if status in S.values:
        rows = rows.filter(status=status)
    else:
        status = ""
    page = probe_page(rows.order_by("-proposed_at", "id"), request.GET.get("page"))
    return render(
        request,
        "assets/disposals/disposal_list.html",
        {
            "page": page,
            "query": query_without_page(request),
            "status": status,
            "statuses": S.choices,
        },
    )


def _may_take(user, disposal: Disposal, action: str) -> bool:
    return (
        user_may_write(user)
        and may_change(user, disposal)
        and DISPOSAL_WORKFLOW.may_take(disposal, action, user)
    )


def _detail_page(request, disposal: Disposal, *, bound=None, status=200):
    user = request.user
    steps = []
    for action in NEXT_STEPS.get(disposal.status, ()):
        step = DISPOSAL_WORKFLOW.step(action)
        form = None
        if bound is not None and action in bound:
            form = bound[action]
        elif _may_take(user, disposal, action):
            form = STEP_FORMS[action](prefix=action, initial={"version": disposal.version})
        steps.append(
            {
                "action": action,
                "label": step.label,
                "level": LEVEL_LABELS.get(step.level, ""),
                "form": form,
            }
        )
    return render(
        request,
        "assets/disposals/disposal_detail.html",
        {
            "disposal": disposal,
            "asset": disposal.asset,
            "history": trail_of(disposal),
            "steps": steps,
            "offered": any(step["form"] is not None for step in steps),
            "is_open": disposal.status in OPEN_DISPOSAL_STATES,
        },
        status=status,
    )


@capability_required("assets.use")
def disposal_detail(request, pk: int):
    return _detail_page(request, get_for_user(ROWS, request.user, pk=pk))


@require_POST
@capability_required("assets.use")
def disposal_step(request, pk: int, step: str):
    """One step of the procedure; the workflow says whose it is (``DISPOSAL_WORKFLOW``)."""
    if step not in STEP_FORMS:
        raise Http404
    user = request.user
    disposal = get_for_user(ROWS, user, write=True, pk=pk)
    require(user, DISPOSAL_WORKFLOW.step(step).capability)
    form = STEP_FORMS[step](request.POST, prefix=step)
    if form.is_valid():
        try:
            RUN[step](disposal, form.cleaned_data, user)
        except DomainError as exc:
            add_refusal_to_form(form, exc, user=user)
        else:
            messages.success(request, str(DONE[step]))
            return redirect(disposal)
    return _detail_page(request, disposal, bound={step: form}, status=400)
