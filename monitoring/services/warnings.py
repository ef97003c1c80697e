"""Every write of the department warnings: the upload of a screening list, its matching to
household members, the township's verification, and the daily overdue mark.

People are found only through the keyed blind index of their normalised ID number, never by
name: two people may share a name, and a department's spelling of a name may differ from the
register's. The name on the list is kept only to be shown beside the register's name.
"""

from __future__ import annotations

import datetime
import hashlib
import secrets
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import IO, Any

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import load_workbook
from openpyxl.utils.datetime import from_excel

from kaiyuan.accounts.roles import Department, Role
from kaiyuan.audit import record
from kaiyuan.common import pii
from kaiyuan.common.dates import today as local_today
from kaiyuan.common.errors import ConcurrentUpdate
from kaiyuan.common.idcard import InvalidIdNumber, mask_id_number, parse_id_number
from kaiyuan.common.money import CENT
from kaiyuan.common.scoping import ensure_may_change
from kaiyuan.jobs.services import job_start
from kaiyuan.policy.services import policy_for
from monitoring.exceptions import MonitoringError
from monitoring.models import DeptWarning, Household, Member, MonitoringCase, RiskLead
from monitoring.models.warnings import WarningUpload
from monitoring.services.cases import lead_create
from monitoring.warnings import template

MATCH_JOB = "monitoring_warning_match"
BATCH_SIZE = 1000
HEADER_SEARCH_ROWS = 5
TEXT_LIMIT = 64  # listed_name, warning_type and indicator columns
EARLIEST_YEAR = 2000  # a date before this is a typing or format mistake (serial day numbers)
EXACT_DIGITS = 15  # what Excel keeps of a number: longer ID numbers typed as numbers are damaged

# Who verifies a warning: the township, and the grid worker of the village (DOMAIN.md §2.4.7).
VERIFY_ROLES = frozenset({Role.TOWNSHIP_CLERK, Role.GRID_WORKER})
Result = DeptWarning.Result
VERIFIED_RESULTS = (Result.RISK, Result.NO_RISK, Result.ALREADY_MONITORED)

# "Already monitored" means the household is on the monitoring list with its risk not yet
# eliminated. A household whose risk was eliminated and that is warned again has a new risk:
# it goes back through identification (§2.6 MONITORED_RISK_ELIMINATED → LEAD_RECEIVED).
UNDER_MONITORING = (
    Household.MonitoringStatus.MONITORED,
    Household.MonitoringStatus.ELIMINATION_PENDING,
)


class WarningError(MonitoringError):
    code = "warning_error"


class ListRefused(WarningError):
    """The file cannot be taken as a screening list; nothing was stored."""

    code = "list_refused"


class WarningChanged(ConcurrentUpdate):
    def __init__(self) -> None:
        super().__init__(
            _(
                "This warning has been verified or changed by someone else since you opened it. "
                "Reload the page to see its result."
            )
        )


# =============================================================================================
# Reading a screening list
# =============================================================================================


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


# =============================================================================================
# Upload and matching
# =============================================================================================


def _sha256(uploaded) -> str:
    digest = hashlib.sha256()
    uploaded.seek(0)
    for chunk in uploaded.chunks():
        digest.update(chunk)
    uploaded.seek(0)
    return digest.hexdigest()


def ensure_may_upload(actor) -> None:
    if actor.role != Role.DEPARTMENT or not actor.department:
        raise WarningError(
            _("Only the staff of a sector department upload screening lists."), code="wrong_role"
        )


@transaction.atomic
def warning_upload_create(*, actor, file) -> WarningUpload:
    """Check a department's screening list, store it with its SHA-256 and start the matching job
    (which runs once this transaction commits: in the worker, or at once without Redis).

    Raises:
        ListRefused: the file is not a usable list; nothing was stored.
    """
    ensure_may_upload(actor)
    check_list_file(file)
    sha256 = _sha256(file)
    upload = WarningUpload(
        department=actor.department,
        file_name=file.name[:200],
        sha256=sha256,
        uploaded_by=actor,
    )
    # A neutral stored name: the department's file name may carry personal data.
    upload.file.save(f"{secrets.token_hex(12)}.xlsx", file, save=False)
    upload.save()
    record(
        upload,
        action="upload",
        actor=actor,
        to_state=upload.status,
        data={"file_name": upload.file_name, "sha256": sha256, "size": file.size},
    )
    upload.job = job_start(kind=MATCH_JOB, actor=actor, params={"upload": upload.pk})
    upload.save(update_fields=["job"])
    return upload


@dataclass
class _Tally:
    rows: int = 0
    matched: int = 0
    duplicates: int = 0

    def __post_init__(self) -> None:
        self.errors: list[dict[str, Any]] = []
        self.unmatched: list[dict[str, Any]] = []
        self.seen: set[tuple[str, str, datetime.date]] = set()
        self.verification_days: dict[int, int] = {}  # by year of the warning date

    def deadline_of(self, warned_on: datetime.date) -> datetime.date:
        """The warning date plus the year's verification days (calendar days)."""
        year = warned_on.year
        if year not in self.verification_days:
            self.verification_days[year] = policy_for(year).warning_verification_days
        return warned_on + datetime.timedelta(days=self.verification_days[year])


def warning_upload_match(*, upload: WarningUpload, progress=None, source: str = "task"):
    """Match every row of a stored screening list to a current household member by the blind
    index of its ID number, and create the warnings (in batches, one member lookup per batch).

    Safe to run twice: a list already matched is returned unchanged, and a warning that exists
    already (same department, person, type and date) is never created again.
    """
    upload = WarningUpload.objects.get(pk=upload.pk)
    if upload.status == WarningUpload.Status.DONE:
        return upload
    WarningUpload.objects.filter(pk=upload.pk).update(status=WarningUpload.Status.MATCHING)
    today = local_today()
    tally = _Tally()
    try:
        with upload.file.open("rb") as handle:
            on_size = progress.total if progress is not None else None
            batch: list[ListRow] = []
            for item in read_list(handle, today=today, on_size=on_size):
                tally.rows += 1
                if isinstance(item, RowError):
                    tally.errors.append(item.as_dict())
                    continue
                batch.append(item)
                if len(batch) >= BATCH_SIZE:
                    _match_batch(upload, batch, tally, today)
                    batch = []
                    if progress is not None:
                        progress.step(tally.rows)
            if batch:
                _match_batch(upload, batch, tally, today)
    except (ListRefused, FileNotFoundError) as exc:
        WarningUpload.objects.filter(pk=upload.pk).update(status=WarningUpload.Status.FAILED)
        if isinstance(exc, ListRefused):
            raise
        raise ListRefused(_("The stored list can no longer be read: upload it again.")) from None
    with transaction.atomic():
        upload.rows = tally.rows
        upload.matched = tally.matched
        upload.duplicates = tally.duplicates
        upload.errors = tally.errors
        upload.unmatched = tally.unmatched
        upload.status = WarningUpload.Status.DONE
        upload.save(
            update_fields=["rows", "matched", "duplicates", "errors", "unmatched", "status"]
        )
        record(
            upload,
            action="match",
            actor=upload.uploaded_by,
            from_state=WarningUpload.Status.MATCHING,
            to_state=upload.status,
            source=source,
            data={
                "department": upload.department,
                "rows": tally.rows,
                "matched": tally.matched,
                "duplicates": tally.duplicates,
                "unmatched": len(tally.unmatched),
                "errors": len(tally.errors),
                "sha256": upload.sha256,
            },
        )
    if progress is not None:
        progress.step(tally.rows, force=True)
    return upload


def _match_batch(
    upload: WarningUpload, batch: list[ListRow], tally: _Tally, today: datetime.date
) -> None:
    """One batch: one query for the members, one for the warnings already received, one insert."""
    indexes = {row.row: pii.blind_index(row.id_number) for row in batch}
    wanted = set(indexes.values())
    members = {
        index: (member_id, household_id, area_id)
        for index, member_id, household_id, area_id in Member.objects.filter(
            status=Member.Status.ACTIVE, id_index__in=wanted
        ).values_list("id_index", "id", "household_id", "household__area_id")
    }
    existing = {
        (index, kind, day): upload_id
        for index, kind, day, upload_id in DeptWarning.objects.filter(
            department=upload.department, id_index__in=members.keys()
        ).values_list("id_index", "warning_type", "warned_on", "upload_id")
    }
    new: list[DeptWarning] = []
    for row in batch:
        index = indexes[row.row]
        found = members.get(index)
        if found is None:
            tally.unmatched.append(
                {"row": row.row, "id": mask_id_number(row.id_number), "name": row.name}
            )
            continue
        key = (index, row.warning_type, row.warned_on)
        if key in tally.seen:
            tally.duplicates += 1
            continue
        tally.seen.add(key)
        if key in existing:
            # Created by this very list in an interrupted earlier run: still this list's warning.
            if existing[key] == upload.pk:
                tally.matched += 1
            else:
                tally.duplicates += 1
            continue
        deadline = tally.deadline_of(row.warned_on)
        member_id, household_id, area_id = found
        new.append(
            DeptWarning(
                upload=upload,
                department=upload.department,
                member_id=member_id,
                household_id=household_id,
                area_id=area_id,
                id_index=index,
                listed_name=row.name,
                warning_type=row.warning_type,
                indicator=row.indicator,
                warned_on=row.warned_on,
                deadline=deadline,
                overdue=deadline < today,
            )
        )
    if new:
        # ignore_conflicts: another list of the same department matched at the same moment may
        # have inserted the same warning; the unique constraint keeps one.
        with transaction.atomic():
            DeptWarning.objects.bulk_create(new, ignore_conflicts=True)
        tally.matched += len(new)


# =============================================================================================
# Verification by the township
# =============================================================================================


def _lead_description(warning: DeptWarning) -> str:
    text = f"{Department(warning.department).label}：{warning.warning_type} {warning.indicator}"
    return text.strip()[:300]


def _household_under_monitoring(household: Household) -> bool:
    if household.monitoring_category and household.monitoring_status in UNDER_MONITORING:
        return True
    return MonitoringCase.objects.filter(
        household=household, status__in=MonitoringCase.OPEN_STATES
    ).exists()


@transaction.atomic
def warning_verify(
    *, warning: DeptWarning, actor, result: str, note: str, expected_version: int
) -> DeptWarning:
    """Record the township's verification of a warning: risk (a risk lead is opened for the
    household), no risk (a note says why) or already monitored (only for a household under
    monitoring or with an open case). A second verification of the same version is refused.
    """
    if actor.role not in VERIFY_ROLES:
        raise WarningError(
            _("Only the township and the village's grid worker verify warnings."),
            code="wrong_role",
        )
    if result not in VERIFIED_RESULTS:
        raise WarningError(_("Choose the result of the verification."), field="result")
    note = (note or "").strip()
    household = Household.objects.select_related("area").get(pk=warning.household_id)
    ensure_may_change(actor, household)
    if result == Result.NO_RISK and not note:
        raise WarningError(
            _("Say why there is no risk (what the verification found)."), field="note"
        )
    if result == Result.ALREADY_MONITORED and not _household_under_monitoring(household):
        raise WarningError(
            _(
                "The household is not under monitoring and has no open identification case: "
                "choose “risk confirmed” to open a risk lead, or “no risk”."
            ),
            field="result",
        )
    # Compare-and-swap: the row is written only if nobody verified it since the form was shown.
    changed = DeptWarning.objects.filter(
        pk=warning.pk, version=expected_version, result=Result.PENDING
    ).update(
        result=result,
        note=note[:300],
        verified_by=actor,
        verified_at=timezone.now(),
        version=F("version") + 1,
    )
    if not changed:
        raise WarningChanged
    verified = DeptWarning.objects.select_related("household", "area").get(pk=warning.pk)
    lead: RiskLead | None = None
    if result == Result.RISK:
        lead = lead_create(
            household=household,
            actor=actor,
            source=RiskLead.Source.DEPARTMENT,
            description=_lead_description(verified),
        )
        verified.lead = lead
        verified.save(update_fields=["lead"])
    record(
        verified,
        action="verify",
        actor=actor,
        from_state=Result.PENDING,
        to_state=result,
        note=note,
        data={"lead": lead.pk if lead else None, "department": verified.department},
    )
    return verified


# =============================================================================================
# Overdue mark (daily)
# =============================================================================================


def warnings_mark_overdue(*, today: datetime.date) -> int:
    """Mark the pending warnings whose deadline has passed (one UPDATE); returns how many."""
    count = DeptWarning.objects.filter(
        result=Result.PENDING, overdue=False, deadline__lt=today
    ).update(overdue=True)
    if count:
        record(
            None,
            action="warnings_overdue",
            actor=None,
            source="task",
            data={"count": count, "today": today.isoformat()},
        )
    return count
