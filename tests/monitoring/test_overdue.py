"""The daily overdue sweep at its threshold (a deadline of yesterday vs today), safe to run twice,
and wired into Celery beat."""

from __future__ import annotations

import datetime

import pytest
from django.conf import settings

from kaiyuan.audit.models import AuditEvent
from kaiyuan.common.dates import today
from monitoring.models import MonitoringCase, RiskLead
from monitoring.services.cases import mark_overdue
from monitoring.tasks import mark_overdue_task
from tests.monitoring.factories import make_household

pytestmark = pytest.mark.django_db
DAY = datetime.timedelta(days=1)


def _lead(household, user, deadline, status=RiskLead.Status.OPEN):
    return RiskLead.objects.create(
        household=household,
        area=household.area,
        source="visit",
        description="x",
        deadline=deadline,
        status=status,
        created_by=user,
    )


def test_only_what_is_open_and_past_its_deadline_is_marked(village_a, village_a2, clerk_a):
    late = _lead(make_household(village_a), clerk_a, today() - DAY)
    due_today = _lead(make_household(village_a), clerk_a, today())
    closed = _lead(
        make_household(village_a), clerk_a, today() - DAY, status=RiskLead.Status.NO_RISK
    )
    household = make_household(village_a2)
    case = MonitoringCase.objects.create(
        kind="identification",
        household=household,
        area=household.area,
        status="verifying",
        deadline=today() - DAY,
        opened_by=clerk_a,
    )
    sweep = mark_overdue(today=today())
    assert (sweep.leads, sweep.cases) == (1, 1)
    flags = dict(RiskLead.objects.values_list("pk", "overdue"))
    assert flags == {late.pk: True, due_today.pk: False, closed.pk: False}
    case.refresh_from_db()
    assert case.overdue is True
    again = mark_overdue(today=today())
    assert (again.leads, again.cases, again.warnings) == (0, 0, 0)
    # Each marked row is audited once, as the system (no actor), from the background source.
    events = AuditEvent.objects.filter(action="mark_overdue")
    marked = sorted(events.values_list("object_id", flat=True))
    assert marked == sorted([str(late.pk), str(case.pk)])
    assert {(e.actor_id, e.source) for e in events} == {(None, "task")}
    assert {e.area_id for e in events} == {late.area_id, case.area_id}


def test_the_task_runs_the_sweep_and_is_scheduled_daily(village_a, clerk_a):
    _lead(make_household(village_a), clerk_a, today() - DAY)
    assert mark_overdue_task.delay().get() == {"leads": 1, "cases": 0, "warnings": 0}
    entry = settings.CELERY_BEAT_SCHEDULE["mark-overdue-daily"]
    assert entry["task"] == "monitoring.tasks.mark_overdue_task"
