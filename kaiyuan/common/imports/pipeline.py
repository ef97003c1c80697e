"""The steps every import takes, in order, and the decision of where it runs.

1. ``precheck`` (in the request): the name and size, then the zip and the sheets' XML against
   the limits (``guard``), without parsing. A large file stops here and goes to the worker; a
   small one is also opened to find its header and a first data row, so that a wrong file is
   refused on the upload page.
2. ``SheetReading`` (in the job): the sheet read once, its header found from the layout, then
   its data rows handed to the importer, which parses every cell (``cells``) and validates every
   row before it writes anything (``Problems``).
3. With errors, the marked workbook (``marked``); the user may then explicitly choose to import
   only the valid rows, which ``commit`` audits.
4. ``commit``: the importer's write and the audit row in one transaction.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from itertools import chain, islice
from pathlib import Path
from typing import IO, Any

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from kaiyuan.audit import record
from kaiyuan.common.imports.errors import ImportRefused
from kaiyuan.common.imports.guard import ArchiveFacts, check_upload, inspect_archive
from kaiyuan.common.imports.header import HEADER_SEARCH_ROWS, Header, Layout, find_header
from kaiyuan.common.imports.limits import Limits
from kaiyuan.common.imports.reader import FORMULAS_REFUSED, Row, Sheet


@dataclass(frozen=True)
class Spec:
    """What one importer expects of a file."""

    what: str  # the audit's "what"
    layout: Layout
    split_advice: str  # how to make a file small enough ("split it by township …")
    header_advice: str = ""  # where the right headers are (the template …)
    no_rows_message: str = ""  # the refusal of a file with headers and no data row
    sheet_name: str = ""  # the sheet to read when the workbook has it, else the active one
    formulas: str = FORMULAS_REFUSED


class NoProgress:
    def total(self, total: int) -> None:
        pass

    def step(self, done: int, *, force: bool = False) -> None:
        pass


# =============================================================================================
# Reading
# =============================================================================================


def open_sheet(source: Path | IO[bytes], facts: ArchiveFacts, spec: Spec) -> Sheet:
    return Sheet(
        source,
        facts,
        sheet_name=spec.sheet_name,
        formulas=spec.formulas,
        max_columns=Limits.from_settings().columns,
    )


def inspect(source: Path | IO[bytes], spec: Spec) -> ArchiveFacts:
    return inspect_archive(source, limits=Limits.from_settings(), split_advice=spec.split_advice)


class SheetReading:
    """One pass over a sheet: the first rows are kept to find the header, then every row after
    it is handed on (blank rows skipped)."""

    def __init__(self, sheet: Sheet, spec: Spec) -> None:
        self.sheet = sheet
        self._rows = sheet.rows()
        self._head = list(islice(self._rows, HEADER_SEARCH_ROWS))
        self.header: Header = find_header(
            self._head, spec.layout, merged=sheet.merged, advice=spec.header_advice
        )
        self.header.title = sheet.title

    @property
    def estimated_rows(self) -> int:
        """Data rows at most, from the XML's row count (known before any row is parsed)."""
        return max(0, self.sheet.rows_in_xml - self.header.row)

    def data(self) -> Iterator[Row]:
        start = self.header.row
        for row in chain(self._head, self._rows):
            if row.number > start and row.values and not row.blank:
                yield row


@dataclass(frozen=True)
class Precheck:
    facts: ArchiveFacts
    background: bool  # parse in the worker, not in this request
    data_rows: int  # from the XML, before parsing (an upper bound: blank rows count)
    header: Header | None = None  # found only for a file checked in the request


def precheck(uploaded, spec: Spec, *, force_background: bool = False) -> Precheck:
    """The checks made while the user waits. Refuses (ImportRefused) a file that is not an
    .xlsx or that is too big to parse, before openpyxl sees it. Only a small file is parsed here
    (its header and first data row); a large one is left whole to the job."""
    limits = Limits.from_settings()
    check_upload(uploaded.name, uploaded.size, limits=limits, split_advice=spec.split_advice)
    facts = inspect_archive(uploaded, limits=limits, split_advice=spec.split_advice)
    rows = max(0, facts.most_rows - 1)  # at least a header row above the data
    background = (
        force_background or rows > limits.background_rows or uploaded.size > limits.background_bytes
    )
    if background:
        return Precheck(facts=facts, background=True, data_rows=rows)
    with open_sheet(uploaded, facts, spec) as sheet:
        reading = SheetReading(sheet, spec)
        if next(reading.data(), None) is None:
            raise ImportRefused(spec.no_rows_message)
        header = reading.header
        data_rows = reading.estimated_rows
    uploaded.seek(0)
    return Precheck(facts=facts, background=False, data_rows=data_rows, header=header)


# =============================================================================================
# Files
# =============================================================================================


def store_upload(uploaded, *, folder: str = "imports") -> str:
    """Keep an upload under MEDIA_ROOT/<folder>/ with a random name (the user's file name may
    carry personal data); returns the path relative to MEDIA_ROOT."""
    relative = f"{folder}/{secrets.token_hex(16)}.xlsx"
    target = settings.MEDIA_ROOT / relative
    target.parent.mkdir(parents=True, exist_ok=True)
    uploaded.seek(0)
    with target.open("wb") as handle:
        for chunk in uploaded.chunks():
            handle.write(chunk)
    return relative


def file_sha256(source: Path | Any) -> str:
    digest = hashlib.sha256()
    if isinstance(source, Path):
        with source.open("rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
        return digest.hexdigest()
    source.seek(0)
    for chunk in source.chunks():
        digest.update(chunk)
    source.seek(0)
    return digest.hexdigest()


def start_job(*, kind: str, actor, params: dict[str, Any], background: bool):
    """The import as a job (kaiyuan.jobs) with progress: a large file in the worker; a small
    one in this request, through the same job row, so that its result page, its access rule
    and its audit are the same."""
    from kaiyuan.common.errors import DomainError
    from kaiyuan.jobs.models import Job
    from kaiyuan.jobs.services import job_run
    from kaiyuan.jobs.services import job_start as start_in_worker

    if background:
        return start_in_worker(kind=kind, actor=actor, params=params)
    if actor.area_id is None:
        raise DomainError(_("Your account has no area; ask the administrator to assign one."))
    job = Job.objects.create(kind=kind, params=params, created_by=actor, area=actor.area)
    job_run(job_id=job.pk)
    job.refresh_from_db()
    return job


# =============================================================================================
# Writing
# =============================================================================================


def commit(
    *,
    spec: Spec,
    actor,
    file_name: str,
    sha256: str,
    rows: int,
    errors: int,
    valid_only: bool,
    write: Callable[[], dict[str, Any]],
    audit_object=None,
) -> dict[str, Any]:
    """Run the importer's ``write`` and audit the import once, in one transaction: all or
    nothing. ``valid_only`` records the user's explicit choice to skip the invalid rows."""
    with transaction.atomic():
        counts = write()
        record(
            audit_object,
            action="import",
            actor=actor,
            source="task" if audit_object is not None else "web",
            area=getattr(actor, "area", None),
            note=file_name,
            data={
                "what": spec.what,
                "file_name": file_name,
                "sha256": sha256,
                "rows": rows,
                "valid_only": valid_only,
                "errors": errors,
                "counts": counts,
            },
        )
    return counts
