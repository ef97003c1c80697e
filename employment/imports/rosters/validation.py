"""The first phase of the roster's import: the whole file read and every row judged, nothing
written. Rows are read once and judged in chunks, each chunk's people and jobs looked up in two
queries, so that a county's file is judged in constant memory; what a row will do is kept as a
small ``Action`` (ids and the job's details), which the writer carries out."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _
from openpyxl.utils import get_column_letter

from employment.codes import JobType, PlaceCategory, Source
from employment.exceptions import EmploymentError
from employment.exports import rosters as roster
from employment.imports.rosters.layout import FIELD_COLUMNS, SPEC
from employment.models import EmploymentRecord, Workshop
from employment.rules import records as rules
from employment.selectors.labour import month_bounds
from employment.selectors.rosters import confirmed_on
from employment.services.records import JobDetails, record_problems
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
from monitoring.models import Member

CHUNK = 1000  # rows judged together: their people and jobs are looked up in one query each
FAR = datetime.date(9999, 12, 31)  # dates are not refused as "in the future" by the cell parser
EARLIEST = datetime.date(2000, 1, 1)
# A job's cells that tell whether a row still describes the job as recorded (信息来源 says how
# it was confirmed, not what the job is).
COMPARED = (
    "start_date",
    "end_date",
    "months_worked",
    "place_category",
    "place",
    "employer",
    "employer_uscc",
    "job_type",
    "welfare_job_type",
    "workshop",
    "batch",
    "monthly_wage",
    "channel",
    "note",
)
# Left empty on a row of a recorded job, these keep what the record has.
KEPT_WHEN_EMPTY = ("start_date", "months_worked", "job_type", "batch")
JOB_TYPE_VALUES = {
    **{value: value for value in JobType.values},
    **dict(zip([str(label) for label in JobType.labels], JobType.values, strict=True)),
}
TEXT_LIMITS = {
    "place": 100,
    "employer": 100,
    "welfare_job_type": 32,
    "batch": 20,
    "channel": 32,
    "note": 300,
    "workshop": 100,
}


# =============================================================================================
# What a row does
# =============================================================================================


@dataclass(frozen=True, slots=True)
class Create:
    row: int
    member_id: int
    details: JobDetails


@dataclass(frozen=True, slots=True)
class Confirm:
    row: int
    record_id: int
    on: datetime.date
    source: str
    carried: bool = False  # a job of last year, carried into the new one first


@dataclass(frozen=True, slots=True)
class End:
    row: int
    record_id: int
    end_date: datetime.date
    months_worked: int
    version: int


@dataclass(frozen=True, slots=True)
class Change:
    row: int
    record_id: int
    details: JobDetails
    version: int


Action = Create | Confirm | End | Change
KINDS = {Create: "created", Confirm: "confirmed", End: "ended", Change: "changed"}


@dataclass
class Report:
    header: Header
    sha256: str
    year: int
    month: int
    problems: Problems = field(default_factory=Problems)
    rows: int = 0
    width: int = 0
    planned: dict[int, Action | None] = field(default_factory=dict)  # by row; None: nothing

    @property
    def actions(self) -> list[Action]:
        """What the rows without errors do, in file order."""
        bad = self.problems.error_rows
        return [a for row, a in self.planned.items() if a is not None and row not in bad]

    @property
    def valid_rows(self) -> int:
        return sum(1 for row in self.planned if row not in self.problems.error_rows)

    def counts(self) -> dict[str, int]:
        counts = {kind: 0 for kind in KINDS.values()}
        counts["carried"] = 0
        counts["nothing"] = 0
        for row, action in self.planned.items():
            if row in self.problems.error_rows:
                continue
            if action is None:
                counts["nothing"] += 1
                continue
            counts[KINDS[type(action)]] += 1
            if isinstance(action, Confirm) and action.carried:
                counts["carried"] += 1
        return counts

    def as_dict(self) -> dict[str, Any]:
        return {
            "rows": self.rows,
            "valid_rows": self.valid_rows,
            "month": roster.month_label(self.year, self.month),
            "planned": self.counts(),
            "ignored_columns": self.header.ignored,
            **self.problems.as_dict(),
        }


# =============================================================================================
# Reading one row
# =============================================================================================


@dataclass
class Parsed:
    """One data row as read: the ids, the name, the job's cells that are filled (by field), and
    the problems of its cells (told when the row is judged, so the list stays in row order)."""

    row: Row
    member_id: int | None = None
    record_id: int | None = None
    version: int | None = None
    name: str = ""
    job: dict[str, Any] = field(default_factory=dict)
    filled: set[str] = field(default_factory=set)
    bad: set[str] = field(default_factory=set)  # headers whose cell could not be read
    pending: list[tuple[str, str]] = field(default_factory=list)  # (header, message)

    @property
    def number(self) -> int:
        return self.row.number


def _positive(value: object) -> int:
    number = cells.integer(value, minimum=1)
    if number is None:
        raise CellError(_("Enter a whole number."))
    return number


def _job_type(value: object) -> str:
    shown = cells.display(value)
    if shown not in JOB_TYPE_VALUES:
        raise CellError(
            _("“%(value)s” is not a value of the national code table for %(column)s.")
            % {"value": shown, "column": roster.JOB_TYPE}
        )
    return JOB_TYPE_VALUES[shown]


def _text(limit: int):
    return lambda value: cells.text(value, max_length=limit)


def _date(value: object) -> datetime.date | None:
    return cells.date(value, today=FAR, earliest=EARLIEST)


READERS = {
    "start_date": _date,
    "end_date": _date,
    "months_worked": cells.integer,
    "place_category": lambda v: cells.choice(v, PlaceCategory.values, column=roster.PLACE_CATEGORY),
    "job_type": _job_type,
    "source": lambda v: cells.choice(v, Source.values, column=roster.SOURCE),
    "employer_uscc": lambda v: cells.number_text(v, max_length=18),
    "monthly_wage": cells.money,
    **{name: _text(limit) for name, limit in TEXT_LIMITS.items()},
}


# =============================================================================================
# Judging the file
# =============================================================================================


class Validator:
    """Judges a roster uploaded by ``actor`` for month ``year``-``month``."""

    def __init__(self, *, actor, year: int, month: int, header: Header, sha256: str) -> None:
        self.actor = actor
        self.year, self.month = year, month
        self.first = month_bounds(year, month)[0]
        self.on = confirmed_on(year, month)
        self.header = header
        self.index = {item.header: index for index, item in header.columns}
        self.report = Report(header=header, sha256=sha256, year=year, month=month)
        self.problems = self.report.problems
        self.seen: dict[int, int] = {}  # person → the first row naming them
        self.twice: set[int] = set()
        self._workshops: dict[str, list[Workshop]] | None = None

    # ---- telling problems -------------------------------------------------------------------

    def error(self, p: Parsed, header: str, message: str, rule: str = "") -> None:
        p.bad.add(header)
        self.problems.error(p.number, self.index.get(header, -1), header, message, rule)

    def judge_rules(self, p: Parsed, violations) -> None:
        """A job's rules, each at the column of the field it names (a column that already has
        an error in this row is not told twice); flags are warnings."""
        for violation in violations:
            header = FIELD_COLUMNS.get(violation.field, "")
            if header and header in p.bad:
                continue
            if violation.is_error:
                self.error(p, header, violation.message, violation.rule)
            else:
                self.problems.warning(
                    p.number, self.index.get(header, -1), header, violation.message, violation.rule
                )

    # ---- the file ---------------------------------------------------------------------------

    def read(self, reading: SheetReading, progress) -> Report:
        progress.total(max(1, reading.estimated_rows))
        width = self.header.width
        chunk: list[Parsed] = []
        for row in reading.data():
            width = max(width, len(row.values))
            self.report.rows += 1
            chunk.append(self.parse(row))
            if len(chunk) >= CHUNK:
                self.judge_chunk(chunk)
                chunk = []
                progress.step(self.report.rows)
        self.judge_chunk(chunk)
        progress.step(self.report.rows, force=True)
        self.report.width = width
        return self.report

    def parse(self, row: Row) -> Parsed:
        p = Parsed(row)
        by_index = {index: item.header for index, item in self.header.columns}
        for index in sorted(row.formulas or ()):
            header = by_index.get(index)
            if header is None:
                continue
            p.bad.add(header)
            p.pending.append(
                (
                    header,
                    _(
                        "Cell %(cell)s holds a formula (%(formula)s): enter the value itself. "
                        "The import does not calculate formulas."
                    )
                    % {
                        "cell": f"{get_column_letter(index + 1)}{row.number}",
                        "formula": row.get(index),
                    },
                )
            )

        def read(header: str, reader):
            index = self.index.get(header)
            if index is None or header in p.bad:
                return None
            value = row.get(index)
            if cells.is_blank(value):
                return None
            try:
                return reader(value)
            except CellError as exc:
                p.bad.add(header)
                p.pending.append((header, exc.message))
                return None

        p.member_id = read(roster.MEMBER_ID, _positive)
        p.record_id = read(roster.RECORD_ID, _positive)
        p.version = read(roster.VERSION, _positive)
        p.name = read(roster.NAME, _text(64)) or ""
        for header, name in roster.JOB_COLUMNS.items():
            index = self.index.get(header)
            if index is None or cells.is_blank(row.get(index)):
                continue
            p.filled.add(name)
            value = read(header, READERS[name])
            if header not in p.bad and not cells.is_blank(value):
                p.job[name] = value
        return p

    def judge_chunk(self, chunk: list[Parsed]) -> None:
        if not chunk:
            return
        member_ids = {p.member_id for p in chunk if p.member_id is not None}
        record_ids = {p.record_id for p in chunk if p.record_id is not None}
        members = {
            m.pk: m
            for m in Member.objects.visible_to(self.actor)
            .filter(pk__in=member_ids)
            .select_related("household__area")
        }
        records = {
            r.pk: r
            for r in EmploymentRecord.objects.visible_to(self.actor)
            .filter(pk__in=record_ids)
            .select_related("member__household__area", "workshop", "post")
        }
        for p in chunk:
            for header, message in p.pending:
                self.problems.error(p.number, self.index.get(header, -1), header, message)
            self.judge(p, members, records)

    # ---- one row ----------------------------------------------------------------------------

    def plan(self, p: Parsed, action: Action | None) -> None:
        self.report.planned[p.number] = action

    def judge(self, p: Parsed, members: dict[int, Member], records: dict) -> None:
        job_cells = bool(p.filled)
        if p.member_id is None:
            if roster.MEMBER_ID in p.bad:
                return
            if p.record_id is None and not job_cells:
                self.plan(p, None)  # a row with nothing to say
                return
            self.error(
                p,
                roster.MEMBER_ID,
                _(
                    "Enter the person's 系统人员编号 as the roster has it; a person new to the "
                    "platform is registered on the household's page first."
                ),
            )
            return
        member = members.get(p.member_id)
        if member is None:
            self.error(
                p,
                roster.MEMBER_ID,
                _("No person with the number %(number)s in your area.") % {"number": p.member_id},
            )
            return
        if not self._once(p):
            return
        if p.name and p.name != member.name:
            self.error(
                p,
                roster.NAME,
                _(
                    "The person with this 系统人员编号 is %(name)s: check that the row is theirs "
                    "(keep the roster's rows as downloaded)."
                )
                % {"name": member.name},
            )
        if p.record_id is None:
            if roster.RECORD_ID in p.bad:
                return
            if job_cells:
                self.new_job(p, member)
            else:
                self.plan(p, None)
            return
        record = records.get(p.record_id)
        if record is None or record.member_id != member.pk:
            self.error(
                p,
                roster.RECORD_ID,
                _("No job record with the number %(number)s for this person in your area.")
                % {"number": p.record_id},
            )
            return
        if not job_cells:
            self.error(
                p,
                roster.RECORD_ID,
                _(
                    "The job's cells are empty: if the person left the job, fill in 结束日期 "
                    "instead of clearing the row."
                ),
            )
            return
        self.recorded_job(p, record)

    def _once(self, p: Parsed) -> bool:
        """A person on two rows: an error on both (the first row's plan is dropped)."""
        first = self.seen.get(p.member_id)
        if first is None:
            self.seen[p.member_id] = p.number
            return True
        message = _("This person is on rows %(first)s and %(row)s: keep one row per person.") % {
            "first": first,
            "row": p.number,
        }
        if p.member_id not in self.twice:
            self.twice.add(p.member_id)
            self.problems.error(
                first, self.index.get(roster.MEMBER_ID, -1), roster.MEMBER_ID, message
            )
            self.report.planned.pop(first, None)
        self.error(p, roster.MEMBER_ID, message)
        return False

    def workshop(self, p: Parsed, member: Member) -> Workshop | None:
        """The workshop the row names, among those the user sees: the person's village's first,
        then their township's."""
        name = p.job.get("workshop")
        if not name:
            return None
        if self._workshops is None:
            self._workshops = {}
            for workshop in Workshop.objects.visible_to(self.actor).select_related("area"):
                self._workshops.setdefault(workshop.name, []).append(workshop)
        found = self._workshops.get(name, [])
        village = member.household.area
        for near in (
            [w for w in found if w.area_id == village.pk],
            [w for w in found if w.area.parent_id == village.parent_id],
            found,
        ):
            if len(near) == 1:
                return near[0]
            if len(near) > 1:
                break
        if found:
            message = _(
                "Several workshops are named “%(name)s”: choose the job's workshop on the "
                "person's page."
            )
        else:
            message = _("No workshop named “%(name)s” in your area.")
        self.error(p, roster.WORKSHOP, message % {"name": name})
        return None

    def default_months(self, start: datetime.date, end: datetime.date | None) -> int:
        """The months a job has been worked when the row leaves them empty: from its start to
        its end, or to the day the file confirms, within the start's year."""
        last = min(end or self.on, datetime.date(start.year, 12, 31))
        return max(0, min(rules.months_spanned(start, last), 12))

    def new_job(self, p: Parsed, member: Member) -> None:
        job = p.job
        start = job.get("start_date") or self.first
        end = job.get("end_date")
        for name, header, message in (
            ("job_type", roster.JOB_TYPE, _("Choose the job type.")),
            ("source", roster.SOURCE, _("Choose where the job is known from.")),
        ):
            if name not in job and header not in p.bad:
                self.error(p, header, message)
        details = JobDetails(
            start_date=start,
            end_date=end,
            months_worked=job.get("months_worked", self.default_months(start, end)),
            job_type=job.get("job_type", ""),
            batch=job.get("batch", ""),
            source=job.get("source", ""),
            place_category=job.get("place_category", ""),
            place=job.get("place", ""),
            employer=job.get("employer", ""),
            employer_uscc=job.get("employer_uscc", ""),
            welfare_job_type=job.get("welfare_job_type", ""),
            workshop=self.workshop(p, member),
            monthly_wage=job.get("monthly_wage"),
            channel=job.get("channel", ""),
            note=job.get("note", ""),
        )
        cleaned = self.cleaned(p, details)
        if cleaned is None:
            return
        self.judge_rules(p, record_problems(member, cleaned))
        recorded = (
            EmploymentRecord.objects.filter(
                member=member, start_date=cleaned.start_date, job_type=cleaned.job_type
            )
            .values_list("pk", flat=True)
            .first()
        )
        if recorded is not None and roster.START not in p.bad:
            # The same file uploaded twice must not record the job twice.
            self.error(
                p,
                roster.START,
                _(
                    "This person already has this job from %(date)s (记录编号 %(number)s): the "
                    "roster was uploaded before. Download it again to update the job."
                )
                % {"date": f"{cleaned.start_date:%Y-%m-%d}", "number": recorded},
            )
        self.plan(p, Create(p.number, member.pk, cleaned))

    def cleaned(self, p: Parsed, details: JobDetails) -> JobDetails | None:
        try:
            return details.cleaned()
        except EmploymentError as exc:
            self.error(p, FIELD_COLUMNS.get(exc.field or "", ""), exc.message)
            return None

    def recorded_job(self, p: Parsed, record: EmploymentRecord) -> None:
        old = JobDetails.of(record)
        values: dict[str, Any] = {}
        for header, name in roster.JOB_COLUMNS.items():
            if name == "source":
                continue
            if header in p.bad or (name not in p.job and name in KEPT_WHEN_EMPTY):
                values[name] = getattr(old, name)  # unreadable or left empty: as recorded
            elif name == "workshop":
                values[name] = self.workshop(p, record.member) if name in p.job else None
            else:
                values[name] = p.job.get(name, None if name in ("end_date", "monthly_wage") else "")
        source = p.job.get("source") or old.source
        new = self.cleaned(p, replace(old, **values, source=source))
        if new is None:
            return
        changed = [name for name in COMPARED if getattr(new, name) != getattr(old, name)]
        stale = p.version != record.version
        if not changed or (
            changed == ["months_worked"] and stale and new.months_worked < old.months_worked
        ):
            # Still at the same job (a lower month count is what a confirmation since raised).
            self.confirm(p, record, source)
            return
        if record.post_id is not None:
            header = FIELD_COLUMNS[changed[0]]
            self.error(
                p,
                header,
                _(
                    "This job is a public-welfare post's: it is only confirmed here. Change it "
                    "on the post's page."
                ),
            )
            return
        if stale:
            if roster.VERSION not in p.bad:
                self.error(
                    p,
                    roster.VERSION,
                    _(
                        "Changed by someone else since the roster was downloaded (version "
                        "%(version)s now): download the roster again and enter this row's "
                        "change there."
                    )
                    % {"version": record.version},
                )
            return
        member = record.member
        if (
            old.end_date is None
            and new.end_date is not None
            and set(changed)
            <= {
                "end_date",
                "months_worked",
            }
        ):
            months = new.months_worked
            if "months_worked" not in changed:  # brought up to the end, as a confirmation would
                spanned = rules.months_spanned(old.start_date, new.end_date)
                months = max(old.months_worked, min(spanned, 12))
            ended = replace(new, months_worked=months)
            self.judge_rules(p, record_problems(member, ended, existing=record))
            self.plan(p, End(p.number, record.pk, new.end_date, months, record.version))
            return
        if new.start_date.year != record.year and roster.START not in p.bad:
            self.error(
                p,
                roster.START,
                _("A record stays in its year (%(year)s); record another year as a new job.")
                % {"year": record.year},
            )
        self.judge_rules(p, record_problems(member, new, existing=record))
        self.plan(p, Change(p.number, record.pk, new, record.version))

    def confirm(self, p: Parsed, record: EmploymentRecord, source: str) -> None:
        on = self.on
        if record.end_date is not None and record.end_date < on:
            self.plan(p, None)  # the job had already ended: nothing to confirm
            return
        if record.start_date > on or record.year < on.year - 1:
            self.error(
                p,
                roster.RECORD_ID,
                _(
                    "This job (%(year)s) cannot be confirmed for %(month)s: upload the roster "
                    "for the month it was downloaded for."
                )
                % {"year": record.year, "month": roster.month_label(self.year, self.month)},
            )
            return
        member = record.member
        if record.year < on.year:
            carried = replace(
                JobDetails.of(record),
                start_date=datetime.date(on.year, 1, 1),
                end_date=None,
                months_worked=1,
                transport_subsidy=None,
                transport_subsidy_paid_on=None,
            )
            self.judge_rules(p, record_problems(member, carried))
            self.plan(p, Confirm(p.number, record.pk, on, source, carried=True))
            return
        # A flag of the job itself (EMP-4) is on the flagged list until it is reviewed; the
        # file does not repeat it every month.
        self.plan(p, Confirm(p.number, record.pk, on, source))


def validate(path: Path, *, actor, year: int, month: int, progress=None) -> Report:
    progress = progress or NoProgress()
    sha256 = file_sha256(path)
    with open_sheet(path, inspect(path, SPEC), SPEC) as sheet:
        reading = SheetReading(sheet, SPEC)
        validator = Validator(
            actor=actor, year=year, month=month, header=reading.header, sha256=sha256
        )
        report = validator.read(reading, progress)
    if report.rows == 0:
        raise ImportRefused(SPEC.no_rows_message)
    return report
