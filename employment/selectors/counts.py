"""The employment count against the target (EMP-1, EMP-2, EMP-3, EMP-6) for an area and a
month, its breakdowns by township, batch, place and job type, and the year's months: the figures
of the count page, the 月调度/季通报 tables, the API and the dashboard. Each figure is a COUNT of
distinct persons in the database, so a person with two jobs counts once in the total and once
under each kind of job they had; "without" leaves categories out to see what they add."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Count

from employment.models import EmploymentRecord
from employment.rules.counts import CountPeriod, count_period, counted_q, target_met
from kaiyuan.areas.models import Area
from kaiyuan.policy.services import policy_for

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


def monthly_series(area: Area, year: int, last_month: int, *, policy=None, without=None):
    """The total of each month from January to ``last_month``: [(month, count, met)]."""
    policy = policy or policy_for(year)
    series = []
    for month in range(1, last_month + 1):
        rows, _period, _policy = counted_records(area, year, month, policy=policy, without=without)
        total = persons(rows)
        series.append((month, total, target_met(total, policy)))
    return series


def township_names(ids) -> dict[int, str]:
    return dict(Area.objects.filter(pk__in=[i for i in ids if i]).values_list("pk", "name"))
