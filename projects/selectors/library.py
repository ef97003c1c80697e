"""The library of a year as the bureau reads it (DOMAIN.md §3.5): totals by township, category,
state and finance mode; the PRJ-8 targets with their progress; and the PRJ-6 deadline with what
each township still lacks. Every figure is grouped in the database: a constant number of
queries whatever the size of the library."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import (
    Count,
    DecimalField,
    Exists,
    F,
    Func,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce
from django.http import Http404

from kaiyuan.areas.models import Area
from kaiyuan.common.dates import today
from kaiyuan.policy.services import policy_for
from monitoring.models import Household
from projects.models import (
    Announcement,
    PerformanceIndicator,
    Project,
    ProjectBeneficiary,
    ProjectVillage,
    PublicityRecord,
)
from projects.rules.library import library_deadline_for, target_counts
from projects.selectors.projects import project_rows, township_path, with_beneficiary_counts

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


# =============================================================================================
# What the library page's picker and the exports read
# =============================================================================================


def library_years(user) -> list[int]:
    """The library years of the projects ``user`` may see, newest first."""
    return list(project_rows(user).order_by("-year").values_list("year", flat=True).distinct())


def with_export_parts(rows: QuerySet[Project]) -> QuerySet[Project]:
    """``rows`` with what a line of the published library shows beside the project: its villages
    (with their townships), its performance targets, and its beneficiaries counted (households of
    each kind, and the persons of those households, each household once whatever its roles)."""
    linked = ProjectBeneficiary.objects.filter(
        project_id=OuterRef(OuterRef("pk")), household_id=OuterRef("pk")
    )
    persons = (
        Household.objects.filter(Exists(linked))
        .order_by()
        .annotate(total=Func(F("household_size"), function="SUM"))
        .values("total")
    )
    return (
        with_beneficiary_counts(rows)
        .annotate(beneficiary_persons=Coalesce(Subquery(persons), 0))
        .prefetch_related(
            Prefetch(
                "villages",
                queryset=ProjectVillage.objects.select_related("village__parent").order_by("id"),
            ),
            Prefetch("indicators", queryset=PerformanceIndicator.objects.order_by("id")),
        )
    )


def library_rows(user, year: int, *, admitted_only: bool = False) -> QuerySet[Project]:
    """The projects of ``year``'s library that ``user`` may see, as the export lists them (by
    code); ``admitted_only``: those the county has taken into its library, as it publishes it."""
    rows = project_rows(user).filter(year=year)
    if admitted_only:
        rows = rows.filter(status__in=Project.ADMITTED_STATES)
    return rows.order_by("code")


def announcement_get_for_user(user, pk) -> Announcement:
    """An announcement ``user`` may read: a county user's, or one that lists a project of the
    user's area (a township reads the announcement of its own projects). 404 otherwise, the
    same for a missing one."""
    announcement = Announcement.objects.select_related("area").filter(pk=pk).first()
    if announcement is None:
        raise Http404
    if Announcement.objects.visible_to(user).filter(pk=pk).exists():
        return announcement
    if announcement_rows(user, announcement).exists():
        return announcement
    raise Http404


def announcement_rows(user, announcement: Announcement) -> QuerySet[Project]:
    """The projects an announcement lists that ``user`` may see, by code."""
    listed = PublicityRecord.objects.filter(announcement=announcement, project_id=OuterRef("pk"))
    return project_rows(user).filter(Exists(listed)).order_by("code")


def beneficiary_rows(user, project: Project) -> QuerySet[ProjectBeneficiary]:
    """The beneficiaries of ``project`` whose households ``user`` may see, by village and
    household number (a township reads its own households of a county-wide project)."""
    return (
        ProjectBeneficiary.objects.filter(
            project=project, household__in=Household.objects.visible_to(user)
        )
        .select_related("household__area__parent")
        .order_by("household__area__code", "household__household_number", "role", "id")
    )


def year_announcements(user, year: int) -> QuerySet[Announcement]:
    """The announcements of ``year``'s library that ``user`` may read (see
    ``announcement_get_for_user``), newest first."""
    own = PublicityRecord.objects.filter(
        announcement=OuterRef("pk"), project__in=Project.objects.visible_to(user)
    )
    return (
        Announcement.objects.filter(year=year)
        .filter(Q(pk__in=Announcement.objects.visible_to(user).values("pk")) | Exists(own))
        .order_by("-start_date", "-id")
    )
