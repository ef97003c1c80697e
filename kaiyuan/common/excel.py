"""Streaming Excel exports: openpyxl write-only workbooks written to a file, with the SHA-256 that
the audit trail keeps for every export."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font


@dataclass(frozen=True)
class ExportResult:
    path: Path
    rows: int
    sha256: str


def write_xlsx(
    path: Path,
    *,
    title: str,
    headers: Sequence[str],
    rows: Iterable[Sequence[Any]],
    text_columns: frozenset[int] = frozenset(),
    on_progress=None,
) -> ExportResult:
    """Write ``rows`` under ``headers`` to ``path`` in constant memory.

    ``text_columns`` (0-based) are written as text so that Excel keeps ID and phone numbers whole
    instead of turning them into 2.11282E+17.
    """
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=title[:31])
    bold = Font(bold=True)
    header_cells = []
    for name in headers:
        cell = WriteOnlyCell(sheet, value=str(name))
        cell.font = bold
        header_cells.append(cell)
    sheet.append(header_cells)
    count = 0
    for row in rows:
        values = list(row)
        for index in text_columns:
            if index < len(values) and values[index] is not None:
                values[index] = str(values[index])
        sheet.append(values)
        count += 1
        if on_progress is not None and count % 1000 == 0:
            on_progress(count)
    path.parent.mkdir(parents=True, exist_ok=True)
    workbook.save(path)
    return ExportResult(path=path, rows=count, sha256=sha256_of(path))


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()
