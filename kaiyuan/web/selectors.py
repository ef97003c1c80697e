"""What the home page shows: the user's area and the size of what they look after."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Q

from kaiyuan.areas.models import Area, Grid


@dataclass(frozen=True)
class AreaSummary:
    area: Area | None
    townships: int
    villages: int
    grids: int
    my_grids: list[Grid]


def home_summary(user) -> AreaSummary:
    counts = Area.objects.visible_to(user).aggregate(
        townships=Count("id", filter=Q(level=Area.Level.TOWNSHIP)),
        villages=Count("id", filter=Q(level=Area.Level.VILLAGE)),
    )
    grids = Grid.objects.visible_to(user)
    my_grids = list(grids.filter(worker=user).select_related("area")) if user.pk else []
    return AreaSummary(
        area=user.area,
        townships=counts["townships"],
        villages=counts["villages"],
        grids=grids.count(),
        my_grids=my_grids,
    )
