"""The 月调度 and 季通报 of stable employment (EMP-6, DOMAIN.md §6.1), one row per township of the
exporting user's area and a total row:

* the monthly dispatch (月调度) of a month: the township's labour force of 脱贫 and monitored
  people, the persons counted, by place (县内 / 省内县外 / 省外), by job type and by 七个一批, and
  the change from the previous month;
* the quarterly bulletin (季通报) of a quarter: the count at the end of each month of the quarter
  (a month not yet begun is left empty), the change on the previous quarter's end, the rank
  among the townships exported (1 = most) and, for the county, the total against the target.

Every figure is a distinct count of ``selectors.counts`` on the year's counting settings, so the
file says what the count page says; a person with jobs of two kinds counts under each kind and
once in the total. Bounded by the townships (at most some twenty rows), so it is served at once
through ``export_response`` and recorded as an ``export`` event; the queries are one per figure
group, never one per township. The headers are the reporting form's and stay Chinese.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass

from django.conf import settings
from django.http import FileResponse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from employment.codes import Batch, JobType, PlaceCategory
from employment.rules.counts import target_met
from employment.selectors import counts as selectors
from kaiyuan.areas.models import Area
from kaiyuan.common import exports as files
from kaiyuan.common.dates import add_months, today
from kaiyuan.policy.services import policy_for

MONTHLY_EXPORT = "employment_monthly_dispatch"
QUARTERLY_EXPORT = "employment_quarterly_bulletin"
TOTAL = "合计"
MET = "已达标"

PLACES = list(PlaceCategory.values)
JOB_TYPES = list(JobType.values)
BATCHES = list(Batch.values)
MONTHLY_HEADERS = (
    "乡镇",
    "脱贫人口和监测对象劳动力（人）",
    "务工就业人数（人）",
    *(f"{place}（人）" for place in PLACES),
    *(f"{job_type}（人）" for job_type in JOB_TYPES),
    *(f"{batch}（人）" for batch in BATCHES),
    "上月务工就业人数（人）",
    "较上月增减（人）",
)


@dataclass(frozen=True)
class Table:
    headers: Sequence[str]
    rows: list[list]


def _previous(year: int, month: int) -> tuple[int, int]:
    day = add_months(datetime.date(year, month, 1), -1)
    return day.year, day.month


def _policy_filters(policy) -> list[tuple[str, object]]:
    return [
        (_("Counted"), policy.get_employment_count_basis_display()),
        (_("Months of work that count"), policy.employment_min_months),
    ]


# =============================================================================================
# 月调度
# =============================================================================================


def monthly_table(scope: Area, year: int, month: int) -> Table:
    """One row per township of ``scope`` and the total row: a constant number of queries."""
    policy = policy_for(year)
    townships = selectors.townships_of(scope)
    before = _previous(year, month)
    totals = selectors.township_counts(scope, [(year, month), before])
    labour = selectors.labour_by_township(scope)
    by = {
        dimension: selectors.township_breakdown(scope, year, month, dimension, policy=policy)
        for dimension in ("place_category", "job_type", "batch")
    }
    rows = []
    for township in townships:
        counted = totals[(year, month)].get(township.pk, 0)
        previous = totals[before].get(township.pk, 0)
        rows.append(
            [
                township.name,
                labour.get(township.pk, 0),
                counted,
                *(by["place_category"].get((township.pk, place), 0) for place in PLACES),
                *(by["job_type"].get((township.pk, job_type), 0) for job_type in JOB_TYPES),
                *(by["batch"].get((township.pk, batch), 0) for batch in BATCHES),
                previous,
                counted - previous,
            ]
        )
    # A person lives in one township: the townships' figures add up to the area's.
    total = [TOTAL, *(sum(row[index] for row in rows) for index in range(1, len(MONTHLY_HEADERS)))]
    return Table(MONTHLY_HEADERS, [*rows, total])


# =============================================================================================
# 季通报
# =============================================================================================


def quarter_months(year: int, quarter: int) -> list[tuple[int, int]]:
    first = 3 * quarter - 2
    return [(year, month) for month in range(first, first + 3)]


def ranks(values: list[int]) -> list[int]:
    """1 for the most; equal figures share a rank and the next rank skips (1, 1, 3)."""
    return [1 + sum(other > value for other in values) for value in values]


def quarterly_table(scope: Area, year: int, quarter: int) -> Table:
    """The quarter's months (those begun), the previous quarter's end, the change and the rank;
    the county's total row says how it stands against the target."""
    latest = (today().year, today().month)
    months = [ym for ym in quarter_months(year, quarter) if ym <= latest]
    previous_end = _previous(*quarter_months(year, quarter)[0])
    counts = selectors.township_counts(scope, [*months, previous_end])
    townships = selectors.townships_of(scope)
    county = scope.level == Area.Level.COUNTY
    ranked = len(townships) > 1
    end = months[-1]
    headers = [
        "乡镇",
        *(f"{m}月末务工就业人数（人）" for _y, m in quarter_months(year, quarter)),
        "上季度末务工就业人数（人）",
        "较上季度末增减（人）",
    ]
    if ranked:
        headers.append("排名")
    if county:
        headers += ["目标任务（人）", "完成情况"]
    figures = []
    for township in townships:
        by_month = [
            counts[ym].get(township.pk, 0) if ym in counts else None
            for ym in quarter_months(year, quarter)
        ]
        figures.append((township, by_month, counts[previous_end].get(township.pk, 0)))
    at_end = [counts[end].get(township.pk, 0) for township in townships]
    rows = []
    for (township, by_month, previous), rank in zip(figures, ranks(at_end), strict=True):
        row = [township.name, *by_month, previous, counts[end].get(township.pk, 0) - previous]
        if ranked:
            row.append(rank)
        if county:
            row += [None, None]
        rows.append(row)
    total_months = [
        sum(by_month[index] for _t, by_month, _p in figures) if ym in counts else None
        for index, ym in enumerate(quarter_months(year, quarter))
    ]
    total_previous = sum(previous for _t, _m, previous in figures)
    total_end = sum(at_end)
    total = [TOTAL, *total_months, total_previous, total_end - total_previous]
    if ranked:
        total.append(None)
    if county:
        policy = policy_for(year)
        met = target_met(total_end, policy)
        short = policy.employment_target - total_end
        total += [policy.employment_target, MET if met else f"差{short}人"]
    return Table(headers, [*rows, total])


# =============================================================================================
# The files
# =============================================================================================


def _respond(table: Table, *, what, sheet, title, name, scope, filters, audit_filters, actor):
    as_of = timezone.now()
    sheet = files.Sheet(
        title=sheet,
        headers=table.headers,
        rows=table.rows,
        caption=files.caption(title, scope=files.scope_name(scope), filters=filters, as_of=as_of),
    )
    written = files.workbook_bytes([sheet])
    return files.export_response(
        written,
        name=name,
        content_type=files.XLSX,
        actor=actor,
        audit_object=None,
        area=scope,
        what=what,
        filters={**audit_filters, "area": scope.code},
        as_of=as_of,
    )


def monthly_response(scope: Area, *, year: int, month: int, actor) -> FileResponse:
    with translation.override(settings.LANGUAGE_CODE):
        title = _("Monthly dispatch of stable employment (月调度)")
        filters = [(_("Month"), f"{year}-{month:02d}"), *_policy_filters(policy_for(year))]
        return _respond(
            monthly_table(scope, year, month),
            what=MONTHLY_EXPORT,
            sheet="月调度",
            title=title,
            name=f"务工就业月调度表-{scope.name}-{year}-{month:02d}.xlsx",
            scope=scope,
            filters=filters,
            audit_filters={"year": year, "month": month},
            actor=actor,
        )


def quarterly_response(scope: Area, *, year: int, quarter: int, actor) -> FileResponse:
    with translation.override(settings.LANGUAGE_CODE):
        title = _("Quarterly bulletin of stable employment (季通报)")
        filters = [
            (_("Quarter"), _("%(year)s Q%(quarter)s") % {"year": year, "quarter": quarter}),
            *_policy_filters(policy_for(year)),
        ]
        return _respond(
            quarterly_table(scope, year, quarter),
            what=QUARTERLY_EXPORT,
            sheet="季通报",
            title=title,
            name=f"务工就业季通报-{scope.name}-{year}-Q{quarter}.xlsx",
            scope=scope,
            filters=filters,
            audit_filters={"year": year, "quarter": quarter},
            actor=actor,
        )
