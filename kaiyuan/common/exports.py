"""The audited export: every file the platform hands out (Excel or PDF) is written, hashed,
recorded and served here.

* **Writing.** Workbooks are streamed through openpyxl's write-only mode (constant memory
  whatever the number of rows), laid out as an auditor expects without fixing anything by hand:
  a caption row saying what the list is, its filter and its as-of time; the bold header frozen
  below it with an autofilter over header and rows; widths fitted to the content (CJK characters
  count double; see ``SAMPLE_ROWS`` for how that stays streamed). Dates, times (Beijing time),
  Decimal money and numbers are typed cells with Chinese-readable formats (yyyy-mm-dd,
  yyyy-mm-dd hh:mm, #,##0.00); ID and phone columns are text. Every text cell is written as
  text: a string that Excel would read as a formula (``=HYPERLINK(...)``, ``+1``, ``-1``,
  ``@SUM``, a leading tab or carriage return) is stored as a string cell with Excel's quote
  prefix, so a name typed by a user never becomes a live formula in somebody else's spreadsheet.
* **Recording.** Each export leaves one ``export`` event in the audit trail with what was
  exported, the filter, the as-of time, the row count and the SHA-256 of the file.
* **Handing out.** An export whose rows grow with the area runs as a job (kaiyuan.jobs) and
  ``export_to_job`` attaches its file; only a small, bounded one (a template, one card) is
  served at once by ``export_response``. A job's file is served only to the job's owner
  (``export_download``) and each download is itself recorded. Job files and stored uploads are
  deleted after ``EXPORT_RETENTION_DAYS`` (``kaiyuan.jobs.services.files_purge``).
"""

from __future__ import annotations

import datetime
import hashlib
import io
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from itertools import chain, islice
from pathlib import Path
from typing import Any, BinaryIO
from unicodedata import east_asian_width
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.files import File
from django.core.files.base import ContentFile
from django.http import FileResponse
from django.utils import timezone
from django.utils.translation import gettext as _
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
CAPTION = Font(bold=True, size=12)
HEADER_ALIGNMENT = Alignment(wrap_text=True, vertical="center")


# =============================================================================================
# Cells
# =============================================================================================

# Chinese-readable number formats. Money is Decimal (kaiyuan.common.money), so a Decimal is money
# unless its column declares another format (a percentage, say). Integers stay General: a year
# (2024) or a count must never show a thousands separator, and General shows whole numbers of up
# to 11 digits as they are (the long digit strings, IDs and household numbers, are text anyway).
DATE_FORMAT = "yyyy-mm-dd"
DATETIME_FORMAT = "yyyy-mm-dd hh:mm"
MONEY_FORMAT = "#,##0.00"
PERCENT_FORMAT = "0.0%"
TEXT_FORMAT = "@"

LOCAL_ZONE = ZoneInfo(settings.TIME_ZONE)


def _clean(text: str) -> str:
    """``text`` without the control characters that an .xlsx file cannot hold (openpyxl refuses
    the whole row otherwise, and an export must never stop on one odd character)."""
    return ILLEGAL_CHARACTERS_RE.sub("", text)


def local_naive(moment: datetime.datetime) -> datetime.datetime:
    """``moment`` as the wall-clock time in Asia/Shanghai, without a zone: an .xlsx cell holds no
    time zone (openpyxl refuses an aware value), and a reader in the county reads Beijing time."""
    if moment.tzinfo is None:
        return moment
    return moment.astimezone(LOCAL_ZONE).replace(tzinfo=None)


def text_cell(sheet, value: str) -> Cell:
    """A cell that holds ``value`` as text whatever it starts with (``data_type`` "s" and Excel's
    quote prefix, so that editing the cell in Excel keeps it text too)."""
    cell = WriteOnlyCell(sheet, value=value)
    cell.data_type = "s"
    cell.quotePrefix = True
    return cell


class _RowWriter:
    """Turns a row of values into what a write-only sheet appends: the formula guard, text
    columns, and real dates, times and money with their number formats.

    Plain values (ordinary strings, integers) go through as they are (openpyxl's own fast path);
    only a value that needs a format or care becomes a cell. Cells of one format share one style
    array built once (setting ``number_format`` by name on every cell costs a lookup each time).
    """

    def __init__(self, sheet, spec: Sheet) -> None:
        self.sheet = sheet
        self.text_columns = frozenset(spec.text_columns)
        self.formats = dict(spec.formats)
        self._styles: dict[tuple[str, bool], Any] = {}

    def row(self, values: Sequence[Any]) -> list[Any]:
        row = list(values)
        text_columns, formats = self.text_columns, self.formats
        for index, value in enumerate(row):
            if value is None:
                continue
            kind = type(value)
            if index in text_columns:
                row[index] = self._text(value if kind is str else str(value))
            elif kind is str:
                if not value or value[0] in FORMULA_STARTS or not value.isprintable():
                    row[index] = self._careful(value)
            elif kind is datetime.datetime:
                row[index] = self.cell(local_naive(value), formats.get(index, DATETIME_FORMAT))
            elif kind is datetime.date:
                row[index] = self.cell(value, formats.get(index, DATE_FORMAT))
            elif kind is Decimal:
                row[index] = self.cell(value, formats.get(index, MONEY_FORMAT))
            elif index in formats and not isinstance(value, Cell):
                row[index] = self.cell(value, formats[index])
        return row

    def cell(self, value: Any, number_format: str, *, quote: bool = False) -> Cell:
        style = self._styles.get((number_format, quote))
        if style is None:
            prototype = WriteOnlyCell(self.sheet)
            prototype.number_format = number_format
            prototype.quotePrefix = quote
            style = self._styles[number_format, quote] = prototype._style
        return Cell(self.sheet, row=1, column=1, value=value, style_array=style)

    def _text(self, value: str) -> Cell | None:
        """An ID or phone number: a text cell formatted as text, so that retyping it in Excel
        does not turn it into 2.11282E+17 either."""
        value = _clean(value)
        if not value:
            return None
        cell = self.cell(value, TEXT_FORMAT, quote=value[0] in FORMULA_STARTS)
        cell.data_type = "s"
        return cell

    def _careful(self, value: str) -> Any:
        value = _clean(value)
        if not value:
            return None  # an empty cell, not an empty string Excel shows as text
        if value[0] in FORMULA_STARTS:
            return text_cell(self.sheet, value)
        return value


# ---- column widths ---------------------------------------------------------------------------

# The workbook is streamed: openpyxl writes a sheet's <cols> (the widths) before its first row,
# so the widths must be known before any row is written, and the rows are not all in memory.
# We measure the header and the first SAMPLE_ROWS rows, buffered (a bounded buffer: memory stays
# constant whatever the row count), then write them and stream the rest. A list's rows are
# alike (names, places, codes, dates), so its first few hundred give the width of the others;
# a rare longer value is capped anyway, and its cell keeps the whole text. A sheet can also
# declare a column's width (``widths``), which wins.
SAMPLE_ROWS = 500
MIN_WIDTH = 6
MAX_WIDTH = 50  # a long note or description wraps beyond this rather than hide the columns
HEADER_WIDTH = 24  # a longer header wraps onto a second line rather than widen its column
PADDING = 2
LINE_HEIGHT = 15  # points per header line (11-point text in Excel and LibreOffice)


def text_width(text: str) -> int:
    """Display width in Excel's character units: a CJK (wide or full-width) character takes two."""
    if text.isascii():
        return len(text)
    return sum(2 if east_asian_width(char) in "WF" else 1 for char in text)


def _value_width(value: Any, number_format: str | None = None) -> int:
    kind = type(value)
    if kind is str:
        return max(map(text_width, value.splitlines()), default=0)
    if value is None:
        return 0
    if kind is datetime.datetime:
        return len(DATETIME_FORMAT) if number_format is None else len(number_format)
    if kind is datetime.date:
        return len(DATE_FORMAT)
    if number_format == PERCENT_FORMAT:
        return len(f"{value:.1%}")
    if kind is Decimal or number_format == MONEY_FORMAT:
        return len(f"{value:,.2f}")
    return len(str(value))


def fitted_widths(spec: Sheet, sample: Sequence[Sequence[Any]]) -> list[float]:
    """The width of each column from its header and ``sample`` (the first rows), capped."""
    count = max([len(spec.headers), *(len(row) for row in sample)])
    widths = []
    for index in range(count):
        header = str(spec.headers[index]) if index < len(spec.headers) else ""
        number_format = spec.formats.get(index)
        data = max(
            (_value_width(row[index], number_format) for row in sample if index < len(row)),
            default=0,
        )
        widest = max(min(text_width(header), HEADER_WIDTH), data, MIN_WIDTH - PADDING)
        widths.append(min(widest + PADDING, MAX_WIDTH))
    return widths


def _header_lines(headers: Sequence[str], widths: Sequence[float]) -> int:
    """The lines the tallest wrapped header takes. Reckoned with less room than the column has
    (bold CJK runs a little wider than two digits): a line too many is a little white space, a
    line too few hides the end of the header."""
    lines = 1
    for header, width in zip(headers, widths, strict=False):
        room = max(width - 2 * PADDING, 1)
        lines = max(lines, -(-text_width(str(header)) // int(room)))
    return lines


# =============================================================================================
# Workbooks
# =============================================================================================


@dataclass(frozen=True)
class Sheet:
    """One sheet of an export: a caption row, a header row and the data rows below it.

    ``caption`` is the title row above the header: what the list is, its filter and its as-of
    time (``caption()`` builds it). A sheet whose rows are the export's rows (``counted``) must
    have one, so that a printed or forwarded file still says what it holds; a template or an
    explanation sheet has none (the header is its first row, as the importers expect).
    Every sheet's header is bold and frozen; a counted sheet also has an autofilter over its
    header and rows. Column widths are fitted to the header and the first rows (``widths``,
    by column letter, overrides).

    ``text_columns`` (0-based) are written as text so that Excel keeps ID and phone numbers
    whole instead of turning them into 2.11282E+17. ``formats`` (0-based) gives a column's number
    format where its type's default does not fit (``PERCENT_FORMAT`` for a ratio, seconds in an
    audit time). ``column_formats`` is by column letter and also applies to the rows a user
    later types in (templates). ``counted``: whether the sheet's rows are the export's rows.
    """

    title: str
    headers: Sequence[str]
    rows: Iterable[Sequence[Any]]
    caption: str | None = None
    text_columns: frozenset[int] = frozenset()
    formats: Mapping[int, str] = field(default_factory=dict)
    widths: Mapping[str, float] = field(default_factory=dict)
    column_formats: Mapping[str, str] = field(default_factory=dict)
    header_fill: PatternFill | None = None
    wrap_columns: frozenset[int] = frozenset()
    validations: Sequence[DataValidation] = ()
    counted: bool = True


def caption(
    what: str,
    *,
    as_of: datetime.datetime,
    scope: str | None = None,
    filters: Iterable[tuple[Any, Any]] = (),
) -> str:
    """The title row of an export: "已脱贫人口名单 · 范围：中固镇 · 截至 2026-12-02 10:00"
    (``filters`` are (label, value) pairs as the page showed them)."""
    parts = [str(what)]
    if scope:
        parts.append(_("Scope: %(scope)s") % {"scope": scope})
    parts += [
        _("%(label)s: %(value)s") % {"label": label, "value": value}
        for label, value in filters
        if value not in (None, "")
    ]
    parts.append(_("As of %(time)s") % {"time": f"{local_naive(as_of):%Y-%m-%d %H:%M}"})
    return " · ".join(parts)


def scope_name(area) -> str:
    """An area as a caption names it: a township or the county by its name, a village after its
    township's ("中固镇烟厂村"), since villages of two townships may share a name."""
    from kaiyuan.areas.models import Area

    names = []
    node = area
    while node is not None:
        names.append(node.name)
        if node.level in (Area.Level.COUNTY, Area.Level.TOWNSHIP):
            break
        node = node.parent
    return "".join(reversed(names))


def _caption_cell(sheet, text: str) -> Cell:
    cell = WriteOnlyCell(sheet, value=_clean(text))
    cell.data_type = "s"  # a filter value typed by a user never becomes a formula here either
    cell.font = CAPTION
    return cell


def _header_cells(sheet, spec: Sheet) -> list[Cell]:
    cells = []
    for name in spec.headers:
        cell = WriteOnlyCell(sheet, value=_clean(str(name)))
        cell.data_type = "s"
        cell.font = BOLD
        cell.alignment = HEADER_ALIGNMENT
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


def _layout(sheet, spec: Sheet, sample: Sequence[Sequence[Any]], header_row: int) -> None:
    """What openpyxl writes before the first row: widths, column formats, panes, print titles."""
    widths = []
    for index, fitted in enumerate(fitted_widths(spec, sample)):
        letter = get_column_letter(index + 1)
        widths.append(spec.widths.get(letter, fitted))
        sheet.column_dimensions[letter].width = widths[-1]
    for index in spec.text_columns:
        sheet.column_dimensions[get_column_letter(index + 1)].number_format = TEXT_FORMAT
    for letter, number_format in spec.column_formats.items():
        sheet.column_dimensions[letter].number_format = number_format
    lines = _header_lines(spec.headers, widths)
    if lines > 1:
        sheet.row_dimensions[header_row].height = LINE_HEIGHT * lines + 3
    sheet.freeze_panes = f"A{header_row + 1}"
    sheet.print_title_rows = f"{header_row}:{header_row}"
    if spec.counted:
        sheet.page_setup.orientation = "landscape"


def _write_sheet(workbook: Workbook, spec: Sheet, count: int, on_progress) -> int:
    if spec.counted and not spec.caption:
        raise ValueError(f"the data sheet {spec.title!r} needs a caption (what, filter, as-of)")
    sheet = workbook.create_sheet(title=spec.title[:31])
    header_row = 2 if spec.caption else 1
    rows = iter(spec.rows)
    sample = list(islice(rows, SAMPLE_ROWS))
    _layout(sheet, spec, sample, header_row)
    for validation in spec.validations:
        sheet.data_validations.append(validation)
    if spec.caption:
        sheet.append([_caption_cell(sheet, spec.caption)])
    sheet.append(_header_cells(sheet, spec))
    writer = _RowWriter(sheet, spec)
    styled = bool(spec.column_formats or spec.wrap_columns)
    append = sheet.append
    written = 0
    for values in chain(sample, rows):
        row = writer.row(values)
        append(_styled(sheet, spec, row) if styled else row)
        written += 1
        if spec.counted:
            count += 1
            if on_progress is not None and count % PROGRESS_EVERY == 0:
                on_progress(count)
    if spec.counted:
        # The tail of the sheet is written after its rows, so the filter can span them all.
        last = get_column_letter(max(len(spec.headers), 1))
        sheet.auto_filter.ref = f"A{header_row}:{last}{header_row + written}"
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
    caption: str,
    text_columns: frozenset[int] = frozenset(),
    formats: Mapping[int, str] | None = None,
    on_progress: Callable[[int], Any] | None = None,
) -> ExportFile:
    """A one-sheet workbook: ``caption`` above ``headers`` above ``rows``."""
    sheet = Sheet(
        title=title,
        headers=headers,
        rows=rows,
        caption=caption,
        text_columns=text_columns,
        formats=formats or {},
    )
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
