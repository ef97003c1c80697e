"""The spending progress of a year's linkage funds (FND-8) and the industry share of the
provincial-and-above money (FND-9), as of any day."""

from __future__ import annotations

from django.shortcuts import render
from django.views.decorators.http import require_POST

from funds.forms.progress import ProgressForm
from funds.selectors.progress import spending_progress
from kaiyuan.accounts.decorators import capability_required


@capability_required("funds.county_view")
def progress(request):
    form = ProgressForm(request.GET or None)
    year, as_of = form.question()
    if not form.is_bound:
        form = ProgressForm(initial={"year": year, "as_of": as_of})
    figures = spending_progress(year=year, as_of=as_of)
    return render(
        request,
        "funds/progress/progress.html",
        {"form": form, "progress": figures, "year": year, "as_of": as_of},
    )


@require_POST
@capability_required("funds.export")
def progress_export(request):
    """Start the spending-progress table of the year and day the page shows."""
    from funds.exports.progress import start_progress_export
    from kaiyuan.jobs.views import export_started

    form = ProgressForm(request.POST)
    year, as_of = form.question()
    return export_started(
        request,
        lambda: start_progress_export(request.user, year=year, as_of=as_of),
        back="funds:progress",
    )
