"""Reads behind the bureau's lists: each returns a queryset scoped by the user's area and the
township/village filter, ordered so that a page is one indexed LIMIT query (no COUNT), with the
relations the page and the export show already joined."""

from __future__ import annotations

import datetime
import operator
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import reduce
from typing import Any

from django.db.models import (
    BooleanField,
    Count,
    DecimalField,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.utils.translation import gettext_lazy as _

from kaiyuan.accounts.capabilities import user_can
from kaiyuan.areas.models import Area
from kaiyuan.areas.picker import AreaPick, area_pick
from kaiyuan.common import dates
from kaiyuan.common.api_filters import as_id
from kaiyuan.common.dates import working_days_between
from kaiyuan.common.views import lenient_filterset
from monitoring.codes import HouseholdType, MonitoringCategory
from monitoring.models import CodeItem, Household, IncomeRecord, MonitoringCase, RiskLead
from monitoring.models.households import MONITORED_STATES
from monitoring.rules.incomes import focus_q, threshold_of_income_year
from monitoring.rules.measures import (
    MON_MEAS_1,
    MON_MEAS_2,
    households_missing_development_measure,
    households_missing_safety_net,
)

MONITORED = "monitored"
CASES = "cases"
OVERDUE = "overdue"
FOCUS = "focus"
MEASURES = "measures"
LIST_KEYS = (MONITORED, CASES, OVERDUE, FOCUS, MEASURES)

NOT_ELIMINATED = (
    Household.MonitoringStatus.MONITORED,
    Household.MonitoringStatus.ELIMINATION_PENDING,
)
RISK_FIELDS = ("risk_1", "risk_2", "risk_3", "risk_4", "risk_5")
MEAS_1, MEAS_2 = MON_MEAS_1.id, MON_MEAS_2.id


def may_see_lists(user) -> bool:
    """County readers and township clerks, each with the area their lists are bounded by."""
    return user_can(user, "lists.view") and user.area_id is not None


# =============================================================================================
# Filters
# =============================================================================================


# The township/village picker and the area that bounds the rows (kaiyuan.areas.picker).
AreaFilter = AreaPick


@dataclass(frozen=True)
class ListFilters:
    """A list's filters once checked by its FilterSet (monitoring.filters, the same one the
    API endpoint uses): the picked area and the chosen values."""

    area: AreaPick
    values: dict[str, str]
    choices: dict[str, list[tuple[str, Any]]] = field(default_factory=dict)
    labels: dict[str, Any] = field(default_factory=dict)

    def get(self, name: str) -> str:
        return self.values.get(name, "")

    def as_params(self) -> dict[str, str]:
        """The filters as request parameters (what an export job carries)."""
        return {**self.values, **self.area.params}

    def describe(self) -> dict[str, str]:
        """The filters as the audit trail keeps them: division codes and names, not ids."""
        described = dict(self.values)
        described["area"] = self.area.scope.code
        described["area_name"] = self.area.scope.name
        return described


def area_filter(user, data: Mapping[str, Any]) -> AreaPick:
    """The picker for the ids in ``data`` (ids the user may not see are ignored)."""
    return area_pick(user, as_id(data.get("township") or ""), as_id(data.get("village") or ""))


MONITORED_STATUS_CHOICES = [
    ("active", _("Risk not eliminated")),
    ("eliminated", _("Risk eliminated")),
]
OPEN = "open"
STATE_CHOICES = [(OPEN, _("Open (any step)")), *MonitoringCase.Status.choices]
OVERDUE_CHOICES = [("yes", _("Overdue only"))]
SECTION_CHOICES = [("cases", _("Identification cases")), ("leads", _("Risk leads"))]
LOW_INCOME = "low_income"
INCOME_FELL = "income_fell"
CONDITION_CHOICES = [
    (LOW_INCOME, _("Poverty-exited, income at or below the focus line")),
    (INCOME_FELL, _("Income fell year-on-year")),
]
RULE_CHOICES = [
    (MEAS_1, _("No development-type measure")),
    (MEAS_2, _("No safety-net measure")),
]


def risk_types() -> list[str]:
    return CodeItem.objects.values_of("risk_type")


def list_filters(user, key: str, data: Mapping[str, Any]) -> ListFilters:
    """The filters of list ``key`` from ``data``, checked by the list's FilterSet; on a page
    (and in an export job) a value that does not check is left out."""
    from monitoring.filters import LIST_FILTERSETS  # the FilterSets name this module's choices

    filterset = lenient_filterset(LIST_FILTERSETS[key], data, user=user)
    return filters_of(filterset)


def filters_of(filterset) -> ListFilters:
    """The ListFilters of a validated list FilterSet (the page's or the API endpoint's)."""
    cleaned = filterset.form.cleaned_data
    choices = filterset.choice_options()
    values = {name: str(cleaned[name]) for name in choices if cleaned.get(name)}
    labels = {name: filterset.filters[name].label for name in choices}
    return ListFilters(filterset.pick, values, choices, labels)


def _in_area(queryset: QuerySet, user, scope: Area, lookup: str = "area") -> QuerySet:
    """The rows the user may see, within ``scope``. The scope's prefix filter is left out when
    it is the user's whole area: a second, identical LIKE would only halve the planner's row
    estimate (and so choose worse plans)."""
    queryset = queryset.visible_to(user)
    if scope is None or scope.pk == user.area_id:
        return queryset
    return queryset.filter(**{f"{lookup}__path__startswith": scope.path})


# =============================================================================================
# 1. Monitored households by category and risk type
# =============================================================================================


def _monitored_base(user, filters: ListFilters) -> QuerySet[Household]:
    households = _in_area(Household.objects.current().monitored(), user, filters.area.scope)
    status = filters.get("status")
    if status == "active":
        households = households.filter(monitoring_status__in=NOT_ELIMINATED)
    elif status == "eliminated":
        households = households.filter(monitoring_status=Household.MonitoringStatus.ELIMINATED)
    return households


def monitored_households(user, filters: ListFilters) -> QuerySet[Household]:
    """The monitored households (risk eliminated or not, as the status filter says) of the area,
    by category and risk type (any of the five slots)."""
    households = _monitored_base(user, filters)
    if filters.get("category"):
        households = households.filter(monitoring_category=filters.get("category"))
    risk = filters.get("risk")
    if risk:
        match = Q()
        for name in RISK_FIELDS:
            match |= Q(**{name: risk})
        households = households.filter(match)
    return households.select_related("area", "area__parent").order_by("household_number")


@dataclass(frozen=True)
class Cell:
    households: int = 0
    persons: int = 0
    category: str = ""


@dataclass(frozen=True)
class SummaryRow:
    risk: str
    cells: list[Cell]
    total: Cell


@dataclass(frozen=True)
class Summary:
    categories: list[str]
    rows: list[SummaryRow]
    totals: list[Cell]  # distinct households and persons per category
    total: Cell


def monitored_summary(user, filters: ListFilters, known_risks: list[str]) -> Summary:
    """Households and persons (household size) by category × risk type, a household counted
    once under each risk it has in risk_1..5; and per category, each household once. Two
    queries whatever the number of households. The category and risk filters do not apply
    (the table is the overview they choose from); area and status filters do."""
    base = _monitored_base(user, filters).order_by()
    # Portable ORM (PostgreSQL and the embedded SQLite): the risks present (one UNION query),
    # then per category one row with a count for each risk, a household counted once under a
    # risk whichever of its slots hold it.
    slots = [base.values_list(name, flat=True) for name in RISK_FIELDS]
    risks = sorted(set(slots[0].union(*slots[1:])) - {"", None})
    has = [reduce(operator.or_, (Q(**{name: risk}) for name in RISK_FIELDS)) for risk in risks]
    grouped = base.values("monitoring_category").annotate(
        households=Count("id"),
        persons=Sum("household_size"),
        **{f"h{i}": Count("id", filter=q) for i, q in enumerate(has)},
        **{f"p{i}": Sum("household_size", filter=q) for i, q in enumerate(has)},
    )
    per_category, crosstab = {}, []
    for row in grouped:
        category = row["monitoring_category"]
        per_category[category] = Cell(row["households"], row["persons"] or 0, category)
        crosstab += [
            (category, risk, row[f"h{i}"], row[f"p{i}"] or 0)
            for i, risk in enumerate(risks)
            if row[f"h{i}"]
        ]
    categories = list(MonitoringCategory.values)
    cells: dict[tuple[str, str], Cell] = {
        (category, risk): Cell(households, int(persons), category)
        for category, risk, households, persons in crosstab
    }
    found = {risk for _category, risk in cells}
    order = [risk for risk in known_risks if risk in found] + sorted(found - set(known_risks))
    rows = []
    for risk in order:
        row_cells = [
            cells.get((category, risk), Cell(category=category)) for category in categories
        ]
        rows.append(
            SummaryRow(
                risk,
                row_cells,
                Cell(sum(c.households for c in row_cells), sum(c.persons for c in row_cells)),
            )
        )
    totals = [per_category.get(category, Cell(category=category)) for category in categories]
    total = Cell(
        sum(c.households for c in per_category.values()),
        sum(c.persons for c in per_category.values()),
    )
    return Summary(categories, rows, totals, total)


# =============================================================================================
# 2. Identification and elimination cases
# =============================================================================================


def _with_households(queryset: QuerySet) -> QuerySet:
    """Households are fetched for the page's rows only (a second query by primary key): joined
    in the page query, PostgreSQL would join every case to the 120,000 households before it
    sorts and cuts the page."""
    return queryset.select_related("area", "area__parent").prefetch_related("household")


def case_list(user, filters: ListFilters, today: datetime.date) -> QuerySet[MonitoringCase]:
    """Identification and elimination cases of the area, newest first."""
    cases = _in_area(MonitoringCase.objects.all(), user, filters.area.scope)
    if filters.get("kind"):
        cases = cases.filter(kind=filters.get("kind"))
    state = filters.get("state")
    if state == OPEN:
        cases = cases.filter(status__in=MonitoringCase.OPEN_STATES)
    elif state:
        cases = cases.filter(status=state)
    if filters.get("overdue"):
        cases = cases.filter(status__in=MonitoringCase.OPEN_STATES, deadline__lt=today)
    return _with_households(cases).order_by("-opened_at", "-id")


def case_ages(case: MonitoringCase, today: datetime.date) -> MonitoringCase:
    """Attach the ages the list shows: days since the case was opened and since the application,
    and the working days past the deadline of an open case."""
    opened = dates.local_date(case.opened_at) if case.opened_at else None
    case.days_open = (today - opened).days if opened else None
    case.days_since_application = (
        (today - case.application_date).days if case.application_date else None
    )
    late = case.is_open and case.deadline is not None and case.deadline < today
    case.working_days_over = working_days_between(case.deadline, today) if late else 0
    return case


# =============================================================================================
# 3. Overdue (MON-ID-4) cases and risk leads
# =============================================================================================


def overdue_cases(user, area: AreaFilter, today: datetime.date) -> QuerySet[MonitoringCase]:
    """Open identification cases past their deadline (application + N working days)."""
    return _with_households(
        _in_area(MonitoringCase.objects.all(), user, area.scope)
        .filter(
            kind=MonitoringCase.Kind.IDENTIFICATION,
            status__in=MonitoringCase.OPEN_STATES,
            deadline__lt=today,
        )
        .order_by("deadline", "id")
    )


def overdue_leads(user, area: AreaFilter, today: datetime.date) -> QuerySet[RiskLead]:
    """Open risk leads past their deadline."""
    return _with_households(
        _in_area(RiskLead.objects.all(), user, area.scope)
        .filter(status=RiskLead.Status.OPEN, deadline__lt=today)
        .order_by("deadline", "id")
    )


# =============================================================================================
# 4. Focus list (MON-FOCUS-1)
# =============================================================================================


def focus_households(user, filters: ListFilters) -> QuerySet[Household]:
    """MON-FOCUS-1 (``rules.incomes.focus_q``): poverty-exited households whose latest
    per-capita income is at or below the focus line of its year, or whose latest annual
    per-capita income is below the previous year's. Each row carries ``low_income`` and
    ``income_fell``, and the figures behind them (``focus_threshold``, ``latest_year``,
    ``latest_annual``, ``previous_annual``)."""
    low, fell = focus_q()
    households = _in_area(Household.objects.current(), user, filters.area.scope).annotate(
        focus_threshold=threshold_of_income_year("low_income_focus_threshold")
    )
    condition = filters.get("condition")
    if condition == LOW_INCOME:
        households = households.filter(low)
    elif condition == INCOME_FELL:
        households = households.filter(fell)
    else:
        households = households.filter(low | fell)
    # The figures shown beside each row: correlated subqueries, run for the page's rows only.
    annual = IncomeRecord.objects.filter(
        household=OuterRef("pk"), kind=IncomeRecord.Kind.ANNUAL
    ).order_by("-year")
    money = DecimalField(max_digits=12, decimal_places=2)
    return (
        households.annotate(
            low_income=ExpressionWrapper(low, output_field=BooleanField()),
            latest_year=Subquery(annual.values("year")[:1]),
            latest_annual=Subquery(annual.values("per_capita_net_income")[:1], output_field=money),
        )
        .annotate(
            previous_annual=Subquery(
                IncomeRecord.objects.filter(
                    household=OuterRef("pk"),
                    kind=IncomeRecord.Kind.ANNUAL,
                    year=OuterRef("latest_year") - 1,
                ).values("per_capita_net_income")[:1],
                output_field=money,
            )
        )
        .annotate(
            # The row's own figures say the same as ``fell`` without a second pass over the
            # income records.
            income_fell=ExpressionWrapper(
                Q(previous_annual__gt=F("latest_annual")), output_field=BooleanField()
            ),
        )
        .select_related("area", "area__parent")
        .order_by("household_number")
    )


# =============================================================================================
# 5. Households breaking MON-MEAS-1 / MON-MEAS-2
# =============================================================================================


def measure_breakers(user, filters: ListFilters, today: datetime.date) -> QuerySet[Household]:
    """Households breaking MON-MEAS-1 (monitored, labour, identified N months ago, no
    development-type measure) or MON-MEAS-2 (no member with labour, no 综合保障 measure). Only
    poverty-exited and monitored households are held to MON-MEAS-2: they are the households
    measures are recorded for (MON-ID-5), so only they can put it right.

    MON-MEAS-1 needs a member with labour and MON-MEAS-2 that none has, so a household breaks
    one or the other: each row carries ``breaks_meas_1`` (else it breaks MON-MEAS-2)."""
    this_row = Household.objects.filter(pk=OuterRef("pk"))
    assisted = Q(household_type=HouseholdType.EXITED) | Q(monitoring_status__in=MONITORED_STATES)
    meas_1 = Exists(households_missing_development_measure(this_row, today))
    meas_2 = Exists(households_missing_safety_net(this_row.filter(assisted)))
    households = _in_area(Household.objects.current(), user, filters.area.scope)
    rule = filters.get("rule")
    if rule == MEAS_1:
        households = households.filter(meas_1).annotate(breaks_meas_1=Value(True))
    elif rule == MEAS_2:
        households = households.filter(meas_2).annotate(breaks_meas_1=Value(False))
    else:
        households = households.filter(Q(meas_1) | Q(meas_2)).annotate(breaks_meas_1=meas_1)
    return households.select_related("area", "area__parent").order_by("household_number")


# =============================================================================================
# The index: one count per list
# =============================================================================================


@dataclass(frozen=True)
class ListCounts:
    monitored: int
    open_cases: int
    overdue_cases: int
    overdue_leads: int
    focus: int
    measures: int


def own_area(user) -> AreaPick:
    """The user's whole area, without selects (no query)."""
    fixed = not user.is_county_wide
    return AreaPick(user.area, [], [], None, None, fixed)


def list_counts(user, today: datetime.date) -> ListCounts:
    """The current size of each list in the user's whole area: one query per number (and one
    for the focus thresholds)."""
    area = own_area(user)
    unfiltered = ListFilters(area, {})
    return ListCounts(
        monitored=monitored_households(user, unfiltered).count(),
        open_cases=case_list(user, ListFilters(area, {"state": OPEN}), today).count(),
        overdue_cases=overdue_cases(user, area, today).count(),
        overdue_leads=overdue_leads(user, area, today).count(),
        focus=focus_households(user, unfiltered).count(),
        measures=measure_breakers(user, unfiltered, today).count(),
    )
