"""Background jobs through a real Celery worker and the real Redis broker."""

from __future__ import annotations

import time
import uuid

import pytest
from celery.contrib.testing.worker import start_worker
from django.conf import settings

from kaiyuan.celery import app
from kaiyuan.jobs.models import Job
from kaiyuan.jobs.services import job_run, job_start


@pytest.fixture
def redis_worker():
    """A worker thread consuming a private queue on the test Redis, with eager mode off."""
    queue = f"test-{uuid.uuid4().hex}"
    saved = {
        key: app.conf[key] for key in ("task_always_eager", "broker_url", "task_default_queue")
    }
    app.conf.update(
        task_always_eager=False, broker_url=settings.REDIS_URL, task_default_queue=queue
    )
    try:
        with start_worker(app, pool="solo", perform_ping_check=False, queues=[queue]):
            yield queue
    finally:
        app.conf.update(saved)


def test_the_app_is_wired_to_redis_in_tests():
    assert settings.REDIS_URL.startswith("redis://")
    assert settings.CELERY_BROKER_URL == settings.REDIS_URL


@pytest.mark.django_db(transaction=True)
def test_a_job_runs_in_a_real_worker(redis_worker, auditor):
    job = job_start(kind="audit_export", actor=auditor, params={"filters": {}})
    deadline = time.monotonic() + 120  # a busy machine is slow, not broken
    while time.monotonic() < deadline:
        job.refresh_from_db()
        if job.finished:
            break
        time.sleep(0.2)
    assert job.status == Job.Status.DONE, job.message
    assert job.result["sha256"]


@pytest.mark.django_db
def test_running_a_job_twice_does_the_work_once(auditor, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        job = job_start(kind="audit_export", actor=auditor, params={"filters": {}})
    job_run(job_id=job.pk)
    job.refresh_from_db()
    first_file = job.result_file.name
    job_run(job_id=job.pk)
    job.refresh_from_db()
    assert job.status == Job.Status.DONE
    assert job.result_file.name == first_file


@pytest.mark.sqlite
@pytest.mark.django_db(transaction=True)
def test_without_a_worker_a_job_runs_beside_the_request_not_inside_it(
    client, auditor, settings, monkeypatch
):
    """Embedded mode (no Redis): the export page answers with the job still pending, and the job
    is done a moment later on a thread of the web process."""
    from kaiyuan.jobs import services

    settings.JOBS_IN_THREAD = True
    threads = []
    start = services._run_on_a_thread

    def held_back(job_id):
        # The thread starts only after the response is in hand, so the test can see the page
        # answer before the work is done.
        threads.append(lambda: start(job_id))

    monkeypatch.setattr(services, "_run_on_a_thread", held_back)
    client.force_login(auditor)
    response = client.post("/audit/export/")
    job = Job.objects.get()
    assert response.status_code == 302
    assert job.status == Job.Status.PENDING
    assert len(threads) == 1
    threads[0]().join(timeout=120)
    job.refresh_from_db()
    assert job.status == Job.Status.DONE, job.message
    assert job.result["sha256"]
