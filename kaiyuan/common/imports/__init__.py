"""The import pipeline every app's ``imports/`` is built on (docs/architecture.md, "Imports").

An importer describes its file with a ``Spec`` (a ``Layout`` of expected headers with aliases
and which are required, the advice its refusals give, the sheet and how formulas are taken) and
then goes through the same steps:

- ``precheck(uploaded, spec)`` in the request: name, size, a real .xlsx, the unpacked size and
  compression ratio of its members, the sheets' declared dimensions and row counts, all from the
  zip's XML before anything parses it; ``background`` says whether the file is large enough to
  be parsed only in the worker. A small file's header and first row are checked here too.
- ``start_job(kind=…, actor=…, params=…, background=…)``: the job (kaiyuan.jobs) that parses,
  validates and writes, with progress; in the request for small files, in the worker otherwise.
- ``inspect(path, spec)`` then ``open_sheet(path, facts, spec)`` and ``SheetReading(sheet, spec)``
  in the job: the header (``find_header``, within ``HEADER_SEARCH_ROWS``, merged header cells
  understood) and every data ``Row`` once, as plain values.
- ``cells``: ID and phone numbers as text, dates, Decimal money, yes/no, code tables; a
  ``CellError`` with a Chinese message for each bad cell, collected in ``Problems``.
- ``write_marked_copy``: the file back with the bad cells red and commented.
- ``commit(spec=…, write=…, valid_only=…)``: the write and its audit row in one transaction.
"""

from kaiyuan.common.imports import bulk, cells
from kaiyuan.common.imports.errors import ImportRefused
from kaiyuan.common.imports.guard import ArchiveFacts, SheetFacts, check_upload, inspect_archive
from kaiyuan.common.imports.header import (
    HEADER_SEARCH_ROWS,
    Column,
    Header,
    Layout,
    find_header,
    normalise_header,
)
from kaiyuan.common.imports.limits import Limits
from kaiyuan.common.imports.marked import ERROR_HEADER, write_marked_copy
from kaiyuan.common.imports.pipeline import (
    NoProgress,
    Precheck,
    SheetReading,
    Spec,
    commit,
    file_sha256,
    inspect,
    open_sheet,
    precheck,
    start_job,
    store_upload,
)
from kaiyuan.common.imports.problems import LISTED_PROBLEMS, Problem, Problems
from kaiyuan.common.imports.reader import FORMULAS_AS_VALUES, FORMULAS_REFUSED, Row, Sheet

__all__ = [
    "ERROR_HEADER",
    "FORMULAS_AS_VALUES",
    "FORMULAS_REFUSED",
    "HEADER_SEARCH_ROWS",
    "LISTED_PROBLEMS",
    "ArchiveFacts",
    "Column",
    "Header",
    "ImportRefused",
    "Layout",
    "Limits",
    "NoProgress",
    "Precheck",
    "Problem",
    "Problems",
    "Row",
    "Sheet",
    "SheetFacts",
    "SheetReading",
    "Spec",
    "bulk",
    "cells",
    "check_upload",
    "commit",
    "file_sha256",
    "find_header",
    "inspect",
    "inspect_archive",
    "normalise_header",
    "open_sheet",
    "precheck",
    "start_job",
    "store_upload",
    "write_marked_copy",
]
