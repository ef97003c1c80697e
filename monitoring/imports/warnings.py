"""A department's screening list coming in: the file's checks, the reading of its rows, and the
matching as a background job (kaiyuan.jobs): every list, small or large, goes the same way, so
that the result page, the progress bar and the audit are the same."""

from __future__ import annotations

import datetime
import hashlib
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import IO, Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.utils import translation
from django.utils.translation import gettext as _
from openpyxl import load_workbook
from openpyxl.utils.datetime import from_excel

from kaiyuan.common.idcard import InvalidIdNumber, mask_id_number, parse_id_number
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
            content = template.build_feedback(upload.errors, upload.unmatched)
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


HEADER_SEARCH_ROWS = 5


TEXT_LIMIT = 64  # listed_name, warning_type and indicator columns


EARLIEST_YEAR = 2000  # a date before this is a typing or format mistake (serial day numbers)


EXACT_DIGITS = 15  # what Excel keeps of a number: longer ID numbers typed as numbers are damaged


@dataclass(frozen=True)
class ListRow:
    row: int  # the Excel row number, for messages
    id_number: str  # normalised, 18 characters
    name: str
    warning_type: str
    indicator: str
    warned_on: datetime.date


@dataclass(frozen=True)
class RowError:
    row: int
    id_masked: str
    name: str
    reason: str

    def as_dict(self) -> dict[str, Any]:
        return {"row": self.row, "id": self.id_masked, "name": self.name, "reason": self.reason}


def _is_blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _open_sheet(source: IO[bytes]):
    """(workbook, sheet) read-only: the sheet named 筛查名单, else the first one."""
    not_xlsx = _(
        "This file is not a real Excel workbook (.xlsx): it may be an .xls, .csv or text file "
        "that was renamed. Open it in Excel or WPS and save it as “Excel 工作簿 (.xlsx)”."
    )
    if not zipfile.is_zipfile(source):
        raise ListRefused(not_xlsx)
    source.seek(0)
    try:
        workbook = load_workbook(source, read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds of errors for damaged or foreign zips
        raise ListRefused(not_xlsx) from None
    if not workbook.worksheets:
        workbook.close()
        raise ListRefused(_("The workbook has no worksheet."))
    if template.LIST_SHEET in workbook.sheetnames:
        return workbook, workbook[template.LIST_SHEET]
    return workbook, workbook.worksheets[0]


def _find_columns(sheet) -> tuple[int, dict[str, int]]:
    """(header row, {header: 0-based column}) of the list: the row among the first few with the
    most of the five headers. Refuses a sheet without them all, naming the missing ones."""
    best: tuple[int, int, dict[str, int]] | None = None  # (headers found, row, columns)
    filled = False
    for number, values in enumerate(
        sheet.iter_rows(max_row=HEADER_SEARCH_ROWS, values_only=True), start=1
    ):
        cells = [_text(value) for value in values]
        filled = filled or any(cells)
        columns: dict[str, int] = {}
        for index, cell in enumerate(cells):
            if cell in template.HEADERS and cell not in columns:
                columns[cell] = index
        if columns and (best is None or len(columns) > best[0]):
            best = (len(columns), number, columns)
    if not filled:
        raise ListRefused(_("The list is empty: it has no headers and no rows."))
    if best is None:
        raise ListRefused(
            _(
                "The list's first row must hold the headers %(names)s. Download the template of "
                "your department and keep its headers."
            )
            % {"names": "、".join(template.HEADERS)}
        )
    _count, number, columns = best
    missing = [header for header in template.HEADERS if header not in columns]
    if missing:
        raise ListRefused(
            _(
                "The list lacks the columns %(names)s. Download the template of your department "
                "and keep its headers."
            )
            % {"names": "、".join(missing)}
        )
    return number, columns


def _parse_id(value: object) -> str:
    if isinstance(value, int | float) and not isinstance(value, bool):
        digits = _text(value)
        if len(digits) > EXACT_DIGITS:
            raise InvalidIdNumber(
                _(
                    "The ID number was stored as a number, so Excel has lost its last digits. "
                    "Format the column as text and type the number again."
                )
            )
        value = digits
    return parse_id_number(_text(value)).number


def _parse_date(value: object) -> datetime.date:
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        text = _text(value)
        if len(text) == 8:  # 20240506 typed as a number
            value = text
        else:  # a date cell without a date format: Excel's serial day number
            try:
                return from_excel(value).date()
            except (ValueError, OverflowError, TypeError):
                value = text
    text = _text(value)
    for pattern in ("%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y%m%d", "%Y年%m月%d日"):
        try:
            return datetime.datetime.strptime(text, pattern).date()  # noqa: DTZ007  (a date)
        except ValueError:
            continue
    raise ValueError(text)


def _indicator(value: object) -> str:
    if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
        if isinstance(value, int) or (isinstance(value, float) and value.is_integer()):
            return str(int(value))
        try:
            return str(Decimal(str(value)).quantize(CENT))
        except InvalidOperation:
            return _text(value)
    return _text(value)


def _parse_row(
    number: int, values: tuple, columns: dict[str, int], today: datetime.date
) -> ListRow | RowError:
    def cell(header: str) -> object:
        index = columns[header]
        return values[index] if index < len(values) else None

    raw_id = cell(template.ID_HEADER)
    name = _text(cell(template.NAME_HEADER))
    id_number = ""

    def refuse(reason: str) -> RowError:
        masked = mask_id_number(id_number or _text(raw_id).upper())
        return RowError(row=number, id_masked=masked, name=name[:TEXT_LIMIT], reason=reason)

    try:
        id_number = _parse_id(raw_id)
    except InvalidIdNumber as exc:
        return refuse(exc.message)
    warning_type = _text(cell(template.TYPE_HEADER))
    if not warning_type:
        return refuse(_("The warning type is empty."))
    indicator = _indicator(cell(template.INDICATOR_HEADER))
    for header, text in (
        (template.NAME_HEADER, name),
        (template.TYPE_HEADER, warning_type),
        (template.INDICATOR_HEADER, indicator),
    ):
        if len(text) > TEXT_LIMIT:
            return refuse(
                _("%(column)s is longer than %(n)s characters.")
                % {"column": header, "n": TEXT_LIMIT}
            )
    raw_date = cell(template.DATE_HEADER)
    if _is_blank(raw_date):
        return refuse(_("The warning date is empty."))
    try:
        warned_on = _parse_date(raw_date)
    except ValueError:
        return refuse(
            _("The warning date “%(value)s” is not a date; write it as 2024-05-06.")
            % {"value": _text(raw_date)}
        )
    if warned_on > today:
        return refuse(
            _("The warning date %(date)s is in the future.") % {"date": warned_on.isoformat()}
        )
    if warned_on.year < EARLIEST_YEAR:
        return refuse(
            _("The warning date %(date)s is too early to be a screening date.")
            % {"date": warned_on.isoformat()}
        )
    return ListRow(
        row=number,
        id_number=id_number,
        name=name,
        warning_type=warning_type,
        indicator=indicator,
        warned_on=warned_on,
    )


def read_list(
    source: IO[bytes], *, today: datetime.date, on_size: Callable[[int], None] | None = None
) -> Iterator[ListRow | RowError]:
    """Every non-blank data row of a screening list, parsed, in file order (streamed).
    ``on_size`` is told the number of rows the sheet declares, before the first row."""
    workbook, sheet = _open_sheet(source)
    try:
        header_row, columns = _find_columns(sheet)
        # Opened once: a sheet without a declared size is parsed whole just to be opened.
        if on_size is not None and sheet.max_row:
            on_size(max(0, sheet.max_row - header_row))
        for number, values in enumerate(
            sheet.iter_rows(min_row=header_row + 1, values_only=True), start=header_row + 1
        ):
            if all(_is_blank(value) for value in values):
                continue
            yield _parse_row(number, values, columns, today)
    finally:
        workbook.close()


def check_list_file(uploaded) -> None:
    """The refusals made while the user waits, before anything is stored: an .xlsx within the
    size limit, with the five headers and at least one row."""
    limit = settings.MAX_UPLOAD_MB
    if not uploaded.name.lower().endswith(".xlsx"):
        raise ListRefused(
            _(
                "Only Excel workbooks (.xlsx) can be uploaded. Open the file in Excel or WPS and "
                "save it as “Excel 工作簿 (.xlsx)”."
            )
        )
    if uploaded.size == 0:
        raise ListRefused(_("The file is empty."))
    if uploaded.size > limit * 1024 * 1024:
        raise ListRefused(
            _("The file is larger than %(limit)s MB. Split the list into several files.")
            % {"limit": limit}
        )
    workbook, sheet = _open_sheet(uploaded)
    try:
        header_row, _columns = _find_columns(sheet)
        has_rows = any(
            not all(_is_blank(value) for value in values)
            for values in sheet.iter_rows(min_row=header_row + 1, values_only=True)
        )
    finally:
        workbook.close()
        uploaded.seek(0)
    if not has_rows:
        raise ListRefused(_("The list has headers but no rows: there is nothing to push."))


def _sha256(uploaded) -> str:
    digest = hashlib.sha256()
    uploaded.seek(0)
    for chunk in uploaded.chunks():
        digest.update(chunk)
    uploaded.seek(0)
    return digest.hexdigest()
