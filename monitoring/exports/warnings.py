"""The Excel layout of a department's screening list: the template each department downloads, and
the feedback workbook that reports the rows that could not become warnings.

The five column headers are the file format (like the national export's headers) and stay
Chinese in every language; the explanations around them are translated. Both workbooks are
written by kaiyuan.common.exports: what a department typed comes back as text, never as a
formula.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from typing import Any

from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from openpyxl.styles import PatternFill
from openpyxl.worksheet.datavalidation import DataValidation

from kaiyuan.accounts.roles import Department
from kaiyuan.common import dates, exports
from kaiyuan.common.errors import DomainError
from kaiyuan.jobs.models import Job
from kaiyuan.jobs.registry import register
from kaiyuan.jobs.services import job_start

ID_HEADER = "证件号码"
NAME_HEADER = "姓名"
TYPE_HEADER = "预警类型"
INDICATOR_HEADER = "金额或指标"
DATE_HEADER = "预警日期"
HEADERS = (ID_HEADER, NAME_HEADER, TYPE_HEADER, INDICATOR_HEADER, DATE_HEADER)

LIST_SHEET = "筛查名单"
HELP_SHEET = "填写说明"

# The warning types each department usually pushes (values are data, as the departments write
# them). A department may write another type: these are suggestions offered in a drop-down.
WARNING_TYPES: dict[str, tuple[str, ...]] = {
    Department.MEDICAL: ("大额医疗费用自付", "未参加基本医疗保险"),
    Department.CIVIL: ("临时救助", "低保边缘", "特困供养"),
    Department.EDUCATION: ("失学辍学风险",),
    Department.HOUSING: ("住房安全隐患", "危房"),
    Department.WATER: ("饮水安全问题",),
    Department.HR: ("失业", "务工收入大幅下降"),
    Department.DISABILITY: ("新增残疾",),
    Department.EMERGENCY: ("受灾", "意外事故"),
}

# A sample row per department (the ID number is the standard's worked example, a Beijing number
# that belongs to nobody in the county, so a forgotten sample row is reported back unmatched).
SAMPLE_ID = "11010519491231002X"
SAMPLE_INDICATORS: dict[str, str] = {
    Department.MEDICAL: "12500.00",
    Department.CIVIL: "2000.00",
    Department.EDUCATION: "八年级",
    Department.HOUSING: "C级",
    Department.WATER: "季节性缺水",
    Department.HR: "失业3个月",
    Department.DISABILITY: "肢体二级",
    Department.EMERGENCY: "房屋倒塌",
}

HEADER_FILL = PatternFill("solid", fgColor="D9EAD3")
WIDTHS = {"A": 24, "B": 14, "C": 22, "D": 16, "E": 14}
# Text format keeps an 18-digit number whole (Excel would round it to 15 significant digits);
# set on the columns so that the rows the department adds inherit it.
FORMATS = {"A": "@", "E": "yyyy-mm-dd"}
TEMPLATE_DATA_ROWS = 5000  # rows offered the warning-type drop-down


def warning_types_for(department: str) -> tuple[str, ...]:
    return WARNING_TYPES.get(department, ())


def template_file_name(department: str) -> str:
    return f"{Department(department).label}-筛查名单模板.xlsx"


def template_workbook(department: str, *, today: datetime.date | None = None):
    """The screening-list workbook of ``department``: the list sheet with its five headers and
    one sample row, and a sheet explaining each column (``exports.ExportBytes``)."""
    day = today or dates.today()
    types = warning_types_for(department)
    validations = []
    if types:
        choices = DataValidation(
            type="list",
            formula1='"' + ",".join(types) + '"',
            allow_blank=True,
            showErrorMessage=False,  # suggestions only: other types are accepted
        )
        choices.add(f"C2:C{TEMPLATE_DATA_ROWS + 1}")
        validations.append(choices)
    sample_type = types[0] if types else ""
    sample = [SAMPLE_ID, "张三", sample_type, SAMPLE_INDICATORS.get(department, ""), day]
    list_sheet = exports.Sheet(
        title=LIST_SHEET,
        headers=HEADERS,
        rows=[sample],
        text_columns=frozenset({0}),
        widths=WIDTHS,
        column_formats=FORMATS,
        header_fill=HEADER_FILL,
        validations=validations,
        counted=False,
    )
    help_sheet = exports.Sheet(
        title=HELP_SHEET,
        headers=[_("Column"), _("Required"), _("How to fill it in")],
        rows=_help_rows(department, types),
        widths={"A": 14, "B": 8, "C": 90},
        header_fill=HEADER_FILL,
        wrap_columns=frozenset({2}),
        counted=False,
    )
    return exports.workbook_bytes([list_sheet, help_sheet])


def build_template(department: str, *, today: datetime.date | None = None) -> bytes:
    return template_workbook(department, today=today).content


def _help_rows(department: str, types: Sequence[str]) -> list[list[str]]:
    yes, no = _("yes"), _("no")
    suggestions = "、".join(types) if types else "—"
    return [
        [
            ID_HEADER,
            yes,
            _(
                "The person's resident identity card number: 18 characters (old 15-digit numbers "
                "are accepted and converted). Keep the column formatted as text so that Excel "
                "does not round the number. People are matched only by this number, never by "
                "name."
            ),
        ],
        [
            NAME_HEADER,
            no,
            _(
                "The name as your department records it. It is shown to the township next to "
                "the name in the household register, so that a difference can be checked."
            ),
        ],
        [
            TYPE_HEADER,
            yes,
            _("What the warning is about. Suggested types for %(department)s: %(types)s.")
            % {"department": Department(department).label, "types": suggestions},
        ],
        [
            INDICATOR_HEADER,
            no,
            _(
                "The amount in yuan (for example the self-paid medical cost) or the indicator "
                "that triggered the warning, at most 64 characters."
            ),
        ],
        [
            DATE_HEADER,
            yes,
            _(
                "The date your department screened the person, as a date (2024-05-06). The "
                "township must verify the warning within %(days)s days of this date."
            )
            % {"days": _policy_days()},
        ],
        [
            "",
            "",
            _(
                "One row per person and warning. Delete the sample row (张三) before uploading. "
                "Save as Excel workbook (.xlsx), at most %(mb)s MB. The same person, type and "
                "date uploaded again is recognised and not pushed twice."
            )
            % {"mb": settings.MAX_UPLOAD_MB},
        ],
    ]


def _policy_days() -> int:
    from kaiyuan.common.dates import today
    from kaiyuan.policy.services import policy_for

    return policy_for(today().year).warning_verification_days


# =============================================================================================
# Feedback to the department
# =============================================================================================


def feedback_rows(errors: Iterable[dict[str, Any]], unmatched: Iterable[dict[str, Any]]):
    """(row, masked ID, name, problem) for every refused and every unmatched row, by row."""
    not_found = _("No current household member in the county has this ID number.")
    rows = [
        (item.get("row"), item.get("id", ""), item.get("name", ""), item.get("reason", ""))
        for item in errors
    ]
    rows += [
        (item.get("row"), item.get("id", ""), item.get("name", ""), not_found) for item in unmatched
    ]
    rows.sort(key=lambda row: row[0] or 0)
    return rows


def feedback_workbook(
    errors: Iterable[dict[str, Any]],
    unmatched: Iterable[dict[str, Any]],
    *,
    file_name: str = "",
    as_of: datetime.datetime | None = None,
):
    """The rows of a screening list (``file_name``) that became no warning, for the department
    to correct (``exports.ExportBytes``: its rows are the rows reported)."""
    title = _("Rows not pushed")
    sheet = exports.Sheet(
        title=title,
        headers=[_("Row"), ID_HEADER, NAME_HEADER, _("Problem")],
        rows=feedback_rows(errors, unmatched),
        caption=exports.caption(
            title,
            filters=[(_("Screening list"), file_name)],
            as_of=as_of or timezone.now(),
        ),
        text_columns=frozenset({1}),
        widths={"A": 8, "B": 22, "C": 14, "D": 70},
        header_fill=HEADER_FILL,
    )
    return exports.workbook_bytes([sheet])


def build_feedback(
    errors: Iterable[dict[str, Any]], unmatched: Iterable[dict[str, Any]], *, file_name: str = ""
) -> bytes:
    return feedback_workbook(errors, unmatched, file_name=file_name).content


def feedback_file_name(file_name: str) -> str:
    stem = file_name.rsplit(".", 1)[0] or "筛查名单"
    return f"{stem}-未推送行.xlsx"


# A feedback workbook has a row per refused or unmatched row of the department's list, up to
# IMPORT_MAX_ROWS: a few hundred rows are written while the department waits, a list that was
# mostly refused (a wrong file) is written by a job, like every other large export.
FEEDBACK_IN_REQUEST_ROWS = 2000
FEEDBACK_JOB = "warning_feedback_export"
FEEDBACK_WHAT = "warning_feedback"


def feedback_rows_count(upload) -> int:
    return len(upload.errors) + len(upload.unmatched)


def feedback_needs_job(upload) -> bool:
    return feedback_rows_count(upload) > FEEDBACK_IN_REQUEST_ROWS


def feedback_filters(upload) -> dict[str, Any]:
    return {"upload": upload.pk, "file_name": upload.file_name}


def feedback_export_start(*, actor, upload) -> Job:
    return job_start(kind=FEEDBACK_JOB, actor=actor, params={"upload": upload.pk})


@register(FEEDBACK_JOB)
def run_feedback_export(job: Job, progress) -> None:
    from monitoring.models import WarningUpload

    user = job.created_by
    upload = (
        WarningUpload.objects.visible_to(user)
        .filter(pk=job.params.get("upload"), status=WarningUpload.Status.DONE)
        .first()
    )
    if upload is None:
        raise DomainError(_("The screening list no longer exists."))
    progress.total(feedback_rows_count(upload))
    as_of = timezone.now()
    with translation.override(settings.LANGUAGE_CODE):
        written = feedback_workbook(
            upload.errors, upload.unmatched, file_name=upload.file_name, as_of=as_of
        )
        name = feedback_file_name(upload.file_name)
    exports.export_to_job(
        job,
        written,
        stored_name=f"warning-feedback-{upload.pk}-{job.pk}.xlsx",
        name=name,
        what=FEEDBACK_WHAT,
        filters=feedback_filters(upload),
        as_of=as_of,
        audit_object=upload,
    )
