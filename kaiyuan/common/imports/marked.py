"""The uploaded sheet sent back with every bad cell filled red, its message as the cell's comment,
and an explanation column after the last one (streamed both ways: read row by row, written with
openpyxl's write-only mode)."""

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
AUTHOR = "开原市衔接工作平台"
ERROR_HEADER = "错误说明"


def write_marked_copy(
    sheet: Sheet,
    destination: Path,
    *,
    header_row: int,
    width: int,
    marks: dict[int, list[Problem]],
) -> None:
    """Copy ``sheet`` (an open, checked sheet) to ``destination`` with the problems marked."""
    out = Workbook(write_only=True)
    target = out.create_sheet(title=sheet.title)
    for row in sheet.rows():
        number = row.number
        row_marks = marks.get(number)
        cells: list[Any] = list(row.values) + [None] * max(0, width - len(row.values))
        if number == header_row:
            header = WriteOnlyCell(target, value=ERROR_HEADER)
            header.font = Font(bold=True, color="9C0006")
            cells = [*cells[:width], header]
        if row_marks:
            cells = _mark_row(target, cells, row_marks, width, number == header_row)
        target.append(cells)
    destination.parent.mkdir(parents=True, exist_ok=True)
    out.save(destination)


def _mark_row(target, cells: list[Any], marks: Iterable[Problem], width: int, is_header: bool):
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
