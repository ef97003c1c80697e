"""The employment count against the target (EMP-1, EMP-2, EMP-3, EMP-6) for an area and a
month, its breakdowns by township, batch, place and job type, and the year's months: the figures
of the count page, the 月调度/季通报 tables, the API and the dashboard. Each figure is a COUNT of
distinct persons in the database, so a person with two jobs counts once in the total and once
under each kind of job they had; "without" leaves categories out to see what they add."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Count

from employment.models import EmploymentRecord
from employment.rules.counts import (
    CountPeriod,
    count_period,
    counted_q,
    population_q,
    target_met,
)
from kaiyuan.areas.models import Area
from kaiyuan.policy.services import policies_for, policy_for
from monitoring.codes import HAS_LABOUR
from monitoring.models import Member

DIMENSIONS = {
    "township": "member__household__area__parent",
    "batch": "batch",
    "place_category": "place_category",
    "job_type": "job_type",
}


@dataclass
class EmploymentCount:
    period: CountPeriod
    total: int
    target: int
    by: dict[str, dict] = field(default_factory=dict)
    without: dict[str, list[str]] = field(default_factory=dict)

    @property
    def met(self) -> bool:
        return self.total >= self.target

    @property
    def short_by(self) -> int:
        return max(self.target - self.total, 0)


def counted_records(area: Area, year: int, month: int, *, policy=None, without=None):
    """The records that count in the month (scoped to ``area``), less those of the categories in
    ``without`` ({"job_type": ["灵活就业"], ...})."""
    policy = policy or policy_for(year)
    period = count_period(year, month, policy.employment_count_basis)
    rows = EmploymentRecord.objects.filter(
        counted_q(policy, period), member__household__area__path__startswith=area.path
    )
    for dimension, values in (without or {}).items():
        if values:
            rows = rows.exclude(**{f"{DIMENSIONS[dimension]}__in": values})
    return rows, period, policy


def persons(rows) -> int:
    return rows.aggregate(n=Count("member", distinct=True))["n"]


def employment_count(
    area: Area, year: int, month: int, *, policy=None, without=None, breakdown=True
) -> EmploymentCount:
    rows, period, policy = counted_records(area, year, month, policy=policy, without=without)
    result = EmploymentCount(
        period=period,
        total=persons(rows),
        target=policy.employment_target,
        without={k: list(v) for k, v in (without or {}).items() if v},
    )
    if breakdown:
        for dimension, path in DIMENSIONS.items():
            grouped = (
                rows.order_by()
                .values(path)
                .annotate(n=Count("member", distinct=True))
                .values_list(path, "n")
            )
            result.by[dimension] = dict(grouped)
    return result


def _area_rows(area: Area, without=None):
    """The records of ``area`` less the categories in ``without``, before any period: the base
    of the queries that count several months at once."""
    rows = EmploymentRecord.objects.filter(member__household__area__path__startswith=area.path)
    for dimension, values in (without or {}).items():
        if values:
            rows = rows.exclude(**{f"{DIMENSIONS[dimension]}__in": values})
    return rows


def _persons_in(policy, period: CountPeriod) -> Count:
    return Count("member", distinct=True, filter=counted_q(policy, period))


def monthly_series(area: Area, year: int, last_month: int, *, policy=None, without=None):
    """The total of each month from January to ``last_month``: [(month, count, met)], in one
    query (a distinct count per month)."""
    policy = policy or policy_for(year)
    months = range(1, last_month + 1)
    if not months:
        return []
    basis = policy.employment_count_basis
    aggregates = {
        f"m{month}": _persons_in(policy, count_period(year, month, basis)) for month in months
    }
    totals = _area_rows(area, without).filter(year=year).aggregate(**aggregates)
    series = []
    for month in months:
        total = totals[f"m{month}"]
        series.append((month, total, target_met(total, policy)))
    return series


def township_counts(area: Area, months, *, without=None) -> dict[tuple[int, int], dict[int, int]]:
    """The persons counted in each township of ``area`` at each of ``months`` ([(year, month)],
    years may differ: each month counts on its own year's settings), in one grouped query:
    {(year, month): {township id: persons}}. A person lives in one township, so a month's
    townships add up to its total."""
    months = list(dict.fromkeys(months))
    if not months:
        return {}
    policies = policies_for({year for year, _month in months})
    township = DIMENSIONS["township"]

    def key(year, month):
        return f"y{year}m{month}"

    aggregates = {
        key(year, month): _persons_in(
            policies[year],
            count_period(year, month, policies[year].employment_count_basis),
        )
        for year, month in months
    }
    grouped = (
        _area_rows(area, without)
        .filter(year__in=sorted(policies))
        .order_by()
        .values(township)
        .annotate(**aggregates)
    )
    result: dict[tuple[int, int], dict[int, int]] = {month: {} for month in months}
    for row in grouped:
        for year, month in months:
            if row[key(year, month)]:
                result[(year, month)][row[township]] = row[key(year, month)]
    return result


def township_breakdown(
    area: Area, year: int, month: int, dimension: str, *, policy=None, without=None
) -> dict[tuple[int, str], int]:
    """The persons counted in the month by township and by the categories of ``dimension``
    (batch, place_category, job_type), in one grouped query: {(township id, value): persons}.
    A person with jobs of two kinds counts under each."""
    rows, _period, _policy = counted_records(area, year, month, policy=policy, without=without)
    township, path = DIMENSIONS["township"], DIMENSIONS[dimension]
    grouped = (
        rows.order_by()
        .values(township, path)
        .annotate(n=Count("member", distinct=True))
        .values_list(township, path, "n")
    )
    return {(township_id, value): n for township_id, value, n in grouped}


def labour_by_township(area: Area) -> dict[int, int]:
    """The labour force of ``labour.labour_force`` (the active members with labour ability of
    the 脱贫 and monitored households, as the registry stands) per township of ``area``, in one
    grouped query."""
    grouped = (
        Member.objects.active()
        .filter(
            population_q("household__"),
            labour_skill__in=HAS_LABOUR,
            household__area__path__startswith=area.path,
        )
        .order_by()
        .values("household__area__parent")
        .annotate(n=Count("id"))
        .values_list("household__area__parent", "n")
    )
    return dict(grouped)


def townships_of(area: Area) -> list[Area]:
    """The townships of ``area`` in code order (the township itself for a township, its own for
    a village): the rows of the 月调度 and 季通报 tables."""
    if area.level == Area.Level.TOWNSHIP:
        return [area]
    if area.level == Area.Level.VILLAGE:
        return list(Area.objects.filter(pk=area.parent_id))
    return list(Area.objects.townships().filter(path__startswith=area.path).order_by("code"))


def township_names(ids) -> dict[int, str]:
    return dict(Area.objects.filter(pk__in=[i for i in ids if i]).values_list("pk", "name"))
