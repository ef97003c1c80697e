"""The daily overdue sweep: leads, identification steps (MON-ID-4) and department warnings past
their deadlines are marked, so that lists and the later reminder centre can read the state."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db import transaction

from monitoring.models import MonitoringCase, RiskLead
from monitoring.warnings.services import warnings_mark_overdue


@dataclass(frozen=True)
class OverdueSweep:
    leads: int
    cases: int
    warnings: int


@transaction.atomic
def mark_overdue(*, today: datetime.date) -> OverdueSweep:
    """Set ``overdue`` on everything still open past its deadline. Each is one UPDATE that only
    touches rows not yet marked, so running the sweep twice changes nothing the second time."""
    leads = RiskLead.objects.filter(
        status=RiskLead.Status.OPEN, deadline__lt=today, overdue=False
    ).update(overdue=True)
    cases = MonitoringCase.objects.filter(
        kind=MonitoringCase.Kind.IDENTIFICATION,
        status__in=MonitoringCase.OPEN_STATES,
        deadline__lt=today,
        overdue=False,
    ).update(overdue=True)
    # The warnings' own service marks them (and audits the count); not written again here.
    warnings = warnings_mark_overdue(today=today)
    return OverdueSweep(leads=leads, cases=cases, warnings=warnings)
