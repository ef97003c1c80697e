"""Cells of an export: typed values with their number formats, text that never becomes a formula."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from django.conf import settings
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell

if TYPE_CHECKING:
    from kaiyuan.common.exports.workbooks import Sheet

# What Excel (or LibreOffice) reads as the start of a formula, and "#", the start of its error
# values (#N/A, #REF!), which openpyxl would otherwise store as an error instead of the text.
FORMULA_STARTS = frozenset("=+-@\t\r#")

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


def clean_text(text: str) -> str:
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


class RowWriter:
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
        value = clean_text(value)
        if not value:
            return None
        cell = self.cell(value, TEXT_FORMAT, quote=value[0] in FORMULA_STARTS)
        cell.data_type = "s"
        return cell

    def _careful(self, value: str) -> Any:
        value = clean_text(value)
        if not value:
            return None  # an empty cell, not an empty string Excel shows as text
        if value[0] in FORMULA_STARTS:
            return text_cell(self.sheet, value)
        return value


# ---- column widths ---------------------------------------------------------------------------
