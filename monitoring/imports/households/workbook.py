"""The uploaded workbook as a file: checks made before any row is read (size, a real .xlsx, a
sheet, the header row), merged ranges, and the copy returned to the user with the bad cells
marked.

Everything streams: openpyxl's read-only mode for reading, write-only mode for the marked copy,
and a scan of the sheet's XML for merged ranges (read-only worksheets do not expose them, and
loading a 30,000-row sheet fully would take hundreds of megabytes).
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from django.conf import settings
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import Cell
from openpyxl.comments import Comment
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter, range_boundaries

from monitoring.exceptions import MonitoringError
from monitoring.imports.households import layout
from monitoring.imports.households.cells import is_blank
from monitoring.imports.households.layout import Column

HEADER_SEARCH_ROWS = 10  # national exports put a title row or two above the headers
BAD_FILL = PatternFill("solid", fgColor="FFC7CE")
BAD_FONT = Font(color="9C0006")
AUTHOR = "开原市衔接工作平台"


class ImportRefused(MonitoringError):
    """The file cannot be imported at all (nothing was read into the database, nothing written).
    ``messages`` lists every reason, each a whole Chinese sentence."""

    code = "import_refused"

    def __init__(self, messages: list[str] | str) -> None:
        self.messages = [messages] if isinstance(messages, str) else list(messages)
        super().__init__("".join(self.messages))


@dataclass
class SheetLayout:
    """Where the national columns are in the uploaded sheet."""

    title: str
    header_row: int  # 1-based
    columns: list[tuple[int, Column]]  # (0-based sheet column, column), in sheet order
    ignored: list[str] = field(default_factory=list)
    width: int = 0  # number of header cells

    def index_of(self, header: str) -> int:
        for index, column in self.columns:
            if column.header == header:
                return index
        return -1

    def has(self, header: str) -> bool:
        return self.index_of(header) >= 0


@dataclass(frozen=True)
class Inspection:
    layout: SheetLayout
    data_rows: int  # counted up to ``limit`` + 1


# ---- opening ------------------------------------------------------------------------------------


def check_upload(name: str, size: int) -> None:
    """Refusals that need only the name and size."""
    limit = settings.MAX_UPLOAD_MB
    if size == 0:
        raise ImportRefused(_("The file is empty."))
    if size > limit * 1024 * 1024:
        raise ImportRefused(
            _("The file is larger than %(limit)s MB. Split it by township or village.")
            % {"limit": limit}
        )
    if not name.lower().endswith(".xlsx"):
        raise ImportRefused(
            _(
                "Only Excel workbooks (.xlsx) can be imported. Open the file in Excel or WPS and "
                "save it as “Excel 工作簿 (.xlsx)”."
            )
        )


def open_sheet(source: Path | IO[bytes]):
    """(workbook, worksheet) in read-only mode, or ImportRefused for anything that is not a
    readable .xlsx (a renamed .xls, .csv or .txt, a damaged zip)."""
    not_xlsx = _(
        "This file is not a real Excel workbook (.xlsx): it may be an .xls, .csv or text file "
        "that was renamed. Open it in Excel or WPS and save it as “Excel 工作簿 (.xlsx)”."
    )
    if not zipfile.is_zipfile(source):
        raise ImportRefused(not_xlsx)
    if hasattr(source, "seek"):
        source.seek(0)
    try:
        workbook = load_workbook(source, read_only=True, data_only=False)
    except Exception:  # openpyxl raises many types for damaged or foreign zips
        raise ImportRefused(not_xlsx) from None
    sheets = workbook.worksheets
    if not sheets:
        workbook.close()
        raise ImportRefused(_("The workbook has no worksheet."))
    sheet = workbook.active if workbook.active in sheets else sheets[0]
    return workbook, sheet


def find_layout(sheet) -> SheetLayout:
    """The header row (the one among the first rows with the most national headers) and the
    columns it names. Refuses a sheet without one, with a column twice or missing a required
    column, naming them."""
    best: tuple[int, int, tuple] | None = None  # (known headers, row, values)
    first_filled: tuple[int, tuple] | None = None
    for number, values in enumerate(
        sheet.iter_rows(max_row=HEADER_SEARCH_ROWS, values_only=True), start=1
    ):
        if first_filled is None and any(not is_blank(v) for v in values):
            first_filled = (number, values)
        known = sum(1 for v in values if not is_blank(v) and layout.column_for(v) is not None)
        if known and (best is None or known > best[0]):
            best = (known, number, values)
    if best is None and first_filled is None:
        raise ImportRefused(_("The worksheet is empty."))
    header_row, values = (best[1], best[2]) if best else first_filled
    columns: list[tuple[int, Column]] = []
    seen: dict[str, int] = {}
    ignored: list[str] = []
    problems: list[str] = []
    width = 0
    for index, value in enumerate(values):
        if is_blank(value):
            continue
        width = index + 1
        column = layout.column_for(value)
        if column is None:
            if layout.normalise_header(value) != layout.ERROR_HEADER:  # our own, when re-sent
                ignored.append(str(value).strip())
            continue
        if column.header in seen:
            problems.append(
                _("The column %(name)s appears twice (columns %(a)s and %(b)s).")
                % {
                    "name": column.header,
                    "a": get_column_letter(seen[column.header] + 1),
                    "b": get_column_letter(index + 1),
                }
            )
            continue
        seen[column.header] = index
        columns.append((index, column))
    missing = [c.header for c in layout.REQUIRED_COLUMNS if c.header not in seen]
    if missing:
        problems.append(
            _(
                "Row %(row)s does not have these required columns: %(names)s. Use the headers "
                "of the national export or download the template."
            )
            % {"row": header_row, "names": "、".join(missing)}
        )
        if ignored:
            problems.append(
                _("These column headers are not national headers: %(names)s.")
                % {"names": "、".join(ignored)}
            )
    if problems:
        raise ImportRefused(problems)
    return SheetLayout(
        title=sheet.title, header_row=header_row, columns=columns, ignored=ignored, width=width
    )


def inspect_upload(source: Path | IO[bytes], *, limit: int) -> Inspection:
    """The checks made while the user waits, before the file is stored: a readable .xlsx with a
    sheet, national headers and at least one data row. Counts data rows up to ``limit`` + 1 (to
    decide whether the import runs in the background)."""
    workbook, sheet = open_sheet(source)
    try:
        found = find_layout(sheet)
        rows = 0
        for values in sheet.iter_rows(min_row=found.header_row + 1, values_only=True):
            if any(not is_blank(v) for v in values):
                rows += 1
                if rows > limit:
                    break
    finally:
        workbook.close()
    if rows == 0:
        raise ImportRefused(
            _("The file has column headers but no data rows: there is nothing to import.")
        )
    return Inspection(layout=found, data_rows=rows)


# ---- merged ranges ------------------------------------------------------------------------------

_MERGE = re.compile(rb'<(?:\w+:)?mergeCell\s+ref="([A-Z]+[0-9]+(?::[A-Z]+[0-9]+)?)"')


def merged_ranges(path: Path, sheet) -> list[str]:
    """The merged ranges of ``sheet`` ("A5:A7"), read from the sheet's XML in chunks."""
    member = getattr(sheet, "_worksheet_path", None)
    if not member:
        return []
    found: list[str] = []
    tail = b""
    with zipfile.ZipFile(path) as archive, archive.open(member.lstrip("/")) as stream:
        while chunk := stream.read(1 << 20):
            data = tail + chunk
            last_end = 0
            for match in _MERGE.finditer(data):
                found.append(match.group(1).decode())
                last_end = match.end()
            tail = data[max(last_end, len(data) - 200) :]
    return found


def range_rows(ref: str) -> tuple[int, int, int, int]:
    """(min_col, min_row, max_col, max_row) of "A5:C7", 1-based."""
    return range_boundaries(ref)


# ---- the marked copy ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Mark:
    column: int  # 0-based, -1 for the row as a whole
    header: str
    message: str


def write_marked_copy(
    source: Path,
    destination: Path,
    *,
    header_row: int,
    width: int,
    marks: dict[int, list[Mark]],
) -> None:
    """Copy the uploaded sheet with each bad cell filled red and commented, and a 错误说明 column
    after the last column explaining every problem of the row (streamed both ways)."""
    workbook, sheet = open_sheet(source)
    out = Workbook(write_only=True)
    target = out.create_sheet(title=sheet.title)
    try:
        for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
            row_marks = marks.get(number)
            cells: list[Any] = list(values) + [None] * max(0, width - len(values))
            if number == header_row:
                header = WriteOnlyCell(target, value=layout.ERROR_HEADER)
                header.font = Font(bold=True, color="9C0006")
                cells = [*cells[:width], header]
            if row_marks:
                cells = _mark_row(target, cells, row_marks, width, number == header_row)
            target.append(cells)
    finally:
        workbook.close()
    destination.parent.mkdir(parents=True, exist_ok=True)
    out.save(destination)


def _mark_row(target, cells: list[Any], marks: Iterable[Mark], width: int, is_header: bool):
    by_column: dict[int, list[str]] = {}
    for mark in marks:
        by_column.setdefault(mark.column, []).append(mark.message)
    for index, messages in by_column.items():
        if index < 0 or index >= len(cells):
            continue
        value = cells[index]
        if isinstance(value, Cell):
            continue
        cell = WriteOnlyCell(target, value=value)
        cell.fill = BAD_FILL
        comment = Comment("\n".join(messages), AUTHOR)
        comment.width, comment.height = 320, 120
        cell.comment = comment
        cells[index] = cell
    if not is_header:
        text = "；".join(f"{m.header}：{m.message}" if m.header else m.message for m in marks)
        explanation = WriteOnlyCell(target, value=text)
        explanation.font = BAD_FONT
        cells = cells[:width] + [None] * max(0, width - len(cells)) + [explanation]
    return cells
