"""The layout of a township's proposals: the published library's columns (``projects.exports.
library``), which of them the import requires, the other names it accepts, and the ``Spec`` the
import pipeline reads the file with."""

from __future__ import annotations

from decimal import Decimal

from django.utils.translation import gettext_lazy

from kaiyuan.common.imports import ERROR_HEADER, FORMULAS_REFUSED, Column, Layout, Spec
from projects.exports.library import layout as published

IMPORT_JOB = "projects_library_import"
UPLOAD_DIR = "imports"
HUNDRED = Decimal("100")
CENT = Decimal("0.01")

ALIASES: dict[str, tuple[str, ...]] = {
    published.CONTENT: ("建设内容及规模",),
    published.PLACE: ("项目地点", "实施地点"),
    published.START: ("开工日期", "开工时间"),
    published.END: ("完工日期", "完工时间"),
    published.ENTITY: ("实施主体",),
    published.PERSON: ("项目责任人",),
    published.TOTAL: ("项目总投资（元）", "总投资"),
}
SPEC = Spec(
    what="projects_library_import",
    layout=Layout(
        [
            Column(header, ALIASES.get(header, ()), required=header in published.REQUIRED)
            for header in published.HEADERS
        ],
        own_headers=(ERROR_HEADER,),
    ),
    split_advice=gettext_lazy("Split the file by village and import each part on its own."),
    header_advice=gettext_lazy("Download the template of the import and keep its headers."),
    no_rows_message=gettext_lazy(
        "The file has column headers but no project rows: there is nothing to import."
    ),
    sheet_name=published.TEMPLATE_SHEET,
    formulas=FORMULAS_REFUSED,
)

# Where a rule's violation is shown: the column of the field it names.
FIELD_COLUMNS = {
    "total_investment": published.TOTAL,
    "central_funds": published.CENTRAL,
    "subcategory": published.SUBCATEGORY,
    "entity_uscc": published.USCC,
    "villages": published.PLACE,
    "beneficiary_entity": published.BENEFICIARY_ENTITY,
    "kind": published.TARGETS,
    "indicators": published.TARGETS,
    "mechanisms": published.MECHANISMS,
}
