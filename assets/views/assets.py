"""The pages of the ledger itself: its entry page, the filtered list, an asset with everything
recorded on it (DOMAIN.md §5.3), an asset of earlier years, an asset's details, 确权, 三资
entry, status and 四个一批 review; the accepted projects to hand over (AST-1) and the handover of
one; what the townships still owe of 确权 and 三资 entry (AST-3); the assets to revive (盘活);
the villages' collective economic organisations."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from assets.codes import LINKAGE_SOURCES, AssetClass, AssetStatus, AssetType, FundingSource
from assets.filters import AssetFilter
from assets.forms import assets as forms
from assets.models import Asset, Disposal, Distribution
from assets.models.disposals import DISPOSAL_WORKFLOW, OPEN_DISPOSAL_STATES
from assets.rules import assets as rules
from assets.selectors import assets as selectors
from assets.selectors.disposals import disposals_for
from assets.selectors.distributions import distributions_for
from assets.selectors.incomes import low_return, low_return_rows, year_returns
from assets.services import assets as services
from assets.services import reviews as review_services
from assets.views import trail_of
from kaiyuan.accounts.capabilities import require, user_can
from kaiyuan.accounts.decorators import capability_required
from kaiyuan.areas.models import Area
from kaiyuan.common.dates import today
from kaiyuan.common.errors import DomainError
from kaiyuan.common.paging import probe_page, query_without_page
from kaiyuan.common.rules import add_refusal_to_form
from kaiyuan.common.scoping import get_for_user, may_change, user_may_write
from kaiyuan.common.views import lenient_filterset
from kaiyuan.policy.services import policy_for
from projects.codes import FourBatches
from projects.models import Project

# How many rows a section of the 盘活 page shows (the list page filters the rest).
REVIVE_ROWS = 100
ASSET_ROWS = Asset.objects.select_related(
    "area__parent",
    "project",
    "placement",
    "collective",
    "owner_township",
    "owner_household",
    "created_by",
)


def _asset(user, pk: int, *, write: bool = False) -> Asset:
    return get_for_user(ASSET_ROWS, user, write=write, pk=pk)


def _may_record(user, asset: Asset | None = None) -> bool:
    """The ledger's clerk's work on ``asset`` (or any asset of their area)."""
    if not user_can(user, "assets.record") or not user_may_write(user):
        return False
    return asset is None or (asset.status != AssetStatus.DISPOSED and may_change(user, asset))


# =============================================================================================
# The entry page and the list
# =============================================================================================


@capability_required("assets.use")
def index(request):
    """What the ledger holds in the user's area and what waits: the assets by class, the PV
    stations, the projects to hand over, the 确权 and 三资 entries missing, the assets to revive,
    the distributions and disposals under way."""
    user = request.user
    counts = (
        Asset.objects.visible_to(user)
        .current()
        .aggregate(
            total=Count("id"),
            operating=Count("id", filter=Q(asset_class=AssetClass.OPERATING)),
            public=Count("id", filter=Q(asset_class=AssetClass.PUBLIC)),
            household=Count("id", filter=Q(asset_class=AssetClass.HOUSEHOLD)),
            pv=Count("id", filter=Q(asset_type=AssetType.PV_STATION)),
            missing=Count("id", filter=rules.missing_registration_q()),
            idle=Count("id", filter=Q(status__in=[AssetStatus.IDLE, AssetStatus.DAMAGED])),
        )
    )
    last_year = today().year - 1
    context = {
        "counts": counts,
        "classes": [
            (AssetClass.OPERATING, AssetClass.OPERATING.label, counts["operating"]),
            (AssetClass.PUBLIC, AssetClass.PUBLIC.label, counts["public"]),
            (AssetClass.HOUSEHOLD, AssetClass.HOUSEHOLD.label, counts["household"]),
        ],
        "pv_type": AssetType.PV_STATION,
        "to_hand_over": selectors.awaiting_handover(user).count(),
        "to_revive": selectors.to_revive(user).count(),
        "low_return": low_return(user, last_year).count(),
        "last_year": last_year,
        "distributions_waiting": distributions_for(user)
        .exclude(status=Distribution.Status.PAID)
        .count(),
        "disposals_open": disposals_for(user).filter(status__in=OPEN_DISPOSAL_STATES).count(),
        "without_collective": Area.objects.visible_to(user)
        .villages()
        .filter(collective__isnull=True)
        .count(),
        "may_record": _may_record(user),
    }
    return render(request, "assets/index.html", context)


@capability_required("assets.use")
def asset_list(request):
    """The assets of the user's area with the ledger's filters (the API's ``AssetFilter``), in
    a constant number of queries."""
    user = request.user
    filterset = lenient_filterset(
        AssetFilter, request.GET, queryset=selectors.assets_for(user), user=user
    )
    page = probe_page(filterset.qs.order_by("code"), request.GET.get("page"))
    for asset in page:
        asset.flags = rules.missing_registration(asset)
    return render(
        request,
        "assets/asset_list.html",
        {
            "page": page,
            "pick": filterset.pick,
            "chosen": filterset.form.cleaned_data,
            "classes": AssetClass.choices,
            "types": AssetType.choices,
            "statuses": AssetStatus.choices,
            "owner_kinds": forms.OwnerKind.choices,
            "batches": FourBatches.choices,
            "query": query_without_page(request),
            "may_record": _may_record(user),
        },
    )


# =============================================================================================
# An asset
# =============================================================================================


def _funding_rows(asset: Asset) -> list[dict]:
    """The asset's fund sources, and beside the linkage funds what its project paid from that
    level and what the project's assets hold of it in all (AST-VALUE's two sides)."""
    amounts = selectors.funding_of(asset)
    paid = selectors.paid_by_level(asset.project) if asset.project_id else {}
    held = selectors.funding_in_assets(asset.project) if asset.project_id else {}
    rows = []
    for source, label in FundingSource.choices:
        linkage = source in LINKAGE_SOURCES and asset.project_id is not None
        if source not in amounts and not (linkage and paid.get(source)):
            continue
        rows.append(
            {
                "source": source,
                "label": label,
                "amount": amounts.get(source),
                "paid": paid.get(source) if linkage else None,
                "held": held.get(source) if linkage else None,
            }
        )
    return rows


@capability_required("assets.use")
def asset_detail(request, pk: int):
    """Everything of §5.3 for one asset: what and where it is, its source project and fund
    sources traced to the project's payments, owner, operator, contract, custody, 确权 and 三资
    entry, status, its 四个一批 reviews, each settled year's return against the minimum, its
    income settlements and distributions, its disposals and its trail."""
    user = request.user
    asset = _asset(user, pk)
    incomes = list(asset.incomes.select_related("distribution").order_by("-year"))
    returns = []
    if selectors.return_basis(asset) is not None:
        returns = year_returns(asset, [income.year for income in incomes])
    writer = user_may_write(user) and may_change(user, asset)
    current = asset.status != AssetStatus.DISPOSED
    disposals = list(asset.disposals.select_related("proposed_by").order_by("-proposed_at"))
    open_disposal = next((d for d in disposals if d.status in OPEN_DISPOSAL_STATES), None)
    context = {
        "asset": asset,
        "funding": _funding_rows(asset),
        "flags": rules.missing_registration(asset),
        "reviews": list(asset.reviews.select_related("reviewed_by")),
        "incomes": incomes,
        "returns": returns,
        "distributions": [income.distribution for income in incomes if _has_distribution(income)],
        "disposals": disposals,
        "history": trail_of(asset),
        "may_record": _may_record(user, asset),
        "may_review": _may_record(user, asset) and asset.asset_class == AssetClass.OPERATING,
        "may_settle": writer and current and user_can(user, "assets.settle"),
        "may_distribute": writer and current and user_can(user, "assets.distribute"),
        "may_dispose": writer
        and current
        and open_disposal is None
        and DISPOSAL_WORKFLOW.may_take(Disposal(asset=asset), "propose_disposal", user),
        "may_export": user_can(user, "assets.export"),
    }
    return render(request, "assets/asset_detail.html", context)


def _has_distribution(income) -> bool:
    try:
        return income.distribution is not None
    except Distribution.DoesNotExist:
        return False


def _form_page(request, form, *, title, asset=None, project=None, submit=None, status=200):
    return render(
        request,
        "assets/asset_form.html",
        {
            "form": form,
            "title": title,
            "asset": asset,
            "project": project,
            "submit": submit or _("Save"),
        },
        status=status,
    )


@capability_required("assets.use")
def asset_new(request):
    """An asset formed before the project library, entered with its year and source."""
    require(request.user, "assets.record")
    if not user_may_write(request.user):
        raise PermissionDenied
    form = forms.AssetCreateForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            asset = services.asset_create(
                values=form.values(), funding=form.funding(), actor=request.user
            )
        except DomainError as exc:
            add_refusal_to_form(form, exc, user=request.user)
        else:
            messages.success(request, _("The asset was entered in the ledger."))
            return redirect(asset)
    return _form_page(request, form, title=_("An asset of earlier years"))


@capability_required("assets.use")
def asset_edit(request, pk: int):
    """The asset's details, owner, value and fund sources, saved only over the version the
    user opened (someone else's change is never overwritten)."""
    require(request.user, "assets.record")
    asset = _asset(request.user, pk, write=True)
    form = forms.AssetEditForm(request.POST or None, asset=asset, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.asset_update(
                asset=asset,
                values=form.values(),
                funding=form.changed_funding(),
                expected_version=form.cleaned_data["version"],
                actor=request.user,
            )
        except DomainError as exc:
            add_refusal_to_form(form, exc, user=request.user)
        else:
            messages.success(request, _("The asset was saved."))
            return redirect(asset)
    return _form_page(request, form, title=_("Edit the asset"), asset=asset)


def _confirm(asset, data, user):
    services.asset_confirm(
        asset=asset,
        confirmed_on=data["confirmed_on"],
        certificate_number=data["certificate_number"],
        expected_version=data["version"],
        actor=user,
    )
    return _("The ownership confirmation (确权) was recorded.")


def _sanzi(asset, data, user):
    services.asset_enter_sanzi(
        asset=asset,
        entered_on=data["entered_on"],
        sanzi_id=data["sanzi_id"],
        expected_version=data["version"],
        actor=user,
    )
    return _("The entry on the 三资 platform was recorded.")


def _status(asset, data, user):
    services.asset_set_status(
        asset=asset,
        status=data["status"],
        on=data["on"],
        note=data["note"],
        expected_version=data["version"],
        actor=user,
    )
    return _("The status was saved.")


def _review(asset, data, user):
    review_services.asset_review(
        asset=asset,
        batch=data["batch"],
        reviewed_on=data["reviewed_on"],
        reason=data["reason"],
        actor=user,
    )
    return _("The 四个一批 review was recorded.")


def _asset_step(request, pk: int, *, form_class, run, title, initial=None):
    """One of the asset's own steps (确权, 三资 entry, status, review): a small form, one
    service, back to the asset's page."""
    require(request.user, "assets.record")
    asset = _asset(request.user, pk, write=True)
    values = {"version": asset.version, **(initial(asset) if initial else {})}
    form = form_class(request.POST or None, initial=values)
    if request.method == "POST" and form.is_valid():
        try:
            done = run(asset, form.cleaned_data, request.user)
        except DomainError as exc:
            add_refusal_to_form(form, exc, user=request.user)
        else:
            messages.success(request, done)
            return redirect(asset)
    return _form_page(request, form, title=title, asset=asset)


@capability_required("assets.use")
def asset_confirm(request, pk: int):
    return _asset_step(
        request,
        pk,
        form_class=forms.ConfirmForm,
        run=_confirm,
        title=_("Ownership confirmation (确权登记)"),
        initial=lambda asset: (
            {"certificate_number": asset.certificate_number} if asset.certificate_number else {}
        ),
    )


@capability_required("assets.use")
def asset_sanzi(request, pk: int):
    return _asset_step(
        request,
        pk,
        form_class=forms.SanziForm,
        run=_sanzi,
        title=_("Entry on the 三资 platform"),
        initial=lambda asset: {"sanzi_id": asset.sanzi_id} if asset.sanzi_id else {},
    )


@capability_required("assets.use")
def asset_status(request, pk: int):
    return _asset_step(
        request,
        pk,
        form_class=forms.StatusForm,
        run=_status,
        title=_("Status of the asset"),
        initial=lambda asset: {"status": asset.status, "note": asset.status_note},
    )


@capability_required("assets.use")
def asset_review(request, pk: int):
    return _asset_step(
        request,
        pk,
        form_class=forms.ReviewForm,
        run=_review,
        title=_("四个一批 review"),
        initial=lambda asset: {"batch": asset.four_batches} if asset.four_batches else {},
    )


# =============================================================================================
# Handover (AST-1)
# =============================================================================================


@capability_required("assets.use")
def handover_list(request):
    """The accepted projects of the area still to hand over their assets, and those handed
    over as having formed assets that the ledger does not hold yet."""
    user = request.user
    rows = selectors.awaiting_handover(user).select_related("handover")
    page = probe_page(rows, request.GET.get("page"))
    return render(
        request,
        "assets/handover/handover_list.html",
        {
            "page": page,
            "query": query_without_page(request),
            "may_record": _may_record(user),
        },
    )


def _project(user, pk: int) -> Project:
    return get_for_user(Project.objects.select_related("area__parent"), user, write=True, pk=pk)


def _handover_page(request, project: Project, *, form=None, none_form=None, status=200):
    user = request.user
    handover = getattr(project, "handover", None)
    open_ = project.status in services.HANDOVER_STATES and (
        handover is None or handover.asset_formed
    )
    paid = selectors.paid_by_level(project)
    held = selectors.funding_in_assets(project)
    if open_ and form is None:
        form = forms.AssetHandoverForm(
            project=project, user=user, initial=forms.handover_initial(project)
        )
    if open_ and handover is None and none_form is None:
        none_form = forms.NoAssetForm(prefix="none", initial={"version": project.version})
    return render(
        request,
        "assets/handover/handover.html",
        {
            "project": project,
            "handover": handover,
            "open": open_,
            "form": form if open_ else None,
            "none_form": none_form if open_ and handover is None else None,
            "paid_rows": [
                (label, paid.get(source), held.get(source))
                for source, label in FundingSource.choices
                if source in LINKAGE_SOURCES
            ],
            "assets": list(project.assets.select_related("area").order_by("id")),
        },
        status=status,
    )


@capability_required("assets.use")
def handover(request, pk: int):
    """An asset of the accepted project onto the ledger, the form filled from the project (its
    name, village, what it paid from each level, its 管护 and operating agreement). The first
    asset hands the project over (资产移交); later ones join the handover."""
    require(request.user, "assets.record")
    project = _project(request.user, pk)
    if request.method != "POST":
        return _handover_page(request, project)
    form = forms.AssetHandoverForm(request.POST, project=project, user=request.user)
    if form.is_valid():
        try:
            asset = services.asset_hand_over(
                project=project,
                values=form.values(),
                funding=form.funding(),
                expected_version=form.cleaned_data["version"],
                actor=request.user,
            )
        except DomainError as exc:
            add_refusal_to_form(form, exc, user=request.user)
        else:
            messages.success(
                request,
                _("%(asset)s was handed over to the ledger.") % {"asset": asset},
            )
            return redirect(asset)
    return _handover_page(request, project, form=form, status=400)


@require_POST
@capability_required("assets.use")
def handover_none(request, pk: int):
    """The accepted project formed no asset: the handover records why."""
    require(request.user, "assets.record")
    project = _project(request.user, pk)
    form = forms.NoAssetForm(request.POST, prefix="none")
    if form.is_valid():
        try:
            services.project_no_asset(
                project=project,
                handed_over_on=form.cleaned_data["handed_over_on"],
                reason=form.cleaned_data["reason"],
                expected_version=form.cleaned_data["version"],
                actor=request.user,
            )
        except DomainError as exc:
            add_refusal_to_form(form, exc, user=request.user)
        else:
            messages.success(request, _("The project was handed over as having formed no asset."))
            return redirect("assets:handover_list")
    return _handover_page(request, project, none_form=form, status=400)


# =============================================================================================
# Registration (AST-3), 盘活, collectives
# =============================================================================================


@capability_required("assets.use")
def registration(request):
    """What the townships still owe: per township the collectives' assets not confirmed (确权)
    or not entered on the 三资 platform, then those assets, a page at a time."""
    user = request.user
    rows = selectors.missing_registration(user).order_by("area__parent__code", "area__code", "code")
    page = probe_page(rows, request.GET.get("page"))
    for asset in page:
        asset.flags = rules.missing_registration(asset)
    return render(
        request,
        "assets/registration/registration.html",
        {
            "townships": selectors.missing_by_township(user),
            "page": page,
            "query": query_without_page(request),
            "may_record": _may_record(user),
        },
    )


@capability_required("assets.use")
def revive(request):
    """The operating assets to revive (盘活): idle, damaged or classed 盘活一批, and those whose
    last year brought less than the minimum return."""
    user = request.user
    year = today().year - 1
    percent = policy_for(year).minimum_return_percent
    idle = list(selectors.to_revive(user).order_by("code")[: REVIVE_ROWS + 1])
    low = low_return_rows(user, year, limit=REVIVE_ROWS + 1)
    return render(
        request,
        "assets/revive.html",
        {
            "idle": idle[:REVIVE_ROWS],
            "idle_more": len(idle) > REVIVE_ROWS,
            "low": low[:REVIVE_ROWS],
            "low_more": len(low) > REVIVE_ROWS,
            "year": year,
            "percent": percent,
            "revive_batch": FourBatches.REVIVE,
            "rows": REVIVE_ROWS,
        },
    )


@capability_required("assets.use")
def collective_list(request):
    """The villages' collective economic organisations of the area with their assets, and the
    villages whose organisation is not registered yet."""
    user = request.user
    rows = selectors.collectives_for(user).annotate(asset_count=Count("assets"))
    page = probe_page(rows.order_by("village__code"), request.GET.get("page"))
    missing = list(
        Area.objects.visible_to(user)
        .villages()
        .filter(collective__isnull=True)
        .select_related("parent")
        .order_by("code")[:200]
    )
    return render(
        request,
        "assets/collectives/collective_list.html",
        {
            "page": page,
            "query": query_without_page(request),
            "missing": missing,
            "may_record": _may_record(user),
        },
    )


@capability_required("assets.use")
def collective_new(request):
    """Register a village's collective economic organisation with its N2 credit code."""
    user = request.user
    require(user, "assets.record")
    if not user_may_write(user):
        raise PermissionDenied
    initial = {}
    village = request.GET.get("village", "")
    if village.isdigit():
        initial["village"] = int(village)
    form = forms.CollectiveForm(request.POST or None, user=user, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            collective = services.collective_register(actor=user, **form.cleaned_data)
        except DomainError as exc:
            add_refusal_to_form(form, exc, user=user)
        else:
            messages.success(request, _("%(name)s was registered.") % {"name": collective.name})
            return redirect("assets:collective_list")
    return render(request, "assets/collectives/collective_form.html", {"form": form})
