"""Starting and running background jobs."""

from __future__ import annotations

import logging

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kaiyuan.common.errors import DomainError
from kaiyuan.jobs.models import Job
from kaiyuan.jobs.registry import ProgressReporter, handler_for

logger = logging.getLogger(__name__)


def job_start(*, kind: str, actor, params: dict) -> Job:
    """Create a job for ``actor`` and enqueue it once the creating transaction commits."""
    from kaiyuan.jobs.tasks import run_job_task

    handler_for(kind)  # fail now, not in the worker, on a kind nobody registered
    if actor.area_id is None:
        raise DomainError(_("Your account has no area; ask the administrator to assign one."))
    job = Job.objects.create(kind=kind, params=params, created_by=actor, area_id=actor.area_id)
    transaction.on_commit(lambda: run_job_task.delay(job.pk))
    return job


def job_run(*, job_id: int) -> Job | None:
    """Run a pending job. Safe to call twice: only the call that moves it from PENDING to RUNNING
    (a compare-and-swap UPDATE) does the work."""
    claimed = Job.objects.filter(pk=job_id, status=Job.Status.PENDING).update(
        status=Job.Status.RUNNING, started_at=timezone.now()
    )
    job = Job.objects.filter(pk=job_id).first()
    if not claimed or job is None:
        return job
    reporter = ProgressReporter(job)
    try:
        handler_for(job.kind)(job, reporter)
    except DomainError as exc:
        _finish(job, Job.Status.FAILED, message=exc.message)
    except Exception:
        logger.exception("job %s (%s) failed", job.pk, job.kind)
        # Recorded, not re-raised: a retry would repeat the same failure, and in embedded mode
        # the job runs inside the user's request.
        _finish(job, Job.Status.FAILED, message=str(_("The job failed; the error was logged.")))
    else:
        _finish(job, Job.Status.DONE, message=job.message)
    return job


def _finish(job: Job, status: str, *, message: str) -> None:
    job.status = status
    job.message = message
    job.finished_at = timezone.now()
    job.save(
        update_fields=[
            "status",
            "message",
            "finished_at",
            "result_file",
            "result_name",
            "result",
            "progress",
        ]
    )
