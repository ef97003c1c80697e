"""Import of the national system's household/member Excel (DOMAIN.md §2.4, §2.12; DESIGN.md
"Imports and exports").

``import_file`` validates the whole file first (``validation.validate``, nothing written). With
errors, nothing is written and the user gets the workbook back with the bad cells marked; they
fix it and upload again, or explicitly choose to import only the households whose rows are all
valid (households are imported whole). ``write`` applies the plans in one transaction (all or
nothing) and the import is audited once, with the file's SHA-256 and the counts. Re-importing
the same file creates and updates nothing.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.db import IntegrityError
from django.utils import timezone
from django.utils.translation import gettext as _

from kaiyuan.areas.models import Grid
from kaiyuan.common import pii
from kaiyuan.common.imports import (
    ImportRefused,
    NoProgress,
    commit,
    inspect,
    open_sheet,
    write_marked_copy,
)
from kaiyuan.common.imports.bulk import allocate_ids, copy_insert, copy_rows
from monitoring.imports.households import layout
from monitoring.imports.households.layout import HOUSEHOLD
from monitoring.imports.households.validation import (
    MEMBER_ATTNAMES,
    HouseholdPlan,
    Report,
    may_import,
    validate,
)
from monitoring.imports.households.workbook import SPEC
from monitoring.models import Household, Member

__all__ = ["ImportRefused", "import_file", "may_import", "validate", "write"]

WRITE_BATCH = 1000


@dataclass
class Counts:
    households_created: int = 0
    households_updated: int = 0
    households_unchanged: int = 0
    members_created: int = 0
    members_updated: int = 0
    members_unchanged: int = 0
    households_skipped: int = 0
    rows_skipped: int = 0

    def as_dict(self) -> dict[str, int]:
        return dict(self.__dict__)


# =============================================================================================
# Writing
# =============================================================================================

# Household fields an import may change on an existing household (the monitoring state and its
# dates change only through identification and elimination).
HOUSEHOLD_UPDATE_FIELDS = sorted(
    {
        c.field
        for c in layout.IMPORT_COLUMNS
        if c.level == HOUSEHOLD and c.writable and not c.on_create_only
    }
    - {"household_number"}
    | {"head_name", "household_size"}
)


class StaleData(ImportRefused):
    code = "import_stale"


def _place_in_only_grids(households: list[Household]) -> None:
    """A new household of a village with one grid goes to that grid, as registration on the page
    does (MON-GRID); in a village of several grids the clerk chooses, and the data-quality page
    lists those still without one. One query for the whole file."""
    areas = {household.area_id for household in households if household.grid_id is None}
    if not areas:
        return
    only = Grid.objects.only_grids(areas)
    for household in households:
        if household.grid_id is None:
            household.grid_id = only.get(household.area_id)


def write(report: Report) -> Counts:
    """Apply the plans of ``report`` (call inside a transaction). Households or members changed
    by someone else since they were read are refused (StaleData), so that no edit is overwritten
    unseen."""
    plans = report.plans
    counts = Counts()
    now = timezone.now()
    _lock_and_check_versions(plans)
    new_households = [p.household for p in plans if p.is_new]
    _place_in_only_grids(new_households)
    # COPY, not bulk_create: the ORM's per-value preparation was a third of the import's time.
    for household, pk in zip(
        new_households, allocate_ids(Household, len(new_households)), strict=True
    ):
        household.pk = pk
    copy_insert(Household, new_households)
    changed = [p for p in plans if not p.is_new and p.household_changed]
    for plan in changed:
        plan.household.version = plan.existing_version + 1
        plan.household.updated_at = now
    for batch in _batches([p.household for p in changed]):
        Household.objects.bulk_update(batch, [*HOUSEHOLD_UPDATE_FIELDS, "version", "updated_at"])
    members_created = copy_rows(Member, MEMBER_ATTNAMES, _new_member_rows(report))
    updates: list[Member] = []
    update_fields: set[str] = set()
    for plan in plans:
        for member, version, changed_fields, row in plan.member_updates:
            member.version = version + 1
            member.updated_at = now
            if "id_number" in changed_fields:
                member.id_cipher = pii.encrypt(row.id.number)
                update_fields.update({"id_index", "id_masked", "id_cipher"})
            update_fields.update(f for f in changed_fields if f != "id_number")
            updates.append(member)
    for batch in _batches(updates):
        Member.objects.bulk_update(batch, [*sorted(update_fields), "version", "updated_at"])
    for plan in plans:
        if plan.is_new:
            counts.households_created += 1
        elif plan.household_changed or plan.new_rows or plan.member_updates:
            counts.households_updated += 1
        else:
            counts.households_unchanged += 1
    counts.members_created = members_created
    counts.members_updated = len(updates)
    counts.members_unchanged = sum(p.unchanged_members for p in plans)
    return counts


def _lock_and_check_versions(plans: list[HouseholdPlan]) -> None:
    expected = {p.household.pk: p.existing_version for p in plans if not p.is_new}
    member_expected = {m.pk: version for p in plans for (m, version, _c, _r) in p.member_updates}
    ids = list(expected)
    for start in range(0, len(ids), 5000):
        chunk = ids[start : start + 5000]
        current = Household.objects.select_for_update().filter(pk__in=chunk).order_by("pk")
        for pk, version in current.values_list("pk", "version"):
            if expected[pk] != version:
                raise StaleData(_stale_message())
    member_ids = list(member_expected)
    for start in range(0, len(member_ids), 5000):
        chunk = member_ids[start : start + 5000]
        current = Member.objects.select_for_update().filter(pk__in=chunk).order_by("pk")
        for pk, version, status in current.values_list("pk", "version", "status"):
            if member_expected[pk] != version or status != Member.Status.ACTIVE:
                raise StaleData(_stale_message())


def _stale_message() -> str:
    return _(
        "Some households of the file were changed by someone else while the import ran. "
        "Nothing was imported: upload the file again."
    )


_HOUSEHOLD = MEMBER_ATTNAMES.index("household_id")
_CIPHER = MEMBER_ATTNAMES.index("id_cipher")


def _new_member_rows(report: Report) -> Iterator[list]:
    """The new members' rows, each with its household's id and its encrypted ID number (Fernet
    is the costly step, paid only once the file has passed)."""
    for plan in report.plans:
        household_id = plan.household.pk  # saved by now
        for values, row in zip(plan.new_members, plan.new_rows, strict=True):
            values = list(values)
            values[_HOUSEHOLD] = household_id
            values[_CIPHER] = pii.encrypt(row.id.number)
            yield values


def _batches(items: Iterable, size: int = WRITE_BATCH) -> Iterator[list]:
    batch: list = []
    for item in items:
        batch.append(item)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


# =============================================================================================
# The whole import
# =============================================================================================

INVALID, IMPORTED = "invalid", "imported"


@dataclass
class Outcome:
    state: str  # INVALID (nothing written) or IMPORTED
    report: Report
    counts: Counts | None = None
    marked: Path | None = None
    valid_only: bool = False

    def as_dict(self) -> dict[str, Any]:
        return {
            "state": self.state,
            "valid_only": self.valid_only,
            "counts": self.counts.as_dict() if self.counts else None,
            **self.report.as_dict(),
        }


def import_file(
    *,
    path: Path,
    actor,
    file_name: str,
    valid_only: bool = False,
    progress=None,
    audit_object=None,
    marked_path: Path | None = None,
) -> Outcome:
    """Validate ``path`` and, if every household is good (or, with ``valid_only``, for the good
    ones), write it in one transaction and audit the import once. With errors and without
    ``valid_only`` nothing is written, and the marked copy is saved at ``marked_path``."""
    progress = progress or NoProgress()
    report = validate(path, actor=actor, progress=progress)
    has_errors = report.error_count > 0
    if has_errors and marked_path is not None:
        with open_sheet(path, inspect(path, SPEC), SPEC) as sheet:
            write_marked_copy(
                sheet,
                marked_path,
                header_row=report.layout.header_row,
                width=report.width,
                marks=report.marks,
            )
    marked = marked_path if has_errors and marked_path is not None else None
    if has_errors and (not valid_only or not report.plans):
        return Outcome(INVALID, report, marked=marked, valid_only=valid_only)
    skipped_choice = bool(valid_only and has_errors)
    counts = Counts()

    def write_all() -> dict[str, int]:
        counts.__dict__.update(write(report).__dict__)
        counts.households_skipped = report.invalid_households
        counts.rows_skipped = report.rows - sum(
            len(p.new_rows) + len(p.member_updates) + p.unchanged_members for p in report.plans
        )
        return counts.as_dict()

    try:
        commit(
            spec=SPEC,
            actor=actor,
            file_name=file_name,
            sha256=report.sha256,
            rows=report.rows,
            errors=report.error_count,
            valid_only=skipped_choice,
            write=write_all,
            audit_object=audit_object,
        )
    except IntegrityError:
        raise StaleData(
            _(
                "Someone saved the same household number, person number or ID number while the "
                "import ran. Nothing was imported: upload the file again."
            )
        ) from None
    progress.step(3 * max(1, report.rows), force=True)
    return Outcome(IMPORTED, report, counts=counts, marked=marked, valid_only=skipped_choice)
