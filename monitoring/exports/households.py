"""The standard lists in the national layouts (DOMAIN.md §2.12): 已脱贫人口名单, 边缘易致贫人口名单,
the monitored list, and every member in the import layout (so that an export imports back
unchanged).

The selector (``export_members``) makes one query with its joins; the row builder
(``list_rows``) is pure, members in → rows out; ``kaiyuan.common.exports`` streams the rows
into a write-only workbook, attaches it to the job and records the export.
"""

from __future__ import annotations

import datetime
from collections import namedtuple
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db.models import Case, IntegerField, QuerySet, Value, When
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from kaiyuan.accounts.capabilities import user_can
from kaiyuan.areas.models import Area
from kaiyuan.common import dates, exports, pii
from kaiyuan.common.errors import DomainError
from kaiyuan.common.idcard import DISABILITY_CATEGORIES
from kaiyuan.jobs.models import Job
from kaiyuan.jobs.registry import register
from kaiyuan.jobs.services import job_start
from monitoring.codes import HouseholdType, Relation
from monitoring.imports.households import layout
from monitoring.imports.households.cells import yes_no_text
from monitoring.imports.households.layout import Column
from monitoring.models import Household, Member
from monitoring.services.members import may_see_full_ids


def may_export(user) -> bool:
    """Grid workers may not take lists of personal data away, nor departments the registry."""
    return user_can(user, "households.export")


@dataclass(frozen=True)
class ListSpec:
    key: str
    name: str  # the national list's name, used as sheet title and file name
    label: Any
    columns: tuple[Column, ...]
    households: Callable[[QuerySet], QuerySet]


LISTS: dict[str, ListSpec] = {
    spec.key: spec
    for spec in (
        ListSpec(
            "exited",
            "已脱贫人口名单",
            _("Poverty-exited people (已脱贫人口名单)"),
            layout.LIST_COLUMNS,
            lambda qs: qs.filter(household_type=HouseholdType.EXITED),
        ),
        ListSpec(
            "marginal",
            "边缘易致贫人口名单",
            _("Marginal people at risk (边缘易致贫人口名单)"),
            layout.LIST_COLUMNS,
            lambda qs: qs.marginal(),
        ),
        ListSpec(
            "monitored",
            "监测对象人口名单",
            _("Monitored households' members (监测对象人口名单)"),
            layout.LIST_COLUMNS,
            lambda qs: qs.monitored(),
        ),
        ListSpec(
            "all",
            "全部成员信息(导入格式)",
            _("All members (import format, 全部成员信息)"),
            layout.IMPORT_COLUMNS,
            lambda qs: qs,
        ),
    )
}


def export_members(*, user, list_key: str, area: Area) -> QuerySet[Member]:
    """The current members on list ``list_key`` in ``area`` that ``user`` may see, in the list's
    order (household by household, the head first). ``export_member_rows`` reads them."""
    spec = LISTS[list_key]
    households = spec.households(
        Household.objects.visible_to(user).current().filter(area__path__startswith=area.path)
    )
    return (
        Member.objects.visible_to(user)
        .active()
        .filter(household__in=households.values("pk"))
        .annotate(
            head_first=Case(
                When(relation=Relation.HEAD, then=Value(0)),
                default=Value(1),
                output_field=IntegerField(),
            )
        )
        .order_by("household__household_number", "head_first", "id")
    )


# What the columns read of a member and of its household. A county list has tens of thousands of
# rows: reading them as plain records (one query, only these fields) instead of model instances
# of every field halves the time an export spends beside writing the workbook.
MEMBER_FIELDS = (
    "id_cipher",
    "id_masked",
    "person_number",
    "name",
    "relation",
    "ethnicity",
    "education",
    "schooling",
    "health",
    "labour_skill",
    "work_months",
    "critical_illness_insurance",
    "phone",
    "sex",
    "birth_date",
    "id_type",
    "political_status",
    "work_place",
    "employer",
    "works_abroad",
    "employment_channel",
    "welfare_job_type",
    "welfare_job_months",
    "dibao",
    "tekun",
    "residents_medical_insurance",
    "employees_medical_insurance",
    "commercial_medical_insurance",
    "medical_assistance",
    "other_health_assistance",
    "residents_pension",
    "employees_pension",
    "dropout_reason",
    "speaks_mandarin",
    "disability_category",
    "disability_certificate_year",
)
HOUSEHOLD_FIELDS = (
    "id",
    "area_id",
    "household_number",
    "natural_village",
    "household_size",
    "poverty_cause",
    "dangerous_house",
    "safe_drinking_water",
    "per_capita_income",
    "phone",
    "first_identified_on",
    "household_type",
    "monitoring_category",
    "monitoring_status",
    "risk_identified_on",
    "risk_eliminated_on",
)


class ExportHousehold(namedtuple("ExportHousehold", HOUSEHOLD_FIELDS)):
    """A household as the columns read it, with the model's own derived flags."""

    __slots__ = ()
    MonitoringStatus = Household.MonitoringStatus
    is_monitored = Household.is_monitored
    is_exited = Household.is_exited


class ExportMember(namedtuple("ExportMember", (*MEMBER_FIELDS, "household"))):
    __slots__ = ()


def export_member_rows(members: QuerySet[Member]) -> Iterator[ExportMember]:
    """``members`` (from ``export_members``) as records, streamed from one query; the members
    of a household share its record."""
    width = len(MEMBER_FIELDS)
    lookups = [*MEMBER_FIELDS, *(f"household__{name}" for name in HOUSEHOLD_FIELDS)]
    household = None
    for values in members.values_list(*lookups).iterator(chunk_size=2000):
        if household is None or household.id != values[width]:
            household = ExportHousehold._make(values[width:])
        yield ExportMember._make((*values[:width], household))


def export_areas(area: Area) -> dict[int, Area]:
    """Every area within ``area`` by id, each with its parent and grandparent (one query)."""
    return {
        each.pk: each
        for each in Area.objects.filter(path__startswith=area.path).select_related(
            "parent", "parent__parent"
        )
    }


# ---- rows ---------------------------------------------------------------------------------------


def _disability_name(code: str) -> str | None:
    return DISABILITY_CATEGORIES.get(code) or None


def _risk_eliminated(household: Household) -> str | None:
    if household.monitoring_status == Household.MonitoringStatus.ELIMINATED:
        return yes_no_text(True)
    if household.is_monitored:
        return yes_no_text(False)
    return None


def _category(household: Household) -> str | None:
    return household.monitoring_category or None if household.is_monitored else None


def _or_none(value: Any) -> Any:
    return None if value in ("", None) else value


# How each column is filled from (member, household); the area columns and the row number come
# from the row context.
MEMBER_VALUES: dict[str, Callable[[Member, Household], Any]] = {
    "自然村": lambda m, h: _or_none(h.natural_village),
    "户编号": lambda m, h: h.household_number,
    "人编号": lambda m, h: _or_none(m.person_number),
    "姓名": lambda m, h: m.name,
    "人数": lambda m, h: h.household_size,
    "与户主关系": lambda m, h: m.relation,
    "民族": lambda m, h: m.ethnicity,
    "文化程度": lambda m, h: _or_none(m.education),
    "在校生状况": lambda m, h: _or_none(m.schooling),
    "健康状况": lambda m, h: _or_none(m.health),
    "劳动技能": lambda m, h: _or_none(m.labour_skill),
    "务工时间（月）": lambda m, h: m.work_months,
    "是否参加大病保险": lambda m, h: yes_no_text(m.critical_illness_insurance),
    "致贫原因1": lambda m, h: _or_none(h.poverty_cause),
    "危房户": lambda m, h: yes_no_text(h.dangerous_house),
    "是否解决安全饮用水": lambda m, h: yes_no_text(h.safe_drinking_water),
    "人均纯收入": lambda m, h: h.per_capita_income,
    "户联系电话": lambda m, h: _or_none(h.phone),
    "人联系电话": lambda m, h: _or_none(m.phone),
    "首次识别时间": lambda m, h: h.first_identified_on,
    "人员识别时间": lambda m, h: None,  # not kept by the app
    "户类型": lambda m, h: h.household_type,
    "易返贫致贫户(监测对象)类型": lambda m, h: _category(h),
    "风险是否消除": lambda m, h: _risk_eliminated(h),
    "风险识别时间": lambda m, h: h.risk_identified_on,
    "风险消除时间": lambda m, h: h.risk_eliminated_on,
    "性别": lambda m, h: m.sex,
    "出生日期": lambda m, h: m.birth_date,
    "证件类型": lambda m, h: m.id_type,
    "政治面貌": lambda m, h: m.political_status,
    "务工所在地": lambda m, h: _or_none(m.work_place),
    "务工企业名称": lambda m, h: _or_none(m.employer),
    "是否国外务工": lambda m, h: yes_no_text(m.works_abroad),
    "就业渠道": lambda m, h: _or_none(m.employment_channel),
    "公益性岗位类型": lambda m, h: _or_none(m.welfare_job_type),
    "公益性岗位(月数)": lambda m, h: m.welfare_job_months,
    "是否享受低保": lambda m, h: yes_no_text(m.dibao),
    "是否特困供养人员": lambda m, h: yes_no_text(m.tekun),
    "是否参加新型农村合作医疗（城乡居民基本医疗保险）": lambda m, h: yes_no_text(
        m.residents_medical_insurance
    ),
    "是否参加城镇职工基本医疗保险": lambda m, h: yes_no_text(m.employees_medical_insurance),
    "是否参加商业补充医疗保险": lambda m, h: yes_no_text(m.commercial_medical_insurance),
    "是否接受大病医疗救助": lambda m, h: yes_no_text(m.medical_assistance),
    "是否接受其他健康扶贫": lambda m, h: yes_no_text(m.other_health_assistance),
    "是否参加城乡居民基本养老保险": lambda m, h: yes_no_text(m.residents_pension),
    "是否参加城镇职工基本养老保险": lambda m, h: yes_no_text(m.employees_pension),
    "失学或辍学原因": lambda m, h: _or_none(m.dropout_reason),
    "是否会讲普通话": lambda m, h: yes_no_text(m.speaks_mandarin),
    "残疾类别": lambda m, h: _disability_name(m.disability_category),
    "残疾证办证年度": lambda m, h: m.disability_certificate_year,
}


def _empty(member, household) -> None:
    return None


def headers_of(columns: Iterable[Column]) -> list[str]:
    return [column.header for column in columns]


def text_columns_of(columns: tuple[Column, ...]) -> frozenset[int]:
    """证件号码, 户编号, 人编号 and phones: written as text so that Excel keeps every digit."""
    return frozenset(index for index, column in enumerate(columns) if column.is_text)


def list_rows(
    members: Iterable[Member | ExportMember],
    *,
    columns: tuple[Column, ...],
    full_ids: bool,
    as_of: datetime.date,
    areas: Mapping[int, Area] | None = None,
) -> Iterator[list[Any]]:
    """The rows of a list (pure: no queries as long as ``members`` come with their households,
    and the households' areas are in ``areas`` or joined): ``export_member_rows`` records, or
    members with ``select_related``. ID numbers are masked unless ``full_ids``."""
    # Resolved once per column, not once per cell: a county list has a million cells.
    plan = [(column.kind, MEMBER_VALUES.get(column.header)) for column in columns]
    if not full_ids:
        # The birth date is digits 7-14 of the ID number, exactly what the mask hides: beside a
        # masked number it would give the number back, so a masked list leaves it empty.
        plan = [
            (kind, _empty if kind == layout.BIRTH_DATE else value_of)
            for column, (kind, value_of) in zip(columns, plan, strict=True)
        ]
    for serial, member in enumerate(members, start=1):
        household = member.household
        village = areas.get(household.area_id) if areas is not None else None
        if village is None:
            village = household.area
        township = village.parent
        county = township.parent if township is not None else None
        row: list[Any] = []
        append = row.append
        for kind, value_of in plan:
            if value_of is not None:
                append(value_of(member, household))
            elif kind == layout.SERIAL:
                append(serial)
            elif kind == layout.DATA_DATE:
                append(as_of)
            elif kind == layout.COUNTY:
                append(county.name if county is not None else None)
            elif kind == layout.TOWNSHIP:
                append(township.name if township is not None else None)
            elif kind == layout.VILLAGE:
                append(village.name)
            elif kind == layout.ID_NUMBER:
                append(pii.decrypt(member.id_cipher) if full_ids else member.id_masked)
            else:
                raise KeyError(f"no value for the column {kind!r}")
        yield row


TEMPLATE_NAME = "家庭成员导入模板.xlsx"
TEMPLATE_ROWS = 500  # rows whose ID, number and phone cells are preformatted as text


def template_workbook() -> exports.ExportBytes:
    """The blank import template: the import layout's headers, with the ID, number and phone
    columns formatted as text so that what a clerk types there keeps every digit."""
    from openpyxl.utils import get_column_letter

    columns = layout.IMPORT_COLUMNS
    letters = [get_column_letter(index) for index in range(1, len(columns) + 1)]
    sheet = exports.Sheet(
        title="家庭成员",
        headers=headers_of(columns),
        rows=([None] * len(columns) for _row in range(TEMPLATE_ROWS)),
        widths={
            letter: max(8, min(40, len(column.header) * 2 + 2))
            for letter, column in zip(letters, columns, strict=True)
        },
        column_formats={
            letter: "@" for letter, column in zip(letters, columns, strict=True) if column.is_text
        },
        counted=False,
    )
    return exports.workbook_bytes([sheet])


EXPORT_JOB = "monitoring_export"


def export_start(*, actor, list_key: str, area: Area) -> Job:
    return job_start(kind=EXPORT_JOB, actor=actor, params={"list": list_key, "area": area.pk})


@register(EXPORT_JOB)
def run_export(job: Job, progress) -> None:
    user = job.created_by
    spec = LISTS.get(job.params.get("list", ""))
    area = Area.objects.visible_to(user).filter(pk=job.params.get("area")).first()
    if spec is None or area is None or not may_export(user):
        raise DomainError(_("This list cannot be exported for this area."))
    as_of = timezone.now()
    day = dates.local_date(as_of)
    members = export_members(user=user, list_key=spec.key, area=area)
    progress.total(members.count())
    full_ids = may_see_full_ids(user)
    stored_name = f"monitoring-{spec.key}-{job.pk}.xlsx"
    with translation.override(settings.LANGUAGE_CODE):
        title = exports.caption(
            spec.name,
            scope=exports.scope_name(area),
            filters=[] if full_ids else [(_("ID numbers"), _("masked"))],
            as_of=as_of,
        )
    written = exports.write_xlsx(
        exports.temp_path(stored_name),
        title=spec.name,
        headers=headers_of(spec.columns),
        rows=list_rows(
            export_member_rows(members),
            columns=spec.columns,
            full_ids=full_ids,
            as_of=day,
            areas=export_areas(area),
        ),
        caption=title,
        text_columns=text_columns_of(spec.columns),
        on_progress=progress.step,
    )
    ids = "full" if full_ids else "masked"
    exports.export_to_job(
        job,
        written,
        stored_name=stored_name,
        name=f"{spec.name}-{area.name}-{day:%Y%m%d}.xlsx",
        what=EXPORT_JOB,
        filters={"list": spec.key, "area": area.code, "area_name": area.name},
        as_of=as_of,
        data={"list": spec.key, "list_name": spec.name, "ids": ids},
        result={"list": spec.key, "ids": ids},
    )
