"""Reading the rows of a checked workbook, once, as plain values.

``open_workbook`` is the only place an import hands a file to openpyxl (the tests spy on it to
prove that a refused file was never parsed). Rows come from openpyxl's own read-only sheet
parser, but without the padding its ``iter_rows`` adds: a read-only sheet pads every row to the
declared width and yields every missing row up to the declared height, which is what made a
6 KB file declaring ``A1:XFD20000`` produce 327 million empty cells. Here a row is as long as
its last value (at most the column limit) and missing rows are simply not there.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from django.utils.translation import gettext as _
from openpyxl import load_workbook

# The parser openpyxl's read-only worksheets use; taken directly so that rows are not padded.
from openpyxl.worksheet._reader import WorkSheetParser

from kaiyuan.common.imports.errors import ImportRefused
from kaiyuan.common.imports.guard import ArchiveFacts, SheetFacts, not_xlsx_message

FORMULAS_REFUSED = "refused"  # a formula cell arrives as its formula, flagged
FORMULAS_AS_VALUES = "values"  # a formula cell arrives as the value Excel last calculated


@dataclass(slots=True)
class Row:
    number: int  # 1-based, as Excel shows it
    values: list[Any]  # 0-based by column; as long as the row's last value
    formulas: frozenset[int] | None = None  # 0-based columns holding a formula

    def get(self, index: int) -> Any:
        return self.values[index] if 0 <= index < len(self.values) else None

    @property
    def blank(self) -> bool:
        return all(v is None or (isinstance(v, str) and not v.strip()) for v in self.values)


def open_workbook(source: Path | IO[bytes], *, data_only: bool):
    """The workbook in openpyxl's read-only mode. Call only after ``guard.inspect_archive``."""
    return load_workbook(source, read_only=True, data_only=data_only)


class Sheet:
    """One worksheet of a checked workbook. Use as a context manager (it closes the zip)."""

    def __init__(
        self,
        source: Path | IO[bytes],
        facts: ArchiveFacts,
        *,
        sheet_name: str = "",
        formulas: str = FORMULAS_REFUSED,
        max_columns: int,
    ) -> None:
        if hasattr(source, "seek"):
            source.seek(0)
        try:
            self.workbook = open_workbook(source, data_only=formulas == FORMULAS_AS_VALUES)
        except Exception:  # openpyxl raises many types for damaged or foreign zips
            raise ImportRefused(not_xlsx_message()) from None
        sheets = self.workbook.worksheets
        if not sheets:
            self.workbook.close()
            raise ImportRefused(_("The workbook has no worksheet."))
        if sheet_name and sheet_name in self.workbook.sheetnames:
            self.worksheet = self.workbook[sheet_name]
        elif self.workbook.active in sheets:
            self.worksheet = self.workbook.active
        else:
            self.worksheet = sheets[0]
        self.title = self.worksheet.title
        self.facts: SheetFacts = facts.sheet(getattr(self.worksheet, "_worksheet_path", ""))
        self.max_columns = max_columns
        self.formulas = formulas

    def __enter__(self) -> Sheet:
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()

    def close(self) -> None:
        self.workbook.close()

    @property
    def merged(self) -> list[str]:
        return self.facts.merged

    @property
    def rows_in_xml(self) -> int:
        return self.facts.rows

    def rows(self) -> Iterator[Row]:
        """Every row the sheet's XML holds, in order (empty rows included when the XML has
        them, missing rows not invented)."""
        worksheet = self.worksheet
        workbook = self.workbook
        cap = self.max_columns
        refuse_formulas = self.formulas == FORMULAS_REFUSED
        with worksheet._get_source() as source:
            parser = WorkSheetParser(
                source,
                worksheet._shared_strings,
                data_only=workbook.data_only,
                epoch=workbook.epoch,
                date_formats=workbook._date_formats,
                timedelta_formats=workbook._timedelta_formats,
            )
            for number, cells in parser.parse():
                if not cells:
                    yield Row(number, [])
                    continue
                last = cells[-1]["column"]
                width = last if last <= cap else cap
                values: list[Any] = [None] * width
                formulas: set[int] | None = None
                for cell in cells:
                    index = cell["column"] - 1
                    if index < width:
                        values[index] = cell["value"]
                        if refuse_formulas and cell["data_type"] == "f":
                            formulas = formulas or set()
                            formulas.add(index)
                while values and values[-1] is None:
                    values.pop()
                yield Row(number, values, frozenset(formulas) if formulas else None)
