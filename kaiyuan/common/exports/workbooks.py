"""Sheets and workbooks: caption, frozen bold header, autofilter, streamed rows."""

from __future__ import annotations

import datetime
import hashlib
import io
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import chain, islice
from pathlib import Path
from typing import Any, BinaryIO

from django.conf import settings
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import Cell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from kaiyuan.common.exports.cells import TEXT_FORMAT, RowWriter, clean_text, local_naive
from kaiyuan.common.exports.widths import LINE_HEIGHT, SAMPLE_ROWS, fitted_widths, header_lines

PROGRESS_EVERY = 1000  # rows between two progress reports

BOLD = Font(bold=True)
CAPTION = Font(bold=True, size=12)
HEADER_ALIGNMENT = Alignment(wrap_text=True, vertical="center")

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
    cell = WriteOnlyCell(sheet, value=clean_text(text))
    cell.data_type = "s"  # a filter value typed by a user never becomes a formula here either
    cell.font = CAPTION
    return cell


def _header_cells(sheet, spec: Sheet) -> list[Cell]:
    cells = []
    for name in spec.headers:
        cell = WriteOnlyCell(sheet, value=clean_text(str(name)))
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
    lines = header_lines(spec.headers, widths)
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
    writer = RowWriter(sheet, spec)
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
