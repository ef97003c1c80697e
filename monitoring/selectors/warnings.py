"""Reads of the department warnings for the pages: the township's list to verify, the bureau's
handling list, a department's own lists. Every one starts from ``visible_to`` and joins what its
page shows, so that a page costs the same number of queries whatever its length."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from kaiyuan.accounts.capabilities import user_can
from kaiyuan.accounts.roles import Department
from kaiyuan.areas.models import Area
from kaiyuan.common import dates
from kaiyuan.common.scoping import get_for_user
from kaiyuan.inbox.registry import Entry, Source
from monitoring.models import DeptWarning, WarningUpload

Result = DeptWarning.Result
PENDING = Q(result=Result.PENDING)


def _overdue(today: datetime.date, prefix: str = "") -> Q:
    """Pending and past the deadline (the daily mark may not have run yet today)."""
    return Q(**{f"{prefix}result": Result.PENDING, f"{prefix}deadline__lt": today})


def warning_get_for_user(user, pk: int, *, write: bool = False) -> DeptWarning:
    """One warning the user's area contains; 404 for another area's and for a missing one."""
    queryset = DeptWarning.objects.select_related(
        "area__parent", "member", "household", "verified_by", "lead", "upload"
    )
    return get_for_user(queryset, user, write=write, pk=pk)


def warning_upload_get_for_user(user, pk: int) -> WarningUpload:
    """One list: its own department's, or any for county readers; 404 otherwise."""
    return get_for_user(WarningUpload.objects.select_related("uploaded_by", "job"), user, pk=pk)


# ---- township and village --------------------------------------------------------------------


def warning_township_list(*, user, verified: bool = False) -> QuerySet[DeptWarning]:
    """The warnings of the user's area: those to verify by deadline (the earliest first), or the
    verified ones, the latest first."""
    queryset = DeptWarning.objects.visible_to(user).select_related(
        "area__parent", "member", "household", "verified_by"
    )
    if verified:
        return queryset.exclude(PENDING).order_by("-verified_at", "-id")
    return queryset.filter(PENDING).order_by("deadline", "id")


def warning_area_counts(*, user, today: datetime.date) -> dict[str, int]:
    counts = DeptWarning.objects.visible_to(user).aggregate(
        pending=Count("id", filter=PENDING),
        overdue=Count("id", filter=_overdue(today)),
        verified=Count("id", filter=~PENDING),
    )
    return {key: value or 0 for key, value in counts.items()}


# ---- county ----------------------------------------------------------------------------------


@dataclass
class TownshipRow:
    township: Area
    pushed: int = 0
    verified: int = 0
    pending: int = 0
    overdue: int = 0


def warning_township_counts(
    *, user, today: datetime.date, department: str = ""
) -> tuple[list[TownshipRow], TownshipRow]:
    """Per township: warnings pushed, verified, pending and overdue (two queries), and the total.
    Townships without warnings are listed with zeros."""
    townships = list(Area.objects.visible_to(user).townships().order_by("code"))
    warnings = DeptWarning.objects.visible_to(user)
    if department:
        warnings = warnings.filter(department=department)
    counted = {
        row["area__parent_id"]: row
        for row in warnings.values("area__parent_id").annotate(
            pushed=Count("id"),
            verified=Count("id", filter=~PENDING),
            pending=Count("id", filter=PENDING),
            overdue=Count("id", filter=_overdue(today)),
        )
    }
    rows = []
    total = TownshipRow(township=None)  # type: ignore[arg-type]
    for township in townships:
        found = counted.get(township.pk, {})
        row = TownshipRow(
            township=township,
            pushed=found.get("pushed", 0),
            verified=found.get("verified", 0),
            pending=found.get("pending", 0),
            overdue=found.get("overdue", 0),
        )
        rows.append(row)
        total.pushed += row.pushed
        total.verified += row.verified
        total.pending += row.pending
        total.overdue += row.overdue
    return rows, total


def warning_overdue_list(
    *, user, today: datetime.date, township: Area | None = None, department: str = ""
) -> QuerySet[DeptWarning]:
    """Pending warnings past their deadline, the longest overdue first."""
    queryset = (
        DeptWarning.objects.visible_to(user)
        .filter(_overdue(today))
        .select_related("area__parent", "member", "household")
        .order_by("deadline", "id")
    )
    if township is not None:
        queryset = queryset.filter(area__path__startswith=township.path)
    if department:
        queryset = queryset.filter(department=department)
    return queryset


# ---- department ------------------------------------------------------------------------------


def _result_counts(prefix: str, today: datetime.date) -> dict:
    return {
        "pending_count": Count(f"{prefix}id", filter=Q(**{f"{prefix}result": Result.PENDING})),
        "risk_count": Count(f"{prefix}id", filter=Q(**{f"{prefix}result": Result.RISK})),
        "no_risk_count": Count(f"{prefix}id", filter=Q(**{f"{prefix}result": Result.NO_RISK})),
        "monitored_count": Count(
            f"{prefix}id", filter=Q(**{f"{prefix}result": Result.ALREADY_MONITORED})
        ),
        "overdue_count": Count(f"{prefix}id", filter=_overdue(today, prefix)),
    }


def warning_upload_list(*, user, today: datetime.date) -> QuerySet[WarningUpload]:
    """The lists the user may see (a department its own), each with the results of the warnings
    it pushed, counted in the same query."""
    return (
        WarningUpload.objects.visible_to(user)
        .select_related("uploaded_by")
        .annotate(**_result_counts("warnings__", today))
        .order_by("-uploaded_at", "-id")
    )


def warning_department_totals(*, department: str, today: datetime.date) -> dict[str, int]:
    """The results of every warning a department has pushed (one query)."""
    counts = DeptWarning.objects.filter(department=department).aggregate(
        total=Count("id"), **_result_counts("", today)
    )
    return {key: value or 0 for key, value in counts.items()}


def warning_upload_warnings(*, upload: WarningUpload) -> QuerySet[DeptWarning]:
    """The warnings a list pushed, for its department: the person as listed, where the warning
    went and what the township found (no other household data)."""
    return DeptWarning.objects.filter(upload=upload).select_related("area__parent").order_by("id")


def warning_upload_results(*, upload: WarningUpload) -> dict[str, int]:
    """What the townships found for the warnings a list pushed (one query)."""
    counts = DeptWarning.objects.filter(upload=upload).aggregate(
        pending=Count("id", filter=PENDING),
        risk=Count("id", filter=Q(result=Result.RISK)),
        no_risk=Count("id", filter=Q(result=Result.NO_RISK)),
        monitored=Count("id", filter=Q(result=Result.ALREADY_MONITORED)),
    )
    return {key: value or 0 for key, value in counts.items()}


def department_choices() -> list[tuple[str, str]]:
    return [(department.value, department.label) for department in Department]


# ---- the 待办 inbox ----------------------------------------------------------------------------


def warnings_to_verify(user) -> QuerySet[DeptWarning]:
    """The warnings of the user's township or village still to verify, by deadline."""
    return warning_township_list(user=user).select_related("upload")


def warning_inbox_entry(warning: DeptWarning) -> Entry:
    return Entry(
        subject=str(warning.household),
        url=reverse("monitoring:warning_verify", args=[warning.pk]),
        since=warning.upload.uploaded_at,
        deadline=warning.deadline,
        detail=(
            f"{warning.get_department_display()} · {warning.warning_type} · "
            f"{warning.member.name} · {warning.area.name}"
        ),
    )


def warnings_overdue(user) -> QuerySet[DeptWarning]:
    """Warnings still not verified past their deadline: across the townships for the county's
    readers, a department's own for its staff (``visible_to`` keeps to the sector)."""
    return warning_overdue_list(user=user, today=dates.today()).select_related("upload")


def overdue_warning_inbox_entry(warning: DeptWarning) -> Entry:
    township = warning.area.parent.name if warning.area.parent_id else ""
    return Entry(
        subject=f"{warning.listed_name} · {warning.warning_type}",
        url=reverse("monitoring:warning_upload_detail", args=[warning.upload_id]),
        since=warning.upload.uploaded_at,
        deadline=warning.deadline,
        detail=f"{warning.get_department_display()} · {township}{warning.area.name}",
    )


INBOX_SOURCES = (
    Source(
        "warnings.verify",
        _("Department warnings to verify"),
        "warnings.verify",
        warnings_to_verify,
        warning_inbox_entry,
    ),
    Source(
        "warnings.overdue",
        _("Department warnings overdue for verification (to follow)"),
        "monitoring.use",
        warnings_overdue,
        overdue_warning_inbox_entry,
        watch=True,
        applies=lambda user: user_can(user, "warnings.follow") or user_can(user, "warnings.upload"),
    ),
)
