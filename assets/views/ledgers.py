"""The asset ledger's exports (assets/exports): the page that lists them for the user's area, the
three-level ledger, the rosters and the chain (jobs: the user follows the job's page), one
asset's chain (served at once) and a village's published ledger (PDF, served at once).

Roles with assets.export (township clerks, the bureau, finance, leaders, auditors, the
administrator) export; others get 403. The area is the user's own or a township or village
inside it; any other area, like an asset or a village outside it, is the 404 of a missing one.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from assets.exports.chains import asset_chain_response, start_chain_export
from assets.exports.distributions import start_roster_export
from assets.exports.ledgers import default_year, start_ledger_export
from assets.exports.village import village_ledger_response
from assets.forms.ledgers import ExportForm, year_choices
from assets.models import Asset
from kaiyuan.accounts.decorators import capability_required
from kaiyuan.areas.models import Area
from kaiyuan.areas.picker import AreaPick, UnknownArea, area_pick
from kaiyuan.common.api_filters import as_id
from kaiyuan.common.scoping import get_for_user
from kaiyuan.jobs.views import export_started

CAPABILITY = "assets.export"
INDEX = "assets:export_index"


def _scope(pick: AreaPick) -> Area:
    return pick.scope or Area.objects.home_county()


def _posted(request) -> tuple[Area, ExportForm]:
    """The area and year an export form posted; an area outside the user's is a 404."""
    form = ExportForm(request.POST)
    form.is_valid()
    if "township" in form.errors or "village" in form.errors:
        raise Http404
    data = form.cleaned_data
    try:
        pick = area_pick(request.user, data.get("township"), data.get("village"), strict=True)
    except UnknownArea:
        raise Http404 from None
    return _scope(pick), form


@require_GET
@capability_required(CAPABILITY)
def export_index(request):
    """The exports of the user's area, or of the township or village picked on the page."""
    user = request.user
    pick = area_pick(
        user, as_id(request.GET.get("township", "")), as_id(request.GET.get("village", ""))
    )
    raw_year = as_id(request.GET.get("year", ""))
    years = [year for year, _label in year_choices()]
    year = raw_year if raw_year in years else default_year()
    scope = _scope(pick)
    return render(
        request,
        "assets/ledgers/export_index.html",
        {
            "pick": pick,
            "scope": scope,
            "level": scope.level,
            "year": year,
            "years": years,
            "village": scope if scope.level == Area.Level.VILLAGE else None,
        },
    )


@require_POST
@capability_required(CAPABILITY)
def ledger_export(request):
    """Start the ledger of the picked area at its level: the county's master ledger with a
    summary by township, a township's detail ledger with a summary by village, a village's."""
    scope, form = _posted(request)
    if not form.is_valid():
        messages.error(request, _("Choose the income year."))
        return redirect(INDEX)
    year = form.year_or_default()
    return export_started(
        request, lambda: start_ledger_export(request.user, area=scope, year=year), back=INDEX
    )


@require_POST
@capability_required(CAPABILITY)
def roster_export(request):
    """Start the distribution rosters of the picked area, of a year or of every year."""
    scope, form = _posted(request)
    if not form.is_valid():
        messages.error(request, _("Choose the income year."))
        return redirect(INDEX)
    year = form.cleaned_data.get("year")
    return export_started(
        request, lambda: start_roster_export(request.user, area=scope, year=year), back=INDEX
    )


@require_POST
@capability_required(CAPABILITY)
def chain_export(request):
    """Start the chain of every asset of the picked area (streamed)."""
    scope, _form = _posted(request)
    return export_started(request, lambda: start_chain_export(request.user, area=scope), back=INDEX)


@require_POST
@capability_required(CAPABILITY)
def asset_chain_export(request, pk: int):
    """One asset's chain, at once."""
    asset = get_for_user(Asset.objects.select_related("area"), request.user, pk=pk)
    return asset_chain_response(asset, actor=request.user)


@require_GET
@capability_required(CAPABILITY)
def village_ledger_pdf(request, pk: int):
    """A village's published ledger of a year (``?year=``, last year by default), as PDF: a
    single village's paper, served at once like a household's card, and recorded."""
    village = get_for_user(Area.objects.villages().select_related("parent"), request.user, pk=pk)
    raw = as_id(request.GET.get("year", ""))
    years = {year for year, _label in year_choices()}
    year = raw if raw in years else default_year()
    return village_ledger_response(village, actor=request.user, year=year)
