from __future__ import annotations

from django.http import FileResponse, Http404
from django.shortcuts import render

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
    job = get_for_user(Job.objects.all(), request.user, pk=pk)
    if job.status != Job.Status.DONE or not job.result_file:
        raise Http404
    return FileResponse(job.result_file.open("rb"), as_attachment=True, filename=job.result_name)
