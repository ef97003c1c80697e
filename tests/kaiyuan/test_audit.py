"""The audit trail: written by record(), mirrored from the admin, browsed and exported."""

from __future__ import annotations

from io import BytesIO

import pytest
from openpyxl import load_workbook

from kaiyuan.audit import record
from kaiyuan.audit.models import AuditEvent
from kaiyuan.jobs.models import Job

pytestmark = pytest.mark.django_db


def test_record_keeps_actor_object_area_and_states(grid_a, clerk_a):
    event = record(
        grid_a, action="transition", actor=clerk_a, from_state="a", to_state="b", note="因为"
    )
    assert event.area == grid_a.area
    assert (event.actor_name, event.object_repr, event.note) == ("clerk_a", str(grid_a), "因为")
    assert (event.from_state, event.to_state) == ("a", "b")


def test_admin_changes_are_audited(client, admin_user):
    client.force_login(admin_user)
    response = client.post(
        "/admin/policy/policysettings/add/",
        {
            **{f: v for f, v in _policy_form_defaults().items()},
            "year": "2025",
            "monitoring_line": "7000.00",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    event = AuditEvent.objects.get(action="admin_add")
    assert event.actor == admin_user
    assert event.object_repr.startswith("2025")


def _policy_form_defaults() -> dict[str, str]:
    from kaiyuan.policy.models import PolicySettings

    policy = PolicySettings.defaults_for(2025)
    data = {}
    for field in PolicySettings._meta.concrete_fields:
        if field.editable and field.name not in {"id", "updated_at", "updated_by"}:
            value = getattr(policy, field.attname)
            data[field.name] = "" if value is None else str(value)
    return data


def test_the_auditor_page_lists_and_filters_events(client, auditor, clerk_a, grid_a):
    record(grid_a, action="change", actor=clerk_a)
    record(grid_a, action="export", actor=clerk_a)
    client.force_login(auditor)
    page = client.get("/audit/", {"action": "export"}).content.decode()
    assert page.count('<td data-action="export">导出</td>') == 1
    assert 'data-action="change"' not in page
    page = client.get("/audit/", {"actor": "nobody"}).content.decode()
    assert "没有符合条件的记录" in page


def test_a_clerk_may_not_read_the_audit_log(client, clerk_a):
    client.force_login(clerk_a)
    assert client.get("/audit/").status_code == 403


def test_the_audit_page_runs_a_constant_number_of_queries(
    client, auditor, clerk_a, grid_a, django_assert_max_num_queries
):
    for _ in range(5):
        record(grid_a, action="change", actor=clerk_a)
    client.force_login(auditor)
    client.get("/audit/")
    with django_assert_max_num_queries(12) as few:
        client.get("/audit/")
    for _ in range(60):
        record(grid_a, action="change", actor=clerk_a)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get("/audit/")


def test_the_export_is_an_excel_file_that_is_itself_audited(
    client, auditor, clerk_a, grid_a, django_capture_on_commit_callbacks
):
    for index in range(3):
        record(grid_a, action="change", actor=clerk_a, note=f"第{index}次")
    client.force_login(auditor)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/audit/export/", {"action": "change"})
    job = Job.objects.get()
    assert response["Location"] == f"/jobs/{job.pk}/"
    assert job.status == Job.Status.DONE, job.message
    download = client.get(f"/jobs/{job.pk}/download/")
    workbook = load_workbook(BytesIO(b"".join(download.streaming_content)))
    rows = list(workbook.active.iter_rows(min_row=2, values_only=True))  # below the caption
    assert rows[0][:3] == ("时间", "用户名", "操作")
    assert sorted(row[9] for row in rows[1:]) == ["第0次", "第1次", "第2次"]
    export = AuditEvent.objects.get(action="export")
    assert export.data["rows"] == 3
    assert export.data["sha256"] == job.result["sha256"]
    assert export.data["filters"] == {"action": "change"}


def test_another_user_cannot_download_an_export(
    client, auditor, bureau, django_capture_on_commit_callbacks
):
    client.force_login(auditor)
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/audit/export/", {})
    job = Job.objects.get()
    client.force_login(bureau)
    assert client.get(f"/jobs/{job.pk}/download/").status_code == 404
    assert client.get(f"/jobs/{job.pk}/").status_code == 404


def test_the_audit_api_is_for_auditors(client, auditor, clerk_a, grid_a):
    record(grid_a, action="change", actor=clerk_a)
    client.force_login(clerk_a)
    assert client.get("/api/v1/audit-events/").status_code == 403
    client.force_login(auditor)
    data = client.get("/api/v1/audit-events/", {"action": "change"}).json()
    assert [row["action"] for row in data["results"]] == ["change"]


def test_a_note_that_starts_a_formula_is_exported_as_text(
    client, auditor, clerk_a, grid_a, django_capture_on_commit_callbacks
):
    typed = "=cmd|' /C calc'!A0"
    record(grid_a, action="change", actor=clerk_a, note=typed)
    client.force_login(auditor)
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/audit/export/", {"action": "change"})
    job = Job.objects.get()

    download = client.get(f"/jobs/{job.pk}/download/")

    sheet = load_workbook(BytesIO(b"".join(download.streaming_content))).active
    note = sheet["J3"]
    assert (note.data_type, note.value) == ("s", typed)
    assert sheet["A3"].is_date and sheet["E3"].value == str(grid_a.pk)
