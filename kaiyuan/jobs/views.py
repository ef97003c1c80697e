from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from kaiyuan.common.errors import DomainError
from kaiyuan.common.exports import export_download
from kaiyuan.common.scoping import get_for_user
from kaiyuan.jobs.models import Job


def job_detail(request, pk: int):
    """The job's progress; while it runs, htmx re-asks for the partial every two seconds."""
    job = get_for_user(Job.objects.all(), request.user, pk=pk)
    template = (
        "jobs/_job_status.html" if request.headers.get("HX-Request") else "jobs/job_detail.html"
    )
    return render(request, template, {"job": job})


def job_download(request, pk: int):
    """The job's file, for its owner only (anyone else: the 404 of a missing file); each
    download is recorded."""
    job = get_for_user(Job.objects.all(), request.user, pk=pk)
    if job.purged_at is not None:
        messages.info(request, _("This file was deleted at the end of its retention period."))
        return redirect("jobs:job_detail", pk=job.pk)
    if job.status != Job.Status.DONE or not job.result_file:
        raise Http404
    try:
        return export_download(job, actor=request.user)
    except FileNotFoundError:
        raise Http404 from None


def export_started(request, start, *, back: str):
    """How a page starts an export that runs as a job: ``start()`` starts it and the user
    follows it on the job's page; a refusal (``DomainError``) goes back to ``back`` (a URL or a
    URL name) with its message."""
    try:
        job = start()
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect(back)
    messages.info(request, _("The export has started; the file can be downloaded here when ready."))
    return redirect("jobs:job_detail", pk=job.pk)
