"""The spending progress (支出进度, FND-8) of a year as of a day, and its industry share (FND-9):
one row per township and fund level with what was allocated to its projects, what was spent,
the percentage and the light, each township's provincial-and-above total, then the county's
rows against the allocations themselves; a second sheet gives the industry share. The figures
are those of ``funds.selectors.progress.spending_progress``; a township's user gets the rows of
the township (and the county's own figures, which every page shows too)."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from funds.codes import FundLevel
from funds.exports import TOWNSHIP_CODE_LENGTH, ensure_may_export, user_scope
from funds.rules import progress as rules
from funds.selectors.progress import Cell, spending_progress
from kaiyuan.areas.models import Area
from kaiyuan.common import dates
from kaiyuan.common import exports as files
from kaiyuan.jobs.models import Job
from kaiyuan.jobs.registry import register
from kaiyuan.jobs.services import job_start

PROGRESS_EXPORT = "funds_progress_export"
PERCENT = "0.00%"

HEADERS = ("乡镇", "区划代码", "资金级次", "已分配（元）", "已支出（元）", "支出进度", "信号灯")
INDUSTRY_HEADERS = (
    "年度",
    "省级及以上衔接资金（元）",
    "用于产业发展（元）",
    "产业占比",
    "目标",
    "是否达标",
)
TEXT_COLUMNS = frozenset({HEADERS.index("区划代码")})
FORMATS = {HEADERS.index("支出进度"): PERCENT}
INDUSTRY_FORMATS = {
    INDUSTRY_HEADERS.index("产业占比"): PERCENT,
    INDUSTRY_HEADERS.index("目标"): PERCENT,
}


def start_progress_export(user, *, year: int, as_of: datetime.date | None = None) -> Job:
    """Start the spending progress of ``year`` as of ``as_of`` (today when None)."""
    ensure_may_export(user)
    day = as_of or dates.today()
    return job_start(
        kind=PROGRESS_EXPORT,
        actor=user,
        params={"year": int(year), "as_of": day.isoformat()},
    )


def township_codes(user) -> list[str] | None:
    """The townships whose rows ``user`` sees: every one for a county-wide user."""
    area = user_scope(user)
    if area.level == Area.Level.COUNTY and not user.department:
        return None
    return [area.code[:TOWNSHIP_CODE_LENGTH]]


def light_label(light: str) -> str:
    return {
        rules.GREEN: _("Green"),
        rules.AMBER: _("Amber"),
        rules.RED: _("Red"),
    }[light]


def _share(value: Decimal | None) -> Decimal | None:
    """A percentage (45.23) as the fraction a % format shows (0.4523)."""
    return None if value is None else value / 100


def _line(name: str, code: str, level: str, cell: Cell) -> list:
    return [
        name,
        code,
        level,
        cell.allocated,
        cell.spent,
        _share(cell.percent),
        light_label(cell.light),
    ]


def progress_rows(progress) -> list[list]:
    labels = {level: str(FundLevel(level).label) for level in progress.levels}
    above = _("Provincial and above")
    rows = []
    for row in progress.rows:
        for level in progress.levels:
            rows.append(_line(row.name, row.code, labels[level], row.cells[level]))
        rows.append(_line(row.name, row.code, above, row.total))
    county = Area.objects.home_county()
    name = _("%(county)s (all allocations)") % {"county": county.name}
    for level in progress.levels:
        rows.append(_line(name, county.code, labels[level], progress.county[level]))
    rows.append(_line(name, county.code, above, progress.county_total))
    return rows


def industry_rows(progress) -> list[list]:
    return [
        [
            progress.year,
            progress.industry_base,
            progress.industry,
            _share(progress.industry_percent),
            progress.industry_target / 100,
            _("Yes") if progress.industry_met else _("No"),
        ]
    ]


def progress_title(year: int) -> str:
    return _("%(year)s spending progress of the linkage funds") % {"year": year}


def progress_sheets(progress, *, caption: str, industry_caption: str) -> list[files.Sheet]:
    return [
        files.Sheet(
            title="支出进度",
            headers=HEADERS,
            rows=progress_rows(progress),
            caption=caption,
            text_columns=TEXT_COLUMNS,
            formats=FORMATS,
        ),
        files.Sheet(
            title="产业占比",
            headers=INDUSTRY_HEADERS,
            rows=industry_rows(progress),
            caption=industry_caption,
            formats=INDUSTRY_FORMATS,
        ),
    ]


@register(PROGRESS_EXPORT)
def run_progress_export(job: Job, progress_reporter) -> None:
    user = job.created_by
    ensure_may_export(user)
    year = int(job.params["year"])
    as_of_day = datetime.date.fromisoformat(job.params["as_of"])
    with translation.override(settings.LANGUAGE_CODE):
        now = timezone.now()
        scope = user_scope(user)
        progress = spending_progress(year=year, as_of=as_of_day, townships=township_codes(user))
        filters = [(_("Year"), str(year)), (_("Figures as of"), as_of_day.isoformat())]
        caption = files.caption(
            progress_title(year), scope=files.scope_name(scope), filters=filters, as_of=now
        )
        industry_caption = files.caption(
            _("%(year)s industry share of the provincial-and-above linkage funds") % {"year": year},
            filters=filters,
            as_of=now,
        )
        stored_name = f"funds-progress-{year}-{job.pk}.xlsx"
        written = files.write_workbook(
            files.temp_path(stored_name),
            progress_sheets(progress, caption=caption, industry_caption=industry_caption),
            on_progress=progress_reporter.step,
        )
        name = f"{progress_title(year)}-{scope.name}-{as_of_day:%Y%m%d}.xlsx"
    files.export_to_job(
        job,
        written,
        stored_name=stored_name,
        name=name,
        what=PROGRESS_EXPORT,
        filters={"year": year, "as_of": as_of_day.isoformat(), "area": scope.code},
        as_of=now,
        result={"year": year},
    )
    job.message = _("The spending progress is ready: %(n)s rows.") % {"n": written.rows}
