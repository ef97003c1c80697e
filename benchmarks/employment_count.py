"""The county's employment count (EMP-1, EMP-2, EMP-3) on the records of the county (the demo's,
or those ``benchmarks.employment_jobs`` makes):

- a month's count with its breakdowns by township, batch, place and job type
  (``employment.selectors.counts.employment_count``, the count page's and the dispatch report's
  figures), and
- the year's twelve monthly totals (``monthly_series``, the dashboard's line),

each against one hand-written SQL ``COUNT(DISTINCT member_id)`` of the same month over the same
joins and conditions, same run; the two totals must agree.
"""

from __future__ import annotations

from django.db import connection

from benchmarks.employment_jobs import count_month, ensure_jobs
from benchmarks.harness import Result, interleaved_medians
from employment.rules.counts import count_period, counted_job_types
from employment.selectors.counts import employment_count, monthly_series
from kaiyuan.areas.models import Area
from kaiyuan.policy.services import policy_for
from monitoring.codes import HouseholdType
from monitoring.models.households import MONITORED_STATES

# Written by hand from DOMAIN.md §6.5 (EMP-1 population, EMP-2 overlap, EMP-3 months, the year's
# job types), not from the selector's queryset.
COUNT_SQL = """
SELECT COUNT(DISTINCT r.member_id)
  FROM employment_employmentrecord r
  JOIN monitoring_member m ON m.id = r.member_id
  JOIN monitoring_household h ON h.id = m.household_id
  JOIN areas_area a ON a.id = h.area_id
 WHERE r.year = %(year)s
   AND r.start_date <= %(last)s
   AND (r.end_date IS NULL OR r.end_date >= %(first)s)
   AND r.months_worked >= %(min_months)s
   AND r.job_type = ANY(%(job_types)s)
   AND h.merged_into_id IS NULL
   AND (h.household_type = %(exited)s
        OR (h.monitoring_status = ANY(%(monitored)s) AND h.monitoring_category <> ''))
   AND (m.status = 'active' OR m.removed_on >= %(first)s)
   AND a.path LIKE %(path)s
"""


def _sql_count(county: Area, year: int, month: int) -> int:
    policy = policy_for(year)
    period = count_period(year, month, policy.employment_count_basis)
    params = {
        "year": year,
        "first": period.first,
        "last": period.last,
        "min_months": policy.employment_min_months,
        "job_types": list(counted_job_types(policy)),
        "exited": HouseholdType.EXITED.value,
        "monitored": list(MONITORED_STATES),
        "path": f"{county.path}%",
    }
    sql = COUNT_SQL
    if connection.vendor != "postgresql":  # SQLite has no arrays: spell the lists out
        for name in ("job_types", "monitored"):
            values = params.pop(name)
            keys = [f"{name}{i}" for i in range(len(values))]
            params.update(dict(zip(keys, values, strict=True)))
            sql = sql.replace(
                f"= ANY(%({name})s)", "IN (" + ", ".join(f"%({k})s" for k in keys) + ")"
            )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchone()[0]


def run(households: int) -> list[Result]:
    records = ensure_jobs()
    county = Area.objects.home_county()
    year, month = count_month()
    total = employment_count(county, year, month).total
    baseline_total = _sql_count(county, year, month)
    assert total == baseline_total, (total, baseline_total)
    repeat = 5

    def month_count() -> None:
        employment_count(county, year, month)

    def series() -> None:
        monthly_series(county, year, 12)

    def baseline() -> None:
        _sql_count(county, year, month)

    counted, plain = interleaved_medians(month_count, baseline, repeat=repeat)
    yearly, plain_again = interleaved_medians(series, baseline, repeat=repeat)
    extra = {"records": str(records), "persons": str(total), "month": f"{year}-{month:02d}"}
    return [
        Result(
            "county employment count, with breakdowns",
            counted,
            "one SQL COUNT(DISTINCT) of the month",
            plain,
            extra,
        ),
        Result(
            "county employment, 12 monthly totals",
            yearly,
            "one SQL COUNT(DISTINCT) of the month",
            plain_again,
            extra,
        ),
    ]
