from __future__ import annotations

import logging

from celery import shared_task

from kaiyuan.common.dates import today
from monitoring.models import Household
from monitoring.rules.visits import refresh_visit_counts
from monitoring.services.cases import mark_overdue

logger = logging.getLogger(__name__)


@shared_task
def mark_overdue_task() -> dict:
    """Daily (Celery beat): mark overdue leads, identification cases and warnings, and count
    every household's visits of the periods that have just begun."""
    day = today()
    sweep = mark_overdue(today=day)
    counted = refresh_visit_counts(Household.objects.current(), today=day)
    logger.info("overdue sweep: %s; visit counts of %s households", sweep, counted)
    return {"leads": sweep.leads, "cases": sweep.cases, "warnings": sweep.warnings}
