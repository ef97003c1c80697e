"""The monthly roster going out (月度务工名册): the file a township's clerks update each month and
upload back (``employment.imports.rosters``).

The roster of month M lists, for the area picked inside the user's own, everyone
``selectors.rosters.roster_members`` finds (the labour force, and anyone else with a job in
M − 1), one row per person, with the job they held in M − 1: its number and version (what the
upload changes, and how it knows nobody changed it since), then the job's cells as the pages
show them. A person without a job in M − 1 has empty job cells, to be filled in when they found
one. ID numbers are masked text; the coded columns have drop-down lists; no cell is a formula.

A village's roster is small and served at once; a township's or the county's runs as a job whose
file only its owner downloads. Both are recorded as exports (area, month, rows, SHA-256).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from employment.codes import Batch, JobType, PlaceCategory, Source
from employment.selectors.rosters import held_job, previous_month, roster_members
from kaiyuan.accounts.capabilities import user_can
from kaiyuan.areas.models import Area
from kaiyuan.common import dates
from kaiyuan.common import exports as files
from kaiyuan.common.errors import DomainError
from kaiyuan.jobs.models import Job
from kaiyuan.jobs.registry import register
from kaiyuan.jobs.services import job_start

EXPORT_CAPABILITY = "employment.export"
ROSTER_EXPORT = "employment_roster_export"
CHUNK = 2000
ROSTER_SHEET = "务工名册"
HELP_SHEET = "填写说明"
SPARE_ROWS = 500  # rows below the last person that keep the drop-down lists

# The columns, in order. The headers are the file format and stay Chinese in every language.
MEMBER_ID = "系统人员编号"
RECORD_ID = "记录编号"
VERSION = "版本"
TOWNSHIP = "乡镇"
VILLAGE = "村"
HOUSEHOLD_NUMBER = "户编号"
NAME = "姓名"
ID_NUMBER = "身份证号"
LABOUR_SKILL = "劳动技能"
START = "开始日期"
END = "结束日期"
MONTHS = "本年务工月数"
PLACE_CATEGORY = "务工地点类别"
PLACE = "务工地点"
EMPLOYER = "就业单位"
USCC = "统一社会信用代码"
JOB_TYPE = "就业类型"
WELFARE_JOB_TYPE = "公益性岗位类型"
WORKSHOP = "就业帮扶车间"
BATCH = "七个一批"
WAGE = "月工资"
CHANNEL = "就业渠道"
SOURCE = "信息来源"
NOTE = "备注"

HEADERS = (
    MEMBER_ID,
    RECORD_ID,
    VERSION,
    TOWNSHIP,
    VILLAGE,
    HOUSEHOLD_NUMBER,
    NAME,
    ID_NUMBER,
    LABOUR_SKILL,
    START,
    END,
    MONTHS,
    PLACE_CATEGORY,
    PLACE,
    EMPLOYER,
    USCC,
    JOB_TYPE,
    WELFARE_JOB_TYPE,
    WORKSHOP,
    BATCH,
    WAGE,
    CHANNEL,
    SOURCE,
    NOTE,
)
# The columns that describe the person: written for the clerk's eyes, not read back.
PERSON_COLUMNS = (TOWNSHIP, VILLAGE, HOUSEHOLD_NUMBER, NAME, ID_NUMBER, LABOUR_SKILL)
# The job's columns, by the field of ``services.records.JobDetails`` each holds.
JOB_COLUMNS = {
    START: "start_date",
    END: "end_date",
    MONTHS: "months_worked",
    PLACE_CATEGORY: "place_category",
    PLACE: "place",
    EMPLOYER: "employer",
    USCC: "employer_uscc",
    JOB_TYPE: "job_type",
    WELFARE_JOB_TYPE: "welfare_job_type",
    WORKSHOP: "workshop",
    BATCH: "batch",
    WAGE: "monthly_wage",
    CHANNEL: "channel",
    SOURCE: "source",
    NOTE: "note",
}
TEXT_COLUMNS = frozenset(HEADERS.index(h) for h in (HOUSEHOLD_NUMBER, ID_NUMBER, USCC))
# The drop-down lists of the coded columns: the values the import accepts (a job type also by
# its value alone, "务工").
CHOICES = {
    PLACE_CATEGORY: PlaceCategory.values,
    JOB_TYPE: [str(label) for label in JobType.labels],
    BATCH: Batch.values,
    SOURCE: Source.values,
}


def may_export(user) -> bool:
    return user_can(user, EXPORT_CAPABILITY)


def ensure_may_export(user) -> None:
    if not may_export(user):
        raise DomainError(_("Your role may not export the employment rosters."))


def roster_scope(user, area_id) -> Area:
    """The area a roster covers: ``area_id`` if the user sees it (the same refusal for one that
    does not exist)."""
    area = Area.objects.visible_to(user).filter(pk=area_id).select_related("parent").first()
    if area is None or area.level not in (
        Area.Level.COUNTY,
        Area.Level.TOWNSHIP,
        Area.Level.VILLAGE,
    ):
        raise DomainError(_("This area is not in yours."))
    return area


def valid_month(year, month) -> tuple[int, int]:
    """A roster month up to this one (a later month has nothing to confirm yet)."""
    try:
        year, month = int(year), int(month)
    except (TypeError, ValueError):
        raise DomainError(_("Choose the month of the roster.")) from None
    this = dates.today()
    if (
        not 1 <= month <= 12
        or not 2000 <= year <= this.year
        or (year, month)
        > (
            this.year,
            this.month,
        )
    ):
        raise DomainError(_("Choose the month of the roster, this month or an earlier one."))
    return year, month


def month_label(year: int, month: int) -> str:
    return f"{year}-{month:02d}"


# =============================================================================================
# The rows
# =============================================================================================


def roster_row(member) -> list:
    household = member.household
    village = household.area
    township = village.parent if village.parent_id else None
    job = held_job(member)
    person = [
        member.pk,
        job.pk if job else None,
        job.version if job else None,
        township.name if township else "",
        village.name,
        household.household_number,
        member.name,
        member.id_masked,
        member.labour_skill,
    ]
    if job is None:
        return [*person, *[None] * len(JOB_COLUMNS)]
    return [
        *person,
        job.start_date,
        job.end_date,
        job.months_worked,
        job.place_category,
        job.place,
        job.employer,
        job.employer_uscc,
        str(job.get_job_type_display()),
        job.welfare_job_type,
        job.workshop.name if job.workshop_id else "",
        job.batch,
        job.monthly_wage,
        job.channel,
        job.source,
        job.note,
    ]


def roster_rows(members: Iterable) -> Iterator[list]:
    for member in members:
        yield roster_row(member)


def _validations(rows: int) -> list[DataValidation]:
    """The drop-down lists of the coded columns, over the people's rows and some spare ones
    (the header is on row 2, below the caption)."""
    last = 2 + rows + SPARE_ROWS
    validations = []
    for header, values in CHOICES.items():
        letter = get_column_letter(HEADERS.index(header) + 1)
        options = DataValidation(
            type="list",
            formula1='"' + ",".join(values) + '"',
            allow_blank=True,
            showErrorMessage=True,
            errorTitle=header,
            error=_("Choose a value from the list."),
        )
        options.add(f"{letter}3:{letter}{last}")
        validations.append(options)
    return validations


def _help_rows() -> list[list[str]]:
    return [
        [
            _("One row per person"),
            _("Do not add, remove or reorder the columns; one row per person."),
        ],
        [
            _("Still at the same job"),
            _(
                "Leave the row as it is: the job is confirmed for the month (a job of last year "
                "is carried into the new year)."
            ),
        ],
        [_("Left the job"), _("Fill in 结束日期 (and 本年务工月数 if it changed).")],
        [
            _("Found a job"),
            _(
                "For a person without a job, fill in the job's cells (开始日期 defaults to the "
                "first day of the month)."
            ),
        ],
        [
            _("Another job"),
            _(
                "To record a second job, end this one here and record the new one on the "
                "person's page."
            ),
        ],
        [
            _("Do not change"),
            _(
                "系统人员编号, 记录编号 and 版本 tell the platform which person and job a row is; "
                "a job changed by someone else since the download is refused for that row."
            ),
        ],
        [
            _("Public-welfare posts"),
            _("A post's job is only confirmed here; change it on the post's page."),
        ],
    ]


def roster_sheets(rows: Iterable[list], *, count: int, caption: str) -> list[files.Sheet]:
    """The roster's sheet (``rows``: ``roster_rows``, ``count`` of them) and its help sheet."""
    return [
        files.Sheet(
            title=ROSTER_SHEET,
            headers=HEADERS,
            rows=rows,
            caption=caption,
            text_columns=TEXT_COLUMNS,
            validations=_validations(count),
        ),
        files.Sheet(
            title=HELP_SHEET,
            headers=[_("Case"), _("What to do")],
            rows=_help_rows(),
            widths={"A": 18, "B": 90},
            wrap_columns=frozenset({1}),
            counted=False,
        ),
    ]


def roster_caption(area: Area, year: int, month: int, *, as_of) -> str:
    return files.caption(
        _("Monthly employment roster"),
        scope=files.scope_name(area),
        filters=[
            (_("Month"), month_label(year, month)),
            (_("Jobs held in"), month_label(*previous_month(year, month))),
        ],
        as_of=as_of,
    )


def file_name(area: Area, year: int, month: int) -> str:
    return f"{_('Monthly employment roster')}-{area.name}-{year}{month:02d}.xlsx"


def _filters(area: Area, year: int, month: int) -> dict:
    return {"area": area.code, "area_name": area.name, "month": month_label(year, month)}


# =============================================================================================
# Handing it out
# =============================================================================================


def is_small(area: Area) -> bool:
    """A village's roster is served at once; larger areas run as a job."""
    return area.level == Area.Level.VILLAGE


def roster_response(user, *, area: Area, year: int, month: int):
    """A village's roster, at once, recorded as an export."""
    ensure_may_export(user)
    area = roster_scope(user, area.pk)
    year, month = valid_month(year, month)
    as_of = timezone.now()
    members = list(roster_members(user, area, year, month))
    written = files.workbook_bytes(
        roster_sheets(
            roster_rows(members),
            count=len(members),
            caption=roster_caption(area, year, month, as_of=as_of),
        )
    )
    return files.export_response(
        written,
        name=file_name(area, year, month),
        content_type=files.XLSX,
        actor=user,
        audit_object=area,
        what=ROSTER_EXPORT,
        filters=_filters(area, year, month),
        as_of=as_of,
    )


def start_roster_export(user, *, area: Area, year: int, month: int) -> Job:
    """A township's or the county's roster, as a job."""
    ensure_may_export(user)
    area = roster_scope(user, area.pk)
    year, month = valid_month(year, month)
    params = {"area": area.pk, "year": year, "month": month}
    return job_start(kind=ROSTER_EXPORT, actor=user, params=params)


@register(ROSTER_EXPORT)
def run_roster_export(job: Job, progress) -> None:
    user = job.created_by
    ensure_may_export(user)
    area = roster_scope(user, job.params.get("area"))
    year, month = valid_month(job.params.get("year"), job.params.get("month"))
    with translation.override(settings.LANGUAGE_CODE):
        as_of = timezone.now()
        members = roster_members(user, area, year, month)
        rows = members.count()
        progress.total(rows)
        stored_name = f"employment-roster-{area.code}-{job.pk}.xlsx"
        written = files.write_workbook(
            files.temp_path(stored_name),
            roster_sheets(
                roster_rows(members.iterator(chunk_size=CHUNK)),
                count=rows,
                caption=roster_caption(area, year, month, as_of=as_of),
            ),
            on_progress=progress.step,
        )
        name = file_name(area, year, month)
        message = _("The roster is ready: %(n)s people.") % {"n": written.rows}
    files.export_to_job(
        job,
        written,
        stored_name=stored_name,
        name=name,
        what=ROSTER_EXPORT,
        filters=_filters(area, year, month),
        as_of=as_of,
        result={"area": area.code, "month": month_label(year, month)},
    )
    job.message = message
