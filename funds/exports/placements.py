"""The debt placements (债权类资金): one row per placement the user sees with its agreement, the
returns received, the principal recovered and outstanding, and its flags (FND-10: ended and not
recovered; FND-ENDING: ending soon); a second sheet gives each placement's years: the return
due at the agreed rate, the return received, and that year's 六清楚 checklist."""

from __future__ import annotations

from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.db.models import Sum
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from funds.codes import SixClears
from funds.exports import ensure_may_export, township_names, township_of, user_scope
from funds.models import PlacementReturn, SixClearsReview
from funds.selectors.placements import ending_days_on, flags_of, placements_for
from kaiyuan.areas.models import Area
from kaiyuan.common import dates
from kaiyuan.common import exports as files
from kaiyuan.jobs.models import Job
from kaiyuan.jobs.registry import register
from kaiyuan.jobs.services import job_start

PLACEMENTS_EXPORT = "funds_placements_export"
ZERO = Decimal("0.00")
CENT = Decimal("0.01")

HEADERS = (
    "序号",
    "项目编号",
    "项目名称",
    "乡镇",
    "合作主体",
    "统一社会信用代码",
    "协议编号",
    "投入本金（元）",
    "起始日期",
    "到期日期",
    "约定年收益率（%）",
    "担保或抵押",
    "风险防控措施",
    "已收收益（元）",
    "已收回本金（元）",
    "未收回本金（元）",
    "风险提示",
)
YEAR_HEADERS = (
    "项目编号",
    "合作主体",
    "年度",
    "应收收益（元）",
    "已收收益（元）",
    "六清楚",
    "存在问题的事项",
    "存在问题",
    "整改措施",
    "核查日期",
)
TEXT_COLUMNS = frozenset(HEADERS.index(h) for h in ("项目编号", "统一社会信用代码", "协议编号"))
YEAR_TEXT = frozenset({YEAR_HEADERS.index("项目编号")})
RATE_FORMAT = {HEADERS.index("约定年收益率（%）"): "0.00"}


def start_placements_export(user) -> Job:
    """Start the debt placements as ``user`` may see them, with their flags as of today."""
    ensure_may_export(user)
    return job_start(kind=PLACEMENTS_EXPORT, actor=user, params={})


def placement_list(user) -> list:
    return list(placements_for(user).order_by("end_date", "id"))


def placement_rows(placements, *, on) -> list[list]:
    names = township_names()
    county = Area.objects.home_county().name
    ending_days = ending_days_on(on)
    rows = []
    for number, placement in enumerate(placements, start=1):
        flags = flags_of(placement, on=on, ending_days=ending_days)
        rows.append(
            [
                number,
                placement.project.code,
                placement.project.name,
                township_of(placement.project.area.code, names, county),
                placement.counterparty,
                placement.counterparty_uscc,
                placement.agreement_number,
                placement.principal,
                placement.start_date,
                placement.end_date,
                placement.agreed_rate,
                placement.collateral,
                placement.risk_measures,
                placement.returned,
                placement.recovered,
                placement.outstanding,
                "；".join(f"{flag.rule} {flag.message}" for flag in flags),
            ]
        )
    return rows


def six_clears_status(review) -> tuple[str, str]:
    """(status, the items not clear) of a year's checklist; not yet reviewed without one."""
    if review is None:
        return _("Not reviewed"), ""
    open_items = review.open_items
    if not open_items:
        return _("All clear"), ""
    labels = dict(SixClears.choices)
    return _("Issues found"), "、".join(str(labels.get(code, code)) for code in open_items)


def year_rows(placements, *, on) -> list[list]:
    ids = [p.pk for p in placements]
    returned = defaultdict(lambda: ZERO)
    for row in (
        PlacementReturn.objects.filter(placement__in=ids)
        .order_by()
        .values("placement", "year")
        .annotate(total=Sum("amount"))
    ):
        returned[(row["placement"], row["year"])] = row["total"] or ZERO
    reviews = {
        (r.placement_id, r.year): r for r in SixClearsReview.objects.filter(placement__in=ids)
    }
    rows = []
    for placement in placements:
        last = min(placement.end_date.year, on.year)
        for year in range(placement.start_date.year, last + 1):
            review = reviews.get((placement.pk, year))
            status, items = six_clears_status(review)
            due = (placement.principal * placement.agreed_rate / 100).quantize(CENT, ROUND_HALF_UP)
            rows.append(
                [
                    placement.project.code,
                    placement.counterparty,
                    year,
                    due,
                    returned[(placement.pk, year)],
                    status,
                    items,
                    review.problems if review else "",
                    review.measures if review else "",
                    review.reviewed_on if review else None,
                ]
            )
    return rows


def placements_sheets(user, *, on, caption: str, years_caption: str) -> list[files.Sheet]:
    placements = placement_list(user)
    return [
        files.Sheet(
            title="债权投入",
            headers=HEADERS,
            rows=placement_rows(placements, on=on),
            caption=caption,
            text_columns=TEXT_COLUMNS,
            formats=RATE_FORMAT,
        ),
        files.Sheet(
            title="收益与六清楚",
            headers=YEAR_HEADERS,
            rows=year_rows(placements, on=on),
            caption=years_caption,
            text_columns=YEAR_TEXT,
        ),
    ]


@register(PLACEMENTS_EXPORT)
def run_placements_export(job: Job, progress) -> None:
    user = job.created_by
    ensure_may_export(user)
    with translation.override(settings.LANGUAGE_CODE):
        as_of = timezone.now()
        on = dates.local_date(as_of)
        scope = user_scope(user)
        where = files.scope_name(scope)
        caption = files.caption(_("Debt placements"), scope=where, as_of=as_of)
        years_caption = files.caption(
            _("Debt placements: returns and 六清楚 by year"), scope=where, as_of=as_of
        )
        stored_name = f"funds-placements-{job.pk}.xlsx"
        written = files.write_workbook(
            files.temp_path(stored_name),
            placements_sheets(user, on=on, caption=caption, years_caption=years_caption),
            on_progress=progress.step,
        )
        name = f"{_('Debt placements')}-{scope.name}-{on:%Y%m%d}.xlsx"
    files.export_to_job(
        job,
        written,
        stored_name=stored_name,
        name=name,
        what=PLACEMENTS_EXPORT,
        filters={"area": scope.code},
        as_of=as_of,
    )
    job.message = _("The debt placements are ready: %(n)s rows.") % {"n": written.rows}
