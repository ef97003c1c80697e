"""Reads of the visit pages: a household's standing, the visitor's month list, coverage by
village and grid, the overdue list (the obligation itself is ``monitoring.rules.visits``)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db.models import (
    Count,
    DateField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from kaiyuan.areas.models import Area
from kaiyuan.common import dates
from kaiyuan.common.scoping import user_may_write
from kaiyuan.inbox.registry import Entry, Source
from monitoring.models import Household, Visit
from monitoring.rules.visits import (
    Obligation,
    VisitStatus,
    _visit_count,
    month_obligation,
    obligation_for,
    quarter_obligation,
    visit_level_of,
    with_status,
)

# Short names of the problems the four 三保障/water answers can show (True = problem).
PROBLEM_LABELS = {
    "child_out_of_school": _("Child out of school"),
    "housing_unsafe": _("Housing unsafe"),
    "member_uninsured": _("Member without basic medical insurance"),
    "water_unsafe": _("Drinking water unsafe"),
}


def visit_problems(visit: Visit) -> list[str]:
    """The problems a visit found, by their short names."""
    return [str(label) for name, label in PROBLEM_LABELS.items() if getattr(visit, name)]


def with_last_visit(households: QuerySet[Household], level: str) -> QuerySet[Household]:
    """The date of each household's latest visit of ``level`` (``last_visit``)."""
    latest = (
        Visit.objects.filter(household=OuterRef("pk"), level=level)
        .order_by("-visited_on")
        .values("visited_on")[:1]
    )
    return households.annotate(last_visit=Subquery(latest))


@dataclass(frozen=True)
class HouseholdVisitStatus:
    month: Obligation
    month_status: int
    month_done: int
    quarter: Obligation
    quarter_status: int
    quarter_done: int

    @property
    def month_label(self) -> str:
        return VisitStatus.label(self.month_status)

    @property
    def quarter_label(self) -> str:
        return VisitStatus.label(self.quarter_status)

    @property
    def month_colour(self) -> str:
        return VisitStatus.COLOURS[self.month_status]

    @property
    def quarter_colour(self) -> str:
        return VisitStatus.COLOURS[self.quarter_status]


def household_visit_status(
    household: Household, *, today: datetime.date | None = None
) -> HouseholdVisitStatus:
    """One household's standing this month (village level) and this quarter (township level),
    computed by the same expressions as the lists."""
    today = today or dates.today()
    month, quarter = month_obligation(today), quarter_obligation(today)
    households = Household.objects.filter(pk=household.pk)
    households = with_status(households, month, name="month_status", today=today)
    households = with_status(households, quarter, name="quarter_status", today=today)
    row = (
        households.annotate(
            month_done=_visit_count(month.level, month.period),
            quarter_done=_visit_count(quarter.level, quarter.period),
        )
        .values("month_status", "month_done", "quarter_status", "quarter_done")
        .get()
    )
    return HouseholdVisitStatus(month=month, quarter=quarter, **row)


def households_to_visit(*, user, obligation: Obligation) -> QuerySet[Household]:
    """The households in ``user``'s area that must be visited (the scope is a setting of the
    period's year)."""
    return Household.objects.visible_to(user).current().in_visit_scope(obligation.policy)


def visit_month_list(
    *,
    user,
    day: datetime.date,
    village: Area | None = None,
    today: datetime.date | None = None,
) -> tuple[QuerySet[Household], Obligation]:
    """The households a visitor must visit in the period of ``day``, with ``visit_status`` and
    ``last_visit``, overdue first.

    A grid worker gets the households of the grids they work (village level, the month of
    ``day``); a township clerk the households of their township, or of ``village`` (township
    level, the quarter of ``day``)."""
    level = visit_level_of(user)
    obligation = obligation_for(level, day)
    households = households_to_visit(user=user, obligation=obligation)
    if level == Visit.Level.VILLAGE:
        households = households.filter(grid__worker=user)
    if village is not None:
        households = households.filter(area=village)
    households = with_status(households, obligation, name="visit_status", today=today)
    households = with_last_visit(households, level).select_related("area", "grid")
    return households.order_by("visit_status", "area__code", "household_number"), obligation


def status_counts(households: QuerySet[Household], name: str = "visit_status") -> dict[int, int]:
    """How many of ``households`` have each status (one grouped query)."""
    counts = {VisitStatus.OVERDUE: 0, VisitStatus.DUE: 0, VisitStatus.VISITED: 0}
    for row in households.order_by().values(name).annotate(n=Count("pk")):
        counts[row[name]] = row["n"]
    return counts


@dataclass
class CoverageRow:
    """One line of a coverage table: a township, a village, or a grid of a village."""

    area_id: int
    area_name: str
    grid_id: int | None = None
    grid_name: str = ""
    visited: int = 0
    due: int = 0
    overdue: int = 0

    @property
    def in_scope(self) -> int:
        return self.visited + self.due + self.overdue

    @property
    def percent(self) -> int | None:
        """Visited share in whole percent, rounded down (so 100 means everybody)."""
        if not self.in_scope:
            return None
        return self.visited * 100 // self.in_scope

    def add(self, status: int, n: int) -> None:
        if status == VisitStatus.VISITED:
            self.visited += n
        elif status == VisitStatus.DUE:
            self.due += n
        else:
            self.overdue += n


@dataclass
class Coverage:
    area: Area
    month: Obligation
    quarter: Obligation
    by_township: bool
    # The annotated in-scope households the figures count (for the overdue list).
    households: QuerySet[Household]
    month_rows: list[CoverageRow] = field(default_factory=list)
    quarter_rows: list[CoverageRow] = field(default_factory=list)
    month_total: CoverageRow | None = None
    quarter_total: CoverageRow | None = None
    overdue_households: int = 0


def coverage_households(
    *, user, area: Area, day: datetime.date, today: datetime.date | None = None
) -> tuple[QuerySet[Household], Obligation, Obligation]:
    """The in-scope households of ``area`` that ``user`` may see, with ``month_status`` (village
    level, the month of ``day``) and ``quarter_status`` (township level, its quarter)."""
    month, quarter = month_obligation(day), quarter_obligation(day)
    households = households_to_visit(user=user, obligation=month)
    households = households.filter(area__path__startswith=area.path)
    households = with_status(households, month, name="month_status", today=today)
    households = with_status(households, quarter, name="quarter_status", today=today)
    return households, month, quarter


def visit_coverage(
    *, user, area: Area, day: datetime.date, today: datetime.date | None = None
) -> Coverage:
    """Visit coverage of ``area`` in one grouped query: village-level coverage of the month by
    village and grid, township-level coverage of the quarter by village, and the number of
    households overdue at either level. For the whole county the rows are townships."""
    by_township = area.level == Area.Level.COUNTY
    households, month, quarter = coverage_households(user=user, area=area, day=day, today=today)
    if by_township:
        keys = ("area__parent_id", "area__parent__name", "area__parent__code")
    else:
        keys = ("area_id", "area__name", "area__code", "grid_id", "grid__name")
    grouped = (
        households.order_by()
        .values(*keys, "month_status", "quarter_status")
        .annotate(n=Count("pk"))
    )
    coverage = Coverage(
        area=area,
        month=month,
        quarter=quarter,
        by_township=by_township,
        households=households,
    )
    grouped = list(grouped)
    month_rows: dict[tuple, CoverageRow] = {}
    quarter_rows: dict[int, CoverageRow] = {}
    month_total = CoverageRow(area.pk, area.name)
    quarter_total = CoverageRow(area.pk, area.name)
    sort_codes: dict[int, str] = {}
    for row in grouped:
        if by_township:
            area_id, area_name, code = (
                row["area__parent_id"],
                row["area__parent__name"],
                row["area__parent__code"],
            )
            grid_id, grid_name = None, ""
        else:
            area_id, area_name, code = row["area_id"], row["area__name"], row["area__code"]
            grid_id, grid_name = row["grid_id"], row["grid__name"] or ""
        sort_codes[area_id] = code
        n = row["n"]
        month_row = month_rows.setdefault(
            (area_id, grid_id), CoverageRow(area_id, area_name, grid_id, grid_name)
        )
        month_row.add(row["month_status"], n)
        quarter_rows.setdefault(area_id, CoverageRow(area_id, area_name)).add(
            row["quarter_status"], n
        )
        month_total.add(row["month_status"], n)
        quarter_total.add(row["quarter_status"], n)
        if VisitStatus.OVERDUE in (row["month_status"], row["quarter_status"]):
            coverage.overdue_households += n
    coverage.month_rows = sorted(
        month_rows.values(),
        key=lambda r: (sort_codes[r.area_id], r.grid_id is None, r.grid_name),
    )
    coverage.quarter_rows = sorted(quarter_rows.values(), key=lambda r: sort_codes[r.area_id])
    coverage.month_total = month_total
    coverage.quarter_total = quarter_total
    return coverage


def overdue_households(households: QuerySet[Household]) -> QuerySet[Household]:
    """Of households annotated by ``coverage_households``, those overdue at either level."""
    return (
        households.filter(
            Q(month_status=VisitStatus.OVERDUE) | Q(quarter_status=VisitStatus.OVERDUE)
        )
        .select_related("area", "grid")
        .order_by("area__code", "grid__name", "household_number")
    )


# ---- the 待办 inbox ----------------------------------------------------------------------------


def households_to_visit_now(user) -> QuerySet[Household]:
    """The households ``user`` must still visit in the current period (MON-VISIT-1 for a grid
    worker's grids this month, MON-VISIT-2 for a clerk's township this quarter), overdue first,
    with the period's first and last day and the previous period's (``period_start`` …)."""
    today = dates.today()
    households, obligation = visit_month_list(user=user, day=today, today=today)
    return households.exclude(visit_status=VisitStatus.VISITED).annotate(
        period_start=Value(obligation.period.start, output_field=DateField()),
        period_end=Value(obligation.period.end, output_field=DateField()),
        previous_start=Value(obligation.previous.start, output_field=DateField()),
        previous_end=Value(obligation.previous.end, output_field=DateField()),
    )


def visit_inbox_entry(household: Household) -> Entry:
    """Overdue: the previous period went without the visits, so its end is the deadline passed;
    due: the end of this period."""
    overdue = household.visit_status == VisitStatus.OVERDUE
    where = household.grid.name if household.grid_id else household.area.name
    return Entry(
        subject=str(household),
        url=reverse("monitoring:visit_record", args=[household.pk]),
        since=household.previous_start if overdue else household.period_start,
        deadline=household.previous_end if overdue else household.period_end,
        detail=f"{VisitStatus.label(household.visit_status)} · {household.area.name} · {where}",
    )


def households_overdue_for_visits(user) -> QuerySet[Household]:
    """The households of the user's area overdue at either level (the coverage page's overdue
    list), for leaders and auditors to follow."""
    if user.area is None:
        return Household.objects.none()
    today = dates.today()
    households, _month, _quarter = coverage_households(
        user=user, area=user.area, day=today, today=today
    )
    return overdue_households(households)


def overdue_visit_inbox_entry(household: Household) -> Entry:
    late = [
        str(label)
        for status, label in (
            (household.month_status, _("village level, this month")),
            (household.quarter_status, _("township level, this quarter")),
        )
        if status == VisitStatus.OVERDUE
    ]
    return Entry(
        subject=str(household),
        url=reverse("monitoring:household_visits", args=[household.pk]),
        detail=f"{household.area.name} · {'、'.join(late)}",
    )


INBOX_SOURCES = (
    Source(
        "visits.month",
        _("Households to visit this month"),
        "visits.record_village",
        households_to_visit_now,
        visit_inbox_entry,
    ),
    Source(
        "visits.quarter",
        _("Households to visit this quarter (township level)"),
        "visits.record_township",
        households_to_visit_now,
        visit_inbox_entry,
    ),
    Source(
        "visits.overdue",
        _("Households overdue for visits (to follow)"),
        "visits.coverage",
        households_overdue_for_visits,
        overdue_visit_inbox_entry,
        watch=True,
        applies=lambda user: not user_may_write(user),
    ),
)
