"""Finding the header row of a sheet from a layout: the expected headers, their aliases and which
are required.

National exports put a title row or two above the headers, and sometimes a two-level header whose
cells are merged down (序号 over two rows) or across (a group name over its columns). The header
row is the one among the first ``HEADER_SEARCH_ROWS`` that names the most known headers, with each
blank cell of it taken from a merged cell above that covers it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from django.utils.translation import gettext as _
from openpyxl.utils import get_column_letter, range_boundaries

from kaiyuan.common.imports.cells import is_blank
from kaiyuan.common.imports.errors import ImportRefused
from kaiyuan.common.imports.reader import Row

HEADER_SEARCH_ROWS = 10  # the same for every importer

_SPACES = re.compile(r"\s+")


class Field(Protocol):
    """What a layout's column must say: its header, other names for it, and whether a file
    without it is refused."""

    header: str
    aliases: tuple[str, ...]
    required: bool


@dataclass(frozen=True)
class Column:
    header: str
    aliases: tuple[str, ...] = ()
    required: bool = False


def normalise_header(text: object) -> str:
    """Headers compare without spaces or line breaks and with half-width brackets, because the
    national system and hand-edited sheets write （） and () interchangeably."""
    value = _SPACES.sub("", str(text if text is not None else ""))
    return value.replace("（", "(").replace("）", ")")


class Layout:
    """The columns an importer knows, looked up by any of their names."""

    def __init__(self, fields: Sequence[Any], *, own_headers: Iterable[str] = ()) -> None:
        self.fields = tuple(fields)
        self.by_name: dict[str, Any] = {}
        for item in self.fields:
            for name in (item.header, *item.aliases):
                self.by_name[normalise_header(name)] = item
        self.required = tuple(item for item in self.fields if item.required)
        # Headers the importer itself writes (错误说明 of a marked copy sent back): not reported.
        self.own = frozenset(normalise_header(h) for h in own_headers)

    def field_for(self, header: object) -> Any | None:
        return self.by_name.get(normalise_header(header))


@dataclass
class Header:
    """Where the layout's columns are in the uploaded sheet."""

    row: int  # 1-based
    columns: list[tuple[int, Any]]  # (0-based sheet column, field), in sheet order
    ignored: list[str] = field(default_factory=list)
    width: int = 0  # number of header cells
    title: str = ""  # the sheet's name

    @property
    def header_row(self) -> int:
        return self.row

    def index_of(self, header: str) -> int:
        for index, item in self.columns:
            if item.header == header:
                return index
        return -1

    def has(self, header: str) -> bool:
        return self.index_of(header) >= 0


def find_header(
    rows: Sequence[Row], layout: Layout, *, merged: Sequence[str] = (), advice: str = ""
) -> Header:
    """The header row among ``rows`` (the first rows of the sheet) and the columns it names.

    Refuses a sheet without one, with a column twice, or missing a required column, naming
    them; ``advice`` (where to find the right headers) ends the message."""
    candidates = _with_merged_values(rows[:HEADER_SEARCH_ROWS], merged)
    best: tuple[int, int, list[Any]] | None = None  # (known headers, row, values)
    first_filled: tuple[int, list[Any]] | None = None
    for number, values in candidates:
        if first_filled is None and any(not is_blank(v) for v in values):
            first_filled = (number, values)
        known = sum(1 for v in values if not is_blank(v) and layout.field_for(v) is not None)
        if known and (best is None or known > best[0]):
            best = (known, number, values)
    if best is None and first_filled is None:
        raise ImportRefused(_("The worksheet is empty."))
    header_row, values = (best[1], best[2]) if best else first_filled
    columns: list[tuple[int, Any]] = []
    seen: dict[str, int] = {}
    ignored: list[str] = []
    problems: list[str] = []
    width = 0
    for index, value in enumerate(values):
        if is_blank(value):
            continue
        width = index + 1
        item = layout.field_for(value)
        if item is None:
            if normalise_header(value) not in layout.own:
                ignored.append(str(value).strip())
            continue
        if item.header in seen:
            problems.append(
                _("The column %(name)s appears twice (columns %(a)s and %(b)s).")
                % {
                    "name": item.header,
                    "a": get_column_letter(seen[item.header] + 1),
                    "b": get_column_letter(index + 1),
                }
            )
            continue
        seen[item.header] = index
        columns.append((index, item))
    missing = [item.header for item in layout.required if item.header not in seen]
    if missing:
        problems.append(
            _("Row %(row)s does not have these required columns: %(names)s.")
            % {"row": header_row, "names": "、".join(missing)}
        )
        if advice:
            problems.append(advice)
        if ignored:
            problems.append(
                _("These column headers are not known here: %(names)s.")
                % {"names": "、".join(ignored)}
            )
    if problems:
        raise ImportRefused(problems)
    return Header(row=header_row, columns=columns, ignored=ignored, width=width)


def _with_merged_values(rows: Sequence[Row], merged: Sequence[str]) -> list[tuple[int, list]]:
    """(row number, values) of ``rows``, where a blank cell covered by a merged range takes the
    value of the range's first cell when the range starts above it in the same column (a header
    merged down over two rows belongs to both; merged across, it names its first column)."""
    values = {row.number: list(row.values) for row in rows}
    last = max(values, default=0)
    for ref in merged:
        try:
            min_col, min_row, _max_col, max_row = range_boundaries(ref)
        except (TypeError, ValueError):
            continue
        if min_row > last or min_row not in values:
            continue
        top = values[min_row]
        value = top[min_col - 1] if min_col - 1 < len(top) else None
        if is_blank(value):
            continue
        for number in range(min_row + 1, min(max_row, last) + 1):
            row = values.get(number)
            if row is None:
                continue
            if len(row) < min_col:
                row.extend([None] * (min_col - len(row)))
            if is_blank(row[min_col - 1]):
                row[min_col - 1] = value
    return [(row.number, values[row.number]) for row in rows]
