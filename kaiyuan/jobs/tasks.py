from __future__ import annotations

from celery import shared_task

from kaiyuan.jobs.services import files_purge, job_run


@shared_task(acks_late=True)
def run_job_task(job_id: int) -> None:
    job_run(job_id=job_id)


@shared_task
def ping_task() -> str:
    """Answers 'pong': lets the health check and the tests prove a worker is listening."""
    return "pong"


@shared_task
def purge_files_task() -> None:
    """Daily (CELERY_BEAT_SCHEDULE): exports and stored uploads past their retention."""
    files_purge()
