"""The first phase of an import: read the whole file and judge every cell, every member rule and
every household's composition, writing nothing.

``validate`` returns a ``Report``: the problems (errors refuse, warnings inform) and, for each
household whose rows are all good, a ``HouseholdPlan`` of what to create or change. Households
are matched by 户编号, members by 人编号 or else by the ID blind index within the household, so
that a file already imported plans no change at all.
"""

from __future__ import annotations

import copy
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _
from openpyxl.utils import get_column_letter, range_boundaries

from kaiyuan.accounts.capabilities import user_can
from kaiyuan.areas.models import Area
from kaiyuan.common import dates, pii
from kaiyuan.common.idcard import mask_id_number
from kaiyuan.common.imports import (
    Header,
    ImportRefused,
    NoProgress,
    Problem,
    Problems,
    SheetReading,
    file_sha256,
    inspect,
    open_sheet,
)
from kaiyuan.common.imports.bulk import InstanceFactory
from kaiyuan.common.scoping import user_may_write
from monitoring.codes import IdType, Relation
from monitoring.imports.households import cells, layout
from monitoring.imports.households.cells import CellError, Context, ParsedId
from monitoring.imports.households.layout import HOUSEHOLD, MEMBER, NOT_NULL_BOOLEANS
from monitoring.imports.households.lookups import AreaResolver, Lookups, code_tables
from monitoring.imports.households.workbook import SPEC
from monitoring.models import Household, Member
from monitoring.rules.households import (
    MON_DQ_9,
    check_composition,
    check_household,
    check_household_size,
)
from monitoring.rules.members import MON_DQ_2, check_member

LISTED_PROBLEMS = 200  # the page (and the job result) list the first ones; the counts are whole
LOOKUP_CHUNK = 5000  # households per round of database lookups (four queries)

# Values that cannot be empty in a data row (the other required columns may be empty and are
# then judged by the member rules, e.g. 健康状况 by MON-DQ-5).
NON_EMPTY = frozenset({"乡(镇)", "行政村", "户编号", "姓名", "证件号码", "与户主关系", "户类型"})
# Columns derived from, or checked against, the ID number rather than copied.
ID_DERIVED = frozenset({"id_number", "sex", "birth_date"})
# Fields whose NOT NULL model default stands when the cell is empty.
KEEP_WHEN_EMPTY = frozenset(
    {"ethnicity", "political_status", "id_type", "work_months", "welfare_job_months"}
)
# What the cell parsers give for an empty cell, by kind (None for the others).
EMPTY = {
    kind: ""
    for kind in (
        layout.COUNTY,
        layout.TOWNSHIP,
        layout.VILLAGE,
        layout.TEXT,
        layout.NUMBER,
        layout.PHONE,
        layout.CHOICE,
        layout.MULTI_CHOICE,
        layout.CODE_ITEM,
        layout.DISABILITY,
        layout.SEX,
    )
}
MONITORED = Household.MonitoringStatus.MONITORED
ELIMINATED = Household.MonitoringStatus.ELIMINATED
# A big file builds tens of thousands of unsaved households and members for the rules; a new
# member is then kept only as its values, in the order of MEMBER_ATTNAMES (what COPY writes).
NEW_HOUSEHOLD = InstanceFactory(Household)
NEW_MEMBER = InstanceFactory(Member)
MEMBER_ATTNAMES = tuple(f.attname for f in Member._meta.concrete_fields if not f.primary_key)


def may_import(user) -> bool:
    return user_can(user, "households.import") and user_may_write(user)


# =============================================================================================
# Results
# =============================================================================================


class ParsedRow:
    """One data row: the parsed values in the order of the sheet's national columns."""

    __slots__ = ("bad", "excel_row", "id", "id_index", "values", "village")

    def __init__(self, excel_row: int, values: tuple) -> None:
        self.excel_row = excel_row
        self.values = values
        self.bad = False
        self.id: ParsedId | None = None
        self.id_index = ""
        self.village: Area | None = None


@dataclass
class HouseholdPlan:
    number: str
    household: Household  # new (unsaved) or the changed/unchanged current one
    existing_version: int | None
    household_changed: bool
    new_rows: list[ParsedRow] = field(default_factory=list)
    # The new members' column values (``MEMBER_ATTNAMES``), kept as tuples rather than model
    # instances: a tenth of the memory, and written with COPY as they are.
    new_members: list[tuple] = field(default_factory=list)
    member_updates: list[tuple[Member, int, list[str], ParsedRow]] = field(default_factory=list)
    unchanged_members: int = 0

    @property
    def is_new(self) -> bool:
        return self.existing_version is None


@dataclass
class Report:
    layout: Header
    sha256: str
    rows: int = 0
    width: int = 0
    households: int = 0
    invalid_households: int = 0
    problems: Problems = field(default_factory=Problems)
    plans: list[HouseholdPlan] = field(default_factory=list)

    @property
    def valid_households(self) -> int:
        return len(self.plans)

    @property
    def errors(self) -> list[Problem]:
        return self.problems.errors

    @property
    def error_count(self) -> int:
        return self.problems.error_count

    @property
    def error_rows(self) -> set[int]:
        return self.problems.error_rows

    @property
    def warnings(self) -> list[Problem]:
        return self.problems.warnings

    @property
    def marks(self) -> dict[int, list[Problem]]:
        return self.problems.marks

    def as_dict(self) -> dict[str, Any]:
        return {
            "rows": self.rows,
            "households": self.households,
            "valid_households": self.valid_households,
            "invalid_households": self.invalid_households,
            **self.problems.as_dict(),
            "ignored_columns": self.layout.ignored,
            "sha256": self.sha256,
        }


# =============================================================================================
# Validation
# =============================================================================================


class Validator:
    """Reads and judges the whole file; collects problems (errors refuse, warnings inform) and
    the plans of the households that may be written."""

    def __init__(self, *, actor, sheet_layout: Header, sha256: str, progress) -> None:
        self.actor = actor
        self.layout = sheet_layout
        self.progress = progress
        self.context = Context(code_tables=code_tables(), today=dates.today())
        self.areas = AreaResolver(actor)
        self.position = {column.header: n for n, (_i, column) in enumerate(sheet_layout.columns)}
        self.index = dict((column.header, index) for index, column in sheet_layout.columns)
        self.report = Report(layout=sheet_layout, sha256=sha256)
        self.parsers = [(i, c, cells.parser_for(c)) for i, c in sheet_layout.columns]
        self.bad_cells: set[tuple[int, int]] = set()
        self.rows: list[ParsedRow] = []
        self.household_columns = [
            c for _i, c in sheet_layout.columns if c.level == HOUSEHOLD or not c.level
        ]
        self.member_columns = [
            c
            for _i, c in sheet_layout.columns
            if c.level == MEMBER and c.writable and c.field not in ID_DERIVED
        ]

    # ---- problems ---------------------------------------------------------------------------

    def error(
        self, row: int, header: str, message: str, *, column: int | None = None, rule: str = ""
    ) -> None:
        index = self.index.get(header, -1) if column is None else column
        self.report.problems.error(row, index, header, message, rule)
        self.bad_cells.add((row, index))

    def warning(self, row: int, header: str, message: str, *, rule: str = "") -> None:
        self.report.problems.warning(row, self.index.get(header, -1), header, message, rule)

    def value(self, row: ParsedRow, header: str) -> Any:
        position = self.position.get(header)
        return None if position is None else row.values[position]

    # ---- reading ----------------------------------------------------------------------------

    def read(self, reading: SheetReading) -> None:
        header_row = self.layout.header_row
        first_data_row = header_row + 1
        for ref in reading.sheet.merged:
            min_col, min_row, _max_col, max_row = range_boundaries(ref)
            if max_row <= header_row:
                continue  # a title above the headers, or a header merged down or across
            self.error(
                max(min_row, first_data_row),
                "",
                _(
                    "Cells %(range)s are merged. Unmerge them and fill in every cell: the import "
                    "does not guess what a merged cell means."
                )
                % {"range": ref},
                column=min_col - 1,
            )
            for number in range(max(min_row, first_data_row), max_row + 1):
                self.report.error_rows.add(number)
        if estimate := reading.estimated_rows:
            self.progress.total(3 * max(1, estimate))
        width = self.layout.width
        rows = self.rows
        for row in reading.data():
            width = max(width, len(row.values))
            rows.append(self._parse_row(row.number, row.values, row.formulas))
            if len(rows) % 500 == 0:
                self.progress.step(len(rows))
        self.report.rows = len(rows)
        self.report.width = width
        self.progress.total(3 * max(1, len(rows)))
        self.progress.step(len(rows), force=True)

    def _parse_row(self, number: int, raw_values: list, formulas: frozenset[int] | None):
        values: list[Any] = []
        size = len(raw_values)
        context = self.context
        for index, column, parser in self.parsers:
            raw = raw_values[index] if index < size else None
            if formulas and index in formulas:
                self.error(
                    number,
                    column.header,
                    _(
                        "Cell %(cell)s holds a formula (%(formula)s): enter the value itself. "
                        "The import does not calculate formulas."
                    )
                    % {"cell": f"{get_column_letter(index + 1)}{number}", "formula": raw},
                )
                values.append(None)
                continue
            if raw is None or (raw.__class__ is str and not raw.strip()):
                if column.header in NON_EMPTY:
                    self.error(number, column.header, _("This cell must be filled in."))
                values.append(EMPTY.get(column.kind))
                continue
            try:
                values.append(parser(column, raw, context))
            except CellError as exc:
                self.error(number, column.header, exc.message)
                values.append(None)
        row = ParsedRow(number, tuple(values))
        self._check_row(row)
        return row

    def _check_row(self, row: ParsedRow) -> None:
        number = row.excel_row
        parsed_id = self.value(row, "证件号码")
        if parsed_id is not None:
            row.id = parsed_id
            row.id_index = pii.blind_index(parsed_id.number)
            sex = self.value(row, "性别")
            if sex and sex != parsed_id.sex:
                self.error(
                    number,
                    "性别",
                    _("The sex %(sex)s does not match the ID number, which says %(id_sex)s.")
                    % {"sex": sex, "id_sex": parsed_id.sex},
                )
            birth = self.value(row, "出生日期")
            if birth and birth != parsed_id.birth_date:
                self.error(
                    number,
                    "出生日期",
                    _("The date of birth %(date)s does not match the ID number (%(id_date)s).")
                    % {"date": birth.isoformat(), "id_date": parsed_id.birth_date.isoformat()},
                )
        county = self.value(row, "县(市、区、旗)")
        if county and (message := self.areas.county_problem(county)):
            self.error(number, "县(市、区、旗)", message)
        township, village = self.value(row, "乡(镇)"), self.value(row, "行政村")
        if township and village:
            row.village, header, message = self.areas.resolve(township, village)
            if message:
                self.error(number, header, message)

    # ---- judging ----------------------------------------------------------------------------

    def judge(self) -> None:
        """Duplicates in the file, then each household against the database, in chunks."""
        self._file_duplicates()
        groups: dict[str, list[ParsedRow]] = {}
        loose = 0
        for row in self.rows:
            number = self.value(row, "户编号")
            if number:
                groups.setdefault(number, []).append(row)
            else:
                loose += 1
        self.report.households = len(groups) + loose
        self.report.invalid_households = loose
        done = len(self.rows)
        numbers = list(groups)
        for start in range(0, len(numbers), LOOKUP_CHUNK):
            chunk = numbers[start : start + LOOKUP_CHUNK]
            chunk_rows = [r for n in chunk for r in groups[n]]
            lookups = Lookups.load(
                numbers=chunk,
                persons=[p for r in chunk_rows if (p := self.value(r, "人编号"))],
                indexes=[r.id_index for r in chunk_rows if r.id_index],
            )
            for number in chunk:
                rows = groups[number]
                plan = self._judge_household(number, rows, lookups)
                if plan is None or any(r.excel_row in self.report.error_rows for r in rows):
                    self.report.invalid_households += 1
                else:
                    self.report.plans.append(plan)
                done += len(rows)
            self.progress.step(done)

    def _file_duplicates(self) -> None:
        by_id: dict[str, list[ParsedRow]] = defaultdict(list)
        by_person: dict[str, list[ParsedRow]] = defaultdict(list)
        for row in self.rows:
            if row.id is not None:
                by_id[row.id.number].append(row)
            person = self.value(row, "人编号")
            if person:
                by_person[person].append(row)
        for header, groups in (("证件号码", by_id), ("人编号", by_person)):
            for rows in groups.values():
                if len(rows) < 2:
                    continue
                for row in rows:
                    others = "、".join(str(r.excel_row) for r in rows if r is not row)
                    self.error(
                        row.excel_row,
                        header,
                        _("The same %(column)s is also in row %(rows)s of this file.")
                        % {"column": header, "rows": others},
                    )

    def _judge_household(
        self, number: str, rows: list[ParsedRow], lookups: Lookups
    ) -> HouseholdPlan | None:
        first = rows[0]
        self._same_household_values(rows)
        existing = lookups.households.get(number)
        village = first.village
        if existing is not None:
            if not self.areas.contains(existing.area):
                # Nothing of the other area is named: not its village, not its members.
                self.error(first.excel_row, "户编号", outside_area_message())
                return None
            if existing.merged_into_id:
                self.error(
                    first.excel_row,
                    "户编号",
                    _("Household %(number)s was merged into another household.")
                    % {"number": number},
                )
                return None
            if village is not None and existing.area_id != village.pk:
                self.error(
                    first.excel_row,
                    "行政村",
                    _(
                        "Household %(number)s is registered in %(village)s; an import does not "
                        "move households between villages."
                    )
                    % {"number": number, "village": existing.area.name},
                )
                return None
        elif village is None:
            return None
        household, household_changes = self._household_of(number, first, existing, village)
        plan = HouseholdPlan(
            number=number,
            household=household,
            existing_version=existing.version if existing is not None else None,
            household_changed=bool(household_changes),
        )
        current = lookups.members.get(existing.pk, []) if existing is not None else []
        final = self._match_members(rows, household, current, lookups, plan)
        if final is None:
            return None
        self._household_rules(number, rows, household, existing, final, plan)
        plan.new_members = [
            tuple(member.__dict__[name] for name in MEMBER_ATTNAMES)
            for member, row in final
            if row is not None and member.pk is None
        ]
        return plan

    def _same_household_values(self, rows: list[ParsedRow]) -> None:
        """Household columns repeat on every member row: they must agree."""
        if len(rows) < 2:
            return
        first = rows[0]
        for column in self.household_columns:
            if column.kind in (layout.SERIAL, layout.DATA_DATE):
                continue
            index = self.index[column.header]
            if (first.excel_row, index) in self.bad_cells:
                continue
            expected = self.value(first, column.header)
            for row in rows[1:]:
                if (row.excel_row, index) in self.bad_cells:
                    continue
                if self.value(row, column.header) != expected:
                    self.error(
                        row.excel_row,
                        column.header,
                        _("Differs from row %(row)s of the same household (%(value)s).")
                        % {"row": first.excel_row, "value": _shown(expected)},
                    )

    def _household_of(
        self, number: str, row: ParsedRow, existing: Household | None, village: Area | None
    ) -> tuple[Household, list[str]]:
        """The household as it would be after the import, and the names of changed fields. An
        empty cell empties the field, except yes/no fields the model keeps as NOT NULL."""
        if existing is not None:
            household = copy.copy(existing)
        else:
            household = NEW_HOUSEHOLD(household_number=number, area=village, household_size=1)
        changed: list[str] = []
        for column in self.household_columns:
            if column.level != HOUSEHOLD or not column.writable:
                continue
            if column.field in ("household_number", "household_size", "risk_eliminated"):
                continue  # the key; set from the members; derived into the status below
            if column.on_create_only and existing is not None:
                continue
            value = self.value(row, column.header)
            if value is None or value == "":
                if column.field in NOT_NULL_BOOLEANS:
                    continue
                value = None if column.kind == layout.DATE else ""
            if getattr(household, column.field) != value:
                setattr(household, column.field, value)
                changed.append(column.field)
        if existing is None and household.monitoring_category:
            eliminated = self.value(row, "风险是否消除") is True
            household.monitoring_status = ELIMINATED if eliminated else MONITORED
        return household, changed

    def _match_members(
        self,
        rows: list[ParsedRow],
        household: Household,
        current: list[Member],
        lookups: Lookups,
        plan: HouseholdPlan,
    ) -> list[tuple[Member, ParsedRow | None]] | None:
        """Pair each row with a current member (by 人编号, else by ID number) or a new one, and
        return the household's active members as they would be: (member, its row or None)."""
        by_person = {m.person_number: m for m in current if m.person_number}
        active_by_index = {m.id_index: m for m in current if m.is_active}
        matched: set[int] = set()
        final: list[tuple[Member, ParsedRow | None]] = []
        ok = True
        for row in rows:
            if row.id is None:
                ok = False
                continue
            person = self.value(row, "人编号")
            member = None
            if person and person in by_person:
                member = by_person[person]
                if not member.is_active:
                    self.error(
                        row.excel_row,
                        "人编号",
                        _(
                            "Person number %(person)s belongs to %(name)s, who was removed from "
                            "this household on %(date)s."
                        )
                        % {"person": person, "name": member.name, "date": member.removed_on},
                    )
                    ok = False
                    continue
            elif person and person in lookups.other_persons:
                other, path = lookups.other_persons[person]
                if self.areas.contains_path(path):
                    message = _(
                        "Person number %(person)s belongs to a member of household %(number)s."
                    ) % {"person": person, "number": other}
                else:
                    message = outside_area_message()
                self.error(row.excel_row, "人编号", message)
                ok = False
                continue
            if member is None:
                member = active_by_index.get(row.id_index)
            same_id = active_by_index.get(row.id_index)
            if same_id is not None and same_id is not member:
                self.error(
                    row.excel_row,
                    "证件号码",
                    _("This ID number already belongs to %(name)s of this household.")
                    % {"name": same_id.name},
                )
                ok = False
                continue
            if row.id_index in lookups.other_ids:
                other, path = lookups.other_ids[row.id_index]
                if self.areas.contains_path(path):
                    message = _(
                        "This ID number already belongs to a member of household %(number)s."
                    ) % {"number": other}
                    rule = MON_DQ_2.id
                else:
                    # Outside the area not even the rule is named: it would say the number exists.
                    message, rule = outside_area_message(), ""
                self.error(row.excel_row, "证件号码", message, rule=rule)
                ok = False
                continue
            if member is not None and member.pk in matched:
                self.error(
                    row.excel_row,
                    "人编号",
                    _("Two rows of this file describe the same member %(name)s.")
                    % {"name": member.name},
                )
                ok = False
                continue
            if member is None:
                new = self.new_member(row, household)
                plan.new_rows.append(row)
                final.append((new, row))
                continue
            matched.add(member.pk)
            updated = copy.copy(member)
            changed = self._apply_member(updated, row, is_new=False)
            if changed:
                plan.member_updates.append((updated, member.version, changed, row))
            else:
                plan.unchanged_members += 1
            final.append((updated, row))
        for member in current:
            if member.is_active and member.pk not in matched:
                final.append((member, None))
                self.warning(
                    rows[0].excel_row,
                    "姓名",
                    _(
                        "%(name)s of household %(number)s is not in the file and stays a member; "
                        "a member leaves a household on its page, with the date and reason."
                    )
                    % {"name": member.name, "number": household.household_number},
                )
        return final if ok else None

    def new_member(self, row: ParsedRow, household: Household) -> Member:
        member = NEW_MEMBER(household=household)
        self._apply_member(member, row, is_new=True)
        return member

    def _apply_member(self, member: Member, row: ParsedRow, *, is_new: bool) -> list[str]:
        """Set the row's values on ``member``; the names of the fields that changed."""
        changed: list[str] = []

        def put(name: str, value: Any) -> None:
            if getattr(member, name) != value:
                setattr(member, name, value)
                changed.append(name)

        for column in self.member_columns:
            value = self.value(row, column.header)
            name = column.field
            if name == "person_number":
                if value:
                    put(name, value)
                elif is_new:
                    member.person_number = None
                continue
            if value is None or value == "":
                if name in KEEP_WHEN_EMPTY or name in NOT_NULL_BOOLEANS:
                    continue
                value = None if column.kind in (layout.INTEGER, layout.YES_NO) else ""
            put(name, value)
        parsed = row.id
        if parsed is not None and (is_new or member.id_index != row.id_index):
            member.id_index = row.id_index
            member.id_masked = mask_id_number(parsed.number)
            changed.append("id_number")
        if parsed is not None:
            put("sex", parsed.sex)
            put("birth_date", parsed.birth_date)
            if parsed.id_type == IdType.DISABILITY_CERT:
                put("id_type", IdType.DISABILITY_CERT)
                put("disability_category", parsed.disability_category)
                put("disability_grade", parsed.disability_grade)
        return changed

    def _composition(
        self, rows: list[ParsedRow], final: list[tuple[Member, ParsedRow | None]]
    ) -> None:
        """MON-DQ-3 and MON-DQ-9 over the household as it would be; each problem is put on the
        与户主关系 cells of the rows concerned (all rows when the head is missing)."""
        heads = [m for m, _r in final if m.relation == Relation.HEAD]
        head_rows = [r for m, r in final if r is not None and m.relation == Relation.HEAD]
        spouse_rows = [r for m, r in final if r is not None and m.relation == Relation.SPOUSE]
        heads_reported = False
        for violation in check_composition([m for m, _r in final]):
            if violation.rule == MON_DQ_9.id:
                targets = head_rows + spouse_rows
            elif len(heads) != 1 and not heads_reported:
                heads_reported = True
                targets = head_rows if len(head_rows) > 1 else rows
            else:
                targets = spouse_rows
            for row in targets or rows:
                self.error(row.excel_row, "与户主关系", violation.message, rule=violation.rule)

    def _household_rules(
        self,
        number: str,
        rows: list[ParsedRow],
        household: Household,
        existing: Household | None,
        final: list[tuple[Member, ParsedRow | None]],
        plan: HouseholdPlan,
    ) -> None:
        members = [member for member, _row in final]
        for member, row in final:
            if row is None:
                continue
            for violation in check_member(member, household):
                header = _header_of(MEMBER, violation.field)
                if (row.excel_row, self.index.get(header, -1)) in self.bad_cells:
                    continue  # the cell itself is already reported
                if violation.is_error:
                    self.error(row.excel_row, header, violation.message, rule=violation.rule)
                else:
                    self.warning(row.excel_row, header, violation.message, rule=violation.rule)
        self._composition(rows, final)
        for violation in check_household(household):
            header = _header_of(HOUSEHOLD, violation.field)
            if not self.layout.has(header):
                header = "户类型"
            self.error(rows[0].excel_row, header, violation.message, rule=violation.rule)
        category = self.value(rows[0], "易返贫致贫户(监测对象)类型")
        if existing is not None and category and category != existing.monitoring_category:
            self.warning(
                rows[0].excel_row,
                "易返贫致贫户(监测对象)类型",
                _(
                    "The file says %(file)s but the household's monitoring category is "
                    "“%(stored)s”; the category changes only through identification and "
                    "elimination, so it was left as it is."
                )
                % {"file": category, "stored": existing.monitoring_category or "—"},
            )
        phone = household.phone
        if phone and not (phone.isdigit() and len(phone) == 11):
            message = _("A phone number should have 11 digits.")
            self.warning(rows[0].excel_row, "户联系电话", message)
        # 人数 if the file has it, else the number of current members.
        size = self.value(rows[0], "人数") or len(members)
        if household.household_size != size:
            household.household_size = size
            plan.household_changed = True
        if (flag := check_household_size(household, len(members))) is not None:
            self.warning(rows[0].excel_row, "人数", flag.message)
        heads = [m for m in members if m.relation == Relation.HEAD]
        if len(heads) == 1 and household.head_name != heads[0].name:
            household.head_name = heads[0].name
            plan.household_changed = True


def outside_area_message() -> str:
    """What a user is told of a number held outside their area: that it cannot be registered
    here, and whom to ask; never the household, village, person or how many there are."""
    return _(
        "This number cannot be registered here. Contact the county bureau of rural "
        "revitalisation (乡村振兴局)."
    )


def _header_of(level: str, field_name: str) -> str:
    column = layout.COLUMN_BY_FIELD.get((level, field_name))
    return column.header if column is not None else ""


def _shown(value: Any) -> str:
    if value is None or value == "":
        return _("empty")
    if isinstance(value, bool):
        return cells.yes_no_text(value) or ""
    if isinstance(value, ParsedId):
        return value.number
    return str(value)


def validate(path: Path, *, actor, progress=None) -> Report:
    """Read and judge the whole file; writes nothing. Raises ImportRefused for a file that cannot
    be read at all (too big, not an .xlsx, no sheet, no headers, no data rows)."""
    progress = progress or NoProgress()
    if not may_import(actor):
        raise ImportRefused(_("Your role may not import households."))
    facts = inspect(path, SPEC)  # again in the job: the stored file is what is parsed
    with open_sheet(path, facts, SPEC) as sheet:
        reading = SheetReading(sheet, SPEC)
        validator = Validator(
            actor=actor, sheet_layout=reading.header, sha256=file_sha256(path), progress=progress
        )
        validator.read(reading)
    if not validator.rows:
        raise ImportRefused(str(SPEC.no_rows_message))
    validator.judge()
    return validator.report
