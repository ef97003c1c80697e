"""The beneficiary households of one project (household numbers and names, never ID numbers)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.http import FileResponse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from kaiyuan.common import exports as files
from monitoring.models.households import MONITORED_STATES
from projects.exports.library.layout import user_scope
from projects.models import Project, ProjectBeneficiary
from projects.selectors.library import beneficiary_rows

BENEFICIARIES_EXPORT = "projects_beneficiaries"
BENEFICIARY_HEADERS = (
    "序号",
    "户编号",
    "户主姓名",
    "乡镇",
    "行政村",
    "户类型",
    "是否监测户",
    "受益方式",
    "金额（元）",
)
YES, NO = "是", "否"


def beneficiary_row(number: int, row: ProjectBeneficiary) -> list[Any]:
    household = row.household
    village = household.area
    return [
        number,
        household.household_number,
        household.head_name,
        village.parent.name if village.parent_id else "",
        village.name,
        household.household_type,
        YES if household.monitoring_status in MONITORED_STATES else NO,
        row.role,
        row.amount,
    ]


def beneficiaries_workbook(
    project: Project, rows: Iterable[ProjectBeneficiary], *, scope: str, as_of
) -> files.ExportBytes:
    title = _("Beneficiary households of the project")
    sheet = files.Sheet(
        title=title,
        headers=BENEFICIARY_HEADERS,
        rows=(beneficiary_row(n, row) for n, row in enumerate(rows, start=1)),
        caption=files.caption(f"{project.code} {project.name} · {title}", scope=scope, as_of=as_of),
        text_columns=frozenset({1}),
    )
    return files.workbook_bytes([sheet])


def beneficiaries_export_response(project: Project, *, actor) -> FileResponse:
    as_of = timezone.now()
    with translation.override(settings.LANGUAGE_CODE):
        written = beneficiaries_workbook(
            project,
            beneficiary_rows(actor, project),
            scope=files.scope_name(user_scope(actor)),
            as_of=as_of,
        )
    return files.export_response(
        written,
        name=f"{project.code}-受益户名单.xlsx",
        content_type=files.XLSX,
        actor=actor,
        audit_object=project,
        what=BENEFICIARIES_EXPORT,
        filters={"project": project.pk, "area": user_scope(actor).code},
        as_of=as_of,
    )
