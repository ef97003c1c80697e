"""What the home page shows: the user's area and the size of what they look after, the villages
of a clerk's township with their grids and grid workers, and the 待办 counts."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q

from kaiyuan.areas.models import Area, Grid
from kaiyuan.common.scoping import may_see_model


@dataclass(frozen=True)
class AreaSummary:
    area: Area | None
    townships: int
    villages: int
    grids: int | None  # None: the user's role sees no grids (department staff)
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
        grids=grids.count() if may_see_model(user, Grid) else None,
        my_grids=my_grids,
    )


def township_villages(user) -> list[Area]:
    """For a township clerk: the township's villages, each with its grids (``grid_list``) and
    each grid's worker, whose user name is the login to give them (two queries). Other roles
    get none: a county user's list would be the whole county's."""
    if user.level != Area.Level.TOWNSHIP or user.area_id is None:
        return []
    # In the order they were drawn: by name, 第三网格 would sort before 第二网格.
    grids = Grid.objects.visible_to(user).select_related("worker").order_by("pk")
    return list(
        Area.objects.visible_to(user)
        .villages()
        .order_by("code")
        .prefetch_related(Prefetch("grids", queryset=grids, to_attr="grid_list"))
    )
