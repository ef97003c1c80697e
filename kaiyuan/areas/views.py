"""The picker's htmx endpoints: the villages of a township and the grids of a village, as
<option>s."""

from __future__ import annotations

from django.shortcuts import render

from kaiyuan.areas.picker import area_pick, grid_choice
from kaiyuan.common.api_filters import as_id


def village_options(request):
    """The villages of ``?township=`` that the user may see. A township outside the user's
    area gives the same empty list as one that does not exist."""
    pick = area_pick(request.user, as_id(request.GET.get("township") or ""))
    return render(
        request, "areas/_village_options.html", {"villages": pick.villages, "village": None}
    )


def grid_options(request):
    """The grids of ``?village=`` that the user may see, the only one chosen. A village outside
    the user's area gives the same answer as one that does not exist (no grids)."""
    choice = grid_choice(request.user, as_id(request.GET.get("village") or ""))
    return render(request, "areas/_grid_options.html", {"choice": choice})
