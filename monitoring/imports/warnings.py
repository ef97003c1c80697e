"""A department's screening list coming in, on the import pipeline (kaiyuan.common.imports): the
same pre-parse checks, header detection and cell parsing as every import, the reading of its
rows, and the matching as a background job (kaiyuan.jobs): every list, small or large, goes the
same way, so that the result page, the progress bar and the audit are the same."""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import IO, Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kaiyuan.common.idcard import mask_id_number
from kaiyuan.common.imports import (
    FORMULAS_AS_VALUES,
    Column,
    Header,
    ImportRefused,
    Layout,
    Row,
    SheetReading,
    Spec,
    cells,
    inspect,
    open_sheet,
    precheck,
)
from kaiyuan.common.money import CENT
from kaiyuan.jobs.registry import register
from monitoring.exceptions import ListRefused
from monitoring.exports import warnings as template
from monitoring.models import (
    WarningUpload,
)

MATCH_JOB = "monitoring_warning_match"


@register(MATCH_JOB)
def run_warning_match(job, progress) -> None:
    from monitoring.services.warnings import warning_upload_match  # the service reads lists here

    with translation.override(settings.LANGUAGE_CODE):
        upload = WarningUpload.objects.filter(pk=job.params.get("upload")).first()
        if upload is None:
            raise ListRefused(_("The screening list no longer exists."))
        upload = warning_upload_match(upload=upload, progress=progress)
        job.result = {
            "upload": upload.pk,
            "rows": upload.rows,
            "matched": upload.matched,
            "duplicates": upload.duplicates,
            "unmatched": len(upload.unmatched),
            "errors": len(upload.errors),
        }
        job.message = summary(upload)
        if upload.errors or upload.unmatched:
            content = template.build_feedback(
                upload.errors, upload.unmatched, file_name=upload.file_name
            )
            job.result_name = template.feedback_file_name(upload.file_name)
            job.result_file.save(f"warning-feedback-{upload.pk}.xlsx", ContentFile(content), False)
    job.progress = upload.rows


def summary(upload: WarningUpload) -> str:
    return _(
        "%(rows)s rows: %(matched)s warnings pushed to the townships, %(duplicates)s already "
        "received before, %(unmatched)s not found in the county, %(errors)s with errors."
    ) % {
        "rows": upload.rows,
        "matched": upload.matched,
        "duplicates": upload.duplicates,
        "unmatched": len(upload.unmatched),
        "errors": len(upload.errors),
    }


TEXT_LIMIT = 64  # listed_name, warning_type and indicator columns
EARLIEST = datetime.date(2000, 1, 1)  # before this a date is a typing or format mistake

SPEC = Spec(
    what="monitoring_warnings",
    layout=Layout([Column(header, required=True) for header in template.HEADERS]),
    split_advice=gettext_lazy("Split the list into several files and upload each on its own."),
    header_advice=gettext_lazy("Download the template of your department and keep its headers."),
    no_rows_message=gettext_lazy("The list has headers but no rows: there is nothing to push."),
    sheet_name=template.LIST_SHEET,
    # A department's list may compute a column; what Excel shows is what it reports.
    formulas=FORMULAS_AS_VALUES,
)


@dataclass(frozen=True, slots=True)
class ListRow:
    row: int  # the Excel row number, for messages
    id_number: str  # normalised, 18 characters
    name: str
    warning_type: str
    indicator: str
    warned_on: datetime.date


@dataclass(frozen=True, slots=True)
class RowError:
    row: int
    id_masked: str
    name: str
    reason: str

    def as_dict(self) -> dict[str, Any]:
        return {"row": self.row, "id": self.id_masked, "name": self.name, "reason": self.reason}


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _indicator(value: object) -> str:
    if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
        if isinstance(value, int) or (isinstance(value, float) and value.is_integer()):
            return str(int(value))
        try:
            return str(Decimal(str(value)).quantize(CENT))
        except InvalidOperation:
            return _text(value)
    return _text(value)


class _Columns:
    """Where the five headers are in the sheet (0-based)."""

    def __init__(self, header: Header) -> None:
        index = {item.header: position for position, item in header.columns}
        self.id = index[template.ID_HEADER]
        self.name = index[template.NAME_HEADER]
        self.type = index[template.TYPE_HEADER]
        self.indicator = index[template.INDICATOR_HEADER]
        self.date = index[template.DATE_HEADER]


def _parse_row(row: Row, columns: _Columns, today: datetime.date) -> ListRow | RowError:
    values = row.values
    size = len(values)

    def cell(index: int) -> object:
        return values[index] if index < size else None

    raw_id = cell(columns.id)
    name = _text(cell(columns.name))

    def refuse(reason: str, id_number: str = "") -> RowError:
        shown = id_number or _text(raw_id).upper()
        return RowError(
            row=row.number, id_masked=mask_id_number(shown), name=name[:TEXT_LIMIT], reason=reason
        )

    try:
        id_number = cells.id_number(raw_id, required=True).number
    except cells.CellError as exc:
        return refuse(exc.message)
    warning_type = _text(cell(columns.type))
    if not warning_type:
        return refuse(_("The warning type is empty."), id_number)
    indicator = _indicator(cell(columns.indicator))
    for header, text in (
        (template.NAME_HEADER, name),
        (template.TYPE_HEADER, warning_type),
        (template.INDICATOR_HEADER, indicator),
    ):
        if len(text) > TEXT_LIMIT:
            return refuse(
                _("%(column)s is longer than %(n)s characters.")
                % {"column": header, "n": TEXT_LIMIT},
                id_number,
            )
    raw_date = cell(columns.date)
    if cells.is_blank(raw_date):
        return refuse(_("The warning date is empty."), id_number)
    try:
        warned_on = cells.date(raw_date, today=today, earliest=EARLIEST)
    except cells.CellError as exc:
        return refuse(exc.message, id_number)
    return ListRow(
        row=row.number,
        id_number=id_number,
        name=name,
        warning_type=warning_type,
        indicator=indicator,
        warned_on=warned_on,
    )


def read_list(
    source: IO[bytes], *, today: datetime.date, on_size: Callable[[int], None] | None = None
) -> Iterator[ListRow | RowError]:
    """Every non-blank data row of a screening list, parsed, in file order (streamed, one read
    of the file). ``on_size`` is told the number of rows the sheet's XML holds, before the
    first row is parsed."""
    try:
        facts = inspect(source, SPEC)
        with open_sheet(source, facts, SPEC) as sheet:
            reading = SheetReading(sheet, SPEC)
            if on_size is not None:
                on_size(reading.estimated_rows)
            columns = _Columns(reading.header)
            for row in reading.data():
                yield _parse_row(row, columns, today)
    except ImportRefused as exc:
        raise ListRefused(exc.message) from None


def check_list_file(uploaded) -> None:
    """The refusals made while the user waits, before anything is stored: an .xlsx within every
    size limit (checked before it is parsed) and, when it is small enough to be opened here,
    the five headers and at least one row. A large list is parsed only by the matching job."""
    try:
        precheck(uploaded, SPEC)
    except ImportRefused as exc:
        raise ListRefused(exc.message) from None
