"""The named cast of every access test: two townships (A = 中固镇, B = 威远堡镇), a village and a
grid in each, their clerks and grid workers, and the county roles."""

from __future__ import annotations

import datetime
import os
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.conf import settings
from django.core.cache import cache
from django.utils import translation

from kaiyuan.accounts.roles import Department, Role
from kaiyuan.areas.divisions import load_divisions
from kaiyuan.areas.models import Area
from kaiyuan.common.dates import forget_calendar
from kaiyuan.policy.holidays import load_calendar
from kaiyuan.policy.models import CalendarDay, PolicySettings
from monitoring.models import CodeItem
from monitoring.models.codes import load_code_tables
from tests.factories import GridFactory, UserFactory, VillageFactory

# Playwright's sync API keeps an event loop in the test thread; Django would otherwise refuse
# database calls from that thread.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(autouse=True)
def _chinese_by_default():
    """Every test starts in the site's language: a request made in English by an earlier test
    leaves English active in the thread."""
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


# Every test runs on this clock: a Wednesday, a working day in the middle of a month, late in the
# morning in Beijing. A run near midnight, on the first of a month or on New Year's Day then
# behaves as any other. The clock ticks on from here, so timeouts and elapsed times still work.
PINNED_NOW = datetime.datetime(2026, 12, 2, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


@pytest.fixture(autouse=True)
def clock(request):
    """The pinned clock (time-machine), moved with ``clock.move_to(...)``. Browser tests keep
    the real clock: Chromium's cookie jar lives on it, and would drop a CSRF cookie the pinned
    server dated in its past."""
    if request.node.get_closest_marker("browser"):
        yield None
        return
    with time_machine.travel(PINNED_NOW, tick=True) as traveller:
        yield traveller


@pytest.fixture(autouse=True)
def _empty_cache():
    """Rate limits, throttles and lock-outs count in the cache by user id and minute; on the
    pinned clock, a user of an earlier test with the same id would start with its counts."""
    cache.clear()
    yield


@pytest.fixture(autouse=True)
def _fresh_working_calendar():
    """The holiday table is cached per process; a test's own days (rolled back with its
    transaction) must not count in the next test."""
    forget_calendar()
    yield
    forget_calendar()


def restore_reference_data() -> None:
    """Put back the rows the data migrations load (the county and townships, the code tables,
    the 2024 policy settings, the holiday calendar) if a flush removed them."""
    if not Area.objects.filter(code="211282").exists():
        load_divisions(Area)
    if not CodeItem.objects.exists():
        load_code_tables(CodeItem)
    if not PolicySettings.objects.filter(year=2024).exists():
        PolicySettings.defaults_for(2024).save()
    if not CalendarDay.objects.exists():
        load_calendar(CalendarDay)


@pytest.fixture
def reference_data(db) -> None:
    """The migration data. Flushes (after transactional tests) restore it through post_migrate
    handlers; this fixture makes a test's need for it explicit."""
    restore_reference_data()


@pytest.fixture
def county(reference_data) -> Area:
    return Area.objects.get(code="211282")


@pytest.fixture
def township_a(reference_data) -> Area:
    return Area.objects.get(code="211282104")  # 中固镇


@pytest.fixture
def township_b(reference_data) -> Area:
    return Area.objects.get(code="211282102")  # 威远堡镇


@pytest.fixture
def village_a(township_a) -> Area:
    return VillageFactory(parent=township_a, code="201", name="烟厂村")


@pytest.fixture
def village_a2(township_a) -> Area:
    return VillageFactory(parent=township_a, code="202", name="大白庙子村")


@pytest.fixture
def village_b(township_b) -> Area:
    return VillageFactory(parent=township_b, code="201", name="威远村")


@pytest.fixture
def grid_a(village_a):
    return GridFactory(area=village_a, name="第一网格")


@pytest.fixture
def grid_b(village_b):
    return GridFactory(area=village_b, name="第一网格")


@pytest.fixture
def clerk_a(township_a):
    return UserFactory(username="clerk_a", role=Role.TOWNSHIP_CLERK, area=township_a)


@pytest.fixture
def reviewer_a(township_a):
    """A second clerk of township A: the township review of a case whose village steps clerk_a
    entered is theirs (separation of duties)."""
    return UserFactory(username="reviewer_a", role=Role.TOWNSHIP_CLERK, area=township_a)


@pytest.fixture
def clerk_b(township_b):
    return UserFactory(username="clerk_b", role=Role.TOWNSHIP_CLERK, area=township_b)


@pytest.fixture
def grid_worker_a(village_a):
    return UserFactory(username="grid_a", role=Role.GRID_WORKER, area=village_a)


@pytest.fixture
def bureau(county):
    return UserFactory(username="bureau", role=Role.BUREAU, area=county)


@pytest.fixture
def leader(county):
    return UserFactory(username="leader", role=Role.LEADER, area=county)


@pytest.fixture
def auditor(county):
    return UserFactory(username="auditor", role=Role.AUDITOR, area=county)


@pytest.fixture
def dept_medical(county):
    return UserFactory(
        username="dept_medical", role=Role.DEPARTMENT, area=county, department=Department.MEDICAL
    )


@pytest.fixture
def admin_user(county):
    return UserFactory(
        username="admin", role=Role.ADMIN, area=county, is_staff=True, is_superuser=True
    )
