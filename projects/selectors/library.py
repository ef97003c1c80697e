"""The library of a year as the bureau reads it (DOMAIN.md §3.5): totals by township, category,
state and finance mode; the PRJ-8 targets with their progress; and the PRJ-6 deadline with what
each township still lacks. Every figure is grouped in the database: a constant number of
queries whatever the size of the library."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, DecimalField, F, Q, QuerySet, Sum, Value
from django.db.models.functions import Coalesce

from kaiyuan.areas.models import Area
from kaiyuan.common.dates import today
from kaiyuan.policy.services import policy_for
from projects.models import Project
from projects.rules.library import library_deadline_for, target_counts
from projects.selectors.projects import project_rows, township_path

Status = Project.Status
ZERO = Value(Decimal("0"), output_field=DecimalField(max_digits=16, decimal_places=2))
# The states a library's proposal still has to pass before the county's announcement.
BEFORE_ANNOUNCEMENT = (
    Status.IDEA,
    Status.PROPOSED,
    Status.VILLAGE_PUBLICITY,
    Status.TOWNSHIP_REVIEW,
    Status.TOWNSHIP_PUBLICITY,
    Status.COUNTY_PUBLICITY,
    Status.SECTOR_REVIEW,
    Status.COUNTY_REVIEW,
    Status.COUNTY_DECIDED,
)


def _totals(rows: QuerySet[Project], key) -> list[dict]:
    linkage = F("central_funds") + F("provincial_funds") + F("city_funds") + F("county_funds")
    return list(
        rows.values(key)
        .annotate(
            projects=Count("pk"),
            investment=Coalesce(Sum("total_investment"), ZERO),
            linkage=Coalesce(Sum(linkage), ZERO),
        )
        .order_by(key)
    )


@dataclass
class LibraryYear:
    year: int
    by_township: list[dict]
    by_category: list[dict]
    by_status: list[dict]
    by_finance_mode: list[dict]
    total: dict
    targets: list[dict]
    deadline: datetime.date | None
    lacking: list[dict] = field(default_factory=list)


def _township_names() -> dict[str, str]:
    names = {area.path: area.name for area in Area.objects.townships()}
    names.update({area.path: area.name for area in Area.objects.filter(level=Area.Level.COUNTY)})
    return names


def library_year(user, year: int) -> LibraryYear:
    """The library of ``year`` as ``user`` may see it."""
    rows = project_rows(user).filter(year=year).order_by()
    names = _township_names()
    by_township = _totals(rows.annotate(township=township_path()), "township")
    for row in by_township:
        row["name"] = names.get(row["township"], row["township"])
    status_labels = dict(Project.Status.choices)
    by_status = _totals(rows, "status")
    for row in by_status:
        row["label"] = status_labels.get(row["status"], row["status"])
    total = rows.aggregate(
        projects=Count("pk"),
        investment=Coalesce(Sum("total_investment"), ZERO),
    )
    policy = policy_for(year)
    return LibraryYear(
        year=year,
        by_township=by_township,
        by_category=_totals(rows, "category"),
        by_status=by_status,
        by_finance_mode=_totals(rows, "finance_mode"),
        total=total,
        targets=target_counts(rows.filter(status__in=Project.ADMITTED_STATES), policy),
        deadline=library_deadline_for(year),
        lacking=deadline_lacking(user, year, names=names),
    )


def deadline_lacking(user, year: int, *, names: dict[str, str] | None = None) -> list[dict]:
    """PRJ-6: per township, the library's proposals still before the county's announcement and
    those already announced or admitted, with the days left to the deadline (negative: late)."""
    deadline = library_deadline_for(year)
    names = names or _township_names()
    rows = (
        project_rows(user)
        .filter(year=year)
        .exclude(status__in=(Status.REJECTED, Status.WITHDRAWN, Status.ROLLED_OVER))
        .annotate(township=township_path())
        .values("township")
        .annotate(
            pending=Count("pk", filter=Q(status__in=BEFORE_ANNOUNCEMENT)),
            done=Count("pk", filter=~Q(status__in=BEFORE_ANNOUNCEMENT)),
        )
        .order_by("township")
    )
    days_left = (deadline - today()).days if deadline else None
    return [
        {
            "township": row["township"],
            "name": names.get(row["township"], row["township"]),
            "pending": row["pending"],
            "done": row["done"],
            "days_left": days_left,
            "late": days_left is not None and days_left < 0 and row["pending"] > 0,
        }
        for row in rows
        if row["pending"]
    ]
