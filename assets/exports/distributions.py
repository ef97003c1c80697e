"""The distribution rosters (收益分配花名册): one row per line of the distributions of the assets
of the chosen area, of a year or of every year: the asset, the year, the use, the household (its
number and head's name only if the exporting user may see it: a household of another township,
which AST-7 allows, is "outside your area" with its village and amount), the household's kind
(脱贫户, 监测户 and its category), the amount, the publicity and the day paid. A job, since its
rows grow with the county; one query (``assets.selectors.ledgers.roster_lines``).

Household names are user text: the shared exporter writes them as text cells, so a name typed
as ``=1+1`` stays that text.
"""

from __future__ import annotations

from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from assets.exports import CHUNK, ensure_may_export, export_scope, hidden_household
from assets.exports.ledgers import valid_year
from assets.selectors.ledgers import roster_lines
from kaiyuan.areas.models import Area
from kaiyuan.common import dates
from kaiyuan.common import exports as files
from kaiyuan.jobs.models import Job
from kaiyuan.jobs.registry import register
from kaiyuan.jobs.services import job_start
from monitoring.codes import HouseholdType

ROSTER_EXPORT = "assets_roster_export"

HEADERS = (
    "序号",
    "资产编号",
    "资产名称",
    "收益年度",
    "用途",
    "岗位或事项",
    "户编号",
    "户主姓名或领款人",
    "乡镇",
    "村",
    "户类别",
    "金额（元）",
    "公示开始日期",
    "公示结束日期",
    "发放日期",
    "分配状态",
)
TEXT_COLUMNS = frozenset(HEADERS.index(h) for h in ("资产编号", "户编号"))
MONITORED = "监测户"


def start_roster_export(user, *, area: Area, year: int | None = None) -> Job:
    """Start the rosters of the distributions of ``area``'s assets, of ``year`` (every year when
    None)."""
    ensure_may_export(user)
    export_scope(user, area.pk)
    params = {"area": area.pk, "year": valid_year(year) if year else None}
    return job_start(kind=ROSTER_EXPORT, actor=user, params=params)


def household_category(household) -> str:
    """脱贫户, 监测户（its category）, or both (a 脱贫不稳定户 is both)."""
    kinds = []
    if household.is_exited:
        kinds.append(HouseholdType.EXITED.value)
    if household.is_monitored:
        kinds.append(f"{MONITORED}（{household.monitoring_category}）")
    return "、".join(kinds)


def roster_row(number: int, line) -> list:
    distribution = line.distribution
    asset = distribution.asset
    household = line.household
    if household is None:
        number_cell, name, township, village, category = "", line.payee, "", "", ""
    else:
        area = household.area
        township = area.parent.name if area.parent_id else ""
        village = area.name
        category = household_category(household)
        if line.household_visible:
            number_cell, name = household.household_number, household.head_name
        else:
            number_cell, name = "", hidden_household()
    return [
        number,
        asset.code,
        asset.name,
        distribution.year,
        str(line.get_use_display()),
        line.item,
        number_cell,
        name,
        township,
        village,
        category,
        line.amount,
        distribution.publicity_from,
        distribution.publicity_to,
        distribution.paid_on,
        str(distribution.get_status_display()),
    ]


def roster_sheet(lines, *, caption: str) -> files.Sheet:
    return files.Sheet(
        title="收益分配花名册",
        headers=HEADERS,
        rows=(roster_row(number, line) for number, line in enumerate(lines, start=1)),
        caption=caption,
        text_columns=TEXT_COLUMNS,
    )


@register(ROSTER_EXPORT)
def run_roster_export(job: Job, progress) -> None:
    user = job.created_by
    ensure_may_export(user)
    scope = export_scope(user, job.params.get("area"))
    year = valid_year(job.params["year"]) if job.params.get("year") else None
    with translation.override(settings.LANGUAGE_CODE):
        as_of = timezone.now()
        lines = roster_lines(user, scope, year)
        progress.total(lines.count())
        caption = files.caption(
            _("Distribution rosters"),
            scope=files.scope_name(scope),
            filters=[(_("Income year"), year)] if year else [],
            as_of=as_of,
        )
        stored_name = f"assets-rosters-{scope.code}-{job.pk}.xlsx"
        written = files.write_workbook(
            files.temp_path(stored_name),
            [roster_sheet(lines.iterator(chunk_size=CHUNK), caption=caption)],
            on_progress=progress.step,
        )
        name = (
            f"{_('Distribution rosters')}-{scope.name}-{year or ''}"
            f"-{dates.local_date(as_of):%Y%m%d}.xlsx"
        ).replace("--", "-")
    files.export_to_job(
        job,
        written,
        stored_name=stored_name,
        name=name,
        what=ROSTER_EXPORT,
        filters={"area": scope.code, "year": year},
        as_of=as_of,
        result={"area": scope.code, "year": year},
    )
    job.message = _("The distribution rosters are ready: %(n)s rows.") % {"n": written.rows}
