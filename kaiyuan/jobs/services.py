"""Starting and running background jobs."""

from __future__ import annotations

import datetime
import logging
import threading
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.files.storage import default_storage
from django.db import connections, transaction
from django.db.models import Q
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
    if settings.JOBS_IN_THREAD:
        transaction.on_commit(lambda: _run_on_a_thread(job.pk))
    else:
        transaction.on_commit(lambda: run_job_task.delay(job.pk))
    return job


def _run_on_a_thread(job_id: int) -> threading.Thread:
    """Embedded mode (settings.JOBS_IN_THREAD): the job runs beside the request that started
    it, which answers at once with the job's page, as it does with a Celery worker."""

    def run() -> None:
        try:
            job_run(job_id=job_id)
        finally:
            connections.close_all()  # the thread's own connection

    thread = threading.Thread(target=run, name=f"job-{job_id}", daemon=True)
    thread.start()
    return thread


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


# =============================================================================================
# Retention
# =============================================================================================

# The folders under MEDIA_ROOT that hold files handed out or kept only for a while: job results
# (exports, marked import workbooks), uploads kept for an import's second step, and the files a
# job writes before it attaches them. Records (visit photos, case attachments, the departments'
# lists) live elsewhere and are never purged.
PURGED_FOLDERS = ("jobs", "imports", "tmp")


@dataclass(frozen=True)
class PurgeReport:
    before: datetime.datetime
    jobs: list[int]
    files: int
    bytes: int


def files_purge(*, now: datetime.datetime | None = None) -> PurgeReport:
    """Delete the job results and stored uploads older than ``EXPORT_RETENTION_DAYS``, mark the
    jobs whose file went (their page says so), and record the purge in the audit trail."""
    from kaiyuan.audit import record

    now = now or timezone.now()
    days = settings.EXPORT_RETENTION_DAYS
    before = now - datetime.timedelta(days=days)
    expired = (
        Job.objects.exclude(result_file="")
        .filter(Q(finished_at__lt=before) | Q(finished_at__isnull=True, created_at__lt=before))
        .order_by("pk")
    )
    files = dict(expired.values_list("pk", "result_file"))
    deleted, size = 0, 0
    for name in files.values():
        found = _unlink(Path(default_storage.path(name)))
        deleted, size = deleted + (found is not None), size + (found or 0)
    # What no job points to any more: uploads never imported, files a failed job left behind.
    for folder in PURGED_FOLDERS:
        for path in _files_older_than(settings.MEDIA_ROOT / folder, before):
            found = _unlink(path)
            deleted, size = deleted + (found is not None), size + (found or 0)
    report = PurgeReport(before=before, jobs=list(files), files=deleted, bytes=size)
    if not (deleted or files):
        return report
    # Files first, rows after: a crash in between leaves rows that the next run marks again.
    with transaction.atomic():
        Job.objects.filter(pk__in=files).update(result_file="", purged_at=now)
        record(
            None,
            action="purge",
            actor=None,
            source="task",
            note=_("Files older than %(days)s days deleted.") % {"days": days},
            data={
                "retention_days": days,
                "before": before.isoformat(),
                "jobs": report.jobs,
                "files": deleted,
                "bytes": size,
            },
        )
    return report


def _files_older_than(folder: Path, before: datetime.datetime) -> list[Path]:
    if not folder.is_dir():
        return []
    limit = before.timestamp()
    return [path for path in folder.rglob("*") if path.is_file() and path.stat().st_mtime < limit]


def _unlink(path: Path) -> int | None:
    """The size of the file deleted, or None if it was not there."""
    try:
        size = path.stat().st_size
        path.unlink()
    except FileNotFoundError:
        return None
    return size
