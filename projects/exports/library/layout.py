"""The published library's columns, the export's and the import's, and a project's line in them."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from kaiyuan.accounts.roles import DEPARTMENT_NAMES
from kaiyuan.areas.models import Area
from kaiyuan.common import exports as files
from projects.models import Project

SEQ = "序号"
CODE = "项目编号"
NAME = "项目名称"
CATEGORY = "项目类别"
SUBCATEGORY = "子类"
FINANCE_MODE = "项目类型"
PLACE = "建设地点"
CONTENT = "建设内容"
SCALE = "建设规模"
SUBSIDY = "补助标准"
TOTAL = "总投资（元）"
CENTRAL = "中央衔接资金（元）"
PROVINCIAL = "省级衔接资金（元）"
CITY = "市级衔接资金（元）"
COUNTY = "县级衔接资金（元）"
OTHER = "其他资金（元）"
SELF_RAISED = "自筹资金（元）"
START = "计划开工日期"
END = "计划完工日期"
ENTITY = "实施单位"
ENTITY_TYPE = "实施单位类型"
USCC = "统一社会信用代码"
PERSON = "责任人"
PHONE = "联系电话"
TARGETS = "绩效目标"
MECHANISMS = "联农带农机制"
EXITED = "受益脱贫户数"
MONITORED = "受益监测户数"
PERSONS = "受益人数"
BENEFICIARY_ENTITY = "受益主体"
DUTIES = "各村职责"
SECTOR = "行业主管部门"
STATUS = "状态"

# The funding columns and the fields they hold, in the order of the sheet.
FUNDING_COLUMNS = (
    (CENTRAL, "central_funds"),
    (PROVINCIAL, "provincial_funds"),
    (CITY, "city_funds"),
    (COUNTY, "county_funds"),
    (OTHER, "other_funds"),
    (SELF_RAISED, "self_raised"),
)
HEADERS: tuple[str, ...] = (
    SEQ,
    CODE,
    NAME,
    CATEGORY,
    SUBCATEGORY,
    FINANCE_MODE,
    PLACE,
    CONTENT,
    SCALE,
    SUBSIDY,
    TOTAL,
    *(header for header, _field in FUNDING_COLUMNS),
    START,
    END,
    ENTITY,
    ENTITY_TYPE,
    USCC,
    PERSON,
    PHONE,
    TARGETS,
    MECHANISMS,
    EXITED,
    MONITORED,
    PERSONS,
    BENEFICIARY_ENTITY,
    DUTIES,
    SECTOR,
    STATUS,
)
# What a proposal cannot do without (the import refuses a file without these columns).
REQUIRED = frozenset(
    {
        NAME,
        CATEGORY,
        SUBCATEGORY,
        FINANCE_MODE,
        PLACE,
        CONTENT,
        TOTAL,
        START,
        END,
        ENTITY,
        ENTITY_TYPE,
        PERSON,
    }
)
# Filled by the export only: the import reads them as known headers and does not import them
# (a project gets its code when created, its beneficiaries are picked from the registry, and
# an imported proposal is a draft).
EXPORT_ONLY = (CODE, EXITED, MONITORED, PERSONS, STATUS)
IMPORT_HEADERS = tuple(h for h in HEADERS if h not in EXPORT_ONLY)
TEMPLATE_SHEET = "项目申报表"
HELP_SHEET = "填写说明"

# Codes, credit codes and phone numbers are text: Excel keeps them whole.
TEXT_COLUMNS = frozenset(HEADERS.index(h) for h in (CODE, USCC, PHONE))

# How several values share one cell, written so that the import reads them back.
LIST_SEPARATOR = "、"  # villages, mechanisms
ENTRY_SEPARATOR = "；"  # performance targets, villages' duties, the mechanisms' note
GROUP_KIND = "/"  # 产出指标/数量指标：新建大棚≥20座
NAMED = "："  # 烟厂村：负责土地协调

LIBRARY_SHEET = "项目库"


def department_name(department: str) -> str:
    """A sector department as the county writes it on its lists (农业农村局)."""
    names = DEPARTMENT_NAMES.get(department)
    return names[0] if names else ""


def amount(value: Decimal) -> str:
    """A target value without trailing zeros (20, 1500, 0.5)."""
    return format(Decimal(value).normalize(), "f")


def place_of(project: Project) -> str:
    """建设地点: each township once, then its villages (中固镇烟厂村、大白庙子村)."""
    by_township: dict[str, list[str]] = {}
    for row in project.villages.all():
        township = row.village.parent.name if row.village.parent_id else ""
        by_township.setdefault(township, []).append(row.village.name)
    if not by_township:
        return project.location
    return ENTRY_SEPARATOR.join(
        township + LIST_SEPARATOR.join(names) for township, names in by_township.items()
    )


def targets_of(project: Project) -> str:
    return ENTRY_SEPARATOR.join(
        f"{i.group}{GROUP_KIND}{i.kind}{NAMED}{i.name}{i.direction}{amount(i.target)}{i.unit}"
        for i in project.indicators.all()
    )


def mechanisms_of(project: Project) -> str:
    text = LIST_SEPARATOR.join(project.mechanisms or [])
    note = (project.mechanism_note or "").strip()
    return f"{text}{ENTRY_SEPARATOR}{note}" if note else text


def duties_of(project: Project) -> str:
    return ENTRY_SEPARATOR.join(
        f"{row.village.name}{NAMED}{row.duties.strip()}"
        for row in project.villages.all()
        if row.duties.strip()
    )


def library_row(number: int, project: Project) -> list[Any]:
    """One line of the published library (``project`` read by ``with_export_parts``)."""
    return [
        number,
        project.code,
        project.name,
        project.category,
        project.subcategory,
        project.finance_mode,
        place_of(project),
        project.content,
        project.scale,
        project.subsidy_standard,
        project.total_investment,
        *(getattr(project, field) for _header, field in FUNDING_COLUMNS),
        project.start_date,
        project.end_date,
        project.entity_name,
        project.entity_type,
        project.entity_uscc,
        project.responsible_person,
        project.responsible_phone,
        targets_of(project),
        mechanisms_of(project),
        project.exited_households,
        project.monitored_households,
        project.beneficiary_persons,
        project.beneficiary_entity,
        duties_of(project),
        department_name(project.sector),
        project.get_status_display(),
    ]


def library_sheet(
    projects: Iterable[Project], *, caption: str, title: str = LIBRARY_SHEET
) -> files.Sheet:
    rows = (library_row(n, project) for n, project in enumerate(projects, start=1))
    return files.Sheet(
        title=title, headers=HEADERS, rows=rows, caption=caption, text_columns=TEXT_COLUMNS
    )


def library_title(year: int) -> str:
    return _(
        "%(year)s project library for consolidating poverty alleviation and rural revitalisation"
    ) % {"year": year}


def user_scope(user) -> Area:
    return user.area or Area.objects.home_county()
