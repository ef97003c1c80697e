"""The layout of the roster coming back: the export's columns (``employment.exports.rosters``),
which of them the import needs, and the ``Spec`` the pipeline reads the file with."""

from __future__ import annotations

from django.utils.translation import gettext_lazy

from employment.exports import rosters as roster
from kaiyuan.common.imports import ERROR_HEADER, FORMULAS_REFUSED, Column, Layout, Spec

IMPORT_JOB = "employment_roster_import"
UPLOAD_DIR = "imports"

# Without these a row cannot be matched or judged; the person's columns are for the clerk's eyes
# (姓名 is checked against the person when it is there).
REQUIRED = frozenset({roster.MEMBER_ID, roster.RECORD_ID, roster.VERSION, *roster.JOB_COLUMNS})
ALIASES: dict[str, tuple[str, ...]] = {
    roster.MEMBER_ID: ("人员编号（系统）",),
    roster.MONTHS: ("务工月数", "务工时长（月）"),
    roster.PLACE: ("务工所在地",),
    roster.EMPLOYER: ("就业单位名称", "用工单位"),
    roster.USCC: ("就业单位统一社会信用代码",),
    roster.WAGE: ("月工资（元）", "月收入"),
}

SPEC = Spec(
    what="employment_roster_import",
    layout=Layout(
        [
            Column(header, ALIASES.get(header, ()), required=header in REQUIRED)
            for header in roster.HEADERS
        ],
        own_headers=(ERROR_HEADER,),
    ),
    split_advice=gettext_lazy("Split the roster by village and upload each part on its own."),
    header_advice=gettext_lazy(
        "Download the month's roster and keep its headers: the upload reads the roster's own "
        "columns."
    ),
    no_rows_message=gettext_lazy(
        "The file has column headers but no rows of people: there is nothing to import."
    ),
    sheet_name=roster.ROSTER_SHEET,
    formulas=FORMULAS_REFUSED,
)

# Where a rule's violation is shown: the column of the field it names.
FIELD_COLUMNS = {field: header for header, field in roster.JOB_COLUMNS.items()}
FIELD_COLUMNS.update(
    {
        "member": roster.MEMBER_ID,
        "transport_subsidy": "",
        "transport_subsidy_paid_on": "",
        "post": roster.WELFARE_JOB_TYPE,
    }
)
