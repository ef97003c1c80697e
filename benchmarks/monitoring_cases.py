"""The bureau's case list (lists/cases/) at county scale, for the county and for one township,
each against Django admin's change list of MonitoringCase over the same rows (same run).

Until the demo seeder creates cases, the benchmark inserts its own: one case per 20 households
(at least a dozen), identification and elimination, in every state, opened over the last months.
"""

from __future__ import annotations

import datetime

from django.db import connection
from django.db.models import Count
from django.test import Client
from django.test.utils import CaptureQueriesContext

from benchmarks.harness import Result, median_time
from kaiyuan.accounts.models import User
from kaiyuan.accounts.roles import Role
from kaiyuan.areas.models import Area
from kaiyuan.common import dates
from monitoring.models import Household, MonitoringCase
from tests.monitoring.factories import make_household

HOUSEHOLDS_PER_CASE = 20
MIN_CASES = 12
LIST_URL = "/monitoring/lists/cases/"
ADMIN_URL = "/admin/monitoring/monitoringcase/"
STATES = [
    *MonitoringCase.OPEN_STATES,
    MonitoringCase.Status.APPROVED,
    MonitoringCase.Status.REJECTED,
]


def _ensure_cases() -> int:
    wanted = max(Household.objects.count() // HOUSEHOLDS_PER_CASE, MIN_CASES)
    existing = MonitoringCase.objects.count()
    if existing >= wanted:
        return existing
    if not Household.objects.exists():
        for village in Area.objects.villages()[:3]:
            for _ in range(MIN_CASES // 3):
                make_household(village, head_name="王建国")
    opener = User.objects.get(username="bureau")
    today = dates.today()
    free = list(
        Household.objects.exclude(pk__in=MonitoringCase.objects.values("household"))
        .order_by("pk")
        .values_list("pk", "area_id", "monitoring_status")
    )
    step = max(1, len(free) // (wanted - existing))
    households = free[::step][: wanted - existing]
    cases = []
    for index, (pk, area_id, status) in enumerate(households):
        state = STATES[index % len(STATES)]
        elimination = status == Household.MonitoringStatus.MONITORED and index % 4 == 0
        applied = today - datetime.timedelta(days=index % 90)
        cases.append(
            MonitoringCase(
                kind="elimination" if elimination else "identification",
                household_id=pk,
                area_id=area_id,
                status=state,
                category="突发严重困难户",
                risk_1="因病" if index % 3 else "因自然灾害",
                application_date=None if state == MonitoringCase.Status.APPLICATION else applied,
                deadline=dates.add_working_days(applied, 20),
                opened_by=opener,
            )
        )
    created = MonitoringCase.objects.bulk_create(cases, batch_size=2000)
    # Spread the opening times over three months, as a real list would have them.
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE monitoring_monitoringcase SET opened_at = opened_at - (id %% 90) * "
            "interval '1 day' WHERE id = ANY(%s)",
            [[case.pk for case in created]],
        )
    return MonitoringCase.objects.count()


def _get(client: Client, url: str, params: dict | None = None) -> None:
    assert client.get(url, params or {}).status_code == 200


def _queries(client: Client, url: str, params: dict | None = None) -> int:
    with CaptureQueriesContext(connection) as captured:
        _get(client, url, params)
    return len(captured.captured_queries)


def run(households: int) -> list[Result]:
    total = _ensure_cases()
    bureau = Client()
    bureau.force_login(User.objects.get(username="bureau"))
    admin = Client()
    admin.force_login(User.objects.get(username="admin"))
    results = [
        Result(
            f"bureau case list, county ({total} cases)",
            median_time(lambda: _get(bureau, LIST_URL)),
            "admin change list",
            median_time(lambda: _get(admin, ADMIN_URL)),
            {"queries": str(_queries(bureau, LIST_URL))},
        )
    ]
    busiest = (
        MonitoringCase.objects.values("area__parent")
        .order_by()
        .annotate(n=Count("pk"))
        .order_by("-n")
        .first()
    )
    township = Area.objects.get(pk=busiest["area__parent"])
    clerk = User.objects.filter(role=Role.TOWNSHIP_CLERK, area=township).first()
    if clerk is not None:
        client = Client()
        client.force_login(clerk)
        villages = ",".join(str(pk) for pk in township.children.values_list("pk", flat=True))
        results.append(
            Result(
                f"township clerk's case list ({busiest['n']} cases)",
                median_time(lambda: _get(client, LIST_URL)),
                "admin change list",
                median_time(lambda: _get(admin, ADMIN_URL, {"area__id__in": villages})),
                {"queries": str(_queries(client, LIST_URL))},
            )
        )
    return results
