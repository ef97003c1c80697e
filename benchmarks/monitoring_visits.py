"""Visit pages at county scale: the coverage of the largest village (and of its township and the
county), and the month list of the grid worker with the most households, each against Django
admin's change list of the same households (same run)."""

from __future__ import annotations

import datetime

from django.db import connection
from django.db.models import Count
from django.test import Client
from django.test.utils import CaptureQueriesContext

from benchmarks.harness import Result, median_time
from kaiyuan.accounts.models import User
from kaiyuan.accounts.roles import Role
from kaiyuan.areas.models import Area, Grid
from kaiyuan.common import dates
from kaiyuan.policy.services import policy_for
from monitoring.models import Household, Visit
from tests.monitoring.factories import make_household

SMALL_SET = 24
ADMIN_HOUSEHOLDS = "/admin/monitoring/household/"


def _ensure_data() -> None:
    """Without the demo seeder's households (or visits), make a small set in the grid of the first
    grid worker: some visited this month, some last month only, some never."""
    if Household.objects.exists() and Visit.objects.exists():
        return
    grid = Grid.objects.filter(worker__isnull=False).select_related("area", "worker").first()
    if grid is None:
        raise RuntimeError("seed the demo users (with their grid workers) first")
    clerk = User.objects.filter(role=Role.TOWNSHIP_CLERK, area=grid.area.parent).first()
    today = dates.today()
    last_month = dates.month_of(today).start - datetime.timedelta(days=1)
    registered = datetime.datetime(today.year - 2, 1, 1, tzinfo=datetime.UTC)
    visits = []
    for index in range(SMALL_SET):
        household = make_household(grid.area, grid=grid, head_name="王建国")
        Household.objects.filter(pk=household.pk).update(created_at=registered)
        days = [last_month] if index % 3 else [last_month, today]
        for day in days[: 1 + index % 2]:
            visits.append(_visit(household, day, grid.worker, Visit.Level.VILLAGE))
        if clerk is not None and index % 4 == 0:
            visits.append(_visit(household, today, clerk, Visit.Level.TOWNSHIP))
    Visit.objects.bulk_create(visits)


def _visit(household, day, visitor, level) -> Visit:
    return Visit(
        household=household,
        area=household.area,
        visitor=visitor,
        level=level,
        visited_on=day,
        method=Visit.Method.ON_SITE,
        child_out_of_school=False,
        housing_unsafe=False,
        member_uninsured=False,
        water_unsafe=False,
    )


def _get(client: Client, url: str, params: dict | None = None) -> None:
    assert client.get(url, params or {}).status_code == 200


def _queries(client: Client, url: str, params: dict) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url, params).status_code == 200
    return len(captured.captured_queries)


def run(households: int) -> list[Result]:
    _ensure_data()
    today = dates.today()
    in_scope = Household.objects.current().in_visit_scope(policy_for(today.year))
    admin = Client()
    admin.force_login(User.objects.get(username="admin"))
    results = []

    # (1) The coverage page of the village with the most households, opened by its township's
    # clerk; the baseline lists the same village's households in the admin.
    village = (
        Area.objects.villages()
        .annotate(n=Count("households"))
        .filter(n__gt=0)
        .order_by("-n", "code")
        .first()
    )
    township = village.parent
    clerk = User.objects.filter(role=Role.TOWNSHIP_CLERK, area=township).first()
    coverage = Client()
    coverage.force_login(clerk)
    url = "/monitoring/visits/coverage/"
    village_params = {"village": village.pk}
    admin_village = {"area__id__exact": village.pk}
    rows = in_scope.filter(area=village).count()
    results.append(
        Result(
            f"visit coverage, village ({rows} households in scope)",
            median_time(lambda: _get(coverage, url, village_params)),
            "admin household change list",
            median_time(lambda: _get(admin, ADMIN_HOUSEHOLDS, admin_village)),
            {"queries": str(_queries(coverage, url, village_params))},
        )
    )
    township_rows = in_scope.filter(area__parent=township).count()
    villages = ",".join(str(pk) for pk in township.children.values_list("pk", flat=True))
    results.append(
        Result(
            f"visit coverage, township ({township_rows} in scope)",
            median_time(lambda: _get(coverage, url)),
            "admin household change list",
            median_time(lambda: _get(admin, ADMIN_HOUSEHOLDS, {"area__id__in": villages})),
            {"queries": str(_queries(coverage, url, {}))},
        )
    )
    county = Client()
    county.force_login(User.objects.get(username="bureau"))
    results.append(
        Result(
            f"visit coverage, county by township ({in_scope.count()} in scope)",
            median_time(lambda: _get(county, url), repeat=3),
            "admin household change list",
            median_time(lambda: _get(admin, ADMIN_HOUSEHOLDS), repeat=3),
            {"queries": str(_queries(county, url, {}))},
        )
    )

    # (2) The month list of the grid worker with the most households to visit; the baseline
    # lists the households of the same grids in the admin.
    busiest = (
        in_scope.filter(grid__worker__role=Role.GRID_WORKER)
        .values("grid__worker")
        .annotate(n=Count("pk"))
        .order_by("-n", "grid__worker")
        .first()
    )
    if busiest is None:
        worker, count = User.objects.filter(role=Role.GRID_WORKER).order_by("username").first(), 0
    else:
        worker, count = User.objects.get(pk=busiest["grid__worker"]), busiest["n"]
    grids = ",".join(
        str(pk) for pk in Grid.objects.filter(worker=worker).values_list("pk", flat=True)
    )
    month_list = Client()
    month_list.force_login(worker)
    my_month = "/monitoring/visits/my-month/"
    results.append(
        Result(
            f"grid worker's month list ({count} households)",
            median_time(lambda: _get(month_list, my_month)),
            "admin household change list",
            median_time(lambda: _get(admin, ADMIN_HOUSEHOLDS, {"grid__id__in": grids})),
            {"queries": str(_queries(month_list, my_month, {}))},
        )
    )
    return results
