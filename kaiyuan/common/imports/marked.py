"""The uploaded sheet sent back with every bad cell filled red, its message as the cell's comment,
and an explanation column after the last one (streamed both ways: read row by row, written with
openpyxl's write-only mode). Warnings (``notes``: flags to review, which refuse nothing) are
shown the same way in yellow, after the errors of their row."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import Cell
from openpyxl.comments import Comment
from openpyxl.styles import Font, PatternFill

from kaiyuan.common.imports.problems import Problem
from kaiyuan.common.imports.reader import Sheet

BAD_FILL = PatternFill("solid", fgColor="FFC7CE")
BAD_FONT = Font(color="9C0006")
NOTE_FILL = PatternFill("solid", fgColor="FFEB9C")
AUTHOR = "开原市衔接工作平台"
ERROR_HEADER = "错误说明"


def write_marked_copy(
    sheet: Sheet,
    destination: Path,
    *,
    header_row: int,
    width: int,
    marks: dict[int, list[Problem]],
    notes: dict[int, list[Problem]] | None = None,
) -> None:
    """Copy ``sheet`` (an open, checked sheet) to ``destination`` with the problems marked:
    ``marks`` (errors) red, ``notes`` (warnings) yellow."""
    out = Workbook(write_only=True)
    target = out.create_sheet(title=sheet.title)
    notes = notes or {}
    for row in sheet.rows():
        number = row.number
        row_marks = marks.get(number)
        row_notes = notes.get(number)
        cells: list[Any] = list(row.values) + [None] * max(0, width - len(row.values))
        if number == header_row:
            header = WriteOnlyCell(target, value=ERROR_HEADER)
            header.font = Font(bold=True, color="9C0006")
            cells = [*cells[:width], header]
        if row_marks or row_notes:
            cells = _mark_row(
                target, cells, row_marks or [], width, number == header_row, row_notes or []
            )
        target.append(cells)
    destination.parent.mkdir(parents=True, exist_ok=True)
    out.save(destination)


def _mark_row(
    target,
    cells: list[Any],
    marks: Iterable[Problem],
    width: int,
    is_header: bool,
    notes: Iterable[Problem] = (),
):
    marks, notes = list(marks), list(notes)
    by_column: dict[int, list[str]] = {}
    warned: set[int] = set()
    for mark in marks:
        by_column.setdefault(mark.column, []).append(mark.message)
    for note in notes:
        if note.column not in by_column:
            warned.add(note.column)
        by_column.setdefault(note.column, []).append(note.message)
    for index, messages in by_column.items():
        if index < 0 or index >= len(cells):
            continue
        value = cells[index]
        if isinstance(value, Cell):
            continue
        cell = WriteOnlyCell(target, value=value)
        cell.fill = NOTE_FILL if index in warned else BAD_FILL
        comment = Comment("\n".join(messages), AUTHOR)
        comment.width, comment.height = 320, 120
        cell.comment = comment
        cells[index] = cell
    if not is_header:
        text = "；".join(
            f"{m.header}：{m.message}" if m.header else m.message for m in (*marks, *notes)
        )
        explanation = WriteOnlyCell(target, value=text)
        explanation.font = BAD_FONT
        cells = cells[:width] + [None] * max(0, width - len(cells)) + [explanation]
    return cells
