"""Every write of the department warnings: the upload of a screening list, its matching to
household members, the township's verification, and the daily overdue mark.

People are found only through the keyed blind index of their normalised ID number, never by
name: two people may share a name, and a department's spelling of a name may differ from the
register's. The name on the list is kept only to be shown beside the register's name.
"""

from __future__ import annotations

import datetime
import secrets
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kaiyuan.accounts.capabilities import user_can
from kaiyuan.accounts.roles import Department
from kaiyuan.audit import record
from kaiyuan.common import pii
from kaiyuan.common.dates import today as local_today
from kaiyuan.common.errors import ConcurrentUpdate
from kaiyuan.common.idcard import mask_id_number
from kaiyuan.common.imports import file_sha256
from kaiyuan.common.imports.bulk import RowMaker, copy_rows
from kaiyuan.common.scoping import ensure_may_change
from kaiyuan.common.workflow import StepChanged
from kaiyuan.jobs.services import job_start
from kaiyuan.policy.services import policy_for
from monitoring.exceptions import ListRefused, WarningError
from monitoring.imports.warnings import MATCH_JOB, ListRow, RowError, check_list_file, read_list
from monitoring.models import DeptWarning, Household, Member, MonitoringCase, RiskLead
from monitoring.models.warnings import UPLOAD_WORKFLOW, WARNING_WORKFLOW, WarningUpload
from monitoring.services.cases import lead_create

BATCH_SIZE = 5000  # rows per round of lookups (two queries) and per COPY
# The columns a matched row fills, in this order; the others keep the model's defaults.
NEW_WARNING = RowMaker(
    DeptWarning,
    [
        "upload_id",
        "department",
        "member_id",
        "household_id",
        "area_id",
        "id_index",
        "listed_name",
        "warning_type",
        "indicator",
        "warned_on",
        "deadline",
        "overdue",
    ],
)

Result = DeptWarning.Result
VERIFIED_RESULTS = (Result.RISK, Result.NO_RISK, Result.ALREADY_MONITORED)

# "Already monitored" means the household is on the monitoring list with its risk not yet
# eliminated. A household whose risk was eliminated and that is warned again has a new risk:
# it goes back through identification (§2.6 MONITORED_RISK_ELIMINATED → LEAD_RECEIVED).
UNDER_MONITORING = (
    Household.MonitoringStatus.MONITORED,
    Household.MonitoringStatus.ELIMINATION_PENDING,
)


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


# =============================================================================================
# Upload and matching
# =============================================================================================


def ensure_may_upload(actor) -> None:
    if not user_can(actor, "warnings.upload") or not actor.department:
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
    sha256 = file_sha256(file)
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


def warning_upload_match(*, upload: WarningUpload, progress=None):
    """Match every row of a stored screening list to a current household member by the blind
    index of its ID number, and create the warnings (in batches, one member lookup per batch).

    Safe to run twice: a list already matched is returned unchanged, and a warning that exists
    already (same department, person, type and date) is never created again.
    """
    with transaction.atomic():
        upload = UPLOAD_WORKFLOW.lock(WarningUpload.objects.all(), upload.pk)
        if upload.status == WarningUpload.Status.DONE:
            return upload
        UPLOAD_WORKFLOW.transition(
            upload, action="start_matching", actor=None, to=WarningUpload.Status.MATCHING
        )
    today = local_today()
    tally = _Tally()
    rows: list[ListRow] = []
    # Every row is read and judged before anything is written; the warnings, the list's counts
    # and the audit row are then written in one transaction.
    try:
        with upload.file.open("rb") as handle:
            on_size = progress.total if progress is not None else None
            for item in read_list(handle, today=today, on_size=on_size):
                tally.rows += 1
                if isinstance(item, RowError):
                    tally.errors.append(item.as_dict())
                else:
                    rows.append(item)
                if progress is not None and tally.rows % BATCH_SIZE == 0:
                    progress.step(tally.rows)
    except (ListRefused, FileNotFoundError) as exc:
        with transaction.atomic():
            failed = UPLOAD_WORKFLOW.lock(WarningUpload.objects.all(), upload.pk)
            UPLOAD_WORKFLOW.transition(
                failed,
                action="matching_failed",
                actor=None,
                to=WarningUpload.Status.FAILED,
                reason=str(exc)[:300],
            )
        if isinstance(exc, ListRefused):
            raise
        raise ListRefused(_("The stored list can no longer be read: upload it again.")) from None
    with transaction.atomic():
        for start in range(0, len(rows), BATCH_SIZE):
            _match_batch(upload, rows[start : start + BATCH_SIZE], tally, today)
        upload.rows = tally.rows
        upload.matched = tally.matched
        upload.duplicates = tally.duplicates
        upload.errors = tally.errors
        upload.unmatched = tally.unmatched
        upload.status = WarningUpload.Status.MATCHING  # as locked above; the workflow moves it
        UPLOAD_WORKFLOW.transition(
            upload,
            action="match",
            actor=None,
            to=WarningUpload.Status.DONE,
            fields=("rows", "matched", "duplicates", "errors", "unmatched"),
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
            status=Member.Status.ACTIVE, id_index__any_of=list(wanted)
        ).values_list("id_index", "id", "household_id", "household__area_id")
    }
    existing = {
        (index, kind, day): upload_id
        for index, kind, day, upload_id in DeptWarning.objects.filter(
            department=upload.department, id_index__any_of=list(members)
        ).values_list("id_index", "warning_type", "warned_on", "upload_id")
    }
    new: list[list] = []
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
            NEW_WARNING(
                upload.pk,
                upload.department,
                member_id,
                household_id,
                area_id,
                index,
                row.name,
                row.warning_type,
                row.indicator,
                row.warned_on,
                deadline,
                deadline < today,
            )
        )
    if new:
        # ignore_conflicts: another list of the same department matched at the same moment may
        # have inserted the same warning; the unique constraint keeps one. COPY rather than
        # bulk_create: preparing every value through the ORM was a fifth of the matching.
        copy_rows(DeptWarning, NEW_WARNING.attnames, new, ignore_conflicts=True)
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
    if not user_can(actor, "warnings.verify"):
        raise WarningError(
            _("Only the township and the village's grid worker verify warnings."),
            code="wrong_role",
        )
    WARNING_WORKFLOW.ensure_may_take(warning, "verify", actor)
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
    try:
        verified = WARNING_WORKFLOW.lock(
            DeptWarning.objects.select_related("household", "area"),
            warning.pk,
            expected_state=Result.PENDING,
            expected_version=expected_version,
            action="verify",
        )
    except StepChanged:
        raise WarningChanged from None
    verified.note, verified.verified_by, verified.verified_at = note[:300], actor, timezone.now()
    lead: RiskLead | None = None
    if result == Result.RISK:
        lead = lead_create(
            household=household,
            actor=actor,
            source=RiskLead.Source.DEPARTMENT,
            description=_lead_description(verified),
        )
        verified.lead = lead
    return WARNING_WORKFLOW.transition(
        verified,
        action="verify",
        actor=actor,
        to=result,
        reason=note,
        data={"lead": lead.pk if lead else None, "department": verified.department},
        fields=("note", "verified_by", "verified_at", "lead"),
    )


# =============================================================================================
# Overdue mark (daily)
# =============================================================================================


def warnings_mark_overdue(*, today: datetime.date) -> int:
    """Mark the pending warnings whose deadline has passed, as the system, each with its audit
    event; returns how many."""
    return WARNING_WORKFLOW.flag_many(
        DeptWarning.objects.filter(result=Result.PENDING, deadline__lt=today),
        action="mark_overdue",
        changes={"overdue": True},
        unchanged={"overdue": False},
    )
