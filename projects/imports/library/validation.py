"""The first phase of the import: the whole file read and every row judged, nothing written."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_DOWN, Decimal
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _
from openpyxl.utils import get_column_letter

from kaiyuan.areas.models import Area
from kaiyuan.common.imports import (
    Header,
    ImportRefused,
    NoProgress,
    Problems,
    Row,
    SheetReading,
    cells,
    file_sha256,
    inspect,
    open_sheet,
)
from kaiyuan.common.imports.cells import CellError
from kaiyuan.common.uscc import normalise as normalise_uscc
from projects.codes import Category, EntityType, FinanceMode
from projects.exports.library import layout as published
from projects.imports.library import cells as parse
from projects.imports.library.layout import CENT, FIELD_COLUMNS, HUNDRED, SPEC
from projects.models import Project, ProjectVillage
from projects.rules.projects import PRJ_5
from projects.services.projects import Proposal, VillageShare, proposal_problems


def equal_shares(count: int) -> list[Decimal]:
    share = (HUNDRED / count).quantize(CENT, rounding=ROUND_DOWN)
    shares = [share] * count
    shares[0] += HUNDRED - sum(shares)
    return shares


@dataclass
class Report:
    header: Header
    sha256: str
    problems: Problems = field(default_factory=Problems)
    rows: int = 0
    width: int = 0
    proposals: list[tuple[int, Proposal]] = field(default_factory=list)  # the valid rows

    @property
    def valid_rows(self) -> int:
        return len(self.proposals)

    def as_dict(self) -> dict[str, Any]:
        return {
            "rows": self.rows,
            "valid_rows": self.valid_rows,
            "ignored_columns": self.header.ignored,
            **self.problems.as_dict(),
        }


class RowReader:
    """Reads one data row into a ``Proposal``, reporting each bad cell where it is."""

    def __init__(self, validator: Validator, row: Row) -> None:
        self.v = validator
        self.row = row
        self.bad: set[str] = set()

    def error(self, header: str, message: str, rule: str = "") -> None:
        self.bad.add(header)
        self.v.problems.error(self.row.number, self.v.index.get(header, -1), header, message, rule)

    def raw(self, header: str) -> Any:
        index = self.v.index.get(header)
        if index is None or header in self.bad:
            return None
        return self.row.get(index)

    def read(self, header: str, reader, *, required: bool = False, empty: Any = "") -> Any:
        value = self.raw(header)
        if cells.is_blank(value):
            if required and header not in self.bad:
                self.error(header, _("This cell must be filled in."))
            return empty
        try:
            return reader(value)
        except CellError as exc:
            self.error(header, exc.message)
            return empty


class Validator:
    """Judges a whole file for ``township``'s library of ``year``."""

    def __init__(self, *, township: Area, year: int, header: Header, sha256: str) -> None:
        self.township = township
        self.year = year
        self.header = header
        self.index = {item.header: index for index, item in header.columns}
        self.report = Report(header=header, sha256=sha256)
        self.problems = self.report.problems
        villages = Area.objects.villages().select_related("parent")
        self.villages = {v.name: v for v in villages if v.parent_id == township.pk}
        self.elsewhere: dict[str, list[str]] = {}
        for village in villages:
            if village.parent_id != township.pk:
                self.elsewhere.setdefault(village.name, []).append(village.parent.name)
        # Longest first, so that a name is never taken for the start of a longer one.
        self.townships = sorted(
            (t.name for t in Area.objects.townships().exclude(pk=township.pk)),
            key=len,
            reverse=True,
        )
        self.seen: dict[tuple[str, frozenset[int]], int] = {}
        self.existing = self._existing()
        self.ignored_with_values: set[str] = set()

    def _existing(self) -> dict[tuple[str, frozenset[int]], str]:
        """The township's open proposals of the year, by name and villages: a file imported
        twice must not create everything twice."""
        closed = (Project.Status.REJECTED, Project.Status.WITHDRAWN, Project.Status.ROLLED_OVER)
        parts: dict[int, tuple[str, str, set[int]]] = {}
        rows = (
            ProjectVillage.objects.filter(
                project__year=self.year, project__area__path__startswith=self.township.path
            )
            .exclude(project__status__in=closed)
            .values_list("project_id", "project__name", "project__code", "village_id")
        )
        for project_id, name, code, village_id in rows:
            parts.setdefault(project_id, (name, code, set()))[2].add(village_id)
        return {(name, frozenset(ids)): code for name, code, ids in parts.values()}

    # ---- the file ---------------------------------------------------------------------------

    def read(self, reading: SheetReading, progress) -> Report:
        header_row = self.header.row
        for ref in reading.sheet.merged:
            min_col, min_row, max_row = parse.bounds(ref)
            if max_row <= header_row:
                continue  # a title above the headers
            self.problems.error(
                max(min_row, header_row + 1),
                min_col - 1,
                "",
                _(
                    "Cells %(range)s are merged. Unmerge them and fill in every cell: the import "
                    "does not guess what a merged cell means."
                )
                % {"range": ref},
            )
        progress.total(max(1, reading.estimated_rows))
        width = self.header.width
        for row in reading.data():
            width = max(width, len(row.values))
            self.report.rows += 1
            proposal = self.read_row(row)
            if proposal is not None and row.number not in self.problems.error_rows:
                self.report.proposals.append((row.number, proposal))
            progress.step(self.report.rows)
        self.report.width = width
        for header in sorted(self.ignored_with_values, key=published.HEADERS.index):
            self.problems.warning(
                header_row,
                self.index[header],
                header,
                _("This column is filled in by the export and is not imported."),
            )
        return self.report

    # ---- one row ----------------------------------------------------------------------------

    def read_row(self, row: Row) -> Proposal | None:
        r = RowReader(self, row)
        for index in sorted(row.formulas or ()):
            item = next((c for i, c in self.header.columns if i == index), None)
            if item is None:
                continue
            r.error(
                item.header,
                _(
                    "Cell %(cell)s holds a formula (%(formula)s): enter the value itself. "
                    "The import does not calculate formulas."
                )
                % {
                    "cell": f"{get_column_letter(index + 1)}{row.number}",
                    "formula": row.get(index),
                },
            )
        for header in published.EXPORT_ONLY:
            value = r.raw(header)
            if not cells.is_blank(value) and value != 0:
                self.ignored_with_values.add(header)

        def text(limit: int):
            return lambda value: cells.text(value, max_length=limit)

        def one_of(values, header: str):
            return lambda value: parse.choice(value, values, header)

        fields: dict[str, Any] = {"year": self.year}
        fields["name"] = r.read(published.NAME, text(200), required=True)
        fields["category"] = r.read(
            published.CATEGORY, one_of(Category.values, published.CATEGORY), required=True
        )
        fields["subcategory"] = r.read(published.SUBCATEGORY, parse.subcategory, required=True)
        fields["finance_mode"] = r.read(
            published.FINANCE_MODE,
            one_of(FinanceMode.values, published.FINANCE_MODE),
            required=True,
        )
        villages = r.read(published.PLACE, self._villages, required=True, empty=[])
        fields["location"] = r.read(published.PLACE, text(200))
        fields["content"] = r.read(published.CONTENT, text(0), required=True)
        fields["scale"] = r.read(published.SCALE, text(200)) or fields["content"][:200]
        fields["subsidy_standard"] = r.read(published.SUBSIDY, text(200))
        fields["total_investment"] = r.read(published.TOTAL, cells.money, required=True, empty=None)
        for header, name in published.FUNDING_COLUMNS:
            fields[name] = r.read(header, cells.money, empty=Decimal("0"))
        fields["start_date"] = r.read(published.START, parse.date, required=True, empty=None)
        fields["end_date"] = r.read(published.END, parse.date, required=True, empty=None)
        start, end = fields["start_date"], fields["end_date"]
        if start and end and end < start:
            r.error(published.END, _("The completion date cannot be before the start."))
        fields["entity_name"] = r.read(published.ENTITY, text(120), required=True)
        fields["entity_type"] = r.read(
            published.ENTITY_TYPE, one_of(EntityType.values, published.ENTITY_TYPE), required=True
        )
        fields["entity_uscc"] = normalise_uscc(r.read(published.USCC, cells.text))
        fields["responsible_person"] = r.read(published.PERSON, text(32), required=True)
        fields["responsible_phone"] = r.read(
            published.PHONE, lambda value: cells.number_text(value, max_length=20)
        )
        indicators = r.read(published.TARGETS, parse.indicators, empty=[])
        mechanisms, note = r.read(published.MECHANISMS, parse.mechanisms, empty=([], ""))
        fields["mechanisms"], fields["mechanism_note"] = mechanisms, note
        fields["beneficiary_entity"] = r.read(published.BENEFICIARY_ENTITY, text(120))
        duties = {}
        if published.PLACE not in r.bad:  # duties name the villages: told once, at 建设地点
            duties = r.read(published.DUTIES, lambda value: parse.duties(value, villages), empty={})
        fields["sector"] = r.read(published.SECTOR, parse.sector)
        shares = equal_shares(len(villages)) if villages else []
        proposal = Proposal(
            fields=fields,
            villages=[
                VillageShare(village, share, share, duties=duties.get(village.pk, ""))
                for village, share in zip(villages, shares, strict=True)
            ],
            indicators=indicators,
        )
        self._judge(r, proposal)
        return proposal

    def _judge(self, r: RowReader, proposal: Proposal) -> None:
        """The proposal's rules, shown at the column of the field they name (a column that
        already has an error in this row is not told twice)."""
        for violation in proposal_problems(proposal):
            header = FIELD_COLUMNS.get(violation.field, "")
            if violation.rule == PRJ_5.id and violation.field == "villages":
                header = published.DUTIES
            if header in r.bad:
                continue
            if violation.is_error:
                r.error(header, violation.message, violation.rule)
            else:
                self.problems.warning(
                    r.row.number,
                    self.index.get(header, -1),
                    header,
                    violation.message,
                    violation.rule,
                )
        name = proposal.fields.get("name")
        if not name or not proposal.villages or published.NAME in r.bad:
            return
        key = (name, frozenset(v.village.pk for v in proposal.villages))
        if key in self.existing:
            r.error(
                published.NAME,
                _(
                    "The township's %(year)s library already has this project (%(code)s): "
                    "it is not imported twice."
                )
                % {"year": self.year, "code": self.existing[key]},
            )
        elif key in self.seen:
            r.error(
                published.NAME,
                _("Row %(row)s already has this project in the same villages.")
                % {"row": self.seen[key]},
            )
        else:
            self.seen[key] = r.row.number

    def _villages(self, value: object) -> list[Area]:
        text = cells.text(value, max_length=200)
        rest = text.strip()
        if rest.startswith(self.township.name):
            rest = rest[len(self.township.name) :]
        else:
            other = next((t for t in self.townships if rest.startswith(t)), None)
            if other is not None:
                raise CellError(
                    _("The place is in %(other)s: only projects of %(township)s are imported here.")
                    % {"other": other, "township": self.township.name}
                )
        names = [name for name in parse.SPLIT_NAMES.split(rest) if name]
        if not names:
            raise CellError(
                _("Name the project's villages after the township, for example %(example)s.")
                % {"example": f"{self.township.name}{next(iter(self.villages), '')}"}
            )
        found, problems = [], []
        for name in names:
            village = self.villages.get(name) or self.villages.get(f"{name}村")
            if village is not None:
                if village not in found:
                    found.append(village)
                continue
            if name in self.elsewhere:
                problems.append(
                    _("%(village)s is a village of %(other)s, not of %(township)s.")
                    % {
                        "village": name,
                        "other": "、".join(self.elsewhere[name]),
                        "township": self.township.name,
                    }
                )
            else:
                problems.append(
                    _("%(township)s has no village named “%(village)s”.")
                    % {"township": self.township.name, "village": name}
                )
        if problems:
            raise CellError("".join(problems))
        return found


def validate(path: Path, *, township: Area, year: int, progress=None) -> Report:
    progress = progress or NoProgress()
    sha256 = file_sha256(path)
    with open_sheet(path, inspect(path, SPEC), SPEC) as sheet:
        reading = SheetReading(sheet, SPEC)
        validator = Validator(township=township, year=year, header=reading.header, sha256=sha256)
        report = validator.read(reading, progress)
    if report.rows == 0:
        raise ImportRefused(SPEC.no_rows_message)
    return report
