"""What validation found: errors (they refuse the file, or the rows they are in) and warnings
(they only inform), each tied to a cell so that the marked workbook can show it."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _
from openpyxl.utils import get_column_letter

LISTED_PROBLEMS = 200  # pages and job results list the first ones; the counts are whole


@dataclass(frozen=True, slots=True)
class Problem:
    row: int  # Excel row number
    column: int  # 0-based sheet column, -1 for the row as a whole
    header: str
    message: str
    rule: str = ""  # the DOMAIN rule broken, if any: shown beside the message to staff only

    def as_dict(self) -> dict[str, Any]:
        cell = f"{get_column_letter(self.column + 1)}{self.row}" if self.column >= 0 else ""
        return {
            "row": self.row,
            "cell": cell,
            "column": self.header,
            "message": self.message,
            "rule": self.rule,
        }


@dataclass
class Problems:
    """Every error and warning of one file: the first ``LISTED_PROBLEMS`` of each kept for the
    page, all of them counted, and every error (``marks``) and warning (``notes``) kept by row
    for the marked workbook."""

    errors: list[Problem] = field(default_factory=list)
    error_count: int = 0
    error_rows: set[int] = field(default_factory=set)
    errors_by_column: dict[str, int] = field(default_factory=dict)
    warnings: list[Problem] = field(default_factory=list)
    warning_count: int = 0
    marks: dict[int, list[Problem]] = field(default_factory=dict)
    notes: dict[int, list[Problem]] = field(default_factory=dict)

    def error(self, row: int, column: int, header: str, message: str, rule: str = "") -> Problem:
        problem = Problem(row, column, header, message, rule)
        self.error_count += 1
        self.error_rows.add(row)
        key = header or _("Row")
        self.errors_by_column[key] = self.errors_by_column.get(key, 0) + 1
        if len(self.errors) < LISTED_PROBLEMS:
            self.errors.append(problem)
        self.marks.setdefault(row, []).append(problem)
        return problem

    def warning(self, row: int, column: int, header: str, message: str, rule: str = "") -> Problem:
        problem = Problem(row, column, header, message, rule)
        self.warning_count += 1
        if len(self.warnings) < LISTED_PROBLEMS:
            self.warnings.append(problem)
        self.notes.setdefault(row, []).append(problem)
        return problem

    def as_dict(self) -> dict[str, Any]:
        return {
            "error_count": self.error_count,
            "error_rows": len(self.error_rows),
            "errors": [p.as_dict() for p in self.errors],
            "errors_by_column": dict(
                sorted(self.errors_by_column.items(), key=lambda item: -item[1])
            ),
            "warning_count": self.warning_count,
            "warnings": [p.as_dict() for p in self.warnings],
        }
