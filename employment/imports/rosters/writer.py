"""The second phase: what the valid rows do, through the record services, in one transaction
with the import's audit row (each service also audits its own write)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from itertools import islice
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _

from employment.imports.rosters.layout import SPEC
from employment.imports.rosters.validation import (
    Action,
    Change,
    Confirm,
    Create,
    End,
    Report,
    validate,
)
from employment.models import EmploymentRecord
from employment.services.records import (
    record_change,
    record_confirm,
    record_create,
    record_end,
    records_confirm,
)
from kaiyuan.accounts.capabilities import user_can
from kaiyuan.common.errors import DomainError
from kaiyuan.common.imports import ImportRefused, commit, inspect, open_sheet, write_marked_copy
from kaiyuan.common.scoping import user_may_write
from monitoring.models import Member

INVALID, IMPORTED = "invalid", "imported"
WRITE_CHUNK = 500


def may_import(user) -> bool:
    return user_can(user, "employment.import") and user_may_write(user)


@dataclass
class Outcome:
    state: str  # INVALID (nothing written) or IMPORTED
    report: Report
    counts: dict[str, Any] | None = None
    marked: Path | None = None
    valid_only: bool = False

    def as_dict(self) -> dict[str, Any]:
        return {
            "state": self.state,
            "valid_only": self.valid_only,
            "to_write": len(self.report.actions),
            "counts": self.counts or {},
            **self.report.as_dict(),
        }


def _chunks(actions: list[Action]) -> Iterator[list[Action]]:
    it = iter(actions)
    while chunk := list(islice(it, WRITE_CHUNK)):
        yield chunk


def _carry_out(actions: list[Action], actor) -> None:
    for chunk in _chunks(actions):
        records = EmploymentRecord.objects.select_related(
            "member__household__area", "workshop", "post"
        ).in_bulk([a.record_id for a in chunk if not isinstance(a, Create)])
        members = Member.objects.select_related("household__area").in_bulk(
            [a.member_id for a in chunk if isinstance(a, Create)]
        )
        confirmations = [
            (records[a.record_id], a.on, a.source)
            for a in chunk
            if isinstance(a, Confirm) and a.record_id in records
        ]
        if confirmations:
            try:
                records_confirm(confirmations=confirmations, actor=actor)
            except DomainError as exc:
                raise ImportRefused(
                    _(
                        "The unchanged rows could not be confirmed (%(message)s); nothing was "
                        "imported."
                    )
                    % {"message": exc.message}
                ) from None
        for action in chunk:
            if isinstance(action, Confirm) and action.record_id in records:
                continue
            try:
                if isinstance(action, Create):
                    member = members.get(action.member_id)
                    if member is None:
                        raise DomainError(_("The person no longer exists."))
                    record_create(member=member, details=action.details, actor=actor)
                    continue
                record = records.get(action.record_id)
                if record is None:
                    raise DomainError(_("The job record no longer exists."))
                if isinstance(action, Confirm):
                    record_confirm(record=record, on=action.on, actor=actor, source=action.source)
                elif isinstance(action, End):
                    record_end(
                        record=record,
                        end_date=action.end_date,
                        months_worked=action.months_worked,
                        expected_version=action.version,
                        actor=actor,
                    )
                elif isinstance(action, Change):
                    record_change(
                        record=record,
                        details=action.details,
                        expected_version=action.version,
                        actor=actor,
                    )
            except DomainError as exc:
                raise ImportRefused(
                    _("Row %(row)s could not be saved (%(message)s); nothing was imported.")
                    % {"row": action.row, "message": exc.message}
                ) from None


def import_file(
    *,
    path: Path,
    actor,
    year: int,
    month: int,
    file_name: str,
    valid_only: bool = False,
    progress=None,
    audit_object=None,
    marked_path: Path | None = None,
) -> Outcome:
    """Validate ``path`` for month ``year``-``month``; if no row has an error (or, with
    ``valid_only``, for the rows without one) carry out what the rows say in one transaction
    and audit the import once. With errors and without ``valid_only`` nothing is written. The
    marked copy (errors red, warnings yellow) is saved at ``marked_path`` when there is
    anything to mark."""
    report = validate(path, actor=actor, year=year, month=month, progress=progress)
    problems = report.problems
    has_errors = problems.error_count > 0
    marked = None
    if (has_errors or problems.warning_count) and marked_path is not None:
        with open_sheet(path, inspect(path, SPEC), SPEC) as sheet:
            write_marked_copy(
                sheet,
                marked_path,
                header_row=report.header.row,
                width=report.width,
                marks=problems.marks,
                notes=problems.notes,
            )
        marked = marked_path
    actions = report.actions
    if has_errors and (not valid_only or not actions):
        return Outcome(INVALID, report, marked=marked, valid_only=valid_only)
    skipped = bool(valid_only and has_errors)

    def write() -> dict[str, Any]:
        _carry_out(actions, actor)
        return {
            **report.counts(),
            "rows_skipped": len(problems.error_rows),
            "month": f"{year}-{month:02d}",
        }

    counts = commit(
        spec=SPEC,
        actor=actor,
        file_name=file_name,
        sha256=report.sha256,
        rows=report.rows,
        errors=problems.error_count,
        valid_only=skipped,
        write=write,
        audit_object=audit_object,
    )
    return Outcome(IMPORTED, report, counts=counts, marked=marked, valid_only=skipped)
