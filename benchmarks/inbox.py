"""The 待办 inbox at county scale: each role's home page (which counts every source the role
sees) and the inbox page with the first items of each source, for the bureau, a leader (whose
watch counts cover the county), the clerk of the township with the most households and the grid
worker with the most households, each against Django admin's household change list (same run)."""

from __future__ import annotations

from django.db import connection
from django.db.models import Count
from django.test import Client
from django.test.utils import CaptureQueriesContext

from benchmarks.harness import Result, median_time
from kaiyuan.accounts.models import User
from kaiyuan.accounts.roles import Role
from monitoring.models import Household

ADMIN_HOUSEHOLDS = "/admin/monitoring/household/"


def _get(client: Client, url: str) -> None:
    assert client.get(url).status_code == 200


def _queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        _get(client, url)
    return len(captured.captured_queries)


def _busiest(role: str, lookup: str) -> User | None:
    """The user of ``role`` whose area (by ``lookup`` from a household) holds most households."""
    top = (
        Household.objects.current()
        .values(lookup)
        .annotate(n=Count("pk"))
        .order_by("-n", lookup)
        .first()
    )
    users = User.objects.filter(role=role, is_active=True)
    if top is not None:
        found = users.filter(area_id=top[lookup]).order_by("username").first()
        if found is not None:
            return found
    return users.order_by("username").first()


def run(households: int) -> list[Result]:
    admin = Client()
    admin.force_login(User.objects.get(username="admin"))
    baseline = median_time(lambda: _get(admin, ADMIN_HOUSEHOLDS), repeat=3)
    users = [
        User.objects.get(username="bureau"),
        User.objects.get(username="leader"),
        _busiest(Role.TOWNSHIP_CLERK, "area__parent"),
        _busiest(Role.GRID_WORKER, "area"),
    ]
    results = []
    for user in users:
        if user is None:
            continue
        client = Client()
        client.force_login(user)
        for page, url in (("home page with 待办 counts", "/"), ("inbox", "/inbox/")):
            results.append(
                Result(
                    f"{page}, {user.get_role_display()} {user.username}",
                    median_time(lambda client=client, url=url: _get(client, url), repeat=3),
                    "admin household change list",
                    baseline,
                    {"queries": str(_queries(client, url)), "households": str(households)},
                )
            )
    return results
