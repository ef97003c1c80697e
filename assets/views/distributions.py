"""A settled income's distribution (收益分配): the plan drawn up, its lines (households of any
township, AST-7; a PV station's three uses, 6:3:1, AST-PV-1), its publicity (AST-PV-2), its
reopening after an objection, its payment; the list of the area's distributions.

The distribution's page shows every step its user may take now (``DISTRIBUTION_WORKFLOW``);
each form posts to its own address, and a refusal comes back to the page beside the fields of
that form, with nothing written. A line of a household the user may not see is shown without
the household's name or village."""

from __future__ import annotations

from decimal import Decimal

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import DecimalField, Sum, Value
from django.db.models.functions import Coalesce
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from assets.codes import HOUSEHOLD_USES, PV_USES, LineUse
from assets.filters import DistributionFilter
from assets.forms import distributions as forms
from assets.models import Distribution, DistributionLine
from assets.models.distributions import DISTRIBUTION_WORKFLOW
from assets.rules.distributions import pv_labels
from assets.selectors.distributions import distributions_for, households_to_pick, plan_of
from assets.selectors.incomes import incomes_for
from assets.services import distributions as services
from kaiyuan.accounts.capabilities import require, user_can
from kaiyuan.accounts.decorators import capability_required
from kaiyuan.common.errors import DomainError
from kaiyuan.common.idcard import looks_like_id_number
from kaiyuan.common.paging import probe_page, query_without_page
from kaiyuan.common.rules import add_refusal_to_form, shown_to
from kaiyuan.common.scoping import get_for_user, user_may_write
from kaiyuan.common.views import lenient_filterset
from kaiyuan.policy.services import policy_for

D = Distribution.Status
MONEY = DecimalField(max_digits=14, decimal_places=2)


def _distribution(user, pk: int, *, write: bool = False) -> Distribution:
    rows = Distribution.objects.select_related("asset__area__parent", "income")
    return get_for_user(rows, user, write=write, pk=pk)


def _id(raw: str | None) -> int | None:
    return int(raw) if raw and raw.isdigit() else None


# =============================================================================================
# The plan drawn up
# =============================================================================================


@capability_required("assets.use")
def distribution_new(request, pk: int):
    """The settled income and its plan: the amount to distribute, all of the net income unless
    less is given. An income that already has its plan leads to it."""
    require(request.user, "assets.distribute")
    income = incomes_for(request.user).select_related("distribution").filter(pk=pk).first()
    if income is None:
        raise Http404
    if not user_may_write(request.user):
        raise PermissionDenied
    existing = getattr(income, "distribution", None)
    if existing is not None:
        return redirect(existing)
    form = forms.DistributionForm(request.POST or None, income=income)
    if request.method == "POST" and form.is_valid():
        try:
            distribution = services.distribution_create(
                income=income, amount=form.cleaned_data["amount"], actor=request.user
            )
        except DomainError as exc:
            add_refusal_to_form(form, exc, user=request.user)
        else:
            messages.success(request, _("The distribution plan was drawn up."))
            return redirect(distribution)
    return render(
        request,
        "assets/distributions/distribution_new.html",
        {
            "income": income,
            "asset": income.asset,
            "form": form,
            "may_settle": user_can(request.user, "assets.settle"),
            "nothing_left": income.net_income <= 0,
        },
        status=400 if form.errors else 200,
    )


# =============================================================================================
# The list
# =============================================================================================


@capability_required("assets.use")
def distribution_list(request):
    """The area's distributions by year, status, township (and village) and kind, each with
    what its lines give out so far; one query for the rows whatever their number."""
    filterset = lenient_filterset(
        DistributionFilter, request.GET, queryset=distributions_for(request.user), user=request.user
    )
    rows = filterset.qs
    rows = rows.annotate(
        planned=Coalesce(Sum("lines__amount"), Value(Decimal("0.00"), output_field=MONEY))
    ).order_by("-year", "asset__code", "id")
    page = probe_page(rows, request.GET.get("page"))
    return render(
        request,
        "assets/distributions/distribution_list.html",
        {
            "page": page,
            "filters": filterset.form,
            "pick": filterset.pick,
            "query": query_without_page(request),
        },
    )


# =============================================================================================
# The distribution's page
# =============================================================================================


def _may(user, distribution: Distribution, step: str) -> bool:
    return user_may_write(user) and DISTRIBUTION_WORKFLOW.may_take(distribution, step, user)


def _households_found(request):
    """The picker's search (``?q=``): households a line may name, among those the user sees.
    An ID number is not searched from the address, where it would stay in the history."""
    search = forms.HouseholdSearchForm(request.GET or None)
    result, id_in_address = None, False
    if search.is_valid() and search.cleaned_data["q"]:
        query = search.cleaned_data["q"]
        if looks_like_id_number(query):
            id_in_address = True
        else:
            result = households_to_pick(user=request.user, query=query)
    return search, result, id_in_address


def _detail_page(request, distribution: Distribution, **bound):
    user = request.user
    plan = plan_of(distribution, user=user)
    version = {"version": distribution.version}
    draft = distribution.status == D.DRAFT
    may_draw_up = draft and user_can(user, "assets.distribute") and user_may_write(user)
    context = {
        "distribution": distribution,
        "asset": distribution.asset,
        "income": distribution.income,
        "plan": plan,
        "left": distribution.amount - plan.planned,
        "flags": [(flag.rule, shown_to(user, flag)) for flag in plan.flags],
        "lines": [
            (line, line.household_id is None or line.household_id in plan.visible_households)
            for line in plan.lines
        ],
        "may_draw_up": may_draw_up,
        "may_correct_income": draft and user_can(user, "assets.settle") and user_may_write(user),
    }
    if plan.pv_shares is not None:
        context["uses"] = [
            (use, plan.pv_labels[use], plan.pv_shares[use], plan.by_use.get(use, Decimal("0.00")))
            for use in PV_USES
        ]
    else:
        labels = dict(LineUse.choices)
        context["uses"] = [
            (use, labels[use], None, plan.by_use.get(use, Decimal("0.00")))
            for use in HOUSEHOLD_USES
        ]
    if may_draw_up:
        search, result, id_in_address = _households_found(request)
        found = list(result.households) if result else []
        context.update(
            search=search,
            result=result,
            id_in_address=id_in_address,
            amount_form=bound.get("amount_form")
            or forms.AmountForm(initial={"amount": distribution.amount, **version}),
            line_form=bound.get("line_form")
            or forms.LineForm(
                initial=version,
                distribution=distribution,
                user=user,
                households=found,
                pv_labels=plan.pv_labels,
            ),
            version=distribution.version,
        )
    if draft and _may(user, distribution, "publicise"):
        context["publicity_form"] = bound.get("publicity_form") or forms.PublicityForm(
            initial=version
        )
    if distribution.status == D.PUBLICISED:
        if _may(user, distribution, "revise"):
            context["revise_form"] = bound.get("revise_form") or forms.ReviseForm(initial=version)
        if _may(user, distribution, "pay"):
            context["pay_form"] = bound.get("pay_form") or forms.PayForm(initial=version)
    if request.headers.get("HX-Request") and "q" in request.GET and "line_form" in context:
        # The picker's search, redrawn in place: only the household choices.
        return render(request, "assets/distributions/_household_choices.html", context)
    return render(
        request,
        "assets/distributions/distribution_detail.html",
        context,
        status=400 if bound else 200,
    )


@capability_required("assets.use")
def distribution_detail(request, pk: int):
    return _detail_page(request, _distribution(request.user, pk))


def _submit(request, distribution, form, name: str, run, done: str):
    """A step's form: the service, then back to the page; a refusal beside the fields."""
    if form.is_valid():
        try:
            run(form.cleaned_data)
        except DomainError as exc:
            add_refusal_to_form(form, exc, user=request.user)
        else:
            messages.success(request, done)
            return redirect(distribution)
    return _detail_page(request, distribution, **{name: form})


@require_POST
@capability_required("assets.use")
def distribution_amount(request, pk: int):
    require(request.user, "assets.distribute")
    distribution = _distribution(request.user, pk, write=True)
    return _submit(
        request,
        distribution,
        forms.AmountForm(request.POST),
        "amount_form",
        lambda data: services.distribution_change_amount(
            distribution=distribution,
            amount=data["amount"],
            expected_version=data["version"],
            actor=request.user,
        ),
        _("The amount to distribute was changed."),
    )


@require_POST
@capability_required("assets.use")
def line_add(request, pk: int):
    require(request.user, "assets.distribute")
    distribution = _distribution(request.user, pk, write=True)
    labels = pv_labels(policy_for(distribution.year)) if distribution.asset.is_pv_station else None
    form = forms.LineForm(
        request.POST, distribution=distribution, user=request.user, pv_labels=labels
    )
    if form.is_valid() and form.cleaned_data["household"] is not None:
        # Drawn again with the household chosen, should the line be refused.
        chosen = form.cleaned_data["household"]
        form.fields["household"].widget.choices = [(chosen.pk, forms.household_label(chosen))]
    return _submit(
        request,
        distribution,
        form,
        "line_form",
        lambda data: services.line_add(
            distribution=distribution,
            use=data["use"],
            amount=data["amount"],
            household=data["household"],
            payee=data["payee"],
            item=data["item"],
            note=data["note"],
            expected_version=data["version"],
            actor=request.user,
        ),
        _("The line was added."),
    )


@require_POST
@capability_required("assets.use")
def line_remove(request, pk: int):
    require(request.user, "assets.distribute")
    line = DistributionLine.objects.filter(pk=pk).only("id", "distribution_id").first()
    if line is None:
        raise Http404
    distribution = _distribution(request.user, line.distribution_id, write=True)
    line.distribution = distribution
    form = forms.VersionOnlyForm(request.POST)
    if form.is_valid():
        try:
            services.line_remove(
                line=line, expected_version=form.cleaned_data["version"], actor=request.user
            )
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("The line was removed."))
    return redirect(distribution)


@require_POST
@capability_required("assets.use")
def distribution_publicise(request, pk: int):
    require(request.user, "assets.distribute")
    distribution = _distribution(request.user, pk, write=True)
    return _submit(
        request,
        distribution,
        forms.PublicityForm(request.POST),
        "publicity_form",
        lambda data: services.distribution_publicise(
            distribution=distribution,
            publicity_from=data["publicity_from"],
            publicity_to=data["publicity_to"],
            place=data["publicity_place"],
            objections=data["publicity_objections"],
            expected_version=data["version"],
            actor=request.user,
        ),
        _("The publicity was recorded."),
    )


@require_POST
@capability_required("assets.use")
def distribution_revise(request, pk: int):
    require(request.user, "assets.distribute")
    distribution = _distribution(request.user, pk, write=True)
    return _submit(
        request,
        distribution,
        forms.ReviseForm(request.POST),
        "revise_form",
        lambda data: services.distribution_revise(
            distribution=distribution,
            reason=data["reason"],
            expected_version=data["version"],
            actor=request.user,
        ),
        _("The plan was reopened to be drawn up again."),
    )


@require_POST
@capability_required("assets.use")
def distribution_pay(request, pk: int):
    require(request.user, "assets.pay")
    distribution = _distribution(request.user, pk, write=True)
    return _submit(
        request,
        distribution,
        forms.PayForm(request.POST),
        "pay_form",
        lambda data: services.distribution_pay(
            distribution=distribution,
            paid_on=data["paid_on"],
            payment_reference=data["payment_reference"],
            expected_version=data["version"],
            actor=request.user,
        ),
        _("The distribution was recorded as paid."),
    )
