from __future__ import annotations

import logging

from celery import shared_task

from kaiyuan.common.dates import today
from monitoring.services.cases import mark_overdue

logger = logging.getLogger(__name__)


@shared_task
def mark_overdue_task() -> dict:
    """Daily (Celery beat): mark overdue leads, identification cases and warnings."""
    sweep = mark_overdue(today=today())
    logger.info("overdue sweep: %s", sweep)
    return {"leads": sweep.leads, "cases": sweep.cases, "warnings": sweep.warnings}
