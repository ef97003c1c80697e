"""The audited export: every file the platform hands out (Excel or PDF) is written, hashed,
recorded and served here.

* **Writing.** Workbooks are streamed through openpyxl's write-only mode (constant memory
  whatever the number of rows). Every text cell is written as text: a string that Excel would
  read as a formula (``=HYPERLINK(...)``, ``+1``, ``-1``, ``@SUM``, a leading tab or carriage
  return) is stored as a string cell with Excel's quote prefix, so a name typed by a user never
  becomes a live formula in somebody else's spreadsheet. Numbers and dates stay typed.
* **Recording.** Each export leaves one ``export`` event in the audit trail with what was
  exported, the filter, the as-of time, the row count and the SHA-256 of the file.
* **Handing out.** A large export runs as a job (kaiyuan.jobs) and ``export_to_job`` attaches its
  file; a small one is served at once by ``export_response``. A job's file is served only to the
  job's owner (``export_download``) and each download is itself recorded. Job files and stored
  uploads are deleted after ``EXPORT_RETENTION_DAYS`` (``kaiyuan.jobs.services.files_purge``).
"""

from __future__ import annotations

import datetime
import hashlib
import io
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

from django.conf import settings
from django.core.files import File
from django.core.files.base import ContentFile
from django.http import FileResponse
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PDF = "application/pdf"

EXPORT = "export"
DOWNLOAD = "download"

# What Excel (or LibreOffice) reads as the start of a formula, and "#", the start of its error
# values (#N/A, #REF!), which openpyxl would otherwise store as an error instead of the text.
FORMULA_STARTS = frozenset("=+-@\t\r#")

PROGRESS_EVERY = 1000  # rows between two progress reports

BOLD = Font(bold=True)


# =============================================================================================
# Cells
# =============================================================================================


def _clean(text: str) -> str:
    """``text`` without the control characters that an .xlsx file cannot hold (openpyxl refuses
    the whole row otherwise, and an export must never stop on one odd character)."""
    return ILLEGAL_CHARACTERS_RE.sub("", text)


def text_cell(sheet, value: str) -> Cell:
    """A cell that holds ``value`` as text whatever it starts with (``data_type`` "s" and Excel's
    quote prefix, so that editing the cell in Excel keeps it text too)."""
    cell = WriteOnlyCell(sheet, value=value)
    cell.data_type = "s"
    cell.quotePrefix = True
    return cell


class _RowWriter:
    """Turns a row of values into what a write-only sheet appends, with the formula guard.

    Plain values go through as they are (openpyxl's own fast path); only a string that needs
    care becomes a styled cell, so the guard costs one test per string cell.
    """

    def __init__(self, sheet, text_columns: frozenset[int]) -> None:
        self.sheet = sheet
        self.text_columns = tuple(sorted(text_columns))

    def row(self, values: Sequence[Any]) -> list[Any]:
        row = list(values)
        width = len(row)
        for index in self.text_columns:
            if index < width:
                value = row[index]
                if value is not None and type(value) is not str:
                    row[index] = str(value)
        for index, value in enumerate(row):
            if type(value) is str and (
                not value or value[0] in FORMULA_STARTS or not value.isprintable()
            ):
                row[index] = self._careful(value)
        return row

    def _careful(self, value: str) -> Any:
        value = _clean(value)
        if not value:
            return None  # an empty cell, not an empty string Excel shows as text
        if value[0] in FORMULA_STARTS:
            return text_cell(self.sheet, value)
        return value


# =============================================================================================
# Workbooks
# =============================================================================================


@dataclass(frozen=True)
class Sheet:
    """One sheet of an export: a header row and the data rows below it.

    ``text_columns`` (0-based) are written as text so that Excel keeps ID and phone numbers
    whole instead of turning them into 2.11282E+17. ``widths`` and ``column_formats`` are by
    column letter; a column format also applies to the rows a user later types in (templates).
    ``counted``: whether the sheet's rows are the export's rows (not for an explanation sheet).
    """

    title: str
    headers: Sequence[str]
    rows: Iterable[Sequence[Any]]
    text_columns: frozenset[int] = frozenset()
    widths: Mapping[str, float] = field(default_factory=dict)
    column_formats: Mapping[str, str] = field(default_factory=dict)
    header_fill: PatternFill | None = None
    freeze_header: bool = False
    wrap_columns: frozenset[int] = frozenset()
    validations: Sequence[DataValidation] = ()
    counted: bool = True


def _header_cells(sheet, spec: Sheet) -> list[Cell]:
    cells = []
    for name in spec.headers:
        cell = WriteOnlyCell(sheet, value=_clean(str(name)))
        cell.data_type = "s"
        cell.font = BOLD
        if spec.header_fill is not None:
            cell.fill = spec.header_fill
        cells.append(cell)
    return cells


def _styled(sheet, spec: Sheet, row: list[Any]) -> list[Any]:
    """Apply the sheet's per-column formats and wrapping to one (short) row: only templates and
    explanation sheets use them, never a large list."""
    styled: list[Any] = []
    for index, value in enumerate(row):
        letter = get_column_letter(index + 1)
        number_format = spec.column_formats.get(letter)
        wrap = index in spec.wrap_columns
        if not number_format and not wrap:
            styled.append(value)
            continue
        cell = value if isinstance(value, Cell) else WriteOnlyCell(sheet, value=value)
        if number_format:
            cell.number_format = number_format
        if wrap:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
        styled.append(cell)
    return styled


def _write_sheet(workbook: Workbook, spec: Sheet, count: int, on_progress) -> int:
    sheet = workbook.create_sheet(title=spec.title[:31])
    for letter, width in spec.widths.items():
        sheet.column_dimensions[letter].width = width
    for letter, number_format in spec.column_formats.items():
        sheet.column_dimensions[letter].number_format = number_format
    if spec.freeze_header:
        sheet.freeze_panes = "A2"
    for validation in spec.validations:
        sheet.data_validations.append(validation)
    sheet.append(_header_cells(sheet, spec))
    writer = _RowWriter(sheet, spec.text_columns)
    styled = bool(spec.column_formats or spec.wrap_columns)
    append = sheet.append
    for values in spec.rows:
        row = writer.row(values)
        append(_styled(sheet, spec, row) if styled else row)
        if spec.counted:
            count += 1
            if on_progress is not None and count % PROGRESS_EVERY == 0:
                on_progress(count)
    return count


def _write(target: Path | BinaryIO, sheets: Sequence[Sheet], on_progress) -> int:
    workbook = Workbook(write_only=True)
    count = 0
    for spec in sheets:
        count = _write_sheet(workbook, spec, count, on_progress)
    workbook.save(target)
    return count


@dataclass(frozen=True)
class ExportFile:
    """A written export: where it is, how many data rows it holds, and its SHA-256."""

    path: Path
    rows: int
    sha256: str


def write_workbook(
    path: Path, sheets: Sequence[Sheet], *, on_progress: Callable[[int], Any] | None = None
) -> ExportFile:
    """Stream ``sheets`` into the workbook at ``path`` in constant memory."""
    path.parent.mkdir(parents=True, exist_ok=True)
    rows = _write(path, sheets, on_progress)
    return ExportFile(path=path, rows=rows, sha256=sha256_of(path))


def write_xlsx(
    path: Path,
    *,
    title: str,
    headers: Sequence[str],
    rows: Iterable[Sequence[Any]],
    text_columns: frozenset[int] = frozenset(),
    on_progress: Callable[[int], Any] | None = None,
) -> ExportFile:
    """A one-sheet workbook: ``rows`` under ``headers``."""
    sheet = Sheet(title=title, headers=headers, rows=rows, text_columns=text_columns)
    return write_workbook(path, [sheet], on_progress=on_progress)


@dataclass(frozen=True)
class ExportBytes:
    """A small export built in memory (served at once, or attached to a job by its caller)."""

    content: bytes
    rows: int

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.content).hexdigest()


def workbook_bytes(sheets: Sequence[Sheet]) -> ExportBytes:
    buffer = io.BytesIO()
    rows = _write(buffer, sheets, None)
    return ExportBytes(content=buffer.getvalue(), rows=rows)


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def temp_path(name: str) -> Path:
    """Where a job writes its file before it is attached (MEDIA_ROOT/tmp, purged like the rest)."""
    return settings.MEDIA_ROOT / "tmp" / name


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
) -> FileResponse:
    """Serve a small export at once, recorded like a job's (the export is its download)."""
    export_record(
        audit_object,
        actor=actor,
        what=what,
        filters=filters,
        as_of=timezone.now(),
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
