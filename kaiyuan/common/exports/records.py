"""Exports recorded in the audit trail and handed out: served at once or attached to a job."""

from __future__ import annotations

import datetime
import hashlib
import io
from collections.abc import Mapping
from typing import Any

from django.core.files import File
from django.core.files.base import ContentFile
from django.http import FileResponse
from django.utils import timezone

from kaiyuan.common.exports.workbooks import ExportBytes, ExportFile

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PDF = "application/pdf"

EXPORT = "export"
DOWNLOAD = "download"

# =============================================================================================
# The audit trail
# =============================================================================================


def export_record(
    obj,
    *,
    actor,
    what: str,
    filters: Mapping[str, Any],
    as_of: datetime.datetime,
    rows: int,
    sha256: str,
    source: str | None = None,
    data: Mapping[str, Any] | None = None,
    area=None,
):
    """The one ``export`` event of an export (``data`` adds what is particular to it; ``area``
    places an export of no particular object, such as a blank template)."""
    from kaiyuan.audit import record

    return record(
        obj,
        action=EXPORT,
        actor=actor,
        source=source,
        area=area,
        data={
            "what": what,
            "filters": dict(filters),
            "as_of": as_of.isoformat(),
            "rows": rows,
            "sha256": sha256,
            **(data or {}),
        },
    )


# =============================================================================================
# Handing out
# =============================================================================================


def export_to_job(
    job,
    written: ExportFile | ExportBytes,
    *,
    stored_name: str,
    name: str,
    what: str,
    filters: Mapping[str, Any],
    as_of: datetime.datetime,
    audit_object=None,
    data: Mapping[str, Any] | None = None,
    result: Mapping[str, Any] | None = None,
):
    """The tail of every export job: attach the file to ``job`` under the download name
    ``name``, note its rows and SHA-256 in the job's result, and record the export (on
    ``audit_object``, by default the job itself). The job runner saves the job."""
    if isinstance(written, ExportFile):
        with written.path.open("rb") as handle:
            job.result_file.save(stored_name, File(handle), save=False)
        written.path.unlink(missing_ok=True)
    else:
        job.result_file.save(stored_name, ContentFile(written.content), save=False)
    job.result_name = name
    job.progress = written.rows
    job.result = {"rows": written.rows, "sha256": written.sha256, **(result or {})}
    return export_record(
        job if audit_object is None else audit_object,
        actor=job.created_by,
        what=what,
        filters=filters,
        as_of=as_of,
        rows=written.rows,
        sha256=written.sha256,
        source="task",
        data={**({"job": job.pk} if audit_object is not None else {}), **(data or {})},
    )


def export_response(
    written: ExportBytes,
    *,
    name: str,
    content_type: str,
    actor,
    audit_object,
    what: str,
    filters: Mapping[str, Any],
    data: Mapping[str, Any] | None = None,
    area=None,
    as_of: datetime.datetime | None = None,
) -> FileResponse:
    """Serve a small export at once, recorded like a job's (the export is its download;
    ``as_of`` is the moment its caption names, by default now)."""
    export_record(
        audit_object,
        actor=actor,
        what=what,
        filters=filters,
        as_of=as_of or timezone.now(),
        rows=written.rows,
        sha256=written.sha256,
        data=data,
        area=area,
    )
    return FileResponse(
        io.BytesIO(written.content),
        as_attachment=True,
        filename=name,
        content_type=content_type,
    )


def export_download(job, *, actor) -> FileResponse:
    """Serve ``job``'s file (the caller has checked that ``actor`` owns it) and record the
    download with the SHA-256 of exactly what was sent."""
    from kaiyuan.audit import record

    handle = job.result_file.open("rb")
    digest = hashlib.sha256()
    for block in iter(lambda: handle.read(1 << 20), b""):
        digest.update(block)
    handle.seek(0)
    record(
        job,
        action=DOWNLOAD,
        actor=actor,
        data={
            "what": job.kind,
            "file": job.result_name,
            "rows": (job.result or {}).get("rows"),
            "sha256": digest.hexdigest(),
        },
    )
    return FileResponse(handle, as_attachment=True, filename=job.result_name)
