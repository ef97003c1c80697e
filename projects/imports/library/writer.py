"""The second phase: the valid proposals created in one transaction, audited once."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _

from kaiyuan.accounts.capabilities import user_can
from kaiyuan.areas.models import Area
from kaiyuan.common.errors import DomainError
from kaiyuan.common.imports import ImportRefused, commit, inspect, open_sheet, write_marked_copy
from kaiyuan.common.scoping import user_may_write
from projects.codes import ProposerLevel
from projects.imports.library.layout import SPEC
from projects.imports.library.validation import Report, validate
from projects.models.projects import PROJECT_WORKFLOW
from projects.services.projects import project_create


def may_import(user) -> bool:
    return user_can(user, "projects.import") and user_may_write(user)


def may_create(user) -> bool:
    """Whether the import creates the proposals for ``user`` (a township's clerk) or only checks
    the file (the bureau, whose role does not propose)."""
    return PROJECT_WORKFLOW.may_take(None, "submit_township", user)


INVALID, IMPORTED, CHECKED = "invalid", "imported", "checked"
LISTED_PROJECTS = 200


@dataclass
class Outcome:
    state: str  # INVALID (nothing written), CHECKED (valid, nothing written) or IMPORTED
    report: Report
    created: list[dict[str, Any]] = field(default_factory=list)
    marked: Path | None = None
    valid_only: bool = False

    def as_dict(self) -> dict[str, Any]:
        return {
            "state": self.state,
            "valid_only": self.valid_only,
            "created": len(self.created),
            "projects": self.created[:LISTED_PROJECTS],
            **self.report.as_dict(),
        }


def import_file(
    *,
    path: Path,
    actor,
    township: Area,
    year: int,
    file_name: str,
    valid_only: bool = False,
    progress=None,
    audit_object=None,
    marked_path: Path | None = None,
) -> Outcome:
    """Validate ``path``; if every row is good (or, with ``valid_only``, for the good rows),
    create the proposals in one transaction and audit the import once. With errors and without
    ``valid_only`` nothing is written, and the marked copy is saved at ``marked_path``."""
    report = validate(path, township=township, year=year, progress=progress)
    has_errors = report.problems.error_count > 0
    marked = None
    if has_errors and marked_path is not None:
        with open_sheet(path, inspect(path, SPEC), SPEC) as sheet:
            write_marked_copy(
                sheet,
                marked_path,
                header_row=report.header.row,
                width=report.width,
                marks=report.problems.marks,
            )
        marked = marked_path
    if has_errors and (not valid_only or not report.proposals):
        return Outcome(INVALID, report, marked=marked, valid_only=valid_only)
    if not may_create(actor):
        return Outcome(CHECKED if not has_errors else INVALID, report, marked=marked)
    skipped = bool(valid_only and has_errors)
    created: list[dict[str, Any]] = []

    def write() -> dict[str, Any]:
        for number, proposal in report.proposals:
            try:
                project = project_create(
                    proposal=proposal, proposer_level=ProposerLevel.TOWNSHIP, actor=actor
                )
            except DomainError as exc:
                raise ImportRefused(
                    _("Row %(row)s could not be saved (%(message)s); nothing was imported.")
                    % {"row": number, "message": exc.message}
                ) from None
            created.append({"pk": project.pk, "code": project.code, "name": project.name})
        return {
            "created": len(created),
            "rows_skipped": report.rows - len(created),
            "township": township.code,
            "year": year,
        }

    commit(
        spec=SPEC,
        actor=actor,
        file_name=file_name,
        sha256=report.sha256,
        rows=report.rows,
        errors=report.problems.error_count,
        valid_only=skipped,
        write=write,
        audit_object=audit_object,
    )
    return Outcome(IMPORTED, report, created=created, marked=marked, valid_only=skipped)
