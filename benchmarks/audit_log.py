"""The auditors' log page against Django admin's change list of the same table."""

from __future__ import annotations

import random

from django.test import Client

from benchmarks.harness import Result, median_time
from kaiyuan.accounts.models import User
from kaiyuan.areas.models import Area
from kaiyuan.audit.models import AuditEvent

EVENTS_PER_HOUSEHOLD = 5


def prepare(households: int) -> None:
    """About five audit events per household: logins, changes and transitions of a year."""
    if AuditEvent.objects.count() >= households * EVENTS_PER_HOUSEHOLD:
        return
    rng = random.Random(11)
    villages = list(Area.objects.villages().only("id"))
    users = list(User.objects.only("id", "username"))
    actions = ["login", "change", "transition", "export", "create"]
    batch = []
    for index in range(households * EVENTS_PER_HOUSEHOLD):
        user = rng.choice(users)
        batch.append(
            AuditEvent(
                actor=user,
                actor_name=user.username,
                action=rng.choice(actions),
                object_id=str(index),
                object_repr=f"记录{index}",
                area=rng.choice(villages),
            )
        )
        if len(batch) == 5000:
            AuditEvent.objects.bulk_create(batch)
            batch = []
    AuditEvent.objects.bulk_create(batch)


def run(households: int) -> list[Result]:
    prepare(households)
    client = Client()
    client.force_login(User.objects.get(username="auditor"))
    admin = Client()
    admin.force_login(User.objects.get(username="admin"))

    def page():
        assert client.get("/audit/", {"action": "change"}).status_code == 200

    def baseline():
        assert admin.get("/admin/audit/auditevent/", {"action": "change"}).status_code == 200

    return [
        Result(
            name=f"audit log page ({AuditEvent.objects.count()} events)",
            median_s=median_time(page),
            baseline_name="Django admin change list",
            baseline_median_s=median_time(baseline),
        )
    ]
