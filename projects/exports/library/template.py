"""The workbook a township fills in for the import, with a sample row and an explanation of each
column."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.http import FileResponse
from django.utils.translation import gettext as _
from openpyxl.styles import PatternFill
from openpyxl.worksheet.datavalidation import DataValidation

from kaiyuan.accounts.roles import Department
from kaiyuan.areas.models import Area
from kaiyuan.common import exports as files
from kaiyuan.common.exports import DATE_FORMAT, MONEY_FORMAT, TEXT_FORMAT
from projects.codes import Category, EntityType, FinanceMode, Mechanism, Subcategory
from projects.exports.library.layout import (
    BENEFICIARY_ENTITY,
    CATEGORY,
    CENTRAL,
    CITY,
    CONTENT,
    COUNTY,
    DUTIES,
    END,
    ENTITY,
    ENTITY_TYPE,
    ENTRY_SEPARATOR,
    FINANCE_MODE,
    FUNDING_COLUMNS,
    GROUP_KIND,
    HELP_SHEET,
    IMPORT_HEADERS,
    LIST_SEPARATOR,
    MECHANISMS,
    NAME,
    NAMED,
    OTHER,
    PERSON,
    PHONE,
    PLACE,
    PROVINCIAL,
    REQUIRED,
    SCALE,
    SECTOR,
    SELF_RAISED,
    SEQ,
    START,
    SUBCATEGORY,
    SUBSIDY,
    TARGETS,
    TEMPLATE_SHEET,
    TOTAL,
    USCC,
    department_name,
)

TEMPLATE_EXPORT = "projects_import_template"
HEADER_FILL = PatternFill("solid", fgColor="D9EAD3")
TEMPLATE_ROWS = 2000  # rows offered the drop-downs and the column formats
TASKS = ("土地协调", "用工组织")


def template_sample(township: str, villages: Sequence[str], year: int) -> dict[str, Any]:
    """One filled-in row, by header: a township proposal of one or two of its villages."""
    names = list(villages[:2]) or ["烟厂村"]
    several = len(names) > 1
    return {
        SEQ: 1,
        NAME: f"{township}有机稻米育秧大棚建设项目",
        CATEGORY: Category.INDUSTRY,
        SUBCATEGORY: Subcategory.ORGANIC_RICE,
        FINANCE_MODE: FinanceMode.SELF_BUILT,
        PLACE: township + LIST_SEPARATOR.join(names),
        CONTENT: "新建育秧大棚20座，配套灌溉设施",
        SCALE: "育秧大棚20座",
        SUBSIDY: "按实际投资补助",
        TOTAL: Decimal("1000000.00"),
        CENTRAL: Decimal("600000.00"),
        PROVINCIAL: Decimal("200000.00"),
        CITY: Decimal("0.00"),
        COUNTY: Decimal("100000.00"),
        OTHER: Decimal("0.00"),
        SELF_RAISED: Decimal("100000.00"),
        START: datetime.date(year, 4, 1),
        END: datetime.date(year, 10, 31),
        ENTITY: f"{township}人民政府",
        ENTITY_TYPE: EntityType.TOWNSHIP_GOVERNMENT,
        USCC: "",
        PERSON: "李国强",
        PHONE: "13904100001",
        TARGETS: ENTRY_SEPARATOR.join(
            (
                f"产出指标{GROUP_KIND}数量指标{NAMED}新建大棚≥20座",
                f"效益指标{GROUP_KIND}经济效益{NAMED}带动脱贫户增收≥1500元/户",
                f"满意度指标{GROUP_KIND}服务对象满意度{NAMED}受益脱贫户满意度≥90%",
            )
        ),
        MECHANISMS: f"吸纳就业{LIST_SEPARATOR}资产入股收益{ENTRY_SEPARATOR}优先吸纳脱贫户务工",
        BENEFICIARY_ENTITY: "各村股份经济合作社" if several else "",
        DUTIES: ENTRY_SEPARATOR.join(
            f"{name}{NAMED}负责{task}" for name, task in zip(names, TASKS, strict=False)
        ),
        SECTOR: department_name(Department.AGRICULTURE),
    }


def _help_rows() -> list[list[str]]:
    yes, no = _("yes"), _("no")
    explain = {
        SEQ: _("A running number of your own; not imported."),
        NAME: _("The project's name, at most 200 characters."),
        CATEGORY: _("One of: %(values)s.") % {"values": LIST_SEPARATOR.join(Category.values)},
        SUBCATEGORY: _("The kind of project within its category, one of: %(values)s.")
        % {"values": LIST_SEPARATOR.join(Subcategory.values)},
        FINANCE_MODE: _("One of: %(values)s.")
        % {"values": LIST_SEPARATOR.join(FinanceMode.values)},
        PLACE: _(
            "The township's name, then the project's villages of the township separated by 、 "
            "(for example 中固镇烟厂村、大白庙子村). A project of several villages is shared "
            "equally between them; change the shares on the proposal's page."
        ),
        CONTENT: _("What is built or done."),
        SCALE: _("The scale (for example 育秧大棚20座); may be left empty if the content says it."),
        SUBSIDY: _("The subsidy standard, if any."),
        TOTAL: _(
            "The total investment in yuan. It must equal the sum of the six funding columns "
            "after it (an empty funding cell counts as 0)."
        ),
        START: _("A date such as 2025-04-01."),
        END: _("A date such as 2025-10-31, not before the start."),
        ENTITY: _("The implementing unit's full name."),
        ENTITY_TYPE: _("One of: %(values)s.") % {"values": LIST_SEPARATOR.join(EntityType.values)},
        USCC: _(
            "The implementing unit's unified social credit code, 18 characters, as text; may be "
            "empty."
        ),
        PERSON: _("The responsible person's name."),
        PHONE: _("The responsible person's phone, as text."),
        TARGETS: _(
            "The performance targets separated by ；, each written as "
            "产出指标/数量指标：新建大棚≥20座 (group/kind：indicator, then ≥, ≤ or =, the value "
            "and its unit)."
        ),
        MECHANISMS: _(
            "The farmer-linking mechanisms separated by 、 (%(values)s), then after ； how "
            "farmers are linked."
        )
        % {"values": LIST_SEPARATOR.join(Mechanism.values)},
        BENEFICIARY_ENTITY: _("Who benefits; required for a project of several villages."),
        DUTIES: _(
            "Each village's duties, as 烟厂村：负责土地协调；大白庙子村：负责用工组织; required "
            "for a project of several villages."
        ),
        SECTOR: _("The sector department that reviews the project, for example %(example)s.")
        % {"example": department_name(Department.AGRICULTURE)},
    }
    rows = [[h, yes if h in REQUIRED else no, str(explain.get(h, ""))] for h in IMPORT_HEADERS]
    rows.append(
        [
            "",
            "",
            _(
                "One row per project. Delete the sample row before uploading. Every row becomes "
                "a draft proposal of your township for the library year chosen on the upload "
                "page; nothing is imported while any row has an error. Save as Excel workbook "
                "(.xlsx), at most %(mb)s MB."
            )
            % {"mb": settings.MAX_UPLOAD_MB},
        ]
    )
    return rows


def import_template(*, township: str, villages: Sequence[str], year: int) -> files.ExportBytes:
    """The workbook a township fills in: the import's columns with a sample row, and a sheet
    that explains each column."""
    from openpyxl.utils import get_column_letter

    sample = template_sample(township, villages, year)
    letters = {h: get_column_letter(i + 1) for i, h in enumerate(IMPORT_HEADERS)}
    formats = {letters[h]: TEXT_FORMAT for h in (USCC, PHONE)}
    formats.update({letters[h]: DATE_FORMAT for h in (START, END)})
    formats.update({letters[h]: MONEY_FORMAT for h in (TOTAL, *dict(FUNDING_COLUMNS))})
    validations = []
    for header, values in (
        (CATEGORY, Category.values),
        (FINANCE_MODE, FinanceMode.values),
        (ENTITY_TYPE, EntityType.values),
    ):
        options = DataValidation(type="list", formula1='"' + ",".join(values) + '"')
        options.add(f"{letters[header]}2:{letters[header]}{TEMPLATE_ROWS + 1}")
        validations.append(options)
    sheet = files.Sheet(
        title=TEMPLATE_SHEET,
        headers=IMPORT_HEADERS,
        rows=[[sample.get(h) for h in IMPORT_HEADERS]],
        text_columns=frozenset(IMPORT_HEADERS.index(h) for h in (USCC, PHONE)),
        column_formats=formats,
        header_fill=HEADER_FILL,
        validations=validations,
        counted=False,
    )
    help_sheet = files.Sheet(
        title=HELP_SHEET,
        headers=[_("Column"), _("Required"), _("How to fill it in")],
        rows=_help_rows(),
        widths={"A": 18, "B": 8, "C": 90},
        header_fill=HEADER_FILL,
        wrap_columns=frozenset({2}),
        counted=False,
    )
    return files.workbook_bytes([sheet, help_sheet])


def import_template_response(*, actor, township: Area, year: int) -> FileResponse:
    villages = list(
        Area.objects.villages()
        .filter(parent=township)
        .order_by("code")
        .values_list("name", flat=True)[:2]
    )
    written = import_template(township=township.name, villages=villages, year=year)
    return files.export_response(
        written,
        name=f"项目申报导入模板-{township.name}.xlsx",
        content_type=files.XLSX,
        actor=actor,
        audit_object=None,
        area=township,
        what=TEMPLATE_EXPORT,
        filters={"township": township.code, "year": year},
    )
