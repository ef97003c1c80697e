"""Column widths fitted to the content of a streamed sheet."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, Any
from unicodedata import east_asian_width

from kaiyuan.common.exports.cells import (
    DATE_FORMAT,
    DATETIME_FORMAT,
    MONEY_FORMAT,
    PERCENT_FORMAT,
)

if TYPE_CHECKING:
    from kaiyuan.common.exports.workbooks import Sheet

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


def header_lines(headers: Sequence[str], widths: Sequence[float]) -> int:
    """The lines the tallest wrapped header takes. Reckoned with less room than the column has
    (bold CJK runs a little wider than two digits): a line too many is a little white space, a
    line too few hides the end of the header."""
    lines = 1
    for header, width in zip(headers, widths, strict=False):
        room = max(width - 2 * PADDING, 1)
        lines = max(lines, -(-text_width(str(header)) // int(room)))
    return lines
