"""Visit obligations (MON-VISIT-1/2, PLAN §四(一)1: 乡镇每季、村组每月走访摸排): which households
must be visited, and whether each one is visited, due or overdue in a calendar month (village
level) or a calendar quarter (township level).

The rule is written once, as a SQL expression (``_status_expression``, applied by
``with_month_status`` / ``with_quarter_status``), so that the month list, the coverage counts, the
overdue list and the status shown for a single household all come from the same code and from one
query per page, whatever the number of households. Each household's status is one correlated
sub-query: a range scan of the index (household, level, -visited_on) of ``Visit``.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db.models import (
    Case,
    Count,
    Func,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.lookups import GreaterThanOrEqual, LessThan
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kaiyuan.accounts.roles import Role
from kaiyuan.areas.models import Area
from kaiyuan.common import dates
from kaiyuan.common.dates import Period
from kaiyuan.policy.models import PolicySettings
from kaiyuan.policy.services import policy_for
from monitoring.models import Household, Visit

# The level of the visits each role records; no other role visits (DOMAIN.md §7).
VISIT_LEVEL_OF_ROLE = {
    Role.GRID_WORKER: Visit.Level.VILLAGE,
    Role.TOWNSHIP_CLERK: Visit.Level.TOWNSHIP,
}


class VisitStatus:
    """A household's standing for one period. The numbers sort the lists: overdue first."""

    OVERDUE = 0
    DUE = 1
    VISITED = 2

    LABELS = {OVERDUE: _("Overdue"), DUE: _("Due"), VISITED: _("Visited")}
    # Bootstrap colours of the badges.
    COLOURS = {OVERDUE: "danger", DUE: "warning", VISITED: "success"}
    # URL values of the status filter.
    KEYS = {"overdue": OVERDUE, "due": DUE, "visited": VISITED}

    @classmethod
    def label(cls, value: int) -> str:
        return str(cls.LABELS[value])


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


@dataclass(frozen=True)
class Obligation:
    """What one level must do in one period, from the policy of the period's year (whose
    ``visit_scope`` also says which households must be visited)."""

    level: str
    period: Period
    previous: Period
    required: int
    previous_required: int
    policy: PolicySettings

    @property
    def is_month(self) -> bool:
        return self.level == Visit.Level.VILLAGE

    @property
    def label(self) -> str:
        """The period as people say it: "2024年5月", "2024年第2季度"."""
        start = self.period.start
        if self.is_month:
            return _("%(year)s-%(month)s") % {"year": start.year, "month": start.month}
        return _("Q%(quarter)s %(year)s") % {"year": start.year, "quarter": (start.month + 2) // 3}

    @property
    def requirement(self) -> str:
        if self.is_month:
            return _("Each household needs %(n)s village-level visit(s) a month.") % {
                "n": self.required
            }
        return _("Each household needs %(n)s township-level visit(s) a quarter.") % {
            "n": self.required
        }


def _required(policy: PolicySettings, level: str) -> int:
    if level == Visit.Level.VILLAGE:
        return policy.village_visits_per_month
    return policy.township_visits_per_quarter


def _obligation(level: str, period: Period, previous: Period) -> Obligation:
    policy = policy_for(period.start.year)
    previous_policy = (
        policy if previous.start.year == period.start.year else policy_for(previous.start.year)
    )
    return Obligation(
        level=level,
        period=period,
        previous=previous,
        required=_required(policy, level),
        previous_required=_required(previous_policy, level),
        policy=policy,
    )


def month_obligation(day: datetime.date) -> Obligation:
    """MON-VISIT-1: village-level visits in the calendar month of ``day``."""
    period = dates.month_of(day)
    previous = dates.month_of(period.start - datetime.timedelta(days=1))
    return _obligation(Visit.Level.VILLAGE, period, previous)


def quarter_obligation(day: datetime.date) -> Obligation:
    """MON-VISIT-2: township-level visits in the calendar quarter of ``day``."""
    period = dates.quarter_of(day)
    previous = dates.quarter_of(period.start - datetime.timedelta(days=1))
    return _obligation(Visit.Level.TOWNSHIP, period, previous)


def obligation_for(level: str, day: datetime.date) -> Obligation:
    return month_obligation(day) if level == Visit.Level.VILLAGE else quarter_obligation(day)


# ---- the rule --------------------------------------------------------------------------------


class _CountWhere(Func):
    """``COUNT(*) FILTER (WHERE condition)`` in the correlated sub-query of one household's visits.
    It is an aggregate for SQL but not for Django (``contains_aggregate = False``), so the
    sub-query gets no GROUP BY and always returns exactly one row, with 0 for no visits."""

    template = "COUNT(*) FILTER (WHERE %(expressions)s)"
    contains_aggregate = False
    output_field = IntegerField()


class _CountAll(Func):
    """``COUNT(*)``, likewise without a GROUP BY."""

    template = "COUNT(*)"
    contains_aggregate = False
    output_field = IntegerField()


def _start_of_day_after(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(
        datetime.datetime.combine(day + datetime.timedelta(days=1), datetime.time.min)
    )


def _status_expression(
    obligation: Obligation, *, done: Func, done_before: Func, created_at, today: datetime.date
) -> Case:
    """THE rule of MON-VISIT-1/2. Visited when the period has the required visits; otherwise
    overdue if the period has ended, or if the household already lacked them in the previous
    period; otherwise due.

    A household whose record was created after the previous period ended cannot have missed that
    period (otherwise every household imported on the first day of the platform would start
    overdue)."""
    visited = GreaterThanOrEqual(done, Value(obligation.required))
    if obligation.period.end < today:
        return Case(
            When(visited, then=Value(VisitStatus.VISITED)),
            default=Value(VisitStatus.OVERDUE),
            output_field=IntegerField(),
        )
    missed_before = Q(LessThan(done_before, Value(obligation.previous_required))) & Q(
        LessThan(created_at, Value(_start_of_day_after(obligation.previous.end)))
    )
    return Case(
        When(visited, then=Value(VisitStatus.VISITED)),
        When(missed_before, then=Value(VisitStatus.OVERDUE)),
        default=Value(VisitStatus.DUE),
        output_field=IntegerField(),
    )


def _status_subquery(obligation: Obligation, today: datetime.date) -> Subquery:
    """The status of the outer household, computed from its visits of the obligation's level in
    the period and the one before: one range scan of the index (household, level, -visited_on)
    per household."""
    period = obligation.period
    first_day = period.start if period.end < today else obligation.previous.start
    visits = Visit.objects.filter(
        household=OuterRef("pk"),
        level=obligation.level,
        visited_on__gte=first_day,
        visited_on__lte=period.end,
    ).order_by()
    status = _status_expression(
        obligation,
        done=_CountWhere(Q(visited_on__gte=period.start)),
        done_before=_CountWhere(Q(visited_on__lt=period.start)),
        created_at=OuterRef("created_at"),
        today=today,
    )
    return Subquery(visits.annotate(status=status).values("status"), output_field=IntegerField())


def _visit_count(level: str, period: Period) -> Subquery:
    """How many visits of ``level`` the outer household had in ``period``."""
    visits = Visit.objects.filter(
        household=OuterRef("pk"),
        level=level,
        visited_on__gte=period.start,
        visited_on__lte=period.end,
    ).order_by()
    return Subquery(
        visits.annotate(n=_CountAll()).values("n"),
        output_field=IntegerField(),
    )


def with_status(
    households: QuerySet[Household],
    obligation: Obligation,
    *,
    name: str,
    today: datetime.date | None = None,
) -> QuerySet[Household]:
    """Annotate ``households`` with their status for ``obligation`` (``<name>``, a
    ``VisitStatus`` number)."""
    today = today or dates.today()
    return households.annotate(**{name: _status_subquery(obligation, today)})


def with_month_status(
    households: QuerySet[Household],
    *,
    day: datetime.date,
    today: datetime.date | None = None,
    name: str = "month_status",
) -> QuerySet[Household]:
    """MON-VISIT-1: each household's village-level status in the month of ``day``."""
    return with_status(households, month_obligation(day), name=name, today=today)


def with_quarter_status(
    households: QuerySet[Household],
    *,
    day: datetime.date,
    today: datetime.date | None = None,
    name: str = "quarter_status",
) -> QuerySet[Household]:
    """MON-VISIT-2: each household's township-level status in the quarter of ``day``."""
    return with_status(households, quarter_obligation(day), name=name, today=today)


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


# ---- selectors of the pages -------------------------------------------------------------------


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
    level = VISIT_LEVEL_OF_ROLE[user.role]
    obligation = obligation_for(level, day)
    households = households_to_visit(user=user, obligation=obligation)
    if user.role == Role.GRID_WORKER:
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


# ---- coverage ---------------------------------------------------------------------------------


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
