"""The export buttons of the funds pages start their job and lead to its page; a role without
funds.export is refused, and the file the job makes is the exporting user's."""

from __future__ import annotations

import io

import openpyxl
import pytest
from django.urls import reverse

from kaiyuan.jobs.models import Job
from tests.funds import factories as f

pytestmark = pytest.mark.django_db

EXPORTS = [
    ("funds:ledger_export", {"year": "2026"}),
    ("funds:payments_export", {"tranche": "", "status": ""}),
    ("funds:progress_export", {"year": "2026", "as_of": "2026-12-02"}),
    ("funds:placements_export", {}),
]


@pytest.fixture
def paid(village_a, clerk_a):
    project = f.project(village_a, clerk_a, total="1000000.00")
    f.fund(project, clerk_a)
    f.pay(project, clerk_a, "300000.00")
    return project


@pytest.mark.parametrize(("name", "data"), EXPORTS)
def test_an_export_button_starts_the_job_and_its_file_downloads(
    client, leader, paid, name, data, django_capture_on_commit_callbacks
):
    client.force_login(leader)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse(name), data)
    job = Job.objects.filter(created_by=leader).latest("pk")
    assert response.status_code == 302
    assert response["Location"] == reverse("jobs:job_detail", args=[job.pk])
    assert job.status == Job.Status.DONE, job.message
    download = client.get(reverse("jobs:job_download", args=[job.pk]))
    body = b"".join(download.streaming_content) if download.streaming else download.content
    workbook = openpyxl.load_workbook(io.BytesIO(body), read_only=True)
    assert workbook.sheetnames


@pytest.mark.parametrize(("name", "data"), EXPORTS)
def test_a_grid_worker_may_not_export_the_funds(client, grid_worker_a, name, data):
    client.force_login(grid_worker_a)
    assert client.post(reverse(name), data).status_code == 403
    assert not Job.objects.exists()


def test_an_export_is_a_post(client, leader):
    client.force_login(leader)
    assert client.get(reverse("funds:ledger_export")).status_code == 405
