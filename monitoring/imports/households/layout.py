"""The column layouts of the national system's Excel lists (DOMAIN.md §2.4, §2.12).

The three named lists (已脱贫人口名单, 边缘易致贫人口名单, the monitored list) use the 32 columns of
``LIST_COLUMNS``. The import layout is those 32 followed by the member columns of the national
member export (``MEMBER_EXTRA_COLUMNS``); the blank template and the "all members (import
format)" export use it, so an export in that format imports back unchanged.

Headers are national data and stay in Chinese. Each column says what it holds (``kind``), which
record keeps it (``level`` + ``field``), whether an import needs it, and how it is written.
"""

from __future__ import annotations

from dataclasses import dataclass

from kaiyuan.common.imports import ERROR_HEADER, Layout, normalise_header
from monitoring.codes import (
    Education,
    Ethnicity,
    Health,
    HouseholdType,
    IdType,
    LabourSkill,
    MonitoringCategory,
    PoliticalStatus,
    Relation,
    Schooling,
    Sex,
)

# ---- kinds of cell ------------------------------------------------------------------------------
SERIAL = "serial"  # 序号: written by exports, ignored by imports
DATA_DATE = "data_date"  # 数据日期: the export's as-of date, ignored by imports
COUNTY = "county"
TOWNSHIP = "township"
VILLAGE = "village"
TEXT = "text"
NUMBER = "number"  # 户编号 / 人编号: national identifiers, read as text
ID_NUMBER = "id_number"
PHONE = "phone"
INTEGER = "integer"
MONEY = "money"
YES_NO = "yes_no"
CHOICE = "choice"
MULTI_CHOICE = "multi_choice"
CODE_ITEM = "code_item"  # a value of an editable code table (monitoring.CodeItem)
DATE = "date"
DISABILITY = "disability"
SEX = "sex"
BIRTH_DATE = "birth_date"

HOUSEHOLD = "household"
MEMBER = "member"


@dataclass(frozen=True)
class Column:
    header: str
    kind: str
    level: str = ""  # HOUSEHOLD, MEMBER or "" (the file's own columns: 序号, 数据日期, areas)
    field: str = ""  # the model attribute it fills
    required: bool = False
    aliases: tuple[str, ...] = ()
    choices: tuple[str, ...] = ()
    code_table: str = ""
    max_length: int = 0
    minimum: int | None = None
    maximum: int | None = None
    # False: the column is read and checked but an import never writes it, because the app keeps
    # it elsewhere (incomes come from income records; the monitoring state and its dates change
    # only through identification and elimination cases once a household exists).
    writable: bool = True
    # True: only new households take the value (see ``writable``).
    on_create_only: bool = False

    @property
    def key(self) -> str:
        return normalise_header(self.header)

    @property
    def is_text(self) -> bool:
        """Written as text in exports so that Excel keeps every digit (2.11282E+17 otherwise)."""
        return self.kind in (NUMBER, ID_NUMBER, PHONE)


def _yes_no(header: str, field: str, level: str = MEMBER, **kwargs) -> Column:
    return Column(header, YES_NO, level, field, **kwargs)


# The 32 columns of 已脱贫人口名单 / 边缘易致贫人口名单 / the monitored list, in their order.
LIST_COLUMNS: tuple[Column, ...] = (
    Column("序号", SERIAL),
    Column("数据日期", DATA_DATE),
    Column("县(市、区、旗)", COUNTY, aliases=("县", "县(市、区)", "县(市区旗)")),
    Column("乡(镇)", TOWNSHIP, required=True, aliases=("乡", "乡镇", "乡(镇、街道)")),
    Column("行政村", VILLAGE, required=True, aliases=("村",)),
    Column("自然村", TEXT, HOUSEHOLD, "natural_village", max_length=64),
    Column("户编号", NUMBER, HOUSEHOLD, "household_number", required=True, max_length=32),
    Column(
        "人编号",
        NUMBER,
        MEMBER,
        "person_number",
        required=True,
        max_length=32,
        aliases=("人口编号",),
    ),
    Column("姓名", TEXT, MEMBER, "name", required=True, max_length=64),
    Column("证件号码", ID_NUMBER, MEMBER, "id_number", required=True, aliases=("身份证号码",)),
    Column("人数", INTEGER, HOUSEHOLD, "household_size", minimum=1, maximum=99),
    Column("与户主关系", CHOICE, MEMBER, "relation", required=True, choices=tuple(Relation.values)),
    Column("民族", CHOICE, MEMBER, "ethnicity", choices=tuple(Ethnicity.values)),
    Column("文化程度", CHOICE, MEMBER, "education", required=True, choices=tuple(Education.values)),
    Column(
        "在校生状况",
        CHOICE,
        MEMBER,
        "schooling",
        required=True,
        choices=tuple(Schooling.values),
        aliases=("在校生情况",),
    ),
    Column("健康状况", MULTI_CHOICE, MEMBER, "health", required=True, choices=tuple(Health.values)),
    Column(
        "劳动技能", CHOICE, MEMBER, "labour_skill", required=True, choices=tuple(LabourSkill.values)
    ),
    Column(
        "务工时间（月）",
        INTEGER,
        MEMBER,
        "work_months",
        required=True,
        minimum=0,
        maximum=12,
        aliases=("务工时长",),
    ),
    _yes_no("是否参加大病保险", "critical_illness_insurance", required=True),
    Column("致贫原因1", CODE_ITEM, HOUSEHOLD, "poverty_cause", code_table="poverty_cause"),
    _yes_no("危房户", "dangerous_house", HOUSEHOLD),
    _yes_no("是否解决安全饮用水", "safe_drinking_water", HOUSEHOLD),
    Column("人均纯收入", MONEY, HOUSEHOLD, "per_capita_income", writable=False),
    Column("户联系电话", PHONE, HOUSEHOLD, "phone", max_length=20),
    Column("人联系电话", PHONE, MEMBER, "phone", max_length=20, aliases=("成员联系电话",)),
    Column("首次识别时间", DATE, HOUSEHOLD, "first_identified_on"),
    # The app keeps no per-person identification date: read, checked, not stored.
    Column("人员识别时间", DATE, MEMBER, "person_identified_on", writable=False),
    Column(
        "户类型", CHOICE, HOUSEHOLD, "household_type", required=True, choices=HouseholdType.values
    ),
    Column(
        "易返贫致贫户(监测对象)类型",
        CHOICE,
        HOUSEHOLD,
        "monitoring_category",
        choices=tuple(MonitoringCategory.values),
        aliases=("监测对象类别", "易返贫致贫户类型"),
        on_create_only=True,
    ),
    _yes_no("风险是否消除", "risk_eliminated", HOUSEHOLD, on_create_only=True),
    Column("风险识别时间", DATE, HOUSEHOLD, "risk_identified_on", on_create_only=True),
    Column("风险消除时间", DATE, HOUSEHOLD, "risk_eliminated_on", on_create_only=True),
)

# The further columns of the national member export, with the names the national system writes.
MEMBER_EXTRA_COLUMNS: tuple[Column, ...] = (
    Column("性别", SEX, MEMBER, "sex", choices=tuple(Sex.values)),
    Column("出生日期", BIRTH_DATE, MEMBER, "birth_date"),
    Column("证件类型", CHOICE, MEMBER, "id_type", choices=tuple(IdType.values)),
    Column("政治面貌", CHOICE, MEMBER, "political_status", choices=tuple(PoliticalStatus.values)),
    Column("务工所在地", TEXT, MEMBER, "work_place", required=True, max_length=100),
    Column("务工企业名称", TEXT, MEMBER, "employer", max_length=100),
    _yes_no("是否国外务工", "works_abroad"),
    Column("就业渠道", CODE_ITEM, MEMBER, "employment_channel", code_table="employment_channel"),
    Column("公益性岗位类型", CODE_ITEM, MEMBER, "welfare_job_type", code_table="welfare_job_type"),
    Column(
        "公益性岗位(月数)",
        INTEGER,
        MEMBER,
        "welfare_job_months",
        minimum=0,
        maximum=12,
        aliases=("聘用月数",),
    ),
    _yes_no("是否享受低保", "dibao"),
    _yes_no("是否特困供养人员", "tekun"),
    _yes_no(
        "是否参加新型农村合作医疗（城乡居民基本医疗保险）",
        "residents_medical_insurance",
        required=True,
        aliases=("是否参加城乡居民基本医疗保险", "是否参加新型农村合作医疗"),
    ),
    _yes_no("是否参加城镇职工基本医疗保险", "employees_medical_insurance", required=True),
    _yes_no("是否参加商业补充医疗保险", "commercial_medical_insurance"),
    _yes_no("是否接受大病医疗救助", "medical_assistance", aliases=("是否接受医疗救助",)),
    _yes_no("是否接受其他健康扶贫", "other_health_assistance"),
    _yes_no("是否参加城乡居民基本养老保险", "residents_pension"),
    _yes_no("是否参加城镇职工基本养老保险", "employees_pension"),
    Column("失学或辍学原因", CODE_ITEM, MEMBER, "dropout_reason", code_table="dropout_reason"),
    _yes_no("是否会讲普通话", "speaks_mandarin"),
    Column("残疾类别", DISABILITY, MEMBER, "disability_category"),
    Column("残疾证办证年度", INTEGER, MEMBER, "disability_certificate_year", minimum=1950),
)

IMPORT_COLUMNS: tuple[Column, ...] = LIST_COLUMNS + MEMBER_EXTRA_COLUMNS

# Booleans the model keeps as NOT NULL: an empty cell means "leave as it is / model default".
NOT_NULL_BOOLEANS = frozenset(
    {"dangerous_house", "safe_drinking_water", "works_abroad", "risk_eliminated"}
)

LAYOUT = Layout(IMPORT_COLUMNS, own_headers=[ERROR_HEADER])
REQUIRED_COLUMNS = LAYOUT.required
COLUMN_BY_FIELD = {(c.level, c.field): c for c in IMPORT_COLUMNS if c.field}


def column_for(header: object) -> Column | None:
    return LAYOUT.field_for(header)
