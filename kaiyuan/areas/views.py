"""The picker's htmx endpoint: the villages of a township, as <option>s."""

from __future__ import annotations

from django.shortcuts import render

from kaiyuan.areas.picker import area_pick
from kaiyuan.common.api_filters import as_id


def village_options(request):
    """The villages of ``?township=`` that the user may see. A township outside the user's
    area gives the same empty list as one that does not exist."""
    pick = area_pick(request.user, as_id(request.GET.get("township") or ""))
    return render(
        request, "areas/_village_options.html", {"villages": pick.villages, "village": None}
    )
